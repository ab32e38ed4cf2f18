"""The benchmark's floor view (docs/performance.md): a static page of the asked size, never routed in production."""

import importlib

import pytest
from django.test import RequestFactory, override_settings
from django.urls import clear_url_caches

from operations.views import bench_floor


@pytest.mark.parametrize("size", [200, 12_890, 1_700_000])
def test_the_floor_page_has_exactly_the_asked_size(size):
    response = bench_floor(RequestFactory().get(f"/bench-floor/{size}/"), size)
    assert response.status_code == 200
    assert len(response.content) == size
    assert response.content.startswith(b"<!DOCTYPE html>")


def _reload_urls():
    import config.urls

    clear_url_caches()
    return importlib.reload(config.urls)


def test_the_floor_is_routed_only_under_the_bench_setting(client, db):
    try:
        assert client.get("/bench-floor/500/").status_code == 404
        with override_settings(BENCH_FLOOR_VIEW=True):
            _reload_urls()
            response = client.get("/bench-floor/500/")
            assert response.status_code == 200
            assert len(response.content) == 500
    finally:
        _reload_urls()
    assert client.get("/bench-floor/500/").status_code == 404
