"""Role scope: which point a point editor, or which city a city reviewer, is bound to.

The role itself is a Django group (created by migration 0002); the scope says
whose data that role may touch. Everything that filters by role goes through
scope_of(), so there is one place that answers "what may this user see".
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models

GROUP_POINT_EDITOR = "预警点用户"
GROUP_CITY_REVIEWER = "地市审核员"
GROUP_PROVINCIAL = "预警工作联系人"
GROUP_MAGAZINE = "期刊杂志编辑"
ROLE_GROUPS = (GROUP_POINT_EDITOR, GROUP_CITY_REVIEWER, GROUP_PROVINCIAL, GROUP_MAGAZINE)


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="warning_profile")
    point = models.ForeignKey(
        "warning.WarningPoint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="editor_profiles",
        verbose_name="所属预警点",
    )
    city = models.ForeignKey(
        "warning.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewer_profiles",
        verbose_name="负责地市",
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "用户归属"
        verbose_name_plural = "用户归属"

    def __str__(self):
        return f"{self.user} → {self.point or self.city or '全省'}"


@dataclass(frozen=True)
class Scope:
    """What one user may see. Exactly one of the flags/ids is meaningful per role."""

    sees_everything: bool = False
    is_provincial: bool = False
    is_magazine: bool = False
    city_id: int | None = None
    point_id: int | None = None


def scope_of(user):
    """Return the Scope of a user, cached on the user object for the request.

    The names of the user's groups come from the shared cache (warning/rights.py, dropped
    whenever a group or a membership changes); its profile (city, point) and whether it is
    active or a superuser are read with the user itself on every request.
    """
    cached = getattr(user, "_warning_scope", None)
    if cached is not None:
        return cached
    if not user or not user.is_authenticated or not user.is_active:
        scope = Scope()
    else:
        from warning import rights

        # The group names from the shared cache (every admin page asks them); the profile is read
        # with the session's user (warning/backends.py), so its city and point are never stale.
        groups = set(rights.remembered(user, "groups", lambda: list(user.groups.values_list("name", flat=True))))
        profile = getattr(user, "warning_profile", None)
        city_id, point_id = (profile.city_id, profile.point_id) if profile is not None else (None, None)
        is_provincial = user.is_superuser or GROUP_PROVINCIAL in groups
        scope = Scope(
            sees_everything=is_provincial,
            is_provincial=is_provincial,
            is_magazine=GROUP_MAGAZINE in groups,
            city_id=city_id if GROUP_CITY_REVIEWER in groups else None,
            point_id=point_id if GROUP_POINT_EDITOR in groups else None,
        )
    user._warning_scope = scope
    return scope
