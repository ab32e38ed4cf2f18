"""Which requests the page cache answers, and which responses it keeps.

A request is answered from the cache (and may fill it) only when it is:

- a GET or a HEAD;
- without an ``Authorization`` header (an API token is somebody);
- without a session cookie or a messages cookie: a logged-in user, or anybody the
  site keeps state for (a page password passed, a message waiting), always gets a
  freshly rendered page and never stores one. The cache never looks inside a
  session: any session cookie means "not anonymous";
- not under one of ``PAGE_CACHE["EXCLUDED_PATHS"]``: the admin and its previews,
  documents (checked downloads), ``/health/``, static files and media.

A response rendered for such a request is stored only when:

- it is a 200 (a redirect, a 404, a refusal or an error is always rendered again),
  not streamed, and at most ``PAGE_CACHE["MAX_BYTES"]`` long;
- it sets no cookie and the view did not ask for a CSRF token (the token is
  somebody's), and its body carries no ``csrfmiddlewaretoken`` and no POST form
  (a page password form is one);
- it is not a preview, the request's user is not logged in, and the view did not
  say ``Cache-Control: private``, ``no-cache`` or ``no-store``;
- it varies on nothing but what the key holds (``Accept``) or what a request
  allowed here cannot change (``Cookie``, ``Accept-Language``: one language).
"""

import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.cache import cc_delim_re

from .store import config

POST_FORM = re.compile(rb"<form\b[^>]*\bmethod\s*=\s*[\"']?post", re.IGNORECASE)
# Vary headers a stored page may carry: Accept is in the key; a request the cache
# answers has no session or messages cookie, and the site has one language.
HARMLESS_VARY = {"accept", "cookie", "accept-language"}
REFUSING_CACHE_CONTROL = {"private", "no-cache", "no-store"}


def request_is_cacheable(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    return not request.path.startswith(tuple(config().get("EXCLUDED_PATHS", ())))


def _cache_control_refuses(response):
    directives = {part.split("=", 1)[0].strip().lower() for part in response.get("Cache-Control", "").split(",")}
    return bool(directives & REFUSING_CACHE_CONTROL)


def _varies_on_more(response):
    vary = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", "")) if header.strip()}
    return not vary <= HARMLESS_VARY


def response_is_storable(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if _cache_control_refuses(response) or _varies_on_more(response):
        return False
    content = response.content
    if len(content) > config().get("MAX_BYTES", 2 * 1024 * 1024):
        return False
    return b"csrfmiddlewaretoken" not in content and not POST_FORM.search(content)
