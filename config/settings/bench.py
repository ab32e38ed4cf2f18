"""The benchmark's app server (`make bench`, scripts/bench_pages.py): production's settings on loopback.

Everything of config/settings/production.py (DEBUG off, sessions and cache in Redis,
JSON logging, the middleware stack) with three differences that only a loopback
benchmark needs: plain HTTP (no TLS proxy in front, so no HTTPS redirect), uploads and
static files on the local disk instead of object storage and a collected manifest, and
the floor view `/bench-floor/<bytes>/` (config/urls.py), a bare Django view returning a
static page of a given size: the same server's best case, next to which every page is
measured (docs/performance.md). The floor view exists only under these settings.
"""

import os
import tempfile

# The variables production requires, given loopback values unless the caller set them.
for _name, _value in {
    "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "http://127.0.0.1",
    "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "AWS_STORAGE_BUCKET_NAME": "unused",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
}.items():
    os.environ.setdefault(_name, _value)

from .production import *  # noqa: E402, F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
_MEDIA = os.environ.get("BENCH_MEDIA_ROOT") or tempfile.gettempdir()
MEDIA_ROOT = _MEDIA
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": _MEDIA}},
    "private": {
        "BACKEND": "warning.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": os.path.join(_MEDIA, "private")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
BENCH_FLOOR_VIEW = True
# The floor is the bare view rendered through the whole stack on every request, as the
# issue defines it; a floor answered by the page cache would measure the cache against itself.
PAGE_CACHE = {**PAGE_CACHE, "EXCLUDED_PATHS": (*PAGE_CACHE["EXCLUDED_PATHS"], "/bench-floor/")}  # noqa: F405
