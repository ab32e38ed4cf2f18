"""Provisioning: every warning point's subsite, its editors' group and their rights.

One function, ``provision_point()``, brings a point's subsite in step with the
point record, and it is safe to call any number of times:

- the subsite home (titled with the point's name) and its three columns
  预警信息 / 工作动态 / 通知公告 exist under the portal home;
- a Django group of the point's own editors holds Wagtail page permissions
  (add / change / publish) on that subtree only, plus image and document
  permissions on the point's own collection;
- the publication state follows the point's status: 撤销 unpublishes the whole
  subsite (nothing is deleted) and takes the editors' page rights away;
  筹建 and 正式 keep it public, and reinstating a retired point republishes
  exactly the pages that were live when it was retired.

``sync_profile()`` puts a user bound to a point (warning.Profile.point) into
that point's editors' group and out of every other one.

Called from the post_save signals in subsites/signals.py, from seed_demo and
from the tests; no request objects here.
"""

import logging

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Revision

from warning.models import WarningPoint

from .models import ColumnIndexPage, ColumnKind, PortalHomePage, SubsiteHomePage, SubsiteProvision

logger = logging.getLogger(__name__)

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
# (kind, slug) in menu order; the title is the kind's label.
COLUMNS = ((ColumnKind.WARNING, "warning"), (ColumnKind.NEWS, "news"), (ColumnKind.NOTICE, "notice"))
EDITORS_GROUP_PREFIX = "子网站编辑："


class PortalMissing(RuntimeError):
    """The portal home (made by migration subsites 0004) is not there, so no subsite can be made."""


def get_portal():
    portal = PortalHomePage.objects.first()
    if portal is None:
        raise PortalMissing("门户首页不存在，请先执行数据库迁移（manage.py migrate）")
    return portal


def editors_group_name(point):
    return f"{EDITORS_GROUP_PREFIX}{point.name}"


def is_public_status(status):
    """筹建 and 正式 points have a public subsite; a retired (撤销) one has none."""
    return status != WarningPoint.Status.REVOKED


@transaction.atomic
def provision_point(point):
    """Create or bring in step the subsite, group and rights of one point; return its SubsiteProvision."""
    portal = get_portal()
    public = is_public_status(point.status)
    home = _ensure_home(point, portal, publish=public)
    _ensure_columns(home, publish=public)
    provision = _ensure_provision(point)
    if public:
        _reinstate(home, provision)
    else:
        _retire(home, provision)
    _ensure_title(home, point.name)
    _ensure_rights(provision, home, grant_pages=public)
    return provision


def provision_all(points=None):
    """Provision every point (or the given ones); used by seed_demo after a fresh import."""
    points = WarningPoint.objects.all() if points is None else points
    return [provision_point(point) for point in points]


# --- pages -----------------------------------------------------------------


def _add_page(parent, page, publish):
    """Add ``page`` under ``parent`` through a first revision, published or left as a draft."""
    page.live = False
    page.has_unpublished_changes = True
    parent.add_child(instance=page)
    revision = page.save_revision(log_action=True)
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def _ensure_home(point, portal, publish):
    home = point.subsite
    if home is not None:
        return home
    slug = f"point-{point.pk}"
    if Page.objects.child_of(portal).filter(slug=slug).exists():
        # A home left behind by a point record that was re-created: reuse it
        # rather than making a second subsite for the same point id.
        home = SubsiteHomePage.objects.child_of(portal).get(slug=slug)
    else:
        home = _add_page(portal, SubsiteHomePage(title=point.name, slug=slug), publish)
    WarningPoint.objects.filter(pk=point.pk).update(subsite=home)
    point.subsite = home
    return home


def _ensure_columns(home, publish):
    existing = set(ColumnIndexPage.objects.child_of(home).values_list("kind", flat=True))
    for kind, slug in COLUMNS:
        if kind not in existing:
            _add_page(home, ColumnIndexPage(title=kind.label, slug=slug, kind=kind), publish)


