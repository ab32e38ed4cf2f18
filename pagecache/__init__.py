"""The page cache: whole anonymous responses kept in a cache every app server shares.

What it owns:

- ``middleware.PageCacheMiddleware`` answers an anonymous GET or HEAD of a public
  page (portal, subsites, columns, articles, 预警工作交流, 帮助中心, feeds, sitemap,
  search results, API v2 and v3) from the cache, and stores the 200 response of a
  GET it had to render. Who and what is never served from it or stored in it is
  decided by ``rules.py`` (``request_is_cacheable``, ``response_is_storable``).
- ``store.py``: the cache alias, the key of a request and the **generation**, a
  token in the same shared cache that is part of every key. Changing it
  (``invalidate()``) retires every stored page at once, on every server.
- ``signals.py``: when the generation changes — a page published, unpublished,
  moved or deleted, a report published to 预警工作交流 (or an approved report
  changed), a point's record edited, a notice issued, a view restriction, site,
  image or document changed, and every ``migrate`` (a deploy). Always after the
  transaction commits, so no server can store a page rendered from the old data
  under the new generation.

The rules in words, and the settings (``PAGE_CACHE``, the ``pages`` cache alias):
docs/performance.md, section "Page cache"; the Redis database: docs/deployment.md.
"""
