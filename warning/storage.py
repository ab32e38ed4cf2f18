"""Where private files live: report attachments and periodic report files (docs/security.md).

They are stored through the storage alias ``private`` (settings.STORAGES),
never through ``default``: by default a FileSystemStorage outside MEDIA_ROOT,
so no URL of the site (``/media/…`` under ``make run`` or behind the front
server) reaches them, and in production any Django storage (S3 through
django-storages) chosen by settings. Code reads them only with
``storage.open()``; nothing assumes a local path, and a private file has no
public URL (PrivateFileSystemStorage.url() is empty).

A stored name is random (a uuid); the uploader's file name is kept in the
row (ReportAttachment.name) and given back only as the download's
Content-Disposition by the permission-checked views.
"""

import uuid
from pathlib import PurePath

from django.core.files.storage import FileSystemStorage, storages
from django.utils import timezone

PRIVATE_ALIAS = "private"


def private_storage():
    """The private storage (a callable, so a migration never bakes a path or a backend into a field)."""
    return storages[PRIVATE_ALIAS]


def random_name(prefix, original_name):
    """``<prefix>/<uuid>.<ext>``: the stored name keeps only the lower-case extension of the original."""
    ext = PurePath(original_name or "").suffix.lower()
    return f"{prefix}/{uuid.uuid4().hex}{ext}"


def report_attachment_name(instance, filename):
    """upload_to of ReportAttachment.file: reports/YYYY/MM/<uuid>.<ext>."""
    return random_name(timezone.localdate().strftime("reports/%Y/%m"), filename)


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage without URLs: its files are only streamed by views that check permissions.

    url() answers an empty string rather than raising, because Django's file
    input asks for the URL of the current file when a form is shown again;
    an empty URL there means "no link", and nothing links to a private file.
    """

    def url(self, name):
        return ""
