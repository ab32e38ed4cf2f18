"""Where cached pages live: the cache alias, the generation and the key of a request.

Every key is ``page:<generation>:<digest>``. The generation is a random token kept
under ``GENERATION_KEY`` in the same shared cache, without expiry; ``invalidate()``
replaces it, so every page stored under the old one is never read again and
simply expires (``PAGE_CACHE["TIMEOUT"]``). A missing token (a restarted or
flushed Redis) is replaced by a new random one, never by a fixed value that an
old page could still be stored under.

The digest covers the scheme, the host, the path, the query string with its
parameters in a stable order (``?b=2&a=1`` and ``?a=1&b=2`` are one page; repeated
parameters keep their order) and the ``Accept`` header (the API v2 answers JSON or
its HTML browser by it). The method is not part of it: a HEAD is answered from the
page its GET stored.
"""

import hashlib
import logging
import uuid
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "page:generation"


def config():
    return settings.PAGE_CACHE


def enabled():
    return bool(config().get("ENABLED", True))


def page_cache():
    return caches[config().get("ALIAS", "pages")]


def generation(cache=None):
    """The current generation token, creating one if the cache has none."""
    cache = cache or page_cache()
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def bump_generation():
    """Retire every cached page now (on every server sharing the cache). Never raises."""
    try:
        page_cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # A cache that cannot be reached holds nothing to serve either; the pages it
        # may still hold expire within PAGE_CACHE["TIMEOUT"].
        logger.warning("页面缓存清除失败", exc_info=True)


def invalidate():
    """Retire every cached page once the current transaction commits (at once outside one)."""
    transaction.on_commit(bump_generation, robust=True)


class Lookup:
    """Find a request's page in one round trip in the usual case.

    Remembers the last generation this process saw and reads the generation and the page
    stored under that guess together (one MGET, atomic in Redis). The page is used only if
    the generation read *in the same MGET* is the guess, so the answer is exactly as fresh
    as reading the generation first; when it changed, a second read fetches the page under
    the new one.
    """

    def __init__(self):
        self.last_token = None

    def __call__(self, cache, request):
        """(key to store the page under, the stored page or None)."""
        guess = self.last_token
        if guess is not None:
            guessed_key = request_key(request, guess)
            found = cache.get_many([GENERATION_KEY, guessed_key])
            if found.get(GENERATION_KEY) == guess:
                return guessed_key, found.get(guessed_key)
        token = generation(cache)
        self.last_token = token
        key = request_key(request, token)
        return key, cache.get(key)


def normalised_query(query_string):
    pairs = parse_qsl(query_string, keep_blank_values=True)
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def request_key(request, token):
    parts = (
        request.scheme,
        request.get_host(),
        request.path,
        normalised_query(request.META.get("QUERY_STRING", "")),
        request.META.get("HTTP_ACCEPT", ""),
    )
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "backslashreplace")).hexdigest()
    return f"page:{token}:{digest}"
