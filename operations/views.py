"""The health endpoint: JSON for machines, 200 when every part works, 503 otherwise; the benchmark's floor view."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from operations.health import run_checks


@never_cache
@require_GET
def health(request):
    results = run_checks()
    healthy = all(result.ok for result in results)
    body = {
        "status": "ok" if healthy else "error",
        "checks": {r.name: {"ok": r.ok, "detail": r.detail, "ms": r.ms} for r in results},
    }
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})


# The floor page's body: an HTML page of any size, built once per size.
_FLOOR_HEAD = b"<!DOCTYPE html><html><head><meta charset=utf-8><title>floor</title></head><body><p>"
_FLOOR_TAIL = b"</p></body></html>"
_FLOOR_BODIES = {}
FLOOR_MAX_BYTES = 8 * 1024 * 1024


def bench_floor(request, size):
    """A static HTML page of `size` bytes: the benchmark's floor (docs/performance.md).

    Routed only when settings.BENCH_FLOOR_VIEW is on (config/settings/bench.py), never in
    production: the same server's cheapest page, next to which each real page is measured.
    """
    size = min(max(size, len(_FLOOR_HEAD) + len(_FLOOR_TAIL)), FLOOR_MAX_BYTES)
    body = _FLOOR_BODIES.get(size)
    if body is None:
        body = _FLOOR_BODIES[size] = _FLOOR_HEAD + b"x" * (size - len(_FLOOR_HEAD) - len(_FLOOR_TAIL)) + _FLOOR_TAIL
    return HttpResponse(body, content_type="text/html; charset=utf-8")
