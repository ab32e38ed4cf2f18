"""Subsite provisioning (docs/rules.md §3.4): the portal tree, and each point's subsite, group and rights following the point."""

from django.contrib.auth.models import Group
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from subsites import provisioning
from subsites.models import (
    ArticlePage,
    ColumnIndexPage,
    ExchangeIndexPage,
    HelpIndexPage,
    ManualPage,
    PortalHomePage,
    SubsiteHomePage,
    SubsiteProvision,
)
from tests.factories import make_point
from tests.shared_points import SharedPoints
from tests.subsites_factories import make_article
from warning.models import Profile, WarningPoint


def test_migration_makes_the_portal_the_default_site_root(db):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, PortalHomePage)
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()


def test_migration_adds_exchange_and_help_centre_with_a_manual_per_role(db):
    portal = PortalHomePage.objects.get()
    assert ExchangeIndexPage.objects.child_of(portal).live().count() == 1
    help_index = HelpIndexPage.objects.child_of(portal).live().get()
    manuals = ManualPage.objects.child_of(help_index).live()
    assert sorted(manuals.values_list("role", flat=True)) == sorted(
        ["预警点用户", "地市审核员", "预警工作联系人", "期刊杂志编辑"]
    )
    point_manual = manuals.get(role="预警点用户")
    # Real instructions for this system, with its menu labels.
    for label in ("页面", "添加子页面", "发布", "预警信息", "工作动态", "通知公告", "季度形势分析", "消息中心"):
        assert label in point_manual.body


def test_provincial_contact_may_maintain_the_portal(provincial):
    portal = PortalHomePage.objects.get()
    permissions = portal.permissions_for_user(provincial)
    assert permissions.can_edit() and permissions.can_publish()
    help_index = HelpIndexPage.objects.get()
    assert help_index.permissions_for_user(provincial).can_add_subpage()  # a new manual


def test_creating_a_point_creates_its_published_subsite_with_three_columns(point):
    home = point.subsite
    assert isinstance(home, SubsiteHomePage)
    assert home.title == point.name
    assert home.live
    assert home.get_parent().specific_class is PortalHomePage
    columns = ColumnIndexPage.objects.child_of(home)
    assert [(c.kind, c.title, c.live) for c in columns.order_by("path")] == [
        ("warning", "预警信息", True),
        ("news", "工作动态", True),
        ("notice", "通知公告", True),
    ]
    # Made through revisions, as the admin would.
    assert home.live_revision_id is not None
    assert all(c.live_revision_id for c in columns)


def test_point_editors_group_has_page_rights_on_its_own_subsite_only(point, other_point):
    provision = SubsiteProvision.objects.get(point=point)
    rights = GroupPagePermission.objects.filter(group=provision.editors)
    assert set(rights.values_list("permission__codename", flat=True)) == {"add_page", "change_page", "publish_page"}
    assert set(rights.values_list("page_id", flat=True)) == {point.subsite_id}
    assert not GroupPagePermission.objects.filter(group=provision.editors, page=other_point.subsite).exists()
    # The role group itself holds no page right at all.
    assert not GroupPagePermission.objects.filter(group__name="预警点用户").exists()


