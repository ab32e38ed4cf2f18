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
- the owner and editor drawers of a point editor offer only the users of its own
  point (Wagtail offers every page owner and editor of the whole site, which would
  name other points' staff); a chosen user outside the point is refused like an
  unknown one (docs/access.md).
"""

from django.core.exceptions import ObjectDoesNotExist
from django_filters.fields import ModelChoiceIterator
from wagtail import hooks
from wagtail.admin.ui.tables.pages import ParentPageColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView, GenericPageFilterSet

from search_zh.page_search import ChinesePageViewSet
from warning import cached
from warning.models.profiles import scope_of

USER_FILTERS = ("owner", "edited_by")


def _point_of(user):
    try:
        return user.warning_profile.point_id
    except ObjectDoesNotExist:
        return None


class CachedChoices(ModelChoiceIterator):
    """A filter field's choices: the objects its queryset returns, kept in the shared cache."""

    def objects(self):
        name = self.field.choices_name
        if name not in USER_FILTERS:
            return cached.explorer_choices(name, lambda: list(self.queryset))
        # Every owner / editor is cached (from the field's queryset before any narrowing), each viewer's
        # share is taken from it.
        everyone = self.field.everyone
        users = cached.explorer_choices(name, lambda: list(everyone.select_related("warning_profile")))
        point_id = self.field.viewer_point_id
        return users if point_id is None else [user for user in users if _point_of(user) == point_id]

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
        scope = scope_of(self.request.user) if self.request else None
        point_id = None if scope is None or scope.sees_everything else scope.point_id
        for name in cached.EXPLORER_CHOICES_KEYS:
            field = self.filters[name].field  # the field the form copies (with these attributes)
            field.choices_name = name
            field.iterator = CachedChoices
            if name in USER_FILTERS:
                field.viewer_point_id = point_id
                field.everyone = field.queryset
                if point_id is not None:
                    field.queryset = field.queryset.filter(warning_profile__point_id=point_id)


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
