"""Under `make run` (DEBUG) the development server serves images from MEDIA_ROOT, never documents (docs/security.md)."""

import importlib

from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve
from django.views.static import serve

import config.urls


def dev_urlconf():
    with override_settings(DEBUG=True):
        module = importlib.reload(config.urls)
    clear_url_caches()
    return module


def served_by(path, urlconf):
    try:
        return resolve(path, urlconf=urlconf).func
    except Resolver404:
        return None


def test_documents_under_media_are_not_served_by_the_development_server():
    module = dev_urlconf()
    try:
        assert served_by("/media/original_images/photo.png", module) is serve
        assert served_by("/media/images/photo.max-800x600.png", module) is serve
        assert served_by("/media/documents/draft-only.pdf", module) is not serve
    finally:
        importlib.reload(config.urls)
        clear_url_caches()
