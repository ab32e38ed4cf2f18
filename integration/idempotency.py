"""Idempotency-Key: a write sent twice with the same key is done once (docs/api.md).

The admin's forms carry a hidden token (warning/idempotency.py) so a double
提交 makes one report; an API client says the same with the header
``Idempotency-Key`` (any string up to 200 characters, new for each
intended write). For each token and key we store what was asked (a digest
of the method, path, form fields and files) and the answer:

- the first request with a key runs, and its 2xx answer is stored;
- a repeat with the same key and the same request gets the stored answer
  again (header ``Idempotent-Replayed: true``) and changes nothing;
- the same key with a different request is refused (409
  ``idempotency_conflict``), as is a repeat that arrives while the first
  still runs (409 ``idempotency_in_progress``);
- a refused first request (4xx) stores nothing: the client may correct it
  and retry with the same key.

Without the header a write simply runs. Keys are per token, so two systems
can never see each other's answers.
"""

import functools
import hashlib

from django.db import IntegrityError, transaction
from django.http import JsonResponse

from .errors import ApiError
from .models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


def fingerprint(request):
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    for name in sorted(request.POST):
        for value in request.POST.getlist(name):
            digest.update(f"{name}={value}\n".encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"{name}:{upload.name}:{upload.size}:".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def idempotent(view):
    """Wrap a write endpoint returning Status(code, dict): all or nothing, and once per Idempotency-Key."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise ApiError(400, "invalid_input", f"Idempotency-Key 不能超过 {MAX_KEY_LENGTH} 个字符")
        token = request.auth
        digest = fingerprint(request)
        earlier = IdempotentRequest.objects.filter(token=token, key=key).first()
        if earlier is None:
            try:
                with transaction.atomic():
                    earlier = IdempotentRequest.objects.create(token=token, key=key, fingerprint=digest)
                    created = True
            except IntegrityError:
                earlier = IdempotentRequest.objects.get(token=token, key=key)
                created = False
        else:
            created = False
        if not created:
            return _replay(earlier, digest)
        try:
            with transaction.atomic():
                result = view(request, *args, **kwargs)
        except BaseException:
            IdempotentRequest.objects.filter(pk=earlier.pk).delete()
            raise
        IdempotentRequest.objects.filter(pk=earlier.pk).update(
            response_status=result.status_code, response_body=result.value
        )
        return result

    return wrapper


def _replay(earlier, digest):
    if earlier.fingerprint != digest:
        raise ApiError(409, "idempotency_conflict", "该 Idempotency-Key 已用于另一个内容不同的请求，请换一个新的键")
    if earlier.response_status is None:
        raise ApiError(409, "idempotency_in_progress", "该 Idempotency-Key 的请求仍在处理中，请稍后重试")
    response = JsonResponse(
        earlier.response_body, status=earlier.response_status, json_dumps_params={"ensure_ascii": False}
    )
    response["Idempotent-Replayed"] = "true"
    return response
