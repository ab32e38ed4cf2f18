"""Settings of scripts/page_bench.py's gunicorn: production settings plus the floor view's URL.

The floor (/__floor__/<bytes>/) goes through the same middleware, never through the page cache.
"""

from config.settings.production import *  # noqa: F403
from config.settings.production import PAGE_CACHE

ROOT_URLCONF = "page_bench_urls"
PAGE_CACHE = {**PAGE_CACHE, "EXCLUDED_PATHS": (*PAGE_CACHE["EXCLUDED_PATHS"], "/__floor__/")}
# Plain static storage: no collectstatic needed before a run (the manifest lookup it skips is a dict read).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
