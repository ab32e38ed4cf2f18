"""Helpers for the registry tests: many points in few queries, and the admin form's POST data."""

from warning.admin.points import WarningPointAdmin
from warning.models import ContactEnterprise, District, Industry, ResponsiblePerson, WarningPoint


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


def make_points(count, district_name="建德市", prefix="批量"):
    """Many points with a responsible person and two enterprises each, in few queries (no signals)."""
    district = District.objects.get(name=district_name)
    industry = Industry.objects.get(name="化工")
    points = WarningPoint.objects.bulk_create(
        [
            WarningPoint(
                name=f"{prefix}{district_name}{i:03d}号产品对外贸易预警点",
                host_organisation=f"{prefix}{i}号行业协会",
                batch=1 + i % 5,
                established_year=2015,
                address="测试路1号",
                phone="0571-87654321",
                email=f"bulk{i}@example.com",
                district=district,
                industry=industry,
                has_party_organisation=False,
            )
            for i in range(count)
        ]
    )
    ResponsiblePerson.objects.bulk_create(
        [ResponsiblePerson(point=p, name=f"负责人{p.pk}", mobile="13900000000") for p in points]
    )
    ContactEnterprise.objects.bulk_create(
        [ContactEnterprise(point=p, name=f"企业{p.pk}-{j}") for p in points for j in range(2)]
    )
    return points
