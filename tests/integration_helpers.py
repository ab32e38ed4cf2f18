"""make_* helpers for the integration API tests: tokens made as the admin makes them, files by content."""

import io

from PIL import Image as PILImage

from integration import tokens
from integration.models import SCOPE_ARTICLES, SCOPE_READ, SCOPE_REPORTS

ALL_SCOPES = [SCOPE_READ, SCOPE_REPORTS, SCOPE_ARTICLES]
API = "/api/integration/v1"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_token(user, scopes=None, name="本单位办公系统"):
    """A token of `user` (point editor or province) with `scopes`; returns (IntegrationToken, plaintext)."""
    return tokens.create_token(user, name, ALL_SCOPES if scopes is None else scopes)


def auth(plaintext):
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def pdf(name="附件.pdf"):
    file = io.BytesIO(PDF_BYTES)
    file.name = name
    return file


def fake_pdf(name="伪装.pdf"):
    file = io.BytesIO(b"<html>not a pdf</html>")
    file.name = name
    return file


def jpeg(name="现场.jpg"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (30, 90, 160)).save(buffer, format="JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer
