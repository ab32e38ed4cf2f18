"""Build the POST data of the 预警点 admin form from a point, the way the browser would send it."""

from warning.admin.points import WarningPointAdmin
from warning.models import WarningPoint


def point_form_class():
    return WarningPointAdmin().get_edit_handler().bind_to_model(WarningPoint).get_form_class()


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    return value


def point_form_data(point=None, user=None, **overrides):
    """The data a browser posts for `point` unchanged (or an empty new point), with `overrides` applied.

    Formset fields use their full names, e.g. "responsible_persons-0-mobile".
    """
    form = point_form_class()(instance=point or WarningPoint(), for_user=user)
    data = {}
    for bound_field in form:
        if bound_field.field.disabled:
            continue
        data[bound_field.html_name] = _value(bound_field)
    for formset in form.formsets.values():
        for bound_field in formset.management_form:
            data[bound_field.html_name] = _value(bound_field)
        for child in formset.forms:
            for bound_field in child:
                if bound_field.name == "DELETE":
                    continue
                data[bound_field.html_name] = _value(bound_field)
    data.update(overrides)
    return data


def add_inline_row(data, relation, **fields):
    """Append one new row to an inline formset in `data`."""
    index = int(data[f"{relation}-TOTAL_FORMS"])
    data[f"{relation}-TOTAL_FORMS"] = str(index + 1)
    data[f"{relation}-{index}-id"] = ""
    data[f"{relation}-{index}-ORDER"] = str(index + 1)
    for name, value in fields.items():
        data[f"{relation}-{index}-{name}"] = value
    return data
