"""`wagtail_config_cached`: Wagtail's admin script configuration, its locales from the shared cache.

Every admin screen renders Wagtail's `wagtail_config` tag (templates/wagtailadmin/
admin_base.html), which reads every locale from the database on each request to hand
the list to Wagtail's scripts. This tag builds the same configuration, key for key,
with the locales' language codes from the shared cache (warning/cached.py, dropped
when a locale is saved or deleted). tests/test_admin_frame_cache.py checks that it
matches Wagtail's own tag and that our template's script block is Wagtail's but for
the tag, so an upgrade of Wagtail that changes either fails the tests.
"""

from django import template
from django.conf import settings
from django.http.request import HttpHeaders
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.encoding import force_str
from wagtail.admin.localization import get_js_translation_strings
from wagtail.admin.templatetags.wagtailadmin_tags import i18n_enabled
from wagtail.models import Locale

from warning import cached

register = template.Library()


@register.simple_tag(takes_context=True)
def wagtail_config_cached(context):
    request = context["request"]
    config = {
        "CSRF_TOKEN": get_token(request),
        "CSRF_HEADER_NAME": HttpHeaders.parse_header_name(settings.CSRF_HEADER_NAME),
        "ADMIN_API": {
            "PAGES": reverse("wagtailadmin_api:pages:listing"),
            "DOCUMENTS": reverse("wagtailadmin_api:documents:listing"),
            "IMAGES": reverse("wagtailadmin_api:images:listing"),
            "EXTRA_CHILDREN_PARAMETERS": "",
        },
        "ADMIN_URLS": {
            "DISMISSIBLES": reverse("wagtailadmin_dismissibles"),
            "PAGES": reverse("wagtailadmin_explore_root"),
            "BLOCK_PREVIEW": reverse("wagtailadmin_block_preview"),
        },
        "I18N_ENABLED": i18n_enabled(),
        "LOCALES": [
            # An unsaved Locale names itself from the settings' languages, without a query.
            {"code": code, "display_name": force_str(Locale(language_code=code).get_display_name())}
            for code in cached.locale_codes()
        ],
        "STRINGS": get_js_translation_strings(),
    }
    if locale := context.get("locale"):
        config["ACTIVE_CONTENT_LOCALE"] = locale.language_code
    user = getattr(request, "user", None)
    config["KEYBOARD_SHORTCUTS_ENABLED"] = (
        user.wagtail_userprofile.keyboard_shortcuts if hasattr(user, "wagtail_userprofile") else True
    )
    return config
