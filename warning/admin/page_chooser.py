"""Wagtail's page chooser (browse and search) with its rows' parents and status read with the list.

Every row of Wagtail's page chooser prints its parent (the title link's ``data-parent-id``,
and the search's 上级 column) and a status tag (草稿 / 已发布 / 已计划 / 审核中). Wagtail reads
each of these per row: three queries a row, some 75 for a column's page of 25 articles.
Here:

- the status comes with the list (``rows_with_their_status``, a
  ``construct_page_chooser_queryset`` hook): the approved schedule and the workflow
  states, as Wagtail's own page listing reads them;
- the parents of all the rows of a table are read in one query the first time a cell
  asks for one (``ParentsInBulk``), through the two columns that print them.

The views are Wagtail's, with only their ``columns`` changed; ``urls()`` mounts them at
Wagtail's own addresses and names, with the decorators Wagtail's admin gives its views,
ahead of Wagtail's admin URLs (config/urls.py). (Wagtail's report views are swapped in
their own URL module from a `register_admin_urls` hook, warning/admin/wagtail_reports.py;
the chooser's patterns live in the admin URL module that runs that hook, still being
built when it does, hence the mount.) ``tests/test_admin_list_queries.py``
asserts both at two sizes; ``tests/test_wagtail_screens_access.py`` that they render
what Wagtail's own views render.
"""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser
from wagtail.models import Page


@hooks.register("construct_page_chooser_queryset")
def rows_with_their_status(pages, request):
    """Both chooser views build their rows from this queryset (the browse view its children, the
    search its hits)."""
    return pages.annotate_approved_schedule().prefetch_workflow_states()


class ParentsInBulk:
    """A column mixin: before its first cell, every row of the table gets its parent (one query)."""

    def get_cell_context_data(self, instance, parent_context):
        table = parent_context.get("table")
        if table is not None and not hasattr(instance, "_cached_parent_obj"):
            rows = [row for row in table.data if row.depth > 1 and not hasattr(row, "_cached_parent_obj")]
            paths = {Page._get_parent_path_from_path(row.path) for row in rows}
            parents = {parent.path: parent for parent in Page.objects.filter(path__in=paths).specific(defer=True)}
            for row in rows:
                # treebeard's own cache of get_parent(), which the cells call
                row._cached_parent_obj = parents.get(Page._get_parent_path_from_path(row.path))
        return super().get_cell_context_data(instance, parent_context)


class TitleColumn(ParentsInBulk, chooser.PageTitleColumn):
    pass


class ParentColumn(ParentsInBulk, chooser.ParentPageColumn):
    pass


REPLACED = {chooser.PageTitleColumn: TitleColumn, chooser.ParentPageColumn: ParentColumn}


def with_bulk_parents(columns):
    """Wagtail's columns as Wagtail defines them, the two that print a row's parent switched to
    their subclass above (which adds no state, only the bulk read)."""
    for column in columns:
        replacement = REPLACED.get(type(column))
        if replacement is not None:
            column.__class__ = replacement
    return columns


class BrowseView(chooser.BrowseView):
    @property
    def columns(self):
        return with_bulk_parents(super().columns)


class SearchView(chooser.SearchView):
    @property
    def columns(self):
        return with_bulk_parents(super().columns)


def urls():
    """The three chooser addresses, decorated as Wagtail's admin decorates its own (config/urls.py)."""
    from wagtail.admin.urls import display_custom_404  # the admin URLconf: import it once apps are ready

    def admin_view(view):
        return never_cache(display_custom_404(require_admin_access(view)))

    return [
        path("", admin_view(BrowseView.as_view()), name="wagtailadmin_choose_page"),
        path("<int:parent_page_id>/", admin_view(BrowseView.as_view()), name="wagtailadmin_choose_page_child"),
        path("search/", admin_view(SearchView.as_view()), name="wagtailadmin_choose_page_search"),
    ]
