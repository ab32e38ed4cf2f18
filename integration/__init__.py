"""The integration API: points' own systems write and read their data over HTTP (docs/api.md).

This package owns:

- the tokens (``IntegrationToken``, one-to-one to Wagtail's ``APIToken``,
  which keeps the hashed secret, shown once, its last use and revocation):
  whose point a token acts for, its scopes, and the screens where a point
  editor (or the province, read-only over all points) creates, lists and
  revokes them (``tokens.py`` rules, ``admin.py`` views, ``wagtail_hooks.py``);
- the django-ninja API at ``/api/integration/v1/`` with its OpenAPI schema
  and docs (``api.py``), its bearer authentication and per-token rate limit
  (``auth.py``), its JSON errors with stable codes (``errors.py``) and its
  Idempotency-Key store (``idempotency.py``);
- the endpoints (``endpoints/``), which call the same domain functions as the
  admin (warning.review, warning.periodic, the admin's own forms and Wagtail's
  create/edit/publish actions), so nothing downstream can tell an API item
  from an admin one.

Every write leaves an ``integration.write`` entry in Wagtail's log naming the
token, next to the entries the domain functions write themselves.
"""
