"""A user's page permissions from the shared cache (docs/performance.md).

Wagtail's page permission policy reads the user's page permission rows (each with its
page and permission) once per request, and every admin screen asks for them: the
menu's 页面 entry, the home's page tile, the explorer. This policy is Wagtail's own,
registered for every page type with Wagtail's `register_permission_policy`, except
that those rows come from the shared cache, per user. Every rule is still Wagtail's:
only where the rows come from differs.

The rows are dropped for every user at once (a new generation of keys) whenever what
they say can change: a group's page permission saved or deleted, a user added to or
removed from a group, a group deleted, a page moved (the rows carry the page's tree
path; a deleted page takes its rows with it, each deletion signalled) — at once and
again after the transaction commits. Wagtail's group screens write page permissions
with `bulk_create`, which sends no signal, after saving the group: the admin's gate
(warning/admin/access.py) drops the rows after every POST to those screens. TIMEOUT bounds an
entry's life should a change bypass the signals (a raw SQL update).
"""

import posixpath
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import GroupPagePermission, Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.signals import post_page_move

from . import cached

GENERATION_KEY = "warning:page-permissions:generation"
TIMEOUT = 10 * 60


def _key(user_id):
    generation = cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, None)
    return f"warning:page-permissions:{generation}:{user_id}"


def forget_all():
    cache.delete(GENERATION_KEY)


class CachedPagePermissionPolicy(PagePermissionPolicy):
    def get_all_permissions_for_user(self, user):
        rows = super().get_all_permissions_for_user(user)
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return rows  # Wagtail asks nothing for these
        return cache.get_or_set(_key(user.pk), lambda: list(rows), TIMEOUT)

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

    def explorable_root_instance(self, user):
        # A superuser's explorable root is, for Wagtail, the common ancestor of every root page, itself
        # included: with Wagtail's one root, that root, which Wagtail reads twice (the root pages, then
        # their common ancestor by its path). Read once here; Wagtail keeps it for the request.
        if user.is_superuser and not hasattr(user, self._explorable_root_instance_cache_name):
            roots = list(self.model.base_page_model.objects.filter(depth=1)[:2])
            if len(roots) == 1:
                setattr(user, self._explorable_root_instance_cache_name, roots[0])
        return super().explorable_root_instance(user)


def _common_parent_path(pages):
    """The path of Wagtail's `first_common_ancestor_of(pages)` (the pages' parents' common ancestor), or ""
    where Wagtail falls back on the tree's root (no pages, or none in common): a prefix of every path."""
    steplen = Page.steplen
    common = posixpath.commonprefix([page.path[:-steplen] for page in pages]) if pages else ""
    return common[: len(common) - len(common) % steplen]


def _forget(**kwargs):
    cached.forget_now_and_after_commit(forget_all)


def connect():
    """Register the policy and its receivers (WarningConfig.ready)."""
    from wagtail.permissions import register_permission_policy

    register_permission_policy(Page, CachedPagePermissionPolicy(Page))
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(_forget, sender=GroupPagePermission, dispatch_uid=f"warning_page_permissions_{name}")
    post_delete.connect(_forget, sender=Group, dispatch_uid="warning_page_permissions_group_deleted")
    m2m_changed.connect(
        _forget, sender=get_user_model().groups.through, dispatch_uid="warning_page_permissions_membership"
    )
    post_page_move.connect(_forget, dispatch_uid="warning_page_permissions_page_moved")
