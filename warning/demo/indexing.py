"""Search indexing during the demo's bulk imports.

Wagtail indexes every saved object through a post_save handler. On
PostgreSQL each of those index writes also rewrites the title_norm of the
index rows, so inside one long seeding transaction the cost grows with the
square of the rows. The demo steps switch the handler off for the models
they import and index the new rows once, in bulk, as update_index would.
"""

import contextlib

from django.db.models.signals import post_save
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.search.backends import get_search_backends


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
