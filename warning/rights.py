"""A user's rights from the shared cache (docs/performance.md).

Every admin screen asks, for the logged-in user: its role (the names of its groups, for
`scope_of`; the profile bounding it comes with the session's user, never cached), its
Django permissions (the auth backend, warning/backends.py), its page permission rows
and the common ancestor of its pages (Wagtail's page permission policy: the menu's 页面
entry and reports menu, the home's page tile, the explorer) and its collection
permission rows (Wagtail's image, document and collection policies: the menu, the
search areas, the home's tiles). Each was a query per request; each is now read from
the shared cache (Redis in production), per user and per kind, through `remembered()`.
Every rule is still Django's or Wagtail's: the page and collection policies are
Wagtail's own, registered with Wagtail's `register_permission_policy`; only where the
rows come from differs. Whether a user is active or a superuser is never cached: it is
read with the user on every request.

Every entry is dropped for every user at once (a new generation of keys) whenever what
any of them says can change — at once and again after the transaction commits:
- a group's page or collection permission saved or deleted, a group's Django
  permissions changed, a group saved (its name is the role) or deleted;
- a user added to or removed from a group (from either side), a user's own
  permissions changed, a user deleted (its id may be reused);
- a permission saved or deleted, the migrations run (they add permissions in bulk);
- a page moved or its slug changed (the rows carry tree paths, the common ancestor its
  URL path; a deleted page or collection takes its rows with it, each deletion
  signalled).
Wagtail's group screens write page and collection permissions with `bulk_create`,
which sends no signal, and its collection screen moves a collection (re-sorting its
new siblings' paths) without one: the admin's gate (warning/admin/access.py) drops
every entry after each POST to those screens. TIMEOUT bounds an entry's life should a
change bypass all this (raw SQL, a collection moved from the shell).
"""

import posixpath
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
from wagtail.permission_policies.collections import (
    CollectionManagementPermissionPolicy,
    CollectionOwnershipPermissionPolicy,
)
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.signals import page_slug_changed, post_page_move

from . import cached

GENERATION_KEY = "warning:rights:generation"
TIMEOUT = 10 * 60
# The admin screens whose POSTs change rights without a signal (the admin gate drops the rights after them).
SILENT_SCREENS = ("wagtailusers_groups:", "wagtailadmin_collections:")


def _generation(user):
    # Read once per user object (one request), as Django and Wagtail keep the rows themselves.
    generation = getattr(user, "_warning_rights_generation", None)
    if generation is None:
        generation = cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, None)
        user._warning_rights_generation = generation
    return generation


def remembered(user, kind, read):
    """What `read()` returns for `user` (one kind of its rights), from the shared cache."""
    return cache.get_or_set(f"warning:rights:{_generation(user)}:{user.pk}:{kind}", read, TIMEOUT)


def forget_all():
    cache.delete(GENERATION_KEY)


class CachedRows:
    """A Wagtail permission policy whose per-user permission rows (`rows_kind`) come from the shared cache."""

    rows_kind = None

    def get_all_permissions_for_user(self, user):
        rows = super().get_all_permissions_for_user(user)
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return rows  # Wagtail asks nothing for these
        return remembered(user, self.rows_kind, lambda: list(rows))


