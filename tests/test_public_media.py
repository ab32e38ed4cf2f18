"""The public APIs and /documents/ serve only documents and images used by live public content."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from subsites.models import ArticleAttachment, ArticleGalleryImage, ColumnKind
from tests.subsites_factories import make_article, make_image, make_private

Document = get_document_model()
PDF = b"%PDF-1.4\n%test\n"


def make_document(title):
    document = Document(title=title)
    document.file.save(f"{title}.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


@pytest.fixture
def media(point):
    """A document and an image on a live article; others on a draft, on a restricted page, and unused."""
    live = make_article(point, ColumnKind.NEWS)
    public_doc = make_document("公开附件")
    ArticleAttachment.objects.create(page=live, document=public_doc)
    ArticleGalleryImage.objects.create(page=live, image=make_image("公开照片"))
    live.save_revision().publish()

    draft = make_article(point, ColumnKind.NEWS, publish=False)
    draft_doc = make_document("草稿附件")
    ArticleAttachment.objects.create(page=draft, document=draft_doc)
    ArticleGalleryImage.objects.create(page=draft, image=make_image("草稿照片"))
    draft.save()

    restricted = make_article(point, ColumnKind.NEWS)
    restricted_doc = make_document("受限附件")
    ArticleAttachment.objects.create(page=restricted, document=restricted_doc)
    restricted.save_revision().publish()
    make_private(restricted)

    unused = make_document("未使用的文档")
    return {"public": public_doc, "draft": draft_doc, "restricted": restricted_doc, "unused": unused}


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_document_and_image_lists_show_only_public_media(client, media, version):
    docs = client.get(f"/api/{version}/documents/").json()["items"]
    images = client.get(f"/api/{version}/images/").json()["items"]
    assert {d["title"] for d in docs} == {"公开附件"}
    assert {i["title"] for i in images} == {"公开照片"}


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_document_detail_of_a_non_public_document_is_404(client, media, version):
    assert client.get(f"/api/{version}/documents/{media['public'].pk}/").status_code == 200
    for key in ("draft", "restricted", "unused"):
        assert client.get(f"/api/{version}/documents/{media[key].pk}/").status_code == 404


def test_document_download_serves_only_public_documents_to_the_public(client, media):
    assert client.get(media["public"].url).status_code == 200
    for key in ("draft", "restricted", "unused"):
        response = client.get(media[key].url)
        assert response.status_code == 404
        assert "尚未公开" in response.content.decode()


def test_the_editor_writing_the_draft_may_still_download_its_attachment(client, media, point_editor):
    from django.contrib.auth.models import User

    other = make_document("他人草稿附件")
    client.force_login(point_editor)
    assert client.get(other.url).status_code == 404  # not theirs to choose, not public
    admin = User.objects.create_superuser("root", "root@example.com", "pass12345!")
    client.force_login(admin)
    assert client.get(media["draft"].url).status_code == 200


def test_publishing_the_draft_makes_its_document_public(client, media, point):
    from subsites.models import ArticlePage

    draft = ArticlePage.objects.get(attachments__document=media["draft"])
    draft.save_revision().publish()
    assert client.get(media["draft"].url).status_code == 200
    assert "草稿附件" in {d["title"] for d in client.get("/api/v3/documents/").json()["items"]}
