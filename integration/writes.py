"""Writing reports and articles through the admin's own forms and Wagtail's actions.

An API write binds the very form class the admin binds (the edit handler's
form of WarningReport / ArticlePage, with its validators: attachments read
by content, the rich-text guard, required fields) to form data built by
Wagtail API v3's build_form_data, and saves it with the same Wagtail action
the admin's create and edit views run (CreateAction / EditAction /
CreatePageAction / EditPageAction, permission checks on). Images and
documents are added through Wagtail's image and document forms (the
document form reads files by content, subsites/forms.py) into the point's
own collection. So validation, permissions, revisions, log entries and
what the statistics count are the admin's.
"""

from django.core.exceptions import PermissionDenied
from wagtail.actions.create import CreateAction
from wagtail.actions.create_page import CreatePageAction
from wagtail.actions.edit import EditAction
from wagtail.actions.edit_page import EditPageAction
from wagtail.admin.panels import get_form_for_model
from wagtail.api.v3.form_data import build_form_data
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.permissions import policy_registry
from wagtail.utils.forms import FormValidationError

from subsites.models import ArticlePage
from warning.models import WarningReport

from .errors import ApiError, form_details


def _invalid(form):
    details = form_details(form)
    message = "；".join(f"{d['field']}：{d['message']}" for d in details) or "请求内容无效"
    return ApiError(400, "invalid_input", f"内容未通过校验：{message}", details)


def _current_values(form_class, instance, parent=None):
    """The instance's values as its unbound form shows them: what an update keeps when not given."""
    form = form_class(instance=instance, **_form_extras(form_class, instance, parent=parent))
    return {name: form.initial.get(name) for name in form_class.base_fields}


def _form_extras(form_class, instance, user=None, parent=None):
    extras = {"for_user": user}
    if isinstance(instance, ArticlePage):
        extras["parent_page"] = parent or instance.get_parent()
    return extras


def _relation_items(instance, rel_name, keep_fields, remove_ids):
    """The existing children an update keeps (by id, unchanged), minus those asked to be removed."""
    if instance is None or instance.pk is None:
        return []
    return [
        {"id": child.pk, **{name: _plain(getattr(child, name)) for name in keep_fields}}
        for child in getattr(instance, rel_name).all()
        if child.pk not in remove_ids
    ]


def _plain(value):
    return getattr(value, "pk", value)


def _bind(form_class, instance, payload, user, parent=None):
    data = build_form_data(form_class, payload, instance=instance if instance.pk else None)
    return form_class(data=data, files=data, instance=instance, **_form_extras(form_class, instance, user, parent))


# --- reports -------------------------------------------------------------------------------


def report_form_class():
    return WarningReport.get_edit_handler().get_form_class()


def save_report(user, fields, files=(), remove_attachment_ids=(), report=None):
    """Create (report None) or update a draft / returned report as `user`; return the report.

    Fields not given keep their value on an update; files are added as
    attachments; remove_attachment_ids drops those of this report.
    """
    form_class = report_form_class()
    if report is None:
        from warning.models.profiles import scope_of

        profile = getattr(user, "warning_profile", None)
        instance = WarningReport(
            point_id=scope_of(user).point_id,
            created_by=user,
            author=user.get_full_name(),
            phone=profile.phone if profile else "",
        )
        payload = {name: value for name, value in _current_values(form_class, instance).items() if value}
    else:
        instance = report
        payload = _current_values(form_class, instance)
    payload.pop("form_token", None)
    payload.update({k: v for k, v in fields.items() if v is not None})
    payload["attachments"] = _relation_items(instance, "attachments", ("name",), set(remove_attachment_ids)) + [
        {"file": upload, "name": upload.name} for upload in files
    ]
    form = _bind(form_class, instance, payload, user)
    action_class = CreateAction if report is None else EditAction
    try:
        return action_class(form.instance, user=user, form=form).execute()
    except FormValidationError:
        raise _invalid(form) from None


