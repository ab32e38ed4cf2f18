"""Which role may open which of Wagtail's built-in admin screens (docs/access.md).

Our own screens check their scopes themselves (each view calls scope_of() or
a visible_to() queryset). Wagtail's built-in screens (reports, site history,
workflows, choosers, documents, images, the admin API, users, sites, …)
only know Django permissions, which are not scoped: a point editor holds
``change_warningreport`` for every report, so the workflow report listed
every report in review. This module is the one table saying which role has
a use for which built-in screen; warning/admin/access.py turns "no use" into
the project's 403 page and hides the menu entries, and the screens a role
keeps are narrowed to what scope_of() allows by the hooks listed in
docs/access.md.

A role is derived from scope_of(); the superuser passes every row (it is
Wagtail's own administrator). A view name that no row matches is not gated
here: it is one of our own screens, which refuse by themselves.
"""

from fnmatch import fnmatchcase

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .models import WarningPoint, WarningReport
from .models.profiles import scope_of

ANONYMOUS = "anonymous"
POINT = "point"
CITY = "city"
MAGAZINE = "magazine"
PROVINCE = "province"
SUPERUSER = "superuser"
ROLES = (ANONYMOUS, POINT, CITY, MAGAZINE, PROVINCE, SUPERUSER)

LOGGED_IN = frozenset({POINT, CITY, MAGAZINE, PROVINCE})
# Page editors: a point editor writes rich text (its reports, its subsite's pages) and
# keeps its subsite's pages, documents and images; the provincial contact holds page
# rights on the portal (subsites migration 0004). The page explorer, the choosers and
# the admin API behind them are their tools, narrowed by Wagtail's page and collection
# permissions (a point: its own subtree and collection) and by the hooks of
# warning/admin/access.py.
EDITORS = frozenset({POINT, PROVINCE})
NOBODY = frozenset()

# (view-name pattern, roles besides the superuser that may open it). First match wins.
SCREEN_RULES = (
    # Wagtail's 报告: site history is the provincial contact's (scoped to what it may see);
    # locked pages, aging pages, page types usage and the workflow reports are the administrator's.
    ("wagtailadmin_reports:site_history*", frozenset({PROVINCE})),
    ("wagtailadmin_reports:*", NOBODY),
    ("wagtailadmin_pages:type_use*", NOBODY),
    # The administrator's own tools.
    ("wagtailadmin_workflows:*", NOBODY),
    ("wagtailadmin_collections:*", NOBODY),
    ("wagtailsites:*", NOBODY),
    ("wagtailusers_*", NOBODY),
    ("wagtailredirects:*", NOBODY),
    ("wagtailsettings:*", NOBODY),
    ("wagtailforms:*", NOBODY),
    ("wagtailadmin_error_test", NOBODY),
    # Pages, documents, images and what the rich-text editor opens.
    ("wagtailadmin_explore*", EDITORS),
    ("wagtailadmin_pages:*", EDITORS),
    ("wagtailadmin_choose_page", EDITORS),
    ("wagtailadmin_choose_page_child", EDITORS),
    ("wagtailadmin_choose_page_search", EDITORS),
    ("wagtailadmin_choose_page_chosen_multiple", EDITORS),
    ("wagtailadmin_api:*", EDITORS),
    ("wagtaildocs:*", EDITORS),
    ("wagtaildocs_chooser:*", EDITORS),
    ("wagtailimages:*", EDITORS),
    ("wagtailimages_chooser:*", EDITORS),
    ("wagtailembeds:*", EDITORS),
    ("wagtailadmin_tag_autocomplete", EDITORS),
    ("wagtailadmin_tag_model_autocomplete", EDITORS),
    ("wagtail_bulk_action", EDITORS),
    # Snippets: reports are scoped by their own viewset (warning/admin/reports.py) and
    # are written in their own editor, never created from a chooser; the review
    # opinions' presets are the provincial contact's.
    ("wagtailsnippetchoosers_warning_warningreport:create", NOBODY),
    ("wagtailsnippets_warning_reviewopinion:*", frozenset({PROVINCE})),
    ("wagtailsnippetchoosers_warning_reviewopinion:*", frozenset({PROVINCE})),
)


def role_of(user):
    """The role a user acts in on Wagtail's screens (one of ROLES)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    if user.is_superuser:
        return SUPERUSER
    scope = scope_of(user)
    if scope.is_provincial:
        return PROVINCE
    if scope.city_id is not None:
        return CITY
    if scope.point_id is not None:
        return POINT
    if scope.is_magazine:
        return MAGAZINE
    return ANONYMOUS


def screen_rule(view_name):
    """The roles allowed on a built-in screen, or None when no row names it (one of our own)."""
    if not view_name:
        return None
    for pattern, roles in SCREEN_RULES:
        if fnmatchcase(view_name, pattern):
            return roles
    return None


def may_open_screen(user, view_name):
    """Whether a logged-in user may open the screen named `view_name` (always true for unlisted ones)."""
    role = role_of(user)
    if role == SUPERUSER:
        return True
    roles = screen_rule(view_name)
    return roles is None or role in roles


def chooser_pages(user):
    """The pages a page chooser may show: live pages and the user's own editable ones, never another's draft."""
    if user.is_superuser:
        return Page.objects.all()
    editable = policy_registry.get_by_type(Page).explorable_instances(user)
    return Page.objects.filter(Q(live=True) | Q(pk__in=editable.values("pk")))


def shown_page_types(user, page_ids):
    """{page id: content type id} of those of `page_ids` the user may see (chooser_pages)."""
    wanted = {int(pk) for pk in page_ids}
    return dict(chooser_pages(user).filter(pk__in=wanted).order_by().values_list("pk", "content_type_id"))


def _visible_reports(user):
    from .review import visible_reports  # review imports the models' whole chain; keep this module light

    return visible_reports(user)


# Models whose log entries (Wagtail's ModelLogEntry: site history, a record's history)
# name an object only some roles may see, with the queryset of what a user may see.
SCOPED_LOG_MODELS = (
    (WarningReport, _visible_reports),
    (WarningPoint, lambda user: WarningPoint.objects.visible_to(user)),
)


def visible_log_entries(queryset, user):
    """Drop, from a queryset of log entries, those about objects `user` may not see.

    Page log entries keep the pages a page chooser would show (live pages and
    the user's own); other log models name their object by content type and
    object id.
    """
    field_names = {field.name for field in queryset.model._meta.get_fields()}
    if user.is_superuser:
        return queryset
    if "page" in field_names:
        return queryset.filter(page_id__in=chooser_pages(user).values("pk"))
    if not {"content_type", "object_id"} <= field_names:
        return queryset
    for model, visible in SCOPED_LOG_MODELS:
        content_type = ContentType.objects.get_for_model(model)
        visible_ids = visible(user).annotate(str_pk=Cast("pk", output_field=CharField())).values("str_pk")
        queryset = queryset.filter(~Q(content_type=content_type) | Q(object_id__in=visible_ids))
    return queryset
