"""The form of Wagtail's document library (settings.WAGTAILDOCS_DOCUMENT_FORM_BASE).

A document uploaded to the library (for an article's 附件, through the
documents screen, the chooser's upload tab or the multiple upload) is read by
content with the same validator as a report's attachment
(warning/validators.py): an HTML page saved as .pdf is refused with a
Chinese message and nothing is stored.
"""

from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm

from warning.validators import validate_attachment


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            try:
                validate_attachment(file)
            except ValidationError as exc:
                raise ValidationError([message.replace("附件", "文档") for message in exc.messages]) from None
        return file
