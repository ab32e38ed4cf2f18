"""变更历史 of a warning point: what changed, by whom and when.

A change is found by comparing two snapshots of the whole record — the
point's own fields and its related rows (负责人, 工作人员, 联系企业,
领导小组成员) — taken before and after a save. The differences are stored as
the `data` of a Wagtail log entry (action ACTION_EDIT), so they live in
Wagtail's own audit log next to every other admin action and carry its user
and timestamp. Labels and values are stored as displayed at the time of the
change, so the history still reads correctly after a district is renamed or
a row is removed.
"""

from django.db import transaction
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry

from .models import WarningPoint

ACTION_CREATE = "warning.point.create"
ACTION_EDIT = "warning.point.edit"
ACTIONS = (ACTION_CREATE, ACTION_EDIT)

BASIC_SECTION = "基本信息"

# Related rows of a point, in the order of the inspect view's tabs.
INLINES = (
    ("responsible_persons", "预警负责人信息"),
    ("staff_members", "预警点工作人员信息"),
    ("enterprises", "预警点联系企业信息"),
    ("leadership", "领导小组成员"),
)

_SKIPPED_ROW_FIELDS = {"id", "point", "sort_order"}


def _display(instance, field):
    """The value of a field as a person reads it: choice labels, 是/否, names of related rows."""
    if field.choices:
        value = getattr(instance, field.attname)
        return str(dict(field.flatchoices).get(value, "" if value is None else value))
    if field.is_relation:
        related = getattr(instance, field.name)
        return "" if related is None else str(related)
    value = getattr(instance, field.attname)
    return "" if value is None else str(value)


def _point_fields():
    return [f for f in WarningPoint._meta.concrete_fields if f.editable and not f.primary_key]


def _row_fields(model):
    return [f for f in model._meta.concrete_fields if f.editable and f.name not in _SKIPPED_ROW_FIELDS]


def snapshot(point):
    """A JSON-ready picture of a point as stored in the database, related rows included."""
    point = (
        WarningPoint.objects.select_related("district__city", "industry")
        .prefetch_related(*(name for name, _ in INLINES))
        .get(pk=point.pk)
    )
    fields = {f.name: [str(f.verbose_name), _display(point, f)] for f in _point_fields()}
    inlines = {}
    for relation, _section in INLINES:
        manager = getattr(point, relation)
        row_fields = _row_fields(manager.model)
        inlines[relation] = {
            str(row.pk): {
                "label": str(row),
                "fields": {f.name: [str(f.verbose_name), _display(row, f)] for f in row_fields},
            }
            for row in manager.all()
        }
    return {"fields": fields, "inlines": inlines}


def _summary(row):
    return "；".join(f"{label}：{value}" for label, value in row["fields"].values() if value)


def diff(before, after):
    """The differences between two snapshots, as a list of readable changes.

    Each change is a dict with section (基本信息 or a related-rows tab), kind
    (changed / added / removed), item (the related row, if any), field (its
    label), old and new.
    """
    changes = []
    for name, (label, new) in after["fields"].items():
        old = before["fields"].get(name, [label, ""])[1]
        if old != new:
            changes.append(
                {"section": BASIC_SECTION, "kind": "changed", "item": "", "field": label, "old": old, "new": new}
            )
    for relation, section in INLINES:
        old_rows = before["inlines"].get(relation, {})
        new_rows = after["inlines"].get(relation, {})
        for pk, row in new_rows.items():
            if pk not in old_rows:
                changes.append(
                    {
                        "section": section,
                        "kind": "added",
                        "item": row["label"],
                        "field": "",
                        "old": "",
                        "new": _summary(row),
                    }
                )
                continue
            for name, (label, new) in row["fields"].items():
                old = old_rows[pk]["fields"].get(name, [label, ""])[1]
                if old != new:
                    changes.append(
                        {
                            "section": section,
                            "kind": "changed",
                            "item": old_rows[pk]["label"],
                            "field": label,
                            "old": old,
                            "new": new,
                        }
                    )
        for pk, row in old_rows.items():
            if pk not in new_rows:
                changes.append(
                    {
                        "section": section,
                        "kind": "removed",
                        "item": row["label"],
                        "field": "",
                        "old": _summary(row),
                        "new": "",
                    }
                )
    return changes


def record_creation(point, user=None):
    """Log that a point was created (by a user in the admin, or by the system when user is None)."""
    return log(instance=point, action=ACTION_CREATE, user=user, content_changed=True, data={"changes": []})


def record_changes(point, before, user=None):
    """Compare the point as stored now with `before` and log the differences, if any.

    Returns the log entry, or None when the save changed nothing.
    """
    changes = diff(before, snapshot(point))
    if not changes:
        return None
    return log(instance=point, action=ACTION_EDIT, user=user, content_changed=True, data={"changes": changes})


def save_with_history(point, save, user=None):
    """Run `save()` (which stores the point and its related rows) and log what it changed.

    The snapshot, the save and the log entry happen in one transaction, so a
    failed save leaves no history behind and a logged change is always real.
    """
    with transaction.atomic():
        before = snapshot(point)
        result = save()
        record_changes(point, before, user=user)
    return result


def history_of(point):
    """The point's change history, newest first, with the acting users loaded."""
    return (
        log_registry.get_logs_for_instance(point)
        .filter(action__in=ACTIONS)
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )
