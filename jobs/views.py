"""The admin screens of background work: 失败的任务 (superuser) and 后台导出 (provincial contact).

Wiring only: what failed is read from the queue's own table (django-tasks-db's
DBTaskResult), the exports' rules live in jobs/exports.py.

- 失败的任务 lists the task results that failed, newest first: by default the
  final failures (the retries are used up), with 含已重试的尝试 also the
  attempts that failed and were enqueued again (jobs/retry.py). Each opens
  on its error and traceback. Superusers only; anyone else gets the 403 page.
- 后台导出 lists the user's own exports with their state and a download link;
  the download streams the file from storage after checking it is the
  user's. Another user's export is a 404.
"""

from urllib.parse import quote

from django.contrib import messages as flash
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_POST
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView

from warning.admin.messages import CountPaginator, local_time
from warning.admin.refusals import forbidden
from warning.admin.statistics import FilterForm
from warning.statistics import default_year

from .exports import KINDS, export_for_download, exports_of, may_export, request_export
from .models import ExportFile
from .retry import ATTEMPT_KWARG, WillRetry

RETRIED_PATH = f"{WillRetry.__module__}.{WillRetry.__qualname__}"
PAGE_SIZE = 20

TASK_LABELS = {
    "jobs.mail.deliver_mails": "发送邮件",
    "jobs.tasks.fan_out_notice": "下发商务局预警信息",
    "jobs.tasks.daily_reminders": "截止日期提醒",
    "jobs.tasks.clean_up": "清理过期数据",
    "jobs.tasks.rebuild_search_index": "重建搜索索引",
    "jobs.tasks.build_export": "后台导出",
    "webhooks.delivery.deliver_webhook": "事件推送投递",
    "modelsearch.tasks.insert_or_update_object_task": "更新搜索索引",
    "wagtail.tasks.update_reference_index_task": "更新引用索引",
    "wagtail.tasks.delete_file_from_storage_task": "删除文件",
    "wagtail.images.tasks.set_image_focal_point_task": "识别图片焦点",
}


def task_label(result):
    return TASK_LABELS.get(result.task_path, result.task_path)


def attempt_of(result):
    return int((result.args_kwargs.get("kwargs") or {}).get(ATTEMPT_KWARG, 1))


def was_retried(result):
    return result.exception_class_path == RETRIED_PATH


def error_line(result):
    """The last line of the traceback: the exception and its message."""
    lines = [line for line in result.traceback.strip().splitlines() if line.strip()]
    return lines[-1] if lines else result.exception_class_path


def superuser_only(request):
    if not request.user.is_superuser:
        return forbidden(request, "只有系统管理员可以查看失败的后台任务。")
    return None


class FailedTaskIndexView(BaseListingView):
    page_title = "失败的任务"
    header_icon = "warning"
    template_name = "jobs/failed_index.html"
    index_url_name = "jobs:failed"
    paginate_by = PAGE_SIZE
    paginator_class = CountPaginator
    verbose_name = "任务"
    verbose_name_plural = "任务"
    columns = [
        TitleColumn(
            "task", label="任务", accessor=task_label, get_url=lambda r: reverse("jobs:failed_detail", args=[r.pk])
        ),
        Column("finished", label="失败时间", accessor=lambda r: local_time(r.finished_at), width="15%"),
        Column("attempt", label="第几次执行", accessor=attempt_of, width="10%"),
        Column("outcome", label="结果", accessor=lambda r: "已安排重试" if was_retried(r) else "最终失败", width="10%"),
        Column("error", label="错误", accessor=lambda r: Truncator(error_line(r)).chars(120)),
    ]

    def dispatch(self, request, *args, **kwargs):
        return superuser_only(request) or super().dispatch(request, *args, **kwargs)

    @property
    def with_retried(self):
        return self.request.GET.get("retried") == "1"

    @property
    def no_results_message(self):
        return "没有失败的后台任务。"

    def get_base_queryset(self):
        queryset = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")
        if not self.with_retried:
            queryset = queryset.exclude(exception_class_path=RETRIED_PATH)
        return queryset.only(
            "id", "task_path", "finished_at", "args_kwargs", "exception_class_path", "traceback", "status"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["with_retried"] = self.with_retried
        return context


def failed_task_detail(request, pk):
    refusal = superuser_only(request)
    if refusal:
        return refusal
    result = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.FAILED).first()
    if result is None:
        raise Http404("没有这个失败的任务")
    label = task_label(result)
    return TemplateResponse(
        request,
        "jobs/failed_detail.html",
        {
            "result": result,
            "label": label,
            "attempt": attempt_of(result),
            "retried": was_retried(result),
            "error": error_line(result),
            "enqueued": local_time(result.enqueued_at),
            "finished": local_time(result.finished_at),
            "page_title": label,
            "header_title": f"失败的任务：{label}",
            "header_icon": "warning",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "首页"},
                {"url": reverse("jobs:failed"), "label": "失败的任务"},
                {"url": "", "label": label},
            ],
        },
    )


