"""When the page cache is cleared: every event that changes what an anonymous page shows.

Whole-site invalidation (a new generation, pagecache/store.py) after the transaction
commits. Cheap and always safe: the next request of each page renders it afresh.
The events (docs/performance.md, "Page cache"):

- a page published, unpublished, moved or deleted (Wagtail's ``page_published``,
  ``page_unpublished``, ``post_page_move``; ``post_delete`` of any page);
- a page's or a collection's view restriction added, changed or removed (the API
  lists only public images and documents);
- a report published to 预警工作交流: the provincial 通过 with 发布到预警工作交流
  writes its ``ReviewRecord``; any save or delete of an approved report (a
  withdrawal from the exchange, a correction) counts too;
- a point's record saved or deleted (its subsite header, the portal's list of
  points), and the names pages print with it: 地市, 区县, 行业;
- a notice (商务局预警信息) issued;
- a Wagtail site, image or document saved or deleted (links, alt texts, titles);
- the worker has written a live page or an exchange report into the search index
  (indexing is a background task, so a search rendered between the publication and
  the indexing would otherwise be kept without the new page);
- every ``migrate``: a deploy may change any template.

Code that changes any of this with ``QuerySet.update()`` (no signal) calls
``pagecache.store.invalidate()`` itself.
"""

from django.db.models.signals import post_delete, post_migrate, post_save
from django_tasks.signals import task_finished
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .store import bump_generation, invalidate


def _changed(**kwargs):
    invalidate()


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate()


def _report_changed(sender, instance, **kwargs):
    from warning.models import WarningReport

    if instance.stage == WarningReport.Stage.APPROVED or instance.to_exchange:
        invalidate()


def _review_recorded(sender, instance, created=False, **kwargs):
    from warning.review import EXCHANGE

    if created and EXCHANGE in (instance.options or ()):
        invalidate()


def _notice_issued(sender, instance, created=False, **kwargs):
    if created:
        invalidate()


INDEXING_TASK = "modelsearch.tasks.insert_or_update_object_task"


def _task_finished(sender, task_result, **kwargs):
    from django.apps import apps
    from django_tasks import TaskResultStatus

    from warning.models import WarningReport

    if task_result.task.module_path != INDEXING_TASK or task_result.status != TaskResultStatus.SUCCESSFUL:
        return
    app_label, model_name, pk = task_result.args[:3]
    model = apps.get_model(app_label, model_name)
    if issubclass(model, Page):
        public = model.objects.filter(pk=pk, live=True).exists()
    elif issubclass(model, WarningReport):
        public = model.objects.filter(pk=pk, to_exchange=True).exists()
    else:
        public = False
    if public:
        invalidate()


def _migrated(sender, **kwargs):
    if sender.label == "subsites":  # once per migrate run (only apps with models are told)
        bump_generation()


SAVE_AND_DELETE = {"saved": post_save, "deleted": post_delete}


def connect():
    from warning.models import City, District, Industry, Notice, ReviewRecord, WarningPoint, WarningReport

    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)):
        signal.connect(_changed, dispatch_uid=f"pagecache_page_{name}")
    post_delete.connect(_page_deleted, dispatch_uid="pagecache_page_deleted")
    for model in (
        PageViewRestriction,
        CollectionViewRestriction,
        WarningPoint,
        City,
        District,
        Industry,
        Site,
        get_image_model(),
        get_document_model(),
    ):
        for name, signal in SAVE_AND_DELETE.items():
            signal.connect(_changed, sender=model, dispatch_uid=f"pagecache_{model._meta.label}_{name}")
    for name, signal in SAVE_AND_DELETE.items():
        signal.connect(_report_changed, sender=WarningReport, dispatch_uid=f"pagecache_report_{name}")
    post_save.connect(_review_recorded, sender=ReviewRecord, dispatch_uid="pagecache_review_recorded")
    post_save.connect(_notice_issued, sender=Notice, dispatch_uid="pagecache_notice_issued")
    post_migrate.connect(_migrated, dispatch_uid="pagecache_migrated")
    task_finished.connect(_task_finished, dispatch_uid="pagecache_search_indexed")
