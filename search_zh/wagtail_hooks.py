"""Admin wiring of search_zh: Wagtail's page views with the faster page search (search_zh.page_search)."""

from wagtail import hooks

from .page_search import ChinesePageViewSet


@hooks.register("register_admin_viewset")
def register_page_viewset():
    # Registered after Wagtail's base page viewset (order -1), so it replaces it for every page type.
    return ChinesePageViewSet()
