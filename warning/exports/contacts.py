"""导出预警点联系人信息: one row per 预警负责人 of each point, as an xlsx workbook.

The list's export button (with the list's filters and search applied) and
`manage.py export_point_contacts` both call write_point_contacts(), so the
two files are the same.
"""

from django.db.models import Prefetch

from warning.models import ResponsiblePerson

from . import sheets

HEADERS = ("预警点名称", "所属地市", "负责人名字", "负责人电话")
FILENAME = "预警点联系人信息.xlsx"


def contact_rows(points):
    """The rows of the export for a queryset of points, in the queryset's order.

    A point with several responsible persons gives one row per person (in
    their order on the form); a point without any still gives one row with
    the person cells empty, so a missing contact shows instead of
    disappearing. The phone is the mobile number, or the office phone when
    no mobile is given. Two queries, however many points.
    """
    points = points.select_related("district__city").prefetch_related(
        Prefetch("responsible_persons", queryset=ResponsiblePerson.objects.order_by("sort_order", "pk"))
    )
    for point in points:
        persons = list(point.responsible_persons.all())
        city = point.district.city.name
        if not persons:
            yield (point.name, city, "", "")
        for person in persons:
            yield (point.name, city, person.name, person.mobile or person.phone)


def write_point_contacts(points, output, *, filters="全部"):
    """Write the contacts workbook for `points` to `output` (a path or a binary file object).

    Titled “预警点联系人信息” with `filters` (the list's filters, in words) and the
    time exported, printed on A4 (warning/exports/sheets.py). Returns the number of data rows written.
    """
    rows = list(contact_rows(points))
    sheets.write_table(output, title="预警点联系人信息", filters=filters, headers=HEADERS, rows=rows)
    return len(rows)
