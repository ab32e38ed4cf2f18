"""Rules of the 预警点管理 registry: who may list, view, create, edit or delete which point.

The admin screens (warning/admin/points.py) ask these functions and nothing
else, so the rules can be read and tested without a request:

- the provincial contact (预警工作联系人, and superusers) sees and edits every
  point and is the only one who creates points;
- a city reviewer (地市审核员) sees the points of its city, read-only;
- a point editor (预警点用户) sees and edits its own point only, and cannot
  change the designation facts in PROVINCE_ONLY_FIELDS (they are decided by
  the province when it designates a point);
- the magazine editor, and anyone without a role, has no access at all.

Nobody deletes a point: a point that stops working is retired by setting its
状态 to 撤销, which keeps every report, analysis and page it ever submitted
(docs/rules.md §7: nothing submitted is ever lost).
"""

from django.db.models import Count

from .models import WarningPoint
from .models.profiles import scope_of

# Set by the province when it designates a point; a point editor sees them read-only.
PROVINCE_ONLY_FIELDS = (
    "name",
    "category",
    "batch",
    "established_year",
    "approval_number",
    "district",
    "status",
)


def can_list_points(user):
    """Whether the user may open the registry at all (and see its menu entry)."""
    scope = scope_of(user)
    if not (scope.sees_everything or scope.city_id or scope.point_id):
        return False
    return user.has_perm("warning.view_warningpoint")


def can_view_point(user, point):
    """Whether the user may inspect this point (its city's reviewer, its own editor, the province)."""
    if not can_list_points(user):
        return False
    scope = scope_of(user)
    if scope.sees_everything:
        return True
    if scope.city_id:
        return point.district.city_id == scope.city_id
    return point.pk == scope.point_id


def can_edit_point(user, point):
    """Whether the user may edit this point: the province any point, a point editor its own."""
    if not user.has_perm("warning.change_warningpoint"):
        return False
    scope = scope_of(user)
    return scope.sees_everything or (scope.point_id is not None and point.pk == scope.point_id)


def can_create_point(user):
    """Only the province designates new points."""
    return scope_of(user).sees_everything and user.has_perm("warning.add_warningpoint")


def can_delete_point(user, point):
    """Never: a point is retired by setting its status to 撤销, so its submitted data stays."""
    return False


def may_edit_designation(user):
    """Whether the user may change the fields in PROVINCE_ONLY_FIELDS."""
    return scope_of(user).sees_everything


def registry_points(user):
    """The points a user sees in the registry, with what the list needs in the same query.

    联系企业数 is an annotation, so the list costs the same number of queries
    for 10 points as for 200.
    """
    return (
        WarningPoint.objects.visible_to(user)
        .select_related("district__city", "industry")
        .annotate(enterprise_count=Count("enterprises", distinct=True))
    )
