"""Settings for the test suite: fast hashing, local mail outbox, temporary media."""

import atexit
import shutil
import tempfile

from .base import *  # noqa: F403


def _temporary_directory(prefix):
    """A directory for this test process's files, removed when the process ends (CI leaves nothing behind)."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = _temporary_directory("yujing-test-media-")
AXES_ENABLED = False
# Tasks run inline, at enqueue, so the suite needs no worker; tests/test_jobs*.py switch to
# the database queue and run the real worker (tests/jobs_helpers.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The webhook tests' receiver listens on loopback (tests/test_webhooks.py).
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
PRIVATE_MEDIA_ROOT = _temporary_directory("yujing-test-private-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "warning.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The page cache is off for the suite (a test changes data inside a transaction that never
# commits, so nothing would clear it between tests); tests/test_pagecache*.py switch it on.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
PAGE_CACHE = {**PAGE_CACHE, "ENABLED": False}  # noqa: F405
