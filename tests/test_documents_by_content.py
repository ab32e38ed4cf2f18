"""Wagtail's document library checks an upload by its content, like a report's attachment."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model

Document = get_document_model()
HTML_AS_PDF = b"<html><body><script>alert(1)</script></body></html>"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pass12345!"))
    return client


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_html_saved_as_pdf_is_refused_on_the_add_screen(admin_client):
    response = admin_client.post(
        reverse("wagtaildocs:add"), {"title": "通报", "file": upload("通报.pdf", HTML_AS_PDF), "collection": 1}
    )
    assert response.status_code == 200
    assert "文档内容不是有效的" in response.content.decode()
    assert not Document.objects.exists()


def test_html_saved_as_pdf_is_refused_by_the_multiple_upload(admin_client):
    response = admin_client.post(
        reverse("wagtaildocs:add_multiple"), {"files[]": upload("通报.pdf", HTML_AS_PDF), "collection": 1}
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert "文档内容不是有效的" in str(response.json())
    assert not Document.objects.exists()


def test_a_real_pdf_is_accepted(admin_client):
    response = admin_client.post(
        reverse("wagtaildocs:add"), {"title": "通报", "file": upload("通报.pdf", PDF), "collection": 1}
    )
    assert response.status_code == 302
    document = Document.objects.get()
    with document.file.open("rb") as handle:
        assert handle.read() == PDF
