"""No input gives a 500: malformed API queries and malformed admin POSTs get a Chinese 400 or a form error."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import make_user
from warning.models import WarningReport

CHINESE = re.compile(r"[\u4e00-\u9fff]")

API_QUERIES = [
    "/api/v2/pages/?first_published_at=x",
    "/api/v2/pages/find/?id=x",
    "/api/v2/pages/?offset=9223372036854775808",
    "/api/v2/pages/?limit=99999999999999999999",
    "/api/v2/documents/?offset=9223372036854775808",
    "/api/v2/images/?offset=-1",
    "/api/v3/pages/find/?id=x",
    "/api/v3/pages/?offset=9223372036854775808",
    "/api/v3/documents/?offset=9223372036854775808",
    "/api/v3/images/?limit=x",
]


@pytest.mark.parametrize("url", API_QUERIES)
def test_malformed_api_query_is_a_chinese_400(client, db, url):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 400
    assert CHINESE.search(response.json()["message"])


def test_well_formed_api_queries_still_answer(client, db):
    assert client.get("/api/v2/pages/?offset=0&limit=5").status_code == 200
    assert client.get("/api/v3/pages/?offset=0&limit=5").status_code == 200


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "pass12345!")


def admin_posts(point):
    return [
        (reverse("wagtailsnippetchoosers_warning_warningreport:create"), {}),
        (reverse("wagtailsnippetchoosers_warning_reviewopinion:create"), {"text": "同意"}),
        (reverse("wagtailadmin_choose_page_external_link"), {}),
        (reverse("wagtailadmin_choose_page_external_link"), {"external-link-chooser-url": "  "}),
        (reverse("wagtailadmin_pages:copy", args=[point.subsite_id]), {"new_title": "副本", "new_slug": "copy"}),
        (reverse("wagtailadmin_pages:copy", args=[point.subsite_id]), {"new_parent_page": "x"}),
    ]


@pytest.mark.parametrize("role", ["superuser", "point"])
def test_malformed_admin_posts_are_a_chinese_400(client, point, superuser, role):
    user = superuser if role == "superuser" else make_user("point", point=point)
    client.force_login(user)
    client.raise_request_exception = False
    for url, data in admin_posts(point):
        response = client.post(url, data)
        assert response.status_code == 400, url
        assert CHINESE.search(response.content.decode()), url


def test_report_body_that_is_not_editor_json_is_a_form_error(client, point, point_editor):
    from tests.test_reports_admin import form_data

    client.force_login(point_editor)
    client.raise_request_exception = False
    for body in ("not json", '{"blocks": 1}'):
        response = client.post(
            reverse("wagtailsnippets_warning_warningreport:add"), {**form_data(), "body": body, "action-submit": "1"}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["body"] == ["必需字段"]
    assert not WarningReport.objects.exists()


def test_redirect_import_confirmation_without_its_signed_fields_is_a_chinese_400(client, superuser):
    client.force_login(superuser)
    client.raise_request_exception = False
    response = client.post(reverse("wagtailredirects:process_import"), {})
    assert response.status_code == 400
    assert "重新上传" in response.content.decode()
