"""Production: stateless app servers; every secret and address comes from the environment.

An app server keeps nothing another server needs: sessions and the cache live in Redis,
uploads (public media and private files) in S3-compatible object storage, static files
are collected with hashed names and served by WhiteNoise. Settings refuse to load when a
required variable is missing. docs/deployment.md lists every variable and its default.
"""

import os
from urllib.parse import urlsplit, urlunsplit

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, logging_config

DEBUG = False


def _required(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"环境变量 {name} 未设置，生产环境无法启动")
    return value


def _flag(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _list(value):
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = _required("DJANGO_SECRET_KEY")
_required("DATABASE_URL")
ALLOWED_HOSTS = _list(_required("DJANGO_ALLOWED_HOSTS"))
CSRF_TRUSTED_ORIGINS = _list(_required("DJANGO_CSRF_TRUSTED_ORIGINS"))
# Links in e-mails; `manage.py configure_site` points the default Site (API links) at the same address.
WAGTAILADMIN_BASE_URL = _required("WAGTAILADMIN_BASE_URL")
# Webhooks call only public addresses unless an intranet deployment says otherwise (docs/security.md).
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = _flag("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)

# --- behind the proxy: HTTPS everywhere ------------------------------------------------------
# nginx terminates TLS and says so in X-Forwarded-Proto; only trust it behind such a proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = False
SECURE_SSL_REDIRECT = _flag("DJANGO_SECURE_SSL_REDIRECT", True)
# Load balancers probe the health endpoint over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 31_536_000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# --- sessions and cache in Redis ---------------------------------------------------------------
REDIS_URL = _required("REDIS_URL")


def _redis_db(url, db):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


# Sessions get their own Redis database: clearing the page cache (FLUSHDB) must not log
# everybody out.
REDIS_SESSION_URL = os.environ.get("REDIS_SESSION_URL") or _redis_db(REDIS_URL, 1)
# The page cache (pagecache/) in a third database: FLUSHDB of it empties only pages.
REDIS_PAGES_URL = os.environ.get("REDIS_PAGES_URL") or _redis_db(REDIS_URL, 2)
_REDIS_OPTIONS = {
    "CLIENT_CLASS": "django_redis.client.DefaultClient",
    "SOCKET_CONNECT_TIMEOUT": 2,
    "SOCKET_TIMEOUT": 2,
}
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "yujing",
        "OPTIONS": _REDIS_OPTIONS,
    },
    "sessions": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_SESSION_URL,
        "KEY_PREFIX": "yujing-session",
        "OPTIONS": _REDIS_OPTIONS,
    },
    "pages": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_PAGES_URL,
        "KEY_PREFIX": "yujing",
        "OPTIONS": _REDIS_OPTIONS,
    },
}
PAGE_CACHE = {  # noqa: F405
    **PAGE_CACHE,  # noqa: F405
    "ENABLED": _flag("PAGE_CACHE_ENABLED", True),
    "TIMEOUT": int(os.environ.get("PAGE_CACHE_SECONDS", 300)),
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_CACHE_ALIAS = "sessions"
# Idle timeout: a session unused for this long ends; each request pushes the end back.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True

# --- uploads in object storage, static files by WhiteNoise -------------------------------------
# Public media (images, documents) and private files (report attachments, periodic reports)
# live in S3-compatible buckets; neither bucket is public. Media URLs are signed for an
# hour; private files are streamed by the permission-checked views or, where a view hands
# out a link, signed for five minutes. Credentials come from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY (read by boto3 itself).
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME", "us-east-1")
_MEDIA_BUCKET = _required("AWS_STORAGE_BUCKET_NAME")
_PRIVATE_BUCKET = os.environ.get("AWS_PRIVATE_BUCKET_NAME") or _MEDIA_BUCKET
_S3_COMMON = {
    "endpoint_url": AWS_S3_ENDPOINT_URL,
    "region_name": AWS_S3_REGION_NAME,
    "signature_version": "s3v4",
    "addressing_style": "path" if AWS_S3_ENDPOINT_URL else None,
    "default_acl": None,
    "querystring_auth": True,
    "file_overwrite": False,
}
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3_COMMON,
            "bucket_name": _MEDIA_BUCKET,
            "location": os.environ.get("AWS_MEDIA_LOCATION", "media"),
            "querystring_expire": int(os.environ.get("AWS_MEDIA_URL_SECONDS", 3600)),
        },
    },
    "private": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3_COMMON,
            "bucket_name": _PRIVATE_BUCKET,
            "location": os.environ.get("AWS_PRIVATE_LOCATION", "private"),
            "querystring_expire": int(os.environ.get("AWS_PRIVATE_URL_SECONDS", 300)),
        },
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Documents are streamed through Wagtail's view, which checks collection privacy.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "static_collected"))  # noqa: F405
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)
MIDDLEWARE.insert(MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, "csp.middleware.CSPMiddleware")

# --- Content-Security-Policy -----------------------------------------------------------------
# Everything from our own origin. The Wagtail admin sets inline styles and a few inline
# scripts (and so do two of our admin templates), hence 'unsafe-inline' for both; no
# eval, no third-party origin. Signed media URLs point at the object store's origin.
_MEDIA_ORIGINS = [os.environ["DJANGO_MEDIA_ORIGIN"]] if os.environ.get("DJANGO_MEDIA_ORIGIN") else []
if AWS_S3_ENDPOINT_URL:
    _parts = urlsplit(AWS_S3_ENDPOINT_URL)
    _MEDIA_ORIGINS.append(f"{_parts.scheme}://{_parts.netloc}")
else:  # AWS itself: the bucket's virtual-host origins
    _MEDIA_ORIGINS += [
        f"https://{_MEDIA_BUCKET}.s3.amazonaws.com",
        f"https://{_MEDIA_BUCKET}.s3.{AWS_S3_REGION_NAME}.amazonaws.com",
    ]
INSTALLED_APPS = [*INSTALLED_APPS, "csp"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *_MEDIA_ORIGINS],
        "media-src": [SELF, *_MEDIA_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# No call home from the admin (it would also break the policy above).
WAGTAIL_ENABLE_UPDATE_CHECK = False

# JSON lines on stdout, INFO and up (task runs, Wagtail's page events) for the log collector.
LOGGING = logging_config(os.environ.get("DJANGO_LOG_LEVEL", "INFO"))

# --- mail --------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH")  # for the file backend (the stack's smoke test)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "yujing@zcom.gov.cn")

# A connection broken by a database fail-over is noticed before use, not by the user.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Full-text search: the database (default) or a cluster with a Chinese
# analyzer, see docs/search.md; `manage.py check` validates the result.
WAGTAILSEARCH_BACKENDS = search_backends(  # noqa: F405
    os.environ.get("SEARCH_ENGINE", "database"),
    url=os.environ.get("SEARCH_URL", ""),
    analyzer=os.environ.get("SEARCH_ANALYZER", "smartcn"),
)
