"""帮助 menu: the platform's own user manuals instead of Wagtail's guides.

Wagtail's help submenu links to guide.wagtail.org and "What's new in Wagtail",
and marks both as new until dismissed. The platform replaces that submenu with
one of its own: the 帮助中心 manual of the user's role (subsites/manuals.py,
published under the portal's 帮助中心), the 帮助中心 itself and the keyboard
shortcuts dialog. Nothing in it is "new", so no badge is shown.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.models import Page, PageViewRestriction

from warning import cached
from warning.models.profiles import scope_of

HELP_MENU_NAME = "help"
HELP_ORDER = 11000

# Manual slugs of subsites/manuals.py MANUALS, by role.
MANUAL_SLUG_POINT = "point-editor"
MANUAL_SLUG_CITY = "city-reviewer"
MANUAL_SLUG_PROVINCIAL = "provincial-contact"
MANUAL_SLUG_MAGAZINE = "magazine-editor"


def manual_slugs_for(user):
    """The manuals of the roles `user` holds, the most specific first."""
    scope = scope_of(user)
    slugs = []
    if scope.point_id:
        slugs.append(MANUAL_SLUG_POINT)
    if scope.city_id:
        slugs.append(MANUAL_SLUG_CITY)
    if scope.is_magazine:
        slugs.append(MANUAL_SLUG_MAGAZINE)
    if scope.is_provincial:
        slugs.append(MANUAL_SLUG_PROVINCIAL)
    return slugs


def _restricted():
    """True for a page under a view restriction (itself or an ancestor), as a subquery of a page query."""
    return Exists(
        PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, F("page__depth") * Page.steplen))
    )


def read_help_pages():
    """{"manuals": {slug: (title, url)}, "help_index": (title, url) or None}: the live, unrestricted
    manuals and 帮助中心, in one query (Wagtail's `public()` reads every restriction first), with
    links made from the cached site root paths."""
    from subsites.models import HelpIndexPage, ManualPage

    help_type = ContentType.objects.get_for_model(HelpIndexPage)
    pages = (
        Page.objects.live()
        .filter(Q(content_type=ContentType.objects.get_for_model(ManualPage)) | Q(content_type=help_type))
        .alias(restricted=_restricted())
        .filter(restricted=False)
        .order_by("path")
    )
    found = {"manuals": {}, "help_index": None}
    for page in pages:
        if page.content_type_id == help_type.pk:
            found["help_index"] = found["help_index"] or (page.title, page.get_url())
        else:
            found["manuals"][page.slug] = (page.title, page.get_url())
    return found


def help_menu_items(request):
    """The 帮助 submenu's items for this request's user.

    The sidebar is on every screen: the manuals are read from the shared cache
    (warning/cached.py, dropped whenever a page is published, unpublished, moved or
    deleted, or a view restriction or site changes), so the menu costs no query.
    """
    slugs = manual_slugs_for(request.user)
    found = cached.help_pages(read_help_pages)
    manuals, help_index = found["manuals"], found["help_index"]
    items = []
    for order, slug in enumerate(slugs, start=1):
        page = manuals.get(slug)
        if page is not None:
            items.append(
                MenuItem(
                    page[0],
                    page[1],
                    name=f"manual-{slug}",
                    icon_name="doc-full",
                    order=order,
                    attrs={"target": "_blank", "rel": "noreferrer"},
                )
            )
    if help_index is not None:
        items.append(
            MenuItem(
                help_index[0],
                help_index[1],
                name="help-centre",
                icon_name="help",
                order=100,
                attrs={"target": "_blank", "rel": "noreferrer"},
            )
        )
    items.append(
        MenuItem(
            _("Shortcuts"),
            "#",
            name="keyboard-shortcuts-trigger",
            icon_name="keyboard",
            order=200,
            attrs={
                "role": "button",
                "data-a11y-dialog-show": "keyboard-shortcuts-dialog",
                "data-action": "w-action#noop:prevent:stop",
                "data-controller": "w-kbd w-action",
                "data-w-kbd-key-value": "?",
            },
        )
    )
    return items


@hooks.register("construct_main_menu")
def replace_wagtail_help_menu(request, menu_items):
    """Swap Wagtail's help submenu (guide.wagtail.org, What's new) for the platform's manuals."""
    for index, item in enumerate(menu_items):
        if item.name == HELP_MENU_NAME:
            menu_items[index] = SubmenuMenuItem(
                "帮助",
                Menu(items=help_menu_items(request)),
                name=HELP_MENU_NAME,
                icon_name="help",
                order=HELP_ORDER,
            )
