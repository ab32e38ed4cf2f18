"""Who may hold which integration token (docs/api.md, "令牌").

- A point editor creates, names, lists and revokes its own point's tokens
  (every editor of the point sees the point's tokens). A point token has one
  or more of the scopes read / reports / articles and acts as the editor who
  created it, inside that point only.
- The provincial contact creates province tokens: read-only, over all
  points, for the province's own analysis. It never gets a write scope.
- Nobody else (city reviewers, magazine editors) holds tokens.
- The secret is shown once, at creation; only its digest is stored
  (Wagtail's APIToken). Revoking keeps the row for the record.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import APIToken

from warning.models.profiles import scope_of

from .models import SCOPE_ARTICLES, SCOPE_LABELS, SCOPE_READ, SCOPE_REPORTS, IntegrationToken

NAME_MAX_LENGTH = 100
POINT_SCOPES = (SCOPE_READ, SCOPE_REPORTS, SCOPE_ARTICLES)
PROVINCE_SCOPES = (SCOPE_READ,)
WRITE_LOG_ACTION = "integration.write"


def may_manage_tokens(user):
    scope = scope_of(user)
    return bool(user.is_active and (scope.point_id is not None or scope.is_provincial))


def scopes_for(user):
    """The scopes `user` may give a token, in display order."""
    return PROVINCE_SCOPES if scope_of(user).point_id is None else POINT_SCOPES


def tokens_for(user):
    """The tokens `user` manages: its point's, or (province) the province tokens."""
    if not may_manage_tokens(user):
        return IntegrationToken.objects.none()
    scope = scope_of(user)
    base = IntegrationToken.objects.select_related("api_token__user", "point")
    if scope.point_id is not None:
        return base.filter(point_id=scope.point_id)
    return base.filter(point__isnull=True)


def create_token(user, name, scopes):
    """Create a token for the user's point (or a province token); return (IntegrationToken, plaintext).

    Raises PermissionDenied for a role without tokens and ValidationError
    (Chinese) for a missing name or a scope the role may not give.
    """
    if not may_manage_tokens(user):
        raise PermissionDenied("只有预警点用户和预警工作联系人可以创建对接令牌。")
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写令牌名称。")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(f"令牌名称不能超过 {NAME_MAX_LENGTH} 个字。")
    allowed = scopes_for(user)
    chosen = [s for s in allowed if s in set(scopes or ())]
    if set(scopes or ()) - set(allowed):
        raise ValidationError("所选权限范围超出您的角色可授予的范围（省级令牌只能读取）。")
    if not chosen:
        raise ValidationError("请至少选择一项权限范围。")
    point_id = scope_of(user).point_id
    with transaction.atomic():
        api_token, plaintext = APIToken.create_token(user=user, name=name)
        token = IntegrationToken.objects.create(api_token=api_token, point_id=point_id, scopes=chosen)
        log(api_token, "wagtail.apitoken.create", user=user, data={"scopes": chosen, "point_id": point_id})
    return token, plaintext


def revoke_token(user, token):
    """Revoke one of the user's tokens (tokens_for); a revoked token answers 401 at once."""
    if not tokens_for(user).filter(pk=token.pk).exists():
        raise PermissionDenied("只能撤销本单位的对接令牌。")
    if token.api_token.revoked_at is None:
        token.api_token.revoke()
        log(token.api_token, "wagtail.apitoken.revoke", user=user)
    return token


def scope_words(scopes):
    return "、".join(SCOPE_LABELS[s] for s in SCOPE_LABELS if s in scopes)


def log_write(token, instance, operation, **data):
    """The API's own log entry of a write, naming the token (Wagtail's log, the object's history)."""
    log(
        instance=instance,
        action=WRITE_LOG_ACTION,
        user=token.api_token.user,
        data={
            "token": token.name,
            "token_id": token.pk,
            "token_prefix": token.api_token.prefix,
            "operation": operation,
            **data,
        },
    )
