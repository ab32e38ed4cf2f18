"""Errors of the integration API: JSON ``{"code", "message", "details"}``, Chinese message, stable code.

Every refusal is one of the codes of ERROR_CODES (docs/api.md lists them);
clients branch on ``code``, people read ``message``. Bad input is a 400,
never a 500: ninja's request validation, the domain's ValidationError and
ReviewError, and a form's errors all become ``invalid_input`` (or the
domain's own code) with the fields named.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from wagtail.actions.create import CreatePermissionError
from wagtail.actions.edit import EditPermissionError

from warning.review import ReviewError, ReviewNotAllowed

ERROR_CODES = {
    "unauthorized": "缺少或无效的访问令牌",
    "token_inactive": "令牌的创建人已不属于令牌所属单位，令牌不再有效",
    "scope_missing": "令牌没有此操作的权限范围",
    "forbidden": "无权执行此操作",
    "not_found": "对象不存在或不属于本单位",
    "invalid_input": "请求内容无效",
    "review_refused": "审核流程不允许此操作",
    "idempotency_conflict": "同一幂等键已用于内容不同的请求",
    "idempotency_in_progress": "同一幂等键的请求仍在处理中",
    "rate_limited": "请求过于频繁",
    "method_not_allowed": "不支持此请求方法",
}


class ApiError(Exception):
    """A refusal with its HTTP status, stable code and Chinese message."""

    def __init__(self, status, code, message=None, details=None):
        super().__init__(message or ERROR_CODES[code])
        self.status = status
        self.code = code
        self.message = message or ERROR_CODES[code]
        self.details = details


def error_response(status, code, message=None, details=None, headers=None):
    body = {"code": code, "message": message or ERROR_CODES[code]}
    if details:
        body["details"] = details
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


FIELD_WORDS = {"missing": "缺少此项", "int_parsing": "应为整数", "bool_parsing": "应为 true 或 false"}


def _ninja_details(errors):
    details = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "form", "file")]
        word = FIELD_WORDS.get(error.get("type", ""), "格式不正确")
        details.append({"field": ".".join(loc) or "请求", "message": word})
    return details


def form_details(form):
    """A bound form's errors (and its formsets') as [{field, message}], in the form's own Chinese words."""
    details = []
    for field, errors in form.errors.items():
        for message in errors:
            details.append({"field": field if field != "__all__" else "请求", "message": str(message)})
    for name, formset in getattr(form, "formsets", {}).items():
        for index, errors in enumerate(formset.errors):
            for field, messages in errors.items():
                for message in messages:
                    details.append({"field": f"{name}[{index}].{field}", "message": str(message)})
        for message in formset.non_form_errors():
            details.append({"field": name, "message": str(message)})
    return details


def register(api):
    """Install the handlers on the NinjaAPI instance."""

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(NinjaValidationError)
    def ninja_validation(request, exc):
        details = _ninja_details(exc.errors)
        fields = "、".join(d["field"] for d in details)
        return error_response(400, "invalid_input", f"请求内容无效：{fields}", details)

    @api.exception_handler(DjangoValidationError)
    def domain_validation(request, exc):
        messages = exc.messages
        return error_response(
            400, "invalid_input", "；".join(messages), [{"field": "请求", "message": m} for m in messages]
        )

    @api.exception_handler(ReviewNotAllowed)
    def review_not_allowed(request, exc):
        return error_response(403, "forbidden", str(exc) or None)

    @api.exception_handler(ReviewError)
    def review_refused(request, exc):
        return error_response(409, "review_refused", exc.message)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        return error_response(
            401, "unauthorized", "缺少或无效的访问令牌：请在 Authorization 头中以 Bearer 方式提供令牌"
        )

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        wait = max(1, int(exc.wait or 1))
        return error_response(
            429, "rate_limited", f"请求过于频繁，请 {wait} 秒后再试", headers={"Retry-After": str(wait)}
        )

    @api.exception_handler(PermissionDenied)
    @api.exception_handler(CreatePermissionError)
    @api.exception_handler(EditPermissionError)
    def forbidden(request, exc):
        message = str(exc)
        return error_response(403, "forbidden", message if _is_chinese(message) else None)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(404, "not_found")

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 405:
            return error_response(405, "method_not_allowed")
        return error_response(exc.status_code, "invalid_input" if exc.status_code == 400 else "forbidden")


def _is_chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text or "")