# ---------------------------------------------------------------- 后台导出


def export_state(export):
    return export.get_status_display()


class ExportIndexView(BaseListingView):
    page_title = "后台导出"
    header_icon = "download"
    template_name = "jobs/export_index.html"
    index_url_name = "jobs:exports"
    paginate_by = PAGE_SIZE
    paginator_class = CountPaginator
    verbose_name = "导出"
    verbose_name_plural = "导出"
    no_results_message = "还没有后台导出。在统计分析的条数详情或分数详情页点“后台生成”即可申请。"
    columns = [
        Column("filename", label="文件", accessor="filename"),
        Column("kind", label="导出内容", accessor=lambda e: KINDS[e.kind].label if e.kind in KINDS else e.kind),
        Column("created", label="申请时间", accessor=lambda e: local_time(e.created_at), width="15%"),
        Column("finished", label="完成时间", accessor=lambda e: local_time(e.finished_at), width="15%"),
        Column("status", label="状态", accessor=export_state, width="8%"),
        TitleColumn(
            "download",
            label="下载",
            accessor=lambda e: "下载" if e.status == ExportFile.Status.DONE else "",
            get_url=lambda e: (
                reverse("jobs:export_download", args=[e.pk]) if e.status == ExportFile.Status.DONE else None
            ),
            width="8%",
        ),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not may_export(request.user):
            return forbidden(request, "只有预警工作联系人可以使用后台导出。")
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return exports_of(self.request.user)


@require_POST
def export_request(request):
    """后台生成: validate the statistics filters of the form, record the export, go to 后台导出."""
    if not may_export(request.user):
        return forbidden(request, "只有预警工作联系人可以使用后台导出。")
    kind = request.POST.get("kind", "")
    form = FilterForm({key: request.POST.get(key, "") for key in ("year", "name", "city")})
    if kind not in KINDS or not form.is_valid():
        errors = "；".join(e for field_errors in form.errors.values() for e in field_errors) or "没有这种导出"
        flash.error(request, f"导出申请失败：{errors}")
        return redirect("jobs:exports")
    data = form.cleaned_data
    year = data["year"] or default_year()
    export = request_export(request.user, kind, year, name=data["name"].strip(), city_id=data["city"])
    flash.success(request, f"已申请后台生成“{export.filename}”，完成后可在此下载。")
    return redirect("jobs:exports")


def export_download(request, pk):
    if not may_export(request.user):
        return forbidden(request, "只有预警工作联系人可以下载导出文件。")
    try:
        export = export_for_download(request.user, pk)
    except ExportFile.DoesNotExist:
        raise Http404("没有这个导出文件") from None
    response = FileResponse(export.file.open("rb"), as_attachment=True)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(export.filename)}"
    return response
