"""Rich-text links to pages, expanded in one query (registered in subsites/wagtail_hooks.py)."""

from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler as WagtailPageLinkHandler


class PageLinkHandler(WagtailPageLinkHandler):
    """Rich-text links to pages, expanded from the base pages in one query.

    Wagtail reads the linked pages as their specific types (a query per page
    type) so that a type overriding ``get_url`` is honoured; none of this
    project's page types does, and a page's address comes from its
    ``url_path`` alone.
    """

    @classmethod
    def get_many(cls, attrs_list):
        ids = [attrs.get("id") for attrs in attrs_list]
        pages = {str(page.pk): page for page in Page.objects.filter(pk__in=[i for i in ids if str(i).isdigit()])}
        return [pages.get(str(i)) for i in ids]
