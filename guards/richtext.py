"""The rich text editor widget of every form (settings.WAGTAILADMIN_RICH_TEXT_EDITORS)."""

from wagtail.admin.rich_text import DraftailRichTextArea


class SafeDraftailRichTextArea(DraftailRichTextArea):
    """Draftail, except that a posted value which is not the editor's JSON reads as empty.

    The editor always posts its own JSON; anything else was not typed in it.
    Reading it as empty makes a required body a form error ("这个字段是必填项")
    and changes nothing, where Wagtail's converter would fail with a 500.
    """

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
