"""What every endpoint asks: the token's scope, the point it acts on, and how times read."""

from django.utils import timezone

from warning.models import WarningPoint

from ..errors import ApiError
from ..models import SCOPE_LABELS


def require(request, scope):
    """The calling token, which must hold `scope` (403 scope_missing otherwise)."""
    token = request.auth
    if not token.allows(scope):
        raise ApiError(403, "scope_missing", f"该令牌没有“{SCOPE_LABELS[scope]}”的权限范围")
    return token


def require_point_token(request, scope):
    """A point token with `scope`: writes always act for the token's own point, never another."""
    token = require(request, scope)
    if token.point_id is None:
        raise ApiError(403, "scope_missing", "省级令牌只能读取数据，不能写入")
    return token


def target_point(request, point_id=None):
    """The point a read is about: a point token's own (another point's id is a 404); a province token names one."""
    token = request.auth
    if token.point_id is not None:
        if point_id not in (None, token.point_id):
            raise ApiError(404, "not_found")
        return token.point
    if point_id is None:
        raise ApiError(400, "invalid_input", "省级令牌请用 point 参数指定预警点编号")
    point = WarningPoint.objects.filter(pk=point_id).first()
    if point is None:
        raise ApiError(404, "not_found")
    return point


def local(value):
    return timezone.localtime(value).isoformat() if value else None
