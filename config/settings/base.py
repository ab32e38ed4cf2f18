"""Settings shared by every environment of the 外贸预警平台.

Environment-specific files (dev, test, production) import everything from
here and override only what differs. The database comes from DATABASE_URL
when it is set (PostgreSQL in CI and production) and is SQLite otherwise.
"""

import os
from pathlib import Path

import dj_database_url

from operations.logs import logging_config
from search_zh.engines import search_backends
from warning.countries import COUNTRIES as COUNTRY_CHOICES

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "warning",
    "subsites",
    "jobs",
    "imports",
    "webhooks",
    "django_tasks",
    "django_tasks_db",
    "operations",
    "pagecache",
    "search_zh",
    "integration",
    # django-ninja's own Swagger UI files, served from STATIC (not a CDN the CSP would refuse).
    "ninja",
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django_countries",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so every log line of the request (other middleware's included) carries its id.
    "operations.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before sessions, auth and CSRF: an anonymous page found in the shared cache is answered
    # without the database (pagecache/, docs/performance.md "Page cache").
    "pagecache.middleware.PageCacheMiddleware",
    # Before anything reads the body: an oversized request is refused from its Content-Length.
    "guards.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After CommonMiddleware has checked the host against ALLOWED_HOSTS (warning/cached.py).
    "warning.cached.WagtailLookupsMiddleware",
    "subsites.api.ApiQueryGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "guards.middleware.AdminInputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Wagtail's built-in admin screens, held to the role scopes (docs/access.md).
    "warning.admin.access.AdminScreenGate",
    # django-axes must come last so it sees the authenticated user.
    "axes.middleware.AxesMiddleware",
]

# The page cache (pagecache/, docs/performance.md "Page cache") keeps whole anonymous pages
# in the "pages" cache: on disk under `make run` (shared by the server, the worker and any
# command, so a page published by any of them clears it), in its own Redis database in
# production. TIMEOUT bounds how long a page lives; every change clears all of them at once.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BASE_DIR / ".pagecache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
# Sessions are read from the default cache and written through to the database, so an admin
# request does not ask the database for its session (production keeps them in Redis only,
# see production.py; docs/performance.md).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
PAGE_CACHE = {
    "ENABLED": True,
    "ALIAS": "pages",
    "TIMEOUT": 300,
    "MAX_BYTES": 2 * 1024 * 1024,
    # Never cached: the admin (and its previews), documents (checked downloads), health, files.
    "EXCLUDED_PATHS": ("/admin/", "/documents/", "/health/", "/static/", "/media/"),
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "warning.backends.OneQueryModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The whole UI is Simplified Chinese and every time is read in Shanghai time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Shanghai"
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static_collected"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Report attachments and periodic report files: private storage outside MEDIA_ROOT,
# served only by permission-checked views (warning/storage.py, docs/security.md).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "warning.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Request size (docs/security.md). An attachment or document may be up to 20 MB;
# a multipart upload may carry that plus the form. Any other body (a login, a
# form, JSON) is small. guards.middleware refuses a larger Content-Length with a
# 413 before reading; Django's own limit covers the non-file part of any body.
REQUEST_MAX_UPLOAD_BYTES = 25 * 1024 * 1024
REQUEST_MAX_FORM_BYTES = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_FORM_BYTES

LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"

WAGTAIL_SITE_NAME = "浙江省对外贸易预警平台"
# The platform's address for links in e-mails; empty means "the default Site's root URL"
# (warning/site_url.py). `make run` passes it; production requires it.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "")
# Wagtail's database search with Chinese word segmentation (docs/search.md);
# production may switch to Elasticsearch/OpenSearch through SEARCH_ENGINE.
WAGTAILSEARCH_BACKENDS = search_backends("database")
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "wps"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents always go through Wagtail's serve view, where subsites/wagtail_hooks.py
# lets the public fetch only documents used by live public pages (never a redirect
# to the storage's own URL, whatever the storage).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_NOTIFICATION_USE_HTML = True

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background work (docs/tasks.md): tasks go to a queue in the database and run in
# their own process, `python manage.py db_worker`; `python manage.py run_scheduler`
# enqueues the daily jobs. A failed attempt is enqueued again after each of these
# delays (seconds), so a task runs at most len(JOBS_RETRY_DELAYS) + 1 times.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOBS_RETRY_DELAYS = (60, 300, 1800)
DEFAULT_FROM_EMAIL = "yujing@zcom.gov.cn"

# Webhooks (docs/webhooks.md): seconds to wait for connecting and for each read of an answer;
# whether an endpoint may resolve to a loopback, private or reserved address (never, by
# default: docs/security.md, "Webhooks and requests to other servers"). The test settings allow
# it for their loopback receiver; `make run` for a receiver on the developer's machine.
WEBHOOKS_TIMEOUT = 5
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False

# Login throttling: five failures lock the username/IP pair for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]

# 国别地区: the official Chinese names (GB/T 2659 as customs and MOFCOM use them, 中国台湾 /
# 中国香港 / 中国澳门 as regions of China) and the economic blocs, keyed by ISO code (warning/countries.py).
COUNTRIES_ONLY = COUNTRY_CHOICES
COUNTRIES_FIRST = ["US", "EU", "JP", "KR", "IN", "XN", "XW"]

REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"]}

WAGTAILADMIN_USER_LOGIN_FORM = "warning.auth_forms.LoginForm"
# The admin is the platform's own: no calls to releases.wagtail.org from the dashboard and
# no "What's new in Wagtail" banner (the 帮助 menu is replaced in warning/admin/help_menu.py).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# No avatars fetched from gravatar.com: the admin works offline and leaks no e-mail hashes.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Every rich text field: a body that is not the editor's JSON is a form error, not a 500 (guards/richtext.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "guards.richtext.SafeDraftailRichTextArea"}}

# Documents in Wagtail's library are checked by content like report attachments (subsites/forms.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "subsites.forms.DocumentForm"

# Logs: JSON lines on stdout with the request id, every 500 with its traceback
# (operations/logs.py, docs/deployment.md). Warnings and errors only outside production,
# so a command's own output stays clean.
LOGGING = logging_config(os.environ.get("DJANGO_LOG_LEVEL", "WARNING"))

# The worker's heartbeat as the health endpoint reads it (operations/heartbeat.py).
HEALTH_WORKER_HEARTBEAT_INTERVAL = 30
HEALTH_WORKER_MAX_AGE = 120

# The integration API's limit per token, counted in the default cache (docs/api.md, rule 5).
INTEGRATION_API_RATE = "120/m"
