"""Signal receivers keeping subsites in step with points and users (connected in SubsitesConfig.ready()).

Also the hard-delete guard of live (counted) articles, the same mechanism as warning/signals.py.

The work itself is in subsites.provisioning; these receivers only decide when.
"""

import logging

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import post_page_move

from warning.models import Profile, WarningPoint
from warning.signals import refuse_delete

from . import provisioning
from .models import UNPUBLISH_INSTEAD, ArticlePage

logger = logging.getLogger(__name__)


@receiver(post_save, sender=WarningPoint, dispatch_uid="subsites_provision_point")
def provision_point_on_save(sender, instance, raw=False, **kwargs):
    """A new point gets its subsite; a renamed or retired one has it follow."""
    if raw:
        return
    try:
        provisioning.provision_point(instance)
    except provisioning.PortalMissing:
        logger.warning("预警点 %s 的子网站未开通：门户首页不存在", instance)


@receiver(post_save, sender=Profile, dispatch_uid="subsites_sync_profile")
def sync_profile_on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    provisioning.sync_profile(instance)


@receiver(post_delete, sender=Profile, dispatch_uid="subsites_remove_profile")
def remove_profile_on_delete(sender, instance, **kwargs):
    provisioning.remove_profile(instance)


@receiver(pre_delete, sender=ArticlePage, dispatch_uid="subsites_keep_live_articles")
def keep_live_articles(sender, instance, **kwargs):
    """A live article counts (docs/statistics.md); it is unpublished, never hard-deleted, from any path."""
    if instance.live:
        refuse_delete(UNPUBLISH_INSTEAD, instance)


@receiver(post_page_move, dispatch_uid="subsites_replace_moved_article")
def replace_moved_article(sender, instance, **kwargs):
    """A moved article takes the point and column of its new place (Wagtail saves the moved page as a plain Page).

    The re-save also re-indexes the article, so the public search's 预警点,
    所属地市 and 栏目 filters see the move at once.
    """
    from .models import ArticlePage

    article = ArticlePage.objects.filter(pk=instance.pk).first()
    if article is not None:
        article.save(update_fields=["point", "column_kind"])
