"""Search indexing during the demo's bulk imports.

Wagtail indexes every saved object through a post_save handler. On
PostgreSQL each of those index writes also rewrites the title_norm of the
index rows, so inside one long seeding transaction the cost grows with the
square of the rows. The demo steps switch the handler off for the models
they import and index the new rows once, in bulk, as update_index would.
"""

import contextlib

from asgiref.local import Local
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from modelcluster.fields import ParentalKey
from modelsearch.index import get_indexed_models, insert_or_update_object
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

_deferred = Local()
_NOTE_UID = "warning.demo.indexing.note"


@contextlib.contextmanager
def search_index_deferred(*models):
    """Skip the per-save search indexing of `models` inside the block."""
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


def index_bulk(model, pks, chunk=500):
    """Add the rows of `model` with these primary keys to every auto-updated search backend."""
    pks = list(pks)
    for backend in get_search_backends(with_auto_update=True):
        for start in range(0, len(pks), chunk):
            backend.add_bulk(model, list(model.objects.filter(pk__in=pks[start : start + chunk])))


@contextlib.contextmanager
def indexing_deferred():
    """Index every object saved inside the block once, at its end, instead of on each save.

    Creating a point saves the point, each of its people and enterprises, and
    four subsite pages several times over (added, saved as a revision,
    published), and every one of those saves updates the search index and the
    reference index of the object (a child row re-indexes its parent). Inside
    this block the saves are only noted; at its end each distinct object is
    indexed once, in the state the block left it in, through the same
    functions the per-save tasks run, so the indexes end up exactly as
    without the block. Single-threaded bulk work only (the demo, test data):
    the search signal is disconnected for the whole process while it runs.
    Nested blocks fold into the outermost one.
    """
    if getattr(_deferred, "pending", None) is not None:
        yield
        return
    search_models = [model for model in get_indexed_models() if getattr(model, "search_auto_update", True)]
    pending = {}

    def note(sender, instance, raw=False, **kwargs):
        if not raw and instance.pk is not None:
            pending.setdefault((sender, instance.pk), None)

    def forget(sender, instance, **kwargs):
        # What Wagtail's delete handler does, which the disabled reference index skips.
        if sender in ReferenceIndex.tracked_models:
            with transaction.atomic():
                ReferenceIndex.remove_for_object(instance)
                ReferenceIndex.remove_references_to(instance)

    _deferred.pending = pending
    post_save.connect(note, weak=False, dispatch_uid=_NOTE_UID)
    post_delete.connect(forget, weak=False, dispatch_uid=_NOTE_UID)
    try:
        with disable_reference_index_auto_update(), search_index_deferred(*search_models):
            yield
    finally:
        post_save.disconnect(dispatch_uid=_NOTE_UID)
        post_delete.disconnect(dispatch_uid=_NOTE_UID)
        _deferred.pending = None
    searched = set(search_models)
    referenced = {}
    for model, pk in pending:
        instance = model._default_manager.filter(pk=pk).first()
        if instance is None:
            continue
        if model in searched:
            insert_or_update_object(instance)
        if model in ReferenceIndex.tracked_models:
            owner = _reference_owner(instance)
            if owner is not None:
                referenced.setdefault((type(owner), owner.pk), owner)
    for owner in referenced.values():
        if ReferenceIndex.is_indexed(type(owner)):
            with transaction.atomic():
                ReferenceIndex.create_or_update_for_object(owner)


def _reference_owner(instance):
    """The object whose references a save of `instance` updates: a child row's parent, as Wagtail's task does."""
    while True:
        parental_keys = [field for field in instance._meta.get_fields() if isinstance(field, ParentalKey)]
        if not parental_keys:
            return instance
        instance = getattr(instance, parental_keys[0].name)
        if instance is None:
            return None