class CachedPagePermissionPolicy(CachedRows, PagePermissionPolicy):
    rows_kind = "pages"

    def explorable_root_instance(self, user):
        # The common ancestor of the user's pages: every admin screen's menu asks for it (the
        # explorer's start page, the reports menu), the home and the explorer too. Wagtail keeps it
        # on the user for the request; kept here in the shared cache like the rows it comes from.
        # Only its id, tree path and URL path are used (menu link, breadcrumbs, explorer redirect,
        # the home's site): a move or a slug change drops it (page_slug_changed).
        name = self._explorable_root_instance_cache_name
        if not hasattr(user, name) and user.is_active and not user.is_anonymous:
            kind = "explorable-root-superuser" if user.is_superuser else "explorable-root"
            parent = super()
            setattr(user, name, remembered(user, kind, lambda: parent.explorable_root_instance(user)))
        return super().explorable_root_instance(user)

    def explorable_instances(self, user):
        # The admin gate and the explorer both ask within one request. Kept on the user object
        # for the request, as Wagtail keeps explorable_root_instance and the permission rows.
        pages = getattr(user, "_warning_explorable_pages", None)
        if pages is None:
            pages = self._explorable_instances(user)
            user._warning_explorable_pages = pages
        return pages.all()  # a copy: a caller evaluating it never fills the kept one

    def _explorable_instances(self, user):
        """Wagtail's explorable_instances (the pages the user may act on, their ancestors, none above the
        common ancestor of the user's permission pages), that common ancestor's path computed from the
        permission rows' pages instead of reading the ancestor's row (Wagtail uses only its path)."""
        base_queryset = self._base_queryset_for_user(user)
        if base_queryset is not None:
            return base_queryset
        explorable_pages = self.instances_user_has_any_permission_for(
            user, {"add", "change", "publish", "lock", "unlock", "bulk_delete"}
        )
        page_permissions = [perm.page for perm in self.get_cached_permissions_for_user(user)]
        for page in page_permissions:
            explorable_pages |= self.model._default_manager.ancestor_of(page)
        return explorable_pages.filter(path__startswith=_common_parent_path(page_permissions))


def _common_parent_path(pages):
    """The path of Wagtail's `first_common_ancestor_of(pages)` (the pages' parents' common ancestor), or ""
    where Wagtail falls back on the tree's root (no pages, or none in common): a prefix of every path."""
    steplen = Page.steplen
    common = posixpath.commonprefix([page.path[:-steplen] for page in pages]) if pages else ""
    return common[: len(common) - len(common) % steplen]


class CachedCollectionRows(CachedRows):
    """Wagtail's collection policies read the user's collection permission rows (shared by all of them)."""

    rows_kind = "collections"


class CachedCollectionOwnershipPermissionPolicy(CachedCollectionRows, CollectionOwnershipPermissionPolicy):
    pass


class CachedCollectionManagementPermissionPolicy(CachedCollectionRows, CollectionManagementPermissionPolicy):
    pass


def _forget(**kwargs):
    cached.forget_now_and_after_commit(forget_all)


def _register_policies():
    """Wagtail's policies, registered for the exact models so they win over the ones the image
    and document apps register in their own ready() (which runs after ours)."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import register_permission_policy

    register_permission_policy(Page, CachedPagePermissionPolicy(Page))
    register_permission_policy(Collection, CachedCollectionManagementPermissionPolicy(Collection), exact_class=True)
    register_permission_policy(
        get_image_model(),
        CachedCollectionOwnershipPermissionPolicy(
            get_image_model(), auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )
    register_permission_policy(
        get_document_model(),
        CachedCollectionOwnershipPermissionPolicy(
            get_document_model(), auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )


def connect():
    """Register the policies and the receivers (WarningConfig.ready)."""
    _register_policies()
    User = get_user_model()
    for model in (GroupPagePermission, GroupCollectionPermission, Group, Permission):
        label = model._meta.label_lower
        post_save.connect(_forget, sender=model, dispatch_uid=f"warning_rights_{label}_saved")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"warning_rights_{label}_deleted")
    post_delete.connect(_forget, sender=User, dispatch_uid="warning_rights_user_deleted")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_forget, sender=through, dispatch_uid=f"warning_rights_{through._meta.label_lower}")
    post_page_move.connect(_forget, dispatch_uid="warning_rights_page_moved")
    page_slug_changed.connect(_forget, dispatch_uid="warning_rights_page_slug_changed")
    post_migrate.connect(_forget, dispatch_uid="warning_rights_migrated")
