"""PageCacheMiddleware: answer anonymous public GETs from the shared page cache (see pagecache/__init__.py).

It sits right after the security middleware, before sessions, authentication and
CSRF: a page found in the cache is answered without touching the database. Every
answer it gives or stores says so in ``X-Page-Cache: hit`` / ``miss``. When the cache
cannot be reached the request is simply rendered: a broken cache never breaks the site.
"""

import logging

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse

from . import rules, store

logger = logging.getLogger(__name__)

# Headers a stored page does not keep: recomputed, or set per request by outer middleware.
NOT_STORED = {"content-length", "set-cookie", "x-page-cache", "x-request-id", "date"}


def freeze(response):
    headers = [(name, value) for name, value in response.items() if name.lower() not in NOT_STORED]
    return (response.content, headers)


def thaw(entry):
    content, headers = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(content))
    response["X-Page-Cache"] = "hit"
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.lookup = store.Lookup()

    def __call__(self, request):
        if not (store.enabled() and rules.request_is_cacheable(request)):
            return self.get_response(request)
        try:
            cache = store.page_cache()
            key, entry = self.lookup(cache, request)
        except DisallowedHost:
            return self.get_response(request)
        except Exception:
            logger.warning("页面缓存不可用，本次请求直接生成页面", exc_info=True)
            return self.get_response(request)
        if entry is not None:
            return thaw(entry)
        response = self.get_response(request)
        if rules.response_is_storable(request, response):
            try:
                cache.set(key, freeze(response), timeout=store.config().get("TIMEOUT", 300))
            except Exception:
                logger.warning("页面缓存写入失败", exc_info=True)
            else:
                response["X-Page-Cache"] = "miss"
        return response
