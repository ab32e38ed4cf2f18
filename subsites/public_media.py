"""Which documents and images are public: those used by live public content (docs/security.md).

A document or image is public when Wagtail's reference index (ReferenceIndex)
records a use of it by a page that is live and has no view restriction: an
article's 附件 or 图片集, or a link or embed in any page's rich text. The
index is built from the database row of each page, which for a live page is
its published version, so a draft's new attachment stays private until the
draft is published. Everything else (a draft's attachment, a file uploaded
but not yet used, one used only by an unpublished page) is not listed by
either API and not served by ``/documents/<id>/<name>`` to the public.

Who else may fetch a non-public document through ``/documents/…``: a
logged-in user whom Wagtail's document permissions let choose or change it
(the editor who is still writing the article).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry


def _used_by_public_pages(model):
    """Rows of ``model`` referenced by a live page without a view restriction."""
    from .models import public_pages

    public_page_ids = public_pages(Page.objects.all()).annotate(key=Cast("pk", CharField())).values("key")
    used_ids = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=public_page_ids,
        to_content_type=ContentType.objects.get_for_model(model),
    ).values("to_object_id")
    return model.objects.annotate(key=Cast("pk", CharField())).filter(key__in=used_ids)


def public_documents():
    """The documents anyone may list and download."""
    return _used_by_public_pages(get_document_model())


def public_images():
    """The images anyone may list."""
    return _used_by_public_pages(get_image_model())


def may_download(user, document):
    """A public document, or one the user may choose or change in the admin."""
    if public_documents().filter(pk=document.pk).exists():
        return True
    if not user.is_authenticated:
        return False
    policy = policy_registry.get(document)
    return policy.user_has_any_permission_for_instance(user, ["choose", "change"], document)
