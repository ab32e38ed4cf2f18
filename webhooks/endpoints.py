"""Who manages which endpoints, and the changes they may make (docs/webhooks.md).

- A point editor manages its own point's endpoints; they receive the events
  of that point only.
- The provincial contact (and the superuser) manages the province's
  endpoints, which have no point and receive the events of every point.
- Nobody else has the screens (city reviewers, magazine editors: 403);
  another point's endpoint, or a point's endpoint for the province, is not
  found (404): its existence is not theirs to know.

Both come from scope_of(user). An endpoint is never deleted, only disabled;
its secret is shown once, when it is created or replaced (轮换密钥).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from warning.models.profiles import scope_of

from .delivery import AddressRefused, check_literal_host, check_url
from .events import EVENTS
from .models import WebhookDelivery, WebhookEndpoint, new_secret


def may_manage(user):
    scope = scope_of(user)
    return scope.point_id is not None or scope.is_provincial


def owner_point_id(user):
    """The point whose endpoints the user manages, or None for the province; PermissionDenied for other roles."""
    scope = scope_of(user)
    if scope.is_provincial:
        return None
    if scope.point_id is not None:
        return scope.point_id
    raise PermissionDenied("只有预警点用户和预警工作联系人可以管理事件推送。")


def endpoints_of(user):
    """The endpoints a user manages (their point's, or the province's); none for other roles."""
    if not may_manage(user):
        return WebhookEndpoint.objects.none()
    point_id = owner_point_id(user)
    if point_id is None:
        return WebhookEndpoint.objects.filter(point__isnull=True)
    return WebhookEndpoint.objects.filter(point_id=point_id)


def deliveries_of(user):
    """The deliveries to the endpoints a user manages."""
    return WebhookDelivery.objects.filter(endpoint__in=endpoints_of(user))


def clean_url(url):
    """The URL stripped, or ValidationError: http(s) only, no credentials, no internal IP written out."""
    url = (url or "").strip()
    try:
        check_url(url)
        check_literal_host(check_url(url)[1])
    except AddressRefused as exc:
        raise ValidationError(str(exc)) from None
    return url


def clean_events(events):
    chosen = [e for e in EVENTS if e in set(events or ())]
    unknown = set(events or ()) - set(EVENTS)
    if unknown or not chosen:
        raise ValidationError("请至少选择一个有效的事件。")
    return chosen


def create_endpoint(user, name, url, events):
    """Register an endpoint for the user's point (or the province); return it (its secret readable once)."""
    point_id = owner_point_id(user)
    return WebhookEndpoint.objects.create(
        point_id=point_id,
        name=(name or "").strip(),
        url=clean_url(url),
        events=clean_events(events),
        created_by=user,
    )


def update_endpoint(endpoint, name, url, events):
    endpoint.name = (name or "").strip()
    endpoint.url = clean_url(url)
    endpoint.events = clean_events(events)
    endpoint.save(update_fields=["name", "url", "events", "updated_at"])
    return endpoint


def set_active(endpoint, active):
    """停用 / 启用. A disabled endpoint gets no new deliveries; its pending ones fail when their turn comes."""
    endpoint.is_active = bool(active)
    endpoint.save(update_fields=["is_active", "updated_at"])
    return endpoint


def rotate_secret(endpoint):
    """轮换密钥: a new secret at once; deliveries from now on are signed with it. Returns the new secret."""
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["secret", "secret_rotated_at", "updated_at"])
    return endpoint.secret
