"""The mark an import leaves on every item it creates or changes: a Wagtail log entry 导入.

The entry names the file, the sheet and the row, so an item's history (and
Wagtail's site history) says where it came from and when it was brought in;
the item itself keeps its original dates.
"""

from wagtail.log_actions import log

ACTION_IMPORT = "imports.import"
LABEL = "导入"


def record_import(instance, *, file_name, kind_label, row, user=None, sheet="", extra=None):
    """Log that `instance` was created or changed by row `row` of the import file `file_name`."""
    data = {"file": file_name, "kind": kind_label, "sheet": sheet, "row": row}
    data.update(extra or {})
    return log(instance=instance, action=ACTION_IMPORT, user=user, content_changed=True, data=data)


def describe(data):
    """The log entry's message, e.g. 导入：2019.xlsx（预警信息 第 5 行）."""
    data = data or {}
    where = f"{data.get('kind', '')} 第 {data.get('row', '?')} 行"
    return f"{LABEL}：{data.get('file', '')}（{where}）"
