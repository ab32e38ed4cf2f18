"""The integration API against its own OpenAPI schema (docs/api.md): generated requests never get a 5xx.

Schemathesis reads the schema the API serves and sends each operation a few
generated requests (valid and invalid: wrong types, missing fields, odd
strings, files) through the WSGI application, authenticated with a point
token holding every scope. Every answer must be a non-5xx status that the
schema declares, in the declared content type. Examples are few (the CI
budget) but every operation is covered.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, status_code_conformance

from config.wsgi import application
from integration.api import api
from tests.integration_helpers import make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_test_connection():
    """Called as a WSGI app, Django closes the database connection at each request's end; the test
    client avoids that by disconnecting close_old_connections, and so does this (the test's
    transaction lives on that connection)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(point_editor, settings, keep_test_connection):
    settings.INTEGRATION_API_RATE = "100000/m"
    cache.clear()
    return make_token(point_editor)[1]


def served_schema():
    """The schema exactly as /openapi.json serves it, called through the WSGI application."""
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
    schema.app = application
    return schema


schema = served_schema()


@schema.parametrize()
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_generated_requests_get_no_server_error(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