def _ensure_title(home, name):
    """Keep the home's title equal to the point's name, in the live page and in its draft."""
    home.refresh_from_db()
    if home.title == name and home.draft_title == name:
        return
    had_pending_changes = home.has_unpublished_changes
    latest = home.get_latest_revision_as_object()
    latest.title = name
    revision = latest.save_revision(log_action=True)
    if home.live and not had_pending_changes:
        revision.publish()
    else:
        # Publishing now would also publish the editor's pending draft (or
        # revive a retired subsite), so only the stored title follows.
        Page.objects.filter(pk=home.pk).update(title=name)


def _retire(home, provision):
    """Unpublish every live page of the subsite, remembering their live revisions."""
    live_pages = list(home.get_descendants(inclusive=True).live().specific().order_by("-depth"))
    if not live_pages:
        return
    suspended = dict(provision.suspended_revisions)
    for page in live_pages:
        suspended[str(page.pk)] = page.live_revision_id
        UnpublishPageAction(page, log_action=True).execute(skip_permission_checks=True)
    provision.suspended_revisions = suspended
    provision.save(update_fields=["suspended_revisions"])


def _reinstate(home, provision):
    """Republish what retirement took down; a never-published structure is published from its latest revision."""
    suspended = provision.suspended_revisions
    if suspended:
        revisions = Revision.page_revisions.filter(pk__in=[pk for pk in suspended.values() if pk])
        for revision in revisions.order_by("object_id"):
            page = revision.content_object
            if page is not None and not page.live:
                revision.publish()
        provision.suspended_revisions = {}
        provision.save(update_fields=["suspended_revisions"])
    structure = [home, *ColumnIndexPage.objects.child_of(home)]
    for page in structure:
        page.refresh_from_db()
        if not page.live:
            page.specific.get_latest_revision().publish()


# --- group and rights ------------------------------------------------------


def _ensure_provision(point):
    provision = SubsiteProvision.objects.select_related("editors", "collection").filter(point=point).first()
    if provision is None:
        group, _ = Group.objects.get_or_create(name=editors_group_name(point))
        provision = SubsiteProvision.objects.create(point=point, editors=group)
    if provision.editors.name != editors_group_name(point):
        provision.editors.name = editors_group_name(point)
        provision.editors.save(update_fields=["name"])
    if provision.collection is None:
        root = Collection.get_first_root_node()
        provision.collection = root.add_child(name=point.name)
        provision.save(update_fields=["collection"])
    elif provision.collection.name != point.name:
        provision.collection.name = point.name
        provision.collection.save(update_fields=["name"])
    return provision


def _ensure_rights(provision, home, grant_pages):
    group = provision.editors
    page_permissions = Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS)
    # Rights on any other page (a moved or deleted subsite) never linger.
    GroupPagePermission.objects.filter(group=group).exclude(page=home).delete()
    if grant_pages:
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
    else:
        GroupPagePermission.objects.filter(group=group).delete()
    for app_label, codename in COLLECTION_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=provision.collection, permission=permission
        )


def editors_groups():
    """Every point's editors' group (and no role group)."""
    return Group.objects.filter(subsite_provision__isnull=False)


def sync_profile(profile):
    """Put the profile's user in its point's editors' group and out of every other point's."""
    user = profile.user
    target = None
    if profile.point_id:
        provision = SubsiteProvision.objects.filter(point_id=profile.point_id).select_related("editors").first()
        if provision is None:
            try:
                provision = provision_point(profile.point)
            except PortalMissing:
                logger.warning("预警点 %s 的子网站尚未开通：门户首页不存在", profile.point)
        target = provision.editors if provision else None
    others = editors_groups().filter(user=user)
    if target is not None:
        others = others.exclude(pk=target.pk)
    user.groups.remove(*others)
    if target is not None:
        user.groups.add(target)


def remove_profile(profile):
    """The user is no longer bound to a point: leave every editors' group."""
    profile.user.groups.remove(*editors_groups().filter(user=profile.user))
