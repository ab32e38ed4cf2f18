"""Who is calling: a bearer token resolved through Wagtail's BearerTokenAuth, then our rules (docs/api.md).

Wagtail's BearerTokenAuth finds the unrevoked APIToken by its digest, sets
``request.user`` to its owner and notes the last use. On top of it a
request is only let in when the token is one of ours (an IntegrationToken)
and its owner still stands where the token says: a point token's user is
still an editor of that point, a province token's user still a provincial
contact (scope_of(), as everywhere else). ``request.auth`` is then the
IntegrationToken. Session cookies never count: the API is for systems.

The rate limit is per token, counted in Django's cache by ninja's
SimpleRateThrottle: INTEGRATION_API_RATE requests (default "120/m") per
token; the 121st in a minute gets 429 with Retry-After.
"""

from django.conf import settings
from ninja.throttling import SimpleRateThrottle
from wagtail.api.v3.auth import BearerTokenAuth

from warning.models.profiles import scope_of

from .errors import ApiError
from .models import IntegrationToken

DEFAULT_RATE = "120/m"


class IntegrationTokenAuth(BearerTokenAuth):
    openapi_description = "在管理后台“对接令牌”中创建的令牌，以 Authorization: Bearer <令牌> 发送"

    def authenticate(self, request, token):
        api_token = super().authenticate(request, token)
        if api_token is None:
            return None
        try:
            integration = IntegrationToken.objects.select_related("point", "api_token__user").get(api_token=api_token)
        except IntegrationToken.DoesNotExist:
            return None
        scope = scope_of(request.user)
        if integration.point_id is not None:
            still_there = scope.point_id == integration.point_id
        else:
            still_there = scope.is_provincial
        if not still_there:
            raise ApiError(403, "token_inactive")
        return integration


class TokenRateThrottle(SimpleRateThrottle):
    """INTEGRATION_API_RATE requests per token, read at each request (so a setting change applies at once)."""

    scope = "integration"
    cache_format = "integration_throttle_%(ident)s"

    def __init__(self):
        super().__init__(rate=DEFAULT_RATE)

    def allow_request(self, request):
        self.rate = getattr(settings, "INTEGRATION_API_RATE", DEFAULT_RATE)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        token = getattr(request, "auth", None)
        if token is None:
            return None
        return self.cache_format % {"ident": token.pk}
