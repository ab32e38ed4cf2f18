"""Admin listing views search through search_zh.query.search (wired in each app's admin views).

`SegmentedSearchMixin` goes before Wagtail's listing view class: the view's
own `get_base_queryset()` keeps the role scope, this mixin only narrows it.
"""

from .query import search


class SegmentedSearchMixin:
    is_searchable = True
    # Fields matched as substrings when the model is not in the search index.
    search_fields = ()
    search_backend_name = None

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return search(queryset, self.search_query, fields=self.search_fields)


class SegmentedSearchHandler:
    """The same search for wagtail_modeladmin index views (`search_handler_class`)."""

    def __init__(self, search_fields):
        self.search_fields = search_fields

    def search_queryset(self, queryset, search_term, **kwargs):
        if not search_term:
            return queryset
        return search(queryset, search_term, fields=self.search_fields or ())

    @property
    def show_search_form(self):
        return True
