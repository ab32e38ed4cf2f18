"""The health endpoint: JSON for machines, 200 when every part works, 503 otherwise."""

from django.http import JsonResponse
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