# --- subsite articles ----------------------------------------------------------------------


def article_form_class():
    """The admin's ArticlePage form without the comments formset (comments are written in the admin only)."""
    edit_handler = ArticlePage.get_edit_handler()
    options = edit_handler.get_form_options()
    options["formsets"] = {k: v for k, v in options.get("formsets", {}).items() if k != "comments"}
    return get_form_for_model(ArticlePage, form_class=edit_handler.base_form_class, **options)


def _collection_for(user, point, model, refusal):
    """The point's collection, when `user` may add `model` (image or document) to it; else PermissionDenied."""
    from subsites.models import SubsiteProvision

    provision = SubsiteProvision.objects.filter(point=point).select_related("collection").first()
    collection = provision.collection if provision else None
    if collection is None or collection not in policy_registry.get_by_type(model).collections_user_has_permission_for(
        user, "add"
    ):
        raise PermissionDenied(refusal)
    return collection


def upload_image(user, point, upload):
    """An image in the point's collection through Wagtail's image form (the admin's checks)."""
    collection = _collection_for(user, point, get_image_model(), "无权向本单位的图片库上传图片。")
    form_class = get_image_form(get_image_model())
    form = form_class(
        data={"title": upload.name.rsplit(".", 1)[0][:255] or "图片", "collection": collection.pk},
        files={"file": upload},
        user=user,
    )
    if not form.is_valid():
        raise _invalid(form)
    image = form.save(commit=False)
    image.uploaded_by_user = user
    image.file_size = image.file.size
    image.save()
    return image


def upload_document(user, point, upload):
    """A document in the point's collection through the document form (read by content, subsites/forms.py)."""
    collection = _collection_for(user, point, get_document_model(), "无权向本单位的文档库上传文件。")
    form_class = get_document_form(get_document_model())
    form = form_class(
        data={"title": upload.name[:255], "collection": collection.pk},
        files={"file": upload},
        user=user,
    )
    if not form.is_valid():
        raise _invalid(form)
    document = form.save(commit=False)
    document.uploaded_by_user = user
    document.save()
    return document


def save_article(user, point, fields, images=(), captions=(), attachments=(), remove_ids=(), column=None, page=None):
    """Create an article in `column` (page None) or update `page`, as a draft revision; return the page.

    Publishing is a separate step (publish_article), as in the admin's
    "save draft" then "publish".
    """
    form_class = article_form_class()
    if page is None:
        instance = ArticlePage(owner=user, locale=column.locale)
        payload = {k: v for k, v in _current_values(form_class, instance, column).items() if v not in (None, "")}
        title = fields.get("title")
        if title:
            instance.title = title
            instance._cached_parent_obj = column
            instance.minimal_clean()
            payload["slug"] = instance.slug
            instance._cached_parent_obj = None
        parent = column
    else:
        instance = page.get_latest_revision_as_object()
        payload = _current_values(form_class, instance)
        parent = page.get_parent()
    payload.update({k: v for k, v in fields.items() if v is not None})
    remove = set(remove_ids)
    new_images = [upload_image(user, point, upload) for upload in images]
    new_documents = [upload_document(user, point, upload) for upload in attachments]
    captions = list(captions)
    payload["gallery_images"] = _relation_items(instance, "gallery_images", ("image", "caption"), remove) + [
        {"image": image.pk, "caption": captions[i] if i < len(captions) else ""} for i, image in enumerate(new_images)
    ]
    payload["attachments"] = _relation_items(instance, "attachments", ("document",), remove) + [
        {"document": document.pk} for document in new_documents
    ]
    form = _bind(form_class, instance, payload, user, parent)
    try:
        if page is None:
            return CreatePageAction(form.instance, parent, user=user, form=form).execute()
        return EditPageAction(form.instance, user=user, form=form).execute()
    except FormValidationError:
        raise _invalid(form) from None
