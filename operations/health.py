"""Health checks: each part a request depends on, tried for real, with its time.

`run_checks()` tries the databases (a query), the caches (set, get, delete), the file
storages that hold uploads (write, read back, delete a small file in `default` and, where
configured, `private`) and the worker (the heartbeat of `operations.heartbeat`). Each
check returns ok or a Chinese message; one failure makes the whole answer unhealthy, so a
load balancer takes the server out and the monitoring says which part failed.
"""

import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connections

from operations import heartbeat

UPLOAD_STORAGES = ("default", "private")


@dataclass
class CheckResult:
    name: str
    ok: bool
    detail: str
    ms: float


def _timed(name, func):
    started = time.perf_counter()
    try:
        detail = func() or "正常"
        ok = True
    except Exception as exc:  # noqa: BLE001 - any failure of the part is the answer
        detail = f"{type(exc).__name__}: {exc}"
        ok = False
    return CheckResult(name, ok, detail, round((time.perf_counter() - started) * 1000, 1))


def _check_database(alias):
    def run():
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return run


def _check_cache(alias):
    def run():
        cache = caches[alias]
        key = f"health:{uuid.uuid4().hex}"
        cache.set(key, "1", timeout=30)
        if cache.get(key) != "1":
            raise RuntimeError("缓存写入后读不回")
        cache.delete(key)

    return run


def _check_storage(alias):
    def run():
        storage = storages[alias]
        payload = uuid.uuid4().hex.encode()
        name = storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(payload))
        try:
            with storage.open(name, "rb") as handle:
                if handle.read() != payload:
                    raise RuntimeError("存储写入后读不回")
        finally:
            storage.delete(name)

    return run


def _check_worker():
    age = heartbeat.heartbeat_age()
    if age is None or age > heartbeat.heartbeat_interval():
        heartbeat.request_heartbeat()
        age = heartbeat.heartbeat_age()
    if age is None:
        raise RuntimeError("后台任务进程尚无心跳")
    if age > heartbeat.heartbeat_max_age():
        raise RuntimeError(f"后台任务进程心跳已过期（{int(age)} 秒前）")
    return f"心跳 {int(age)} 秒前"


def run_checks():
    """Try every part once; return the list of CheckResult in a stable order."""
    results = [_timed(f"database:{alias}", _check_database(alias)) for alias in settings.DATABASES]
    results += [_timed(f"cache:{alias}", _check_cache(alias)) for alias in settings.CACHES]
    results += [
        _timed(f"storage:{alias}", _check_storage(alias)) for alias in UPLOAD_STORAGES if alias in settings.STORAGES
    ]
    results.append(_timed("worker", _check_worker))
    return results
