"""Settings of the two server processes in tests/test_pagecache.py: the test settings, the page cache on, in the module's Redis."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import PAGE_CACHE

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": os.environ["PAGECACHE_REDIS_URL"]},
}
PAGE_CACHE = {**PAGE_CACHE, "ENABLED": True}
