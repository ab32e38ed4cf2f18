"""A user's page permissions come from the shared cache and follow every change at once (docs/performance.md).

Each "request" below is a fresh user object (Wagtail keeps the rows on the user for one
request only), so every answer after a change is read from the shared cache or afresh.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail.permissions import policy_registry

from tests.admin_forms import form_data, read_between
from warning.rights import CachedPagePermissionPolicy

pytestmark = pytest.mark.django_db
User = get_user_model()


def fresh(user):
    return User.objects.get(pk=user.pk)


def can_edit(user, page):
    return policy_registry.get_by_type(Page).user_has_permission_for_instance(fresh(user), "change", page)


@pytest.fixture
def tree():
    """A group with 'change' on a page A (with a child), a user in the group, and a page B elsewhere."""
    root = Page.get_first_root_node()
    a = root.add_child(instance=Page(title="甲", slug="perm-a"))
    child = a.add_child(instance=Page(title="甲子", slug="perm-a-child"))
    b = root.add_child(instance=Page(title="乙", slug="perm-b"))
    group = Group.objects.create(name="缓存测试组")
    change = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    GroupPagePermission.objects.create(group=group, page=a, permission=change)
    user = User.objects.create_user("perm-user", password="pass12345!")
    user.groups.add(group)
    return {"a": a, "child": child, "b": b, "group": group, "change": change, "user": user}


def test_page_permissions_are_wagtails_rows_read_once_from_the_shared_cache(tree, django_assert_num_queries):
    policy = policy_registry.get_by_type(Page)
    assert isinstance(policy, CachedPagePermissionPolicy)
    assert can_edit(tree["user"], tree["child"]) and not can_edit(tree["user"], tree["b"])
    user = fresh(tree["user"])
    with django_assert_num_queries(0):
        rows = policy.get_cached_permissions_for_user(user)
    assert [(row.page_id, row.permission.codename) for row in rows] == [(tree["a"].pk, "change_page")]


def test_a_granted_or_revoked_page_permission_shows_at_once(tree):
    assert not can_edit(tree["user"], tree["b"])
    grant = GroupPagePermission.objects.create(group=tree["group"], page=tree["b"], permission=tree["change"])
    assert can_edit(tree["user"], tree["b"])
    grant.delete()
    assert not can_edit(tree["user"], tree["b"])
    GroupPagePermission.objects.filter(group=tree["group"]).delete()
    assert not can_edit(tree["user"], tree["child"])


def test_joining_or_leaving_a_group_or_its_deletion_shows_at_once(tree):
    user, group = tree["user"], tree["group"]
    assert can_edit(user, tree["child"])
    user.groups.remove(group)
    assert not can_edit(user, tree["child"])
    group.user_set.add(user)  # from the group's side
    assert can_edit(user, tree["child"])
    group.delete()
    assert not can_edit(user, tree["child"])


def test_a_moved_page_keeps_its_rights_at_its_new_place(tree):
    assert can_edit(tree["user"], tree["child"])
    tree["a"].move(tree["b"], pos="last-child")  # the cached row held A's old tree path
    child = Page.objects.get(pk=tree["child"].pk)
    assert child.path.startswith(tree["b"].path)
    assert can_edit(tree["user"], child)
    assert not can_edit(tree["user"], Page.objects.get(pk=tree["b"].pk))


def test_the_explorer_follows_a_revoked_right(client, point, point_editor):
    column = point.subsite.get_children().first()
    client.force_login(point_editor)
    url = reverse("wagtailadmin_explore", args=[column.pk])
    assert client.get(url).status_code == 200
    GroupPagePermission.objects.filter(group__user=point_editor).delete()
    assert client.get(url).status_code in (302, 403, 404)


def test_a_right_granted_on_wagtails_group_screen_shows_at_once(client, tree, admin_user):
    """Wagtail's group screen writes page permissions with bulk_create (no signal)."""
    assert not can_edit(tree["user"], tree["b"])  # now cached
    url = reverse("wagtailusers_groups:edit", args=[tree["group"].pk])
    client.force_login(admin_user)
    data = form_data(client.get(url).content)
    total = int(data["page_permissions-TOTAL_FORMS"])
    data["page_permissions-TOTAL_FORMS"] = str(total + 1)
    data[f"page_permissions-{total}-page"] = str(tree["b"].pk)
    data[f"page_permissions-{total}-permissions"] = ["change_page"]
    with read_between(Group, lambda: can_edit(tree["user"], tree["b"])):  # a request between the two writes
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert GroupPagePermission.objects.filter(group=tree["group"], page=tree["b"]).exists()
    assert can_edit(tree["user"], tree["b"])


def test_the_explorable_root_is_read_once_and_follows_rights_moves_and_slugs(
    tree, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The common ancestor of the user's pages (every screen's menu asks for it) comes from the shared cache."""
    policy = policy_registry.get_by_type(Page)

    def root():
        return policy.explorable_root_instance(fresh(tree["user"]))

    assert root().pk == tree["a"].pk
    user = fresh(tree["user"])
    with django_assert_num_queries(0):
        assert policy.explorable_root_instance(user).pk == tree["a"].pk

    grant = GroupPagePermission.objects.create(group=tree["group"], page=tree["b"], permission=tree["change"])
    assert root().pk == Page.get_first_root_node().pk  # the common ancestor of A and B
    grant.delete()
    assert root().pk == tree["a"].pk

    tree["a"].move(tree["b"], pos="last-child")
    assert root().path == Page.objects.get(pk=tree["a"].pk).path
    assert root().path.startswith(tree["b"].path)

    a = Page.objects.get(pk=tree["a"].pk)
    a.slug = "perm-a-renamed"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail signals a slug change on commit
        a.save()
    assert root().url_path == Page.objects.get(pk=a.pk).url_path
    assert root().url_path.endswith("/perm-a-renamed/")
