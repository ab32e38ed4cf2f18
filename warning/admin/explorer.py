"""Wagtail's page explorer, with the lookups it repeats done once (docs/performance.md).

The explorer is Wagtail's own listing (ExplorableIndexView), served through
Wagtail's page viewset for every page type (registered below, after
search_zh's viewset, whose page search it keeps). Nothing is taken away:
the same columns, ordering, filters, bulk actions, workflow and lock states
and status side panel. What changes is only how often the same rows are read:

- the parent of each listed page: outside a search every listed page is a
  child of the explored page, which the view already holds, and the parent
  column is not part of the explorer's table; Wagtail would still read the
  parents once more (in a search it still reads them, once instead of twice).
"""

from wagtail import hooks
from wagtail.admin.ui.tables.pages import ParentPageColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView

from search_zh.page_search import ChinesePageViewSet


class ExplorerIndexView(ExplorableIndexView):
    # The explorer's table never shows the parent column (explorable_columns drops it); search
    # results name a parent in the title cell, read by ExplorableIndexView.get_context_data.
    base_columns = [column for column in ExplorableIndexView.base_columns if not isinstance(column, ParentPageColumn)]


class ExplorerPageViewSet(ChinesePageViewSet):
    index_view_class = ExplorerIndexView


@hooks.register("register_admin_viewset", order=10)
def register_explorer_viewset():
    # After search_zh's viewset (order 0): the last page viewset registered for Page serves every page type.
    return ExplorerPageViewSet()
