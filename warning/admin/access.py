"""Wagtail's built-in screens, held to the role scopes (docs/access.md).

- AdminScreenGate (a middleware, config/settings/base.py): a logged-in user
  reaching a built-in screen its role has no use for (warning.access's table)
  gets the project's 403 page instead of Wagtail's redirect home; a page
  chooser opened on a page the user may not see is a 404.
- the main menu, the 报告 submenu and the settings submenu drop every entry
  whose screen the gate would refuse, so a role sees only what it may open;
- the screens a role keeps are narrowed to its scope through Wagtail's own
  extension points: the page chooser's queryset hook, the admin API's
  endpoints (documents and images of the user's own collections only), and
  the site-history report's view (log entries of reports only when the
  report itself is visible to the user).

Snippet choosers, revision compare and usage of reports belong to the
reports' viewset (warning/admin/reports.py); the bulk-action confirmations
name no item the user cannot act on (templates/wagtailadmin/bulk_actions/).
"""

from fnmatch import fnmatchcase
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404
from django.urls import Resolver404, get_urlconf, resolve
from wagtail import hooks
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry

from warning import access, rights

from .refusals import forbidden

REFUSAL = "此功能不属于您的角色，无权访问。"
# Page screens name a page in their URL (or in ?id= for the chooser's multiple choice): one the
# user may not see (another point's unpublished page) is a 404 on every one of them, before
# Wagtail renders its title in a confirmation, a breadcrumb or a chooser header.
PAGE_SCREENS = ("wagtailadmin_pages:*", "wagtailadmin_explore*", "wagtailadmin_choose_page*")
PAGE_KWARGS = ("pk", "page_id", "parent_page_id", "page_to_move_id", "destination_id")


class AdminScreenGate:
    """Refuse, with the 403 page, a built-in admin screen that the user's role has no use for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if request.method == "POST" and match and (match.view_name or "").startswith(rights.SILENT_SCREENS):
            # Wagtail's group screens save page and collection permissions with bulk_create (no
            # signal), after the group itself, and its collection screen moves a collection
            # without one: drop every user's cached rights once the request is done.
            rights.forget_all()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not match.route.startswith("admin/") or not request.user.is_authenticated:
            return None  # anonymous users are sent to the login page by Wagtail itself
        if not access.may_open_screen(request.user, match.view_name):
            return forbidden(request, REFUSAL)
        if any(fnmatchcase(match.view_name or "", pattern) for pattern in PAGE_SCREENS):
            ids = [view_kwargs[name] for name in PAGE_KWARGS if name in view_kwargs]
            if match.view_name == "wagtailadmin_choose_page_chosen_multiple":
                ids += [value for value in request.GET.getlist("id") if value.isdigit()]
            if ids:
                shown = access.shown_page_types(request.user, ids)
                if len(shown) != len({int(pk) for pk in ids}):
                    raise Http404("页面不存在或无权查看。")
                # The page explorer reads the explored page as its own type from here (warning/admin/explorer.py).
                request.warning_page_types = shown
        return None


@lru_cache(maxsize=2048)
def _view_name(urlconf, path):
    """The name of the view `path` resolves to (None: no view). Kept per process: the URLconf does not change."""
    try:
        return resolve(path, urlconf=urlconf).view_name
    except Resolver404:
        return None


@receiver(setting_changed)
def _forget_view_names(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _view_name.cache_clear()


def url_refused(user, url):
    """Whether the gate would refuse `url` to `user` (menu entries pointing at refused screens are hidden).

    Every admin screen asks this for each menu entry; resolving the same few dozen paths
    on every request was a measurable part of the admin frame (docs/performance.md).
    """
    if not url or url.startswith(("#", "http")):
        return False
    view_name = _view_name(get_urlconf(), url.split("?", 1)[0])
    if view_name is None:
        return False
    return not access.may_open_screen(user, view_name)


@hooks.register("construct_main_menu")
def hide_refused_main_menu_items(request, menu_items):
    menu_items[:] = [item for item in menu_items if not url_refused(request.user, getattr(item, "url", ""))]


@hooks.register("construct_reports_menu")
def hide_refused_reports(request, menu_items):
    menu_items[:] = [item for item in menu_items if not url_refused(request.user, getattr(item, "url", ""))]


@hooks.register("construct_settings_menu")
def hide_refused_settings(request, menu_items):
    menu_items[:] = [item for item in menu_items if not url_refused(request.user, getattr(item, "url", ""))]


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    """The page chooser lists live pages and the user's own (editable) pages, never another's draft."""
    return pages.filter(pk__in=access.chooser_pages(request.user).values("pk"))


# --- admin API: documents and images of the user's own collections --------------------------


class CollectionScopedMixin:
    """Only what the user may choose (its own collection's items; everything for the administrator)."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(self.model)
        allowed = policy.instances_user_has_any_permission_for(self.request.user, ["choose", "change"])
        return super().get_queryset().filter(pk__in=allowed.values("pk"))


class ScopedDocumentsAdminAPIViewSet(CollectionScopedMixin, DocumentsAdminAPIViewSet):
    model = get_document_model()


class ScopedImagesAdminAPIViewSet(CollectionScopedMixin, ImagesAdminAPIViewSet):
    model = get_image_model()


@hooks.register("construct_admin_api", order=100)
def scope_admin_api(router):
    """Replace Wagtail's document and image endpoints (registered by their apps' hooks, earlier)."""
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)


# --- site history: log entries of what the user may see -------------------------------------


class ScopedLogEntriesView(LogEntriesView):
    """Wagtail's site history, without the entries of reports (or points) the user may not see.

    Served (as a subclass doing its lookups once) by warning/admin/wagtail_reports.py's
    `register_admin_urls` hook, which gives Wagtail's site-history patterns that view.
    """

    def filter_queryset(self, queryset):
        return super().filter_queryset(access.visible_log_entries(queryset, self.request.user))
