"""Operations: production settings from the environment, check --deploy, health, logs."""

import importlib.util
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from operations import heartbeat

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-test-secret-key-0123456789abcdef",
    "DATABASE_URL": "sqlite:////tmp/yujing-production-check.sqlite3",
    "DJANGO_ALLOWED_HOSTS": "yujing.example.gov.cn,127.0.0.1",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://yujing.example.gov.cn",
    "WAGTAILADMIN_BASE_URL": "https://yujing.example.gov.cn",
    "REDIS_URL": "redis://127.0.0.1:6390/0",
    "AWS_STORAGE_BUCKET_NAME": "yujing-media",
    "AWS_PRIVATE_BUCKET_NAME": "yujing-private",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:5090",
}


def load_production(monkeypatch, env):
    """Execute config/settings/production.py afresh under the given environment."""
    for name in PRODUCTION_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "config.settings._production_under_test", ROOT / "config/settings/production.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_production_settings_are_stateless_with_the_environment_set(monkeypatch):
    prod = load_production(monkeypatch, PRODUCTION_ENV)
    assert prod.SECRET_KEY == PRODUCTION_ENV["DJANGO_SECRET_KEY"]
    assert prod.ALLOWED_HOSTS == ["yujing.example.gov.cn", "127.0.0.1"]
    assert prod.CSRF_TRUSTED_ORIGINS == ["https://yujing.example.gov.cn"]
    assert prod.WAGTAILADMIN_BASE_URL == "https://yujing.example.gov.cn"
    # Sessions and cache in Redis, sessions in their own database.
    assert prod.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert prod.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6390/0"
    assert prod.CACHES["sessions"]["LOCATION"] == "redis://127.0.0.1:6390/1"
    assert prod.SESSION_ENGINE == "django.contrib.sessions.backends.cache"
    assert prod.SESSION_CACHE_ALIAS == "sessions"
    assert prod.SESSION_SAVE_EVERY_REQUEST and prod.SESSION_COOKIE_AGE == 1800
    # Uploads in object storage, private files in their own bucket; static files hashed.
    assert prod.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert prod.STORAGES["default"]["OPTIONS"]["bucket_name"] == "yujing-media"
    assert prod.STORAGES["private"]["OPTIONS"]["bucket_name"] == "yujing-private"
    assert prod.STORAGES["private"]["OPTIONS"]["querystring_expire"] == 300
    assert prod.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in prod.MIDDLEWARE
    assert "csp.middleware.CSPMiddleware" in prod.MIDDLEWARE
    assert "http://127.0.0.1:5090" in prod.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    assert prod.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_on_aws_itself_the_policy_allows_the_media_bucket(monkeypatch):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != "AWS_S3_ENDPOINT_URL"}
    prod = load_production(monkeypatch, env)
    assert "https://yujing-media.s3.amazonaws.com" in prod.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    assert prod.STORAGES["default"]["OPTIONS"]["endpoint_url"] is None


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_CSRF_TRUSTED_ORIGINS",
        "WAGTAILADMIN_BASE_URL",
        "REDIS_URL",
        "AWS_STORAGE_BUCKET_NAME",
    ],
)
def test_production_settings_refuse_to_load_without_a_required_variable(monkeypatch, missing):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}
    with pytest.raises(ImproperlyConfigured, match=f"环境变量 {missing} 未设置"):
        load_production(monkeypatch, env)


def test_check_deploy_is_clean_under_production_settings():
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    # The browser tests' harness (tests/e2e/conftest.py, imported whenever tests are collected)
    # allows sync ORM calls under Playwright's loop; a deployment never sets that.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --- health ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_answers_ok_with_every_part_checked(client):
    cache.clear()
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {"database:default", "cache:default", "storage:default", "worker"} <= set(body["checks"])
    assert all(check["ok"] for check in body["checks"].values())
    # The worker check made the heartbeat task run (immediately, under the test backend).
    assert heartbeat.heartbeat_age() is not None
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_health_reports_a_worker_that_does_not_run_tasks(client):
    cache.clear()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["worker"] == {
        "ok": False,
        "detail": "RuntimeError: 后台任务进程尚无心跳",
        "ms": pytest.approx(0, abs=1000),
    }
    assert body["checks"]["database:default"]["ok"] and body["checks"]["storage:default"]["ok"]


@pytest.mark.django_db
def test_health_reports_a_stale_heartbeat(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()
    cache.set(heartbeat.HEARTBEAT_KEY, 0, timeout=None)  # the worker last beat in 1970
    body = client.get("/health/").json()
    assert not body["checks"]["worker"]["ok"]
    assert "心跳已过期" in body["checks"]["worker"]["detail"]


@pytest.mark.django_db
def test_health_reports_an_unreachable_cache(client):
    unreachable = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
    with override_settings(CACHES={"default": unreachable}):
        response = client.get("/health/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert not checks["cache:default"]["ok"] and "ConnectionError" in checks["cache:default"]["detail"]
    assert checks["database:default"]["ok"]


# --- logs --------------------------------------------------------------------------------------


@pytest.fixture
def log_lines():
    """The JSON lines the configured stdout handler writes during the test."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "stdout")
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]
    finally:
        handler.setStream(old)


@pytest.mark.django_db
@pytest.mark.urls("tests.operations_urls")
def test_a_500_is_logged_as_json_with_its_traceback_and_request_id(client, log_lines):
    client.raise_request_exception = False
    response = client.get("/__broken__/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    errors = [line for line in log_lines() if line["level"] == "ERROR" and line["logger"] == "django.request"]
    assert len(errors) == 1
    assert errors[0]["request_id"] == request_id
    assert "Traceback (most recent call last)" in errors[0]["exc_info"]
    assert "RuntimeError: 故意的失败" in errors[0]["exc_info"]


@pytest.mark.django_db
def test_the_request_id_from_the_proxy_is_kept_in_logs_and_response(client, log_lines):
    response = client.get("/no-such-page-anywhere/", headers={"X-Request-ID": "nginx-0123456789abcdef"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "nginx-0123456789abcdef"
    warnings = [line for line in log_lines() if line["logger"] == "django.request"]
    assert warnings and all(line["request_id"] == "nginx-0123456789abcdef" for line in warnings)


@pytest.mark.django_db
def test_a_malformed_request_id_is_replaced(client):
    response = client.get("/health/", headers={"X-Request-ID": "bad id\nwith newline"})
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32
