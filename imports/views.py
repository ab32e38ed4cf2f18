"""数据导入 screens (province only): upload a file, see the dry run's result, confirm.

1. 上传: the kind of records and the file (xlsx, csv, or a zip with the
   table and its 附件). The file is checked at once — the dry run of
   imports.engine — and nothing is written.
2. 检查结果: every refused row (工作表, 行, 列, 原因) — then nothing can be
   confirmed; or every row with what it will do (新增 / 更新 / 已存在).
3. 确认导入: the same file, kept in private storage between the two
   requests, is imported for real in one transaction; the counts are shown.
   A checked file not confirmed within a day is deleted by the next upload.

The command import_records runs the same engine.run_import.
"""

import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django import forms
from django.core.files.base import ContentFile
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail.admin import messages

from warning.admin.refusals import forbidden
from warning.models.profiles import scope_of
from warning.storage import private_storage

from . import tables
from .engine import STATUS_LABELS, run_import
from .kinds import GROUP_LABELS

MENU_LABEL = "数据导入"
SESSION_KEY = "imports_pending"
REFUSAL = "只有预警工作联系人可以导入历史数据。"
STORAGE_PREFIX = "imports"
PENDING_KEEP = timedelta(days=1)


def prune_pending(now=None, keep=PENDING_KEEP):
    """Delete checked files nobody confirmed within `keep`; return how many (run with every upload)."""
    storage = private_storage()
    now = now or timezone.now()
    try:
        _dirs, names = storage.listdir(STORAGE_PREFIX)
    except (FileNotFoundError, NotImplementedError):
        return 0
    deleted = 0
    for name in names:
        path = f"{STORAGE_PREFIX}/{name}"
        if storage.get_modified_time(path) < now - keep:
            storage.delete(path)
            deleted += 1
    return deleted


def may_import(user):
    return user.is_active and scope_of(user).is_provincial


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=list(GROUP_LABELS.items()))
    file = forms.FileField(
        label="文件",
        help_text=f"{tables.EXTENSIONS_LABEL}，不超过 {tables.MAX_FILE_BYTES // 1024 // 1024} MB；列名见导入说明。",
        error_messages={"required": "请选择要导入的文件。", "invalid": "上传的文件无效，请重新选择。"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > tables.MAX_FILE_BYTES:
            raise forms.ValidationError(f"文件不能超过 {tables.MAX_FILE_BYTES // 1024 // 1024} MB。")
        return upload


def _frame(title, *, parent=False):
    crumbs = [{"url": reverse("wagtailadmin_home"), "label": "首页"}]
    if parent:
        crumbs.append({"url": reverse("imports:index"), "label": MENU_LABEL})
    crumbs.append({"url": "", "label": title})
    return {"page_title": title, "header_title": title, "header_icon": "upload", "breadcrumbs_items": crumbs}


def _result_context(result):
    return {
        "result": result,
        "problems": result.problems,
        "rows": [
            (planned, STATUS_LABELS[planned.status], "、".join(planned.changed_columns)) for planned in result.rows
        ],
        "counts": [(STATUS_LABELS[status], n) for status, n in result.counts.items()],
        "kind_label": GROUP_LABELS[result.group],
    }


def index_view(request):
    """Upload and check (the dry run)."""
    if not may_import(request.user):
        return forbidden(request, REFUSAL)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        name = PurePosixPath(upload.name).name
        data = upload.read()
        try:
            source = tables.read_bytes(name, data)
        except tables.FileRefused as exc:
            form.add_error("file", str(exc))
        else:
            group = form.cleaned_data["kind"]
            result = run_import(group, source, user=request.user, dry_run=True)
            context = {**_frame("检查结果", parent=True), **_result_context(result)}
            if result.ok:
                prune_pending()
                token = uuid.uuid4().hex
                stored = private_storage().save(
                    f"{STORAGE_PREFIX}/{token}{PurePosixPath(name).suffix.lower()}", ContentFile(data)
                )
                pending = request.session.get(SESSION_KEY, {})
                pending[token] = {"group": group, "name": name, "stored": stored}
                request.session[SESSION_KEY] = pending
                context["token"] = token
            return TemplateResponse(request, "imports/result.html", context)
    return TemplateResponse(
        request,
        "imports/index.html",
        {**_frame(MENU_LABEL), "form": form, "kinds": list(GROUP_LABELS.values())},
        status=400 if form.errors else 200,
    )


def confirm_view(request):
    """Import the checked file for real (one transaction), then show the counts."""
    if not may_import(request.user):
        return forbidden(request, REFUSAL)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pending = request.session.get(SESSION_KEY, {})
    item = pending.pop(request.POST.get("token", ""), None)
    if item is None:
        messages.error(request, "没有待确认的导入（可能已经导入，或已过期），请重新上传文件。")
        return redirect("imports:index")
    request.session[SESSION_KEY] = pending
    storage = private_storage()
    try:
        with storage.open(item["stored"]) as handle:
            data = handle.read()
    except OSError:
        messages.error(request, "待导入的文件已不存在，请重新上传。")
        return redirect("imports:index")
    try:
        source = tables.read_bytes(item["name"], data)
        result = run_import(item["group"], source, user=request.user)
    except tables.FileRefused as exc:
        messages.error(request, str(exc))
        return redirect("imports:index")
    finally:
        storage.delete(item["stored"])
    context = {**_frame("导入结果", parent=True), **_result_context(result)}
    return TemplateResponse(request, "imports/result.html", context, status=200 if result.ok else 400)


urlpatterns = [
    path("", index_view, name="index"),
    path("confirm/", confirm_view, name="confirm"),
]
