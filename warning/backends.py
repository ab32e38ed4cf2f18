"""Authentication backend: Django's ModelBackend, reading a user's permissions in one query.

Django's ModelBackend asks the database twice on the first permission check of a
request: once for the user's own permissions and once for their groups'. Every admin
screen checks permissions (the menu, the access check), so this backend reads both
in a single query, keeps the result in the shared cache (warning/rights.py: dropped
whenever a group's or a user's permissions or a membership change) and on the user
for the request, as Django does. Whether the user is active or a superuser is read
with the user on every request, never cached.
The user of a session is read with Wagtail's user profile (language, time zone,
keyboard shortcuts) and the project's profile (the city or point bounding its role)
joined, which every admin screen reads next (docs/performance.md).
Everything else — passwords, `is_active`, object permissions
(none) — is Django's.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from . import rights

UserModel = get_user_model()


class OneQueryModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = (
            UserModel._default_manager.select_related("wagtail_userprofile", "warning_profile")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = rights.remembered(
                user_obj,
                "permissions-superuser" if user_obj.is_superuser else "permissions",
                lambda: {
                    f"{app_label}.{codename}"
                    for app_label, codename in permissions.values_list("content_type__app_label", "codename")
                    .order_by()
                    .distinct()
                },
            )
        return user_obj._perm_cache
