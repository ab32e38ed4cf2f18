"""Large exports built by the worker: asked for in the admin, downloaded later from 后台导出.

The provincial contact asks for an export (信息清单 or 分数详情 of a year,
with the page's filters); request_export() records an ExportFile and
enqueues build_export in the same transaction. The worker writes the
workbook with the very writers the synchronous buttons use
(warning/exports/), stores it, and marks the row done. Building the same
row twice writes the file again and keeps one file: the task is safe to run
twice. Only the user who asked may download the file, and only while they
are still the provincial contact; files older than EXPORT_KEEP_DAYS are
removed by the daily clean-up.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from warning.exports import info_list, scores
from warning.models.profiles import scope_of

from .models import ExportFile

EXPORT_KEEP_DAYS = 7


@dataclass(frozen=True)
class ExportKind:
    label: str
    filename: object  # year → file name
    write: object  # (output, year, name=, city_id=) → None


KINDS = {
    "info_list": ExportKind("信息清单", info_list.filename, info_list.write_info_list),
    "scores": ExportKind("分数详情", scores.filename, scores.write_scores),
}


def may_export(user):
    """The exports are the provincial contact's (as the synchronous buttons)."""
    return scope_of(user).is_provincial


def request_export(user, kind, year, name="", city_id=None):
    """Record an export and enqueue its building; return the ExportFile.

    Refuses (PermissionDenied) anyone but the provincial contact and an
    unknown kind (ValueError), writing nothing.
    """
    if not may_export(user):
        raise PermissionDenied("只有预警工作联系人可以导出统计数据。")
    if kind not in KINDS:
        raise ValueError("没有这种导出")
    from .tasks import build_export

    with transaction.atomic():
        export = ExportFile.objects.create(
            requested_by=user,
            kind=kind,
            params={"year": int(year), "name": name or "", "city_id": city_id},
            filename=KINDS[kind].filename(int(year)),
        )
        build_export.enqueue(export.pk)
    return export


def build(export_id):
    """Write the export's workbook into storage and mark it done (again if it was: the file is replaced)."""
    export = ExportFile.objects.filter(pk=export_id).first()
    if export is None:
        return "导出记录已不存在"
    kind = KINDS[export.kind]
    params = export.params
    output = io.BytesIO()
    kind.write(output, params["year"], name=params.get("name", ""), city_id=params.get("city_id"))
    old_name = export.file.name
    export.file.save(export.filename, ContentFile(output.getvalue()), save=False)
    export.status = ExportFile.Status.DONE
    export.finished_at = timezone.now()
    export.error = ""
    export.save(update_fields=["file", "status", "finished_at", "error"])
    if old_name and old_name != export.file.name:
        export.file.storage.delete(old_name)
    return export.file.name


def exports_of(user):
    """The user's own exports, newest first."""
    return ExportFile.objects.filter(requested_by=user).order_by("-created_at", "-id")


def export_for_download(user, export_id):
    """The user's own finished export; ExportFile.DoesNotExist for anyone else's or an unfinished one."""
    if not may_export(user):
        raise PermissionDenied("只有预警工作联系人可以下载导出文件。")
    return ExportFile.objects.get(pk=export_id, requested_by=user, status=ExportFile.Status.DONE)
