"""Request size is bounded in Django: an oversized body is refused from its Content-Length with a Chinese 413."""

import io

from django.conf import settings
from django.test import Client
from django.urls import reverse

from warning.models import WarningReport


def test_an_oversized_login_post_is_refused_before_it_is_read(db):
    client = Client(enforce_csrf_checks=True)
    body = io.BytesIO(b"")  # nothing is read: the declared length alone is refused
    response = client.generic(
        "POST",
        reverse("wagtailadmin_login"),
        data=b"",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert "超过了 2.5 MB 的上限" in response.content.decode()


def test_a_form_body_just_over_the_form_limit_is_refused_but_an_upload_of_that_size_is_not(client, point_editor):
    client.force_login(point_editor)
    size = settings.REQUEST_MAX_FORM_BYTES + 1
    response = client.post(
        reverse("wagtailsnippets_warning_warningreport:add"),
        data="x" * size,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert not WarningReport.objects.exists()

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.test_reports_admin import form_data

    pdf = SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")
    response = client.post(
        reverse("wagtailsnippets_warning_warningreport:add"),
        form_data(attachments=[{"file": pdf, "name": "大.pdf"}]),
    )
    assert response.status_code == 302
    assert WarningReport.objects.get().attachments.count() == 1


def test_an_upload_above_the_upload_limit_is_refused_with_the_attachment_rule(client, point_editor):
    client.force_login(point_editor)
    response = client.generic(
        "POST",
        reverse("wagtailsnippets_warning_warningreport:add"),
        data=b"",
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(settings.REQUEST_MAX_UPLOAD_BYTES + 1),
    )
    assert response.status_code == 413
    assert "20 MB" in response.content.decode()
    assert not WarningReport.objects.exists()


def test_a_non_numeric_content_length_is_a_400(client, db):
    response = client.generic("POST", reverse("wagtailadmin_login"), data=b"", CONTENT_LENGTH="abc")
    assert response.status_code == 400
