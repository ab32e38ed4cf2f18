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
- the explored page: the admin gate (warning/admin/access.py) has already read its
  type, so it is read once, as its own type, with its workflow states (Wagtail reads
  the base row, then the specific row); on the root screen the superuser's
  explorable root is the root itself, read once.
- its revisions: the latest, the live and the scheduled one in one query (Wagtail
  reads the scheduled one in the view and the other two, the same row most often,
  each in the status panel); the root has no status panel and reads none. A draft's
  copy in the status panel takes the page's revisions and workflow states, and is
  built once when it is also the scheduled revision (Wagtail builds it twice).
- the listed pages' content types come from Django's content type cache, and the
  sites rooted at them are not prefetched (nothing on the screen reads them;
  whether a page is a site root is Wagtail's `_is_site_root` annotation).
- the paths of the pages with a view restriction (the privacy marks) and the site
  the request's host stands for (the page links) come from the shared cache, handed
  to Wagtail for every request by warning/cached.py's WagtailLookupsMiddleware.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import get_object_or_404, redirect
from django_filters.fields import ModelChoiceIterator
from wagtail import hooks
from wagtail.admin.ui.components import MediaContainer
from wagtail.admin.ui.side_panels import PageStatusSidePanel
from wagtail.admin.ui.tables.pages import ParentPageColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView, GenericPageFilterSet, IndexView
from wagtail.models import Page, Revision

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


# Prefetched by Wagtail for the listed pages, taken from caches instead (see the module docstring).
NOT_PREFETCHED = ("content_type", "sites_rooted_here")


def _explored_page(request, page_id):
    """The explored page as its own type, with its active workflow states (Wagtail's `current_workflow_state`).

    Its type comes from the admin gate's check of the page in the address; without it
    (the gate did not run) the page is read as Wagtail reads it.
    """
    content_type_id = getattr(request, "warning_page_types", {}).get(int(page_id))
    model = content_type_id and ContentType.objects.get_for_id(content_type_id).model_class()
    if not model:
        return get_object_or_404(Page.objects.all().prefetch_workflow_states(), id=page_id)
    page = get_object_or_404(model._default_manager.all(), id=page_id)
    page._current_workflow_states = list(page.workflow_states.active().select_related("current_task_state__task"))
    return page


def _belongs(revision, page):
    return (revision.content_type_id, revision.object_id) == (page.content_type_id, str(page.pk))


def _read_revisions(page):
    """Read the page's latest, live and scheduled revisions in one query and give them to the page, whose
    `latest_revision`, `live_revision` and `scheduled_revision` (Wagtail's first revision with an approved
    go-live time) then answer without a query; each revision knows its page (a draft's copy is built
    from it without reading the page again)."""
    scheduled = page.revisions.filter(approved_go_live_at__isnull=False)
    wanted = {pk for pk in (page.latest_revision_id, page.live_revision_id) if pk is not None}
    rows = list((scheduled | Revision.objects.filter(pk__in=wanted)).select_related("user").order_by("pk"))
    by_id = {revision.pk: revision for revision in rows}
    content_object = Revision._meta.get_field("content_object")
    for revision in rows:
        if _belongs(revision, page):
            content_object.set_cached_value(revision, page)  # as_object() builds the draft from it
    if page.latest_revision_id in by_id:
        page.latest_revision = by_id[page.latest_revision_id]
    if page.live_revision_id in by_id:
        page.live_revision = by_id[page.live_revision_id]
    page.scheduled_revision = next(
        (revision for revision in rows if revision.approved_go_live_at is not None and _belongs(revision, page)),
        None,
    )


def _share_rows(page, copy):
    """Give a copy of the page built from one of its revisions what the view read for the page: the
    same page's revisions and workflow states (Wagtail reads them again for the copy)."""
    known = {revision.pk: revision for revision in (page.latest_revision, page.live_revision) if revision}
    for name in ("latest_revision", "live_revision"):
        if getattr(copy, f"{name}_id") in known:
            setattr(copy, name, known[getattr(copy, f"{name}_id")])
    copy.scheduled_revision = page.scheduled_revision
    if hasattr(page, "_current_workflow_states"):
        copy._current_workflow_states = page._current_workflow_states


class ExplorerIndexView(ExplorableIndexView):
    # The explorer's table never shows the parent column (explorable_columns drops it); search
    # results name a parent in the title cell, read by ExplorableIndexView.get_context_data.
    base_columns = [column for column in ExplorableIndexView.base_columns if not isinstance(column, ParentPageColumn)]

    def get(self, request, parent_page_id=None):
        """Wagtail's ExplorableIndexView.get: the same page, the same redirect to the user's explorable root
        for a page outside it, the same scheduled page, permissions and translations, then Wagtail's listing.
        What differs is how the rows are read (the module docstring): the explored page once as its own
        type, the explorable root reused as the root screen's page, the revisions in one query (none on
        the root screen, which has no status panel).
        """
        user = request.user
        if parent_page_id:
            self.parent_page = _explored_page(request, parent_page_id)
            root_page = self.permission_policy.explorable_root_instance(user)
        else:
            root_page = self.permission_policy.explorable_root_instance(user)
            is_tree_root = root_page is not None and root_page.is_root()
            self.parent_page = root_page if is_tree_root else Page.get_first_root_node()

        if not (self.parent_page.pk == root_page.pk or self.parent_page.is_descendant_of(root_page)):
            return redirect(self.index_url_name, root_page.pk)

        self.parent_page = self.parent_page.specific
        if self.parent_page.is_root():
            self.scheduled_page = None  # read only by the status panel, which the root does not have
        else:
            _read_revisions(self.parent_page)
            self.scheduled_page = self.parent_page.get_scheduled_revision_as_object()
        self.permissions = self.parent_page.permissions_for_user(user)

        if self.i18n_enabled and not self.parent_page.is_root():
            self.locale = self.parent_page.locale
            self.translations = self.get_translations()
        else:
            self.locale = None
            self.translations = []

        return IndexView.get(self, request)

    def get_side_panels(self):
        """Wagtail's status panel (none on the root) for the page's latest version, with the page as the live
        one and the scheduled version; a draft that is also the scheduled revision is built once (Wagtail
        builds it twice) and takes the page's revisions and workflow states instead of reading them again."""
        page = self.parent_page
        if page.is_root():
            return MediaContainer()
        scheduled = page.scheduled_revision
        if page.has_unpublished_changes and scheduled is not None and scheduled.pk == page.latest_revision_id:
            latest = self.scheduled_page
        else:
            latest = page.get_latest_revision_as_object()
        if latest is not page:
            _share_rows(page, latest)
        panel = PageStatusSidePanel(
            latest,
            self.request,
            show_schedule_publishing_toggle=False,
            live_object=page,
            scheduled_object=self.scheduled_page,
            locale=self.locale,
            translations=self.translations,
        )
        return MediaContainer([panel])

    def annotate_queryset(self, pages):
        """Wagtail's annotations and workflow states, without the prefetches in NOT_PREFETCHED."""
        pages = super().annotate_queryset(pages)
        lookups = [lookup for lookup in pages._prefetch_related_lookups if lookup not in NOT_PREFETCHED]
        return pages.prefetch_related(None).prefetch_related(*lookups)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for page in context["object_list"]:
            page.content_type = ContentType.objects.get_for_id(page.content_type_id)
        return context


class ExplorerPageViewSet(ChinesePageViewSet):
    index_view_class = ExplorerIndexView
    filterset_class = ExplorerFilterSet


@hooks.register("register_admin_viewset", order=10)
def register_explorer_viewset():
    # After search_zh's viewset (order 0): the last page viewset registered for Page serves every page type.
    return ExplorerPageViewSet()
