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
- the choices of the four filter drawers (owner, editor, site, page type),
  rendered on every explorer screen though the drawer is closed: read from the
  shared cache (warning/cached.py), dropped whenever a page, a page edit, a
  site or a user is saved or deleted (warning/signals.py). Filtering itself
  still checks the chosen values against the database.
"""

from django_filters.fields import ModelChoiceIterator
from wagtail import hooks
from wagtail.admin.ui.tables.pages import ParentPageColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView, GenericPageFilterSet

from search_zh.page_search import ChinesePageViewSet
from warning import cached


class CachedChoices(ModelChoiceIterator):
    """A filter field's choices: the objects its queryset returns, kept in the shared cache."""

    def objects(self):
        return cached.explorer_choices(self.field.choices_name, lambda: list(self.queryset))

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.objects():
            yield self.choice(obj)

    def __len__(self):
        return len(self.objects()) + (self.field.empty_label is not None) + (self.field.null_label is not None)

    def __bool__(self):
        return len(self) > 0


class ExplorerFilterSet(GenericPageFilterSet):
    """Wagtail's explorer filters (the same filters, labels and querysets), their choices cached."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in cached.EXPLORER_CHOICES_KEYS:
            field = self.filters[name].field  # the field the form copies (with these attributes)
            field.choices_name = name
            field.iterator = CachedChoices


class ExplorerIndexView(ExplorableIndexView):
    # The explorer's table never shows the parent column (explorable_columns drops it); search
    # results name a parent in the title cell, read by ExplorableIndexView.get_context_data.
    base_columns = [column for column in ExplorableIndexView.base_columns if not isinstance(column, ParentPageColumn)]


class ExplorerPageViewSet(ChinesePageViewSet):
    index_view_class = ExplorerIndexView
    filterset_class = ExplorerFilterSet


@hooks.register("register_admin_viewset", order=10)
def register_explorer_viewset():
    # After search_zh's viewset (order 0): the last page viewset registered for Page serves every page type.
    return ExplorerPageViewSet()