class TestSharedPointEditorsGroupMay(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_point_editors_group_may_upload_images_and_documents_to_its_own_collection(self, point):
        provision = SubsiteProvision.objects.get(point=point)
        assert provision.collection.name == point.name
        codenames = set(
            GroupCollectionPermission.objects.filter(
                group=provision.editors, collection=provision.collection
            ).values_list("permission__codename", flat=True)
        )
        assert {"add_image", "choose_image", "add_document", "choose_document"} <= codenames

    def test_user_bound_to_a_point_joins_its_editors_group(self, point, point_editor):
        assert point_editor.groups.filter(pk=SubsiteProvision.objects.get(point=point).editors_id).exists()
        assert point.subsite.permissions_for_user(point_editor).can_publish()


def test_rebinding_a_user_to_another_point_moves_them_between_groups(point, other_point, point_editor):
    profile = Profile.objects.get(user=point_editor)
    profile.point = other_point
    profile.save()
    groups = set(point_editor.groups.values_list("name", flat=True))
    assert provisioning.editors_group_name(other_point) in groups
    assert provisioning.editors_group_name(point) not in groups
    assert "预警点用户" in groups


class TestSharedRemovingTheBindingTakes(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_removing_the_binding_takes_the_user_out_of_every_editors_group(self, point, point_editor):
        Profile.objects.get(user=point_editor).delete()
        assert not point_editor.groups.filter(subsite_provision__isnull=False).exists()
        assert not point.subsite.permissions_for_user(point_editor).can_edit()

    def test_renaming_a_point_retitles_its_subsite_group_and_collection(self, point):
        point.name = "建德新材料对外贸易预警示范点"
        point.save()
        home = SubsiteHomePage.objects.get(pk=point.subsite_id)
        assert home.title == home.draft_title == "建德新材料对外贸易预警示范点"
        assert home.live and not home.has_unpublished_changes
        provision = SubsiteProvision.objects.select_related("editors", "collection").get(point=point)
        assert provision.editors.name == "子网站编辑：建德新材料对外贸易预警示范点"
        assert provision.collection.name == "建德新材料对外贸易预警示范点"
        assert home.url_path.endswith(f"/point-{point.pk}/")  # the address does not change

    def test_renaming_keeps_an_editors_pending_draft_of_the_home_unpublished(self, point):
        home = point.subsite.specific
        home.intro = "<p>尚未发布的简介草稿</p>"
        home.save_revision()
        point.name = "改名后的预警点"
        point.save()
        home.refresh_from_db()
        assert home.title == "改名后的预警点"
        assert home.has_unpublished_changes
        assert home.intro == ""  # the live page still shows the published intro
        assert home.get_latest_revision_as_object().intro == "<p>尚未发布的简介草稿</p>"
        assert home.get_latest_revision_as_object().title == "改名后的预警点"

    def test_retiring_a_point_unpublishes_its_whole_subsite_without_deleting_anything(self, point, point_editor):
        article = make_article(point)
        pages_before = point.subsite.get_descendants(inclusive=True).count()
        point.status = WarningPoint.Status.REVOKED
        point.save()
        subtree = Page.objects.descendant_of(point.subsite, inclusive=True)
        assert subtree.count() == pages_before
        assert not subtree.live().exists()
        assert ArticlePage.objects.filter(pk=article.pk).exists()
        # Its editors may no longer publish there.
        assert not GroupPagePermission.objects.filter(group__subsite_provision__point=point).exists()
        assert not point.subsite.permissions_for_user(point_editor).can_publish()

    def test_reinstating_a_point_republishes_what_was_live_at_retirement(self, point):
        live_article = make_article(point, title="撤销前已发布")
        withdrawn = make_article(point, title="撤销前已下线")
        withdrawn.unpublish()
        point.status = WarningPoint.Status.REVOKED
        point.save()
        point.status = WarningPoint.Status.OFFICIAL
        point.save()
        assert Page.objects.get(pk=point.subsite_id).live
        assert ColumnIndexPage.objects.child_of(point.subsite).live().count() == 3
        assert Page.objects.get(pk=live_article.pk).live
        assert not Page.objects.get(pk=withdrawn.pk).live
        assert SubsiteProvision.objects.get(point=point).suspended_revisions == {}
        assert GroupPagePermission.objects.filter(group__subsite_provision__point=point).count() == 3


def test_a_point_created_as_revoked_gets_an_unpublished_subsite(db):
    point = make_point(status=WarningPoint.Status.REVOKED)
    assert point.subsite is not None
    assert not Page.objects.descendant_of(point.subsite, inclusive=True).live().exists()
    assert ColumnIndexPage.objects.child_of(point.subsite).count() == 3


def test_a_point_in_preparation_has_a_public_subsite(db):
    point = make_point(status=WarningPoint.Status.PREPARING)
    assert Page.objects.get(pk=point.subsite_id).live


def test_provisioning_twice_changes_nothing(point, point_editor):
    counts = (
        Page.objects.count(),
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Collection.objects.count(),
    )
    provisioning.provision_point(WarningPoint.objects.get(pk=point.pk))
    provisioning.provision_point(WarningPoint.objects.get(pk=point.pk))
    assert counts == (
        Page.objects.count(),
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Collection.objects.count(),
    )


def test_each_point_gets_its_own_group(point, other_point):
    assert (
        SubsiteProvision.objects.get(point=point).editors_id
        != SubsiteProvision.objects.get(point=other_point).editors_id
    )
    assert point.subsite_id != other_point.subsite_id
