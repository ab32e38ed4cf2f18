"""Production: every secret comes from the environment; refuse to start without it."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False


def _required(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"环境变量 {name} 未设置，生产环境无法启动")
    return value


SECRET_KEY = _required("DJANGO_SECRET_KEY")
_required("DATABASE_URL")
ALLOWED_HOSTS = _required("DJANGO_ALLOWED_HOSTS").split(",")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Full-text search: the database (default) or a cluster with a Chinese
# analyzer, see docs/search.md; `manage.py check` validates the result.
WAGTAILSEARCH_BACKENDS = search_backends(  # noqa: F405
    os.environ.get("SEARCH_ENGINE", "database"),
    url=os.environ.get("SEARCH_URL", ""),
    analyzer=os.environ.get("SEARCH_ANALYZER", "smartcn"),
)
