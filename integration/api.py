"""The NinjaAPI instance of the integration API, mounted at /api/integration/v1/ (config/urls.py).

The OpenAPI schema is served at ``openapi.json`` and the interactive docs at
``docs/`` next to it, both without a token (they describe, they hold no
data). Every endpoint needs a bearer token (auth.IntegrationTokenAuth) and is
rate limited per token (auth.TokenRateThrottle).
"""

import functools

from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Router, Schema
from ninja.renderers import JSONRenderer

from . import errors
from .auth import IntegrationTokenAuth, TokenRateThrottle
from .endpoints import periodic, reports, statistics, subsite
from .endpoints.reports import ERRORS

DESCRIPTION = """外贸预警平台的预警点对接接口：预警点自己的网站或办公系统用它上报预警信息、
在本单位子网站发布信息、报送季度形势分析和年度工作总结，并读取审核进度和本单位的统计。

* 认证：在管理后台“对接令牌”中创建令牌，以 `Authorization: Bearer <令牌>` 发送。
* 写操作可带 `Idempotency-Key` 头：同一个键重复发送只执行一次，返回第一次的结果。
* 出错时返回 JSON：`{"code": 稳定的错误代码, "message": 中文说明, "details": [...]}`。
* 每个令牌每分钟最多 120 次请求，超出返回 429 并带 `Retry-After`。

详见项目文档 docs/api.md。"""


class ChineseJSONRenderer(JSONRenderer):
    """Chinese text as it is, not as \\u escapes: the same bytes a person reads in docs/api.md."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="外贸预警平台 · 预警点对接接口",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="integration_api",
    auth=IntegrationTokenAuth(),
    throttle=[TokenRateThrottle()],
    openapi_url="/openapi.json",
    docs_url="/docs/",
)
errors.register(api)


class MeOut(Schema):
    token: str
    prefix: str
    scopes: list[str]
    point_id: int | None
    point_name: str | None
    user: str


me_router = Router(tags=["令牌"])


@me_router.get("/me", response={200: MeOut, **ERRORS}, summary="当前令牌")
def me(request):
    """令牌的名称、权限范围和所属预警点（省级令牌为空）。"""
    token = request.auth
    return {
        "token": token.name,
        "prefix": token.api_token.prefix,
        "scopes": list(token.scopes),
        "point_id": token.point_id,
        "point_name": token.point.name if token.point_id else None,
        "user": token.api_token.user.get_username(),
    }


api.add_router("/", me_router)
api.add_router("/", reports.router)
api.add_router("/", subsite.router)
api.add_router("/", periodic.router)
api.add_router("/", statistics.router)


def _json_refusals(view):
    """Ninja answers a method its path lacks with Django's plain-text 405; ours is the JSON error with its code."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            refused = errors.error_response(405, "method_not_allowed")
            refused["Allow"] = response.get("Allow", "")
            return refused
        return response

    return answer


def _unknown_path(request, rest):
    return errors.error_response(404, "not_found", "没有这个接口地址，接口列表见 openapi.json")


def urls():
    """The API's URL configuration (config/urls.py): ninja's patterns, every refusal in JSON.

    A method a path does not take is the JSON 405, and an address under the API that names
    no endpoint the JSON 404 (`not_found`), never Django's HTML pages.
    """
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _json_refusals(pattern.callback)
    return [*patterns, re_path(r"^(?P<rest>.*)$", csrf_exempt(_unknown_path), name="unknown")], app_name, namespace
