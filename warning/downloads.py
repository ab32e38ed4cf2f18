"""Serving a stored attachment: the name the download gets and its content type.

Report attachments and periodic-report files are served by the same
function, so both download as `<name>.<extension>` with the content type of
that extension (docs/periodic.md, "Attachments"). The extension comes from
the stored file (whose content the upload checks read), never from the
label a user typed; the content type is guessed from the final name with
`mimetypes`, which is told the six accepted types so that the answer does
not depend on the server's /etc/mime.types.
"""

import mimetypes

from django.http import FileResponse

from warning.validators import extension_of

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "wps": "application/vnd.ms-works",
}
for _extension, _content_type in CONTENT_TYPES.items():
    mimetypes.add_type(_content_type, f".{_extension}")


def download_name(label, stored_name):
    """`label` (the name shown to users) ending in the stored file's extension.

    An empty label falls back to the stored file's own base name; a label
    that already ends in the right extension is kept as it is.
    """
    extension = extension_of(stored_name)
    label = (label or "").strip() or stored_name.rsplit("/", 1)[-1]
    if extension and extension_of(label) != extension:
        label = f"{label}.{extension}"
    return label


def file_download(handle, filename):
    """Stream an open file as an attachment named `filename`, with the content type its extension says."""
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
