"""What every admin screen asks about the logged-in user comes from the shared cache and follows
every change on the very next request (docs/performance.md, warning/rights.py).

The role and scope, the Django permissions, the collection permission rows and the locales
list cost no query once read; each way a right can be granted or revoked is exercised here
through the real path (Wagtail's group, user and collection screens where they exist, the ORM
from either side of a relation otherwise), and the next request must see the change. A
"next request" is a client GET, or a user object read afresh (Django and Wagtail keep the
rows on the user object for one request only).
"""

import json
import re
from pathlib import Path

import pytest
import wagtail
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, Locale
from wagtail.permissions import policy_registry

from tests.admin_forms import form_data, read_between
from tests.factories import make_user
from warning.models import City, Profile
from warning.models.profiles import GROUP_MAGAZINE, scope_of

pytestmark = pytest.mark.django_db
User = get_user_model()
HOME = "/admin/"
FRAME_QUERIES = {
    "role": '"auth_group"."name"',
    "permissions": 'DISTINCT "django_content_type"."app_label"',
    "locales": '"wagtailcore_locale"',
    "collection rows": '"wagtailcore_groupcollectionpermission"',
}


def fresh(user):
    return User.objects.get(pk=user.pk)


def access_admin():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def image_permission(codename):
    return Permission.objects.get(content_type__app_label="wagtailimages", codename=codename)


def may_add_images(user):
    return policy_registry.get_by_type(get_image_model()).user_has_permission(fresh(user), "add")


def logged_in(user):
    browser = Client()
    browser.force_login(user)
    return browser


def opens(browser, url=HOME):
    return browser.get(url).status_code == 200


@pytest.fixture
def magazine():
    user = make_user("magazine")
    User.objects.filter(pk=user.pk).update(first_name="五", last_name="王")  # Wagtail's user form requires a name
    return fresh(user)


@pytest.fixture
def plain():
    """A user with no role, in a group of its own that may enter the admin."""
    group = Group.objects.create(name="临时组")
    group.permissions.add(access_admin())
    user = User.objects.create_user("plain-user", password="pass12345!")
    user.groups.add(group)
    return user


def post_form(client, url, change):
    data = form_data(client.get(url).content)
    change(data)
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["form"].errors if response.context and "form" in response.context else response.status_code
    )


# --- the frame --------------------------------------------------------------------------------


def test_the_frame_asks_nothing_about_the_user_but_who_it_is_once_read(magazine):
    browser = logged_in(magazine)
    url = reverse("warning_messages:index")

    def frame_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert browser.get(url).status_code == 200
        return {name for name, sql in FRAME_QUERIES.items() if any(sql in q["sql"] for q in ctx.captured_queries)}

    assert frame_queries() == set(FRAME_QUERIES)  # read once …
    assert frame_queries() == set()  # … then from the shared cache


# --- Django permissions -----------------------------------------------------------------------


def test_a_permission_revoked_or_granted_on_wagtails_group_screen_shows_on_the_next_request(
    client, admin_user, magazine
):
    browser = logged_in(magazine)
    assert opens(browser)
    group = Group.objects.get(name=GROUP_MAGAZINE)
    url = reverse("wagtailusers_groups:edit", args=[group.pk])
    client.force_login(admin_user)
    admin = str(access_admin().pk)

    post_form(client, url, lambda data: data["permissions"].remove(admin))
    assert not opens(browser)
    post_form(client, url, lambda data: data["permissions"].append(admin))
    assert opens(browser)


def test_a_groups_permissions_changed_from_either_side_show_on_the_next_request(magazine):
    browser = logged_in(magazine)
    group = Group.objects.get(name=GROUP_MAGAZINE)
    assert opens(browser)
    group.permissions.remove(access_admin())
    assert not opens(browser)
    access_admin().group_set.add(group)
    assert opens(browser)
    group.permissions.clear()
    assert not opens(browser)


def test_a_users_own_permissions_show_on_the_next_request(plain):
    browser = logged_in(plain)
    plain.groups.clear()
    assert not opens(browser)
    plain.user_permissions.add(access_admin())
    assert opens(browser)
    access_admin().user_set.remove(plain)
    assert not opens(browser)


def test_a_deleted_permission_is_gone_at_once(plain):
    assert fresh(plain).has_perm("wagtailadmin.access_admin")
    extra = Permission.objects.create(
        codename="frame_test", name="frame test", content_type=access_admin().content_type
    )
    Group.objects.get(name="临时组").permissions.add(extra)
    assert fresh(plain).has_perm("wagtailadmin.frame_test")
    extra.delete()  # the group's row goes with it, without an m2m signal
    assert not fresh(plain).has_perm("wagtailadmin.frame_test")


# --- memberships, groups, flags ---------------------------------------------------------------


def test_leaving_or_joining_a_group_on_wagtails_user_screen_shows_on_the_next_request(client, admin_user, magazine):
    browser = logged_in(magazine)
    magazine_screen = reverse("warning_magazine:report_index")
    assert opens(browser, magazine_screen)
    url = reverse("wagtailusers_users:edit", args=[magazine.pk])
    client.force_login(admin_user)
    group = str(Group.objects.get(name=GROUP_MAGAZINE).pk)

    post_form(client, url, lambda data: data.update(groups=[]))
    assert not opens(browser, magazine_screen)
    assert not opens(browser)
    post_form(client, url, lambda data: data.update(groups=[group]))
    assert opens(browser, magazine_screen)


def test_a_membership_changed_from_either_side_shows_on_the_next_request(magazine):
    browser = logged_in(magazine)
    group = Group.objects.get(name=GROUP_MAGAZINE)
    magazine_screen = reverse("warning_magazine:report_index")
    assert opens(browser, magazine_screen)
    magazine.groups.remove(group)
    assert not opens(browser, magazine_screen)
    group.user_set.add(magazine)
    assert opens(browser, magazine_screen)
    magazine.groups.clear()
    assert not opens(browser, magazine_screen)


def test_superuser_and_active_flags_set_on_wagtails_user_screen_show_on_the_next_request(client, admin_user, magazine):
    browser = logged_in(magazine)
    users = reverse("wagtailusers_users:index")
    assert browser.get(users).status_code == 403
    url = reverse("wagtailusers_users:edit", args=[magazine.pk])
    client.force_login(admin_user)

    post_form(client, url, lambda data: data.update(is_superuser=["on"]))
    assert opens(browser, users)
    post_form(client, url, lambda data: data.pop("is_superuser"))
    assert browser.get(users).status_code == 403
    post_form(client, url, lambda data: data.pop("is_active"))
    assert not opens(browser)


def test_a_role_assigned_or_a_user_deactivated_by_wagtails_bulk_actions_shows_on_the_next_request(
    client, admin_user, magazine, plain
):
    """Wagtail's user list assigns a role to many users (group.user_set.add) and marks them
    inactive with one UPDATE (no signal at all: whether a user is active is never cached)."""
    browser = logged_in(plain)
    magazine_screen = reverse("warning_magazine:report_index")
    assert browser.get(magazine_screen).status_code == 403
    client.force_login(admin_user)

    def bulk(action, **data):
        url = reverse("wagtail_bulk_action", args=["auth", "user", action]) + f"?id={plain.pk}"
        response = client.post(url, data)
        assert response.status_code == 302, response.status_code

    bulk("assign_role", role=Group.objects.get(name=GROUP_MAGAZINE).pk)
    assert opens(browser, magazine_screen)
    bulk("set_active_state", mark_as_active="False")
    assert not fresh(plain).is_active
    assert not opens(browser, magazine_screen)
    assert not opens(browser)
    assert opens(logged_in(magazine), magazine_screen)  # the others keep theirs


def test_a_group_deleted_on_wagtails_screen_or_elsewhere_takes_its_rights_with_it(client, admin_user, plain, magazine):
    browser = logged_in(plain)
    assert opens(browser)
    client.force_login(admin_user)
    group = Group.objects.get(name="临时组")
    response = client.post(reverse("wagtailusers_groups:delete", args=[group.pk]))
    assert response.status_code == 302 and not Group.objects.filter(pk=group.pk).exists()
    assert not opens(browser)

    browser = logged_in(magazine)
    assert opens(browser)
    Group.objects.get(name=GROUP_MAGAZINE).delete()
    assert not opens(browser)


def test_a_renamed_role_group_changes_the_role_on_the_next_request(magazine):
    browser = logged_in(magazine)
    magazine_screen = reverse("warning_magazine:report_index")
    assert opens(browser, magazine_screen)
    group = Group.objects.get(name=GROUP_MAGAZINE)
    group.name = "改名的组"
    group.save()
    assert not opens(browser, magazine_screen)
    group.name = GROUP_MAGAZINE
    group.save()
    assert opens(browser, magazine_screen)


def test_a_profile_edited_or_deleted_changes_the_scope_on_the_next_request():
    """The profile is read with the session's user, never cached: even an UPDATE without a signal shows."""
    reviewer = make_user("city", city_name="杭州市")
    hangzhou, lishui = City.objects.get(name="杭州市"), City.objects.get(name="丽水市")
    browser = logged_in(reviewer)
    assert scope_of(fresh(reviewer)).city_id == hangzhou.pk
    assert opens(browser, reverse("warning_review:index"))
    profile = Profile.objects.get(user=reviewer)
    profile.city = lishui
    profile.save()
    assert scope_of(fresh(reviewer)).city_id == lishui.pk
    Profile.objects.filter(user=reviewer).update(city=hangzhou)
    assert scope_of(fresh(reviewer)).city_id == hangzhou.pk
    profile.delete()
    assert scope_of(fresh(reviewer)).city_id is None
    assert not opens(browser, reverse("warning_review:index"))  # a reviewer of no city reviews nothing


def test_a_deleted_users_id_reused_by_a_new_user_brings_none_of_its_rights(plain):
    assert fresh(plain).has_perm("wagtailadmin.access_admin")
    assert scope_of(fresh(plain)) == scope_of(fresh(plain))  # cached
    pk = plain.pk
    plain.delete()
    newcomer = User.objects.create_user("newcomer", password="pass12345!", id=pk)  # SQLite reuses the last id
    assert not newcomer.has_perm("wagtailadmin.access_admin")
    assert not fresh(newcomer).has_perm("wagtailadmin.access_admin")


# --- collection permissions -------------------------------------------------------------------


def test_collection_rights_granted_or_revoked_on_wagtails_group_screen_show_on_the_next_request(
    client, admin_user, plain
):
    group = Group.objects.get(name="临时组")
    root = Collection.get_first_root_node()
    assert not may_add_images(plain)  # now cached
    url = reverse("wagtailusers_groups:edit", args=[group.pk])
    client.force_login(admin_user)

    def grant(data):
        data["image_permissions-TOTAL_FORMS"] = "1"
        data["image_permissions-0-collection"] = str(root.pk)
        data["image_permissions-0-permissions"] = [str(image_permission("add_image").pk)]

    with read_between(Group, lambda: may_add_images(plain)):
        post_form(client, url, grant)
    assert GroupCollectionPermission.objects.filter(group=group).exists()
    assert may_add_images(plain)

    with read_between(Group, lambda: may_add_images(plain)):
        post_form(client, url, lambda data: data.update({"image_permissions-0-DELETE": "on"}))
    assert not GroupCollectionPermission.objects.filter(group=group).exists()
    assert not may_add_images(plain)


def test_collection_rights_saved_or_deleted_elsewhere_show_at_once(plain):
    group = Group.objects.get(name="临时组")
    assert not may_add_images(plain)
    row = GroupCollectionPermission.objects.create(
        group=group, collection=Collection.get_first_root_node(), permission=image_permission("add_image")
    )
    assert may_add_images(plain)
    row.delete()
    assert not may_add_images(plain)


def test_a_collection_moved_on_wagtails_screen_keeps_its_rights_at_its_new_place(client, admin_user, plain):
    """The rows carry the collection's tree path; Wagtail's screen moves it without a signal."""
    root = Collection.get_first_root_node()
    left = root.add_child(instance=Collection(name="一"))  # Wagtail keeps siblings sorted by name: 一 < 二
    right = root.add_child(instance=Collection(name="二"))
    granted = right.add_child(instance=Collection(name="有权"))
    inner = granted.add_child(instance=Collection(name="有权之下"))
    GroupCollectionPermission.objects.create(
        group=Group.objects.get(name="临时组"), collection=granted, permission=image_permission("add_image")
    )
    policy = policy_registry.get_by_type(get_image_model())
    assert policy.user_has_permission_for_instance(fresh(plain), "add", get_image_model()(collection=inner))

    client.force_login(admin_user)
    url = reverse("wagtailadmin_collections:edit", args=[granted.pk])
    with read_between(Collection, lambda: may_add_images(plain)):
        post_form(client, url, lambda data: data.update(parent=str(left.pk)))
    inner.refresh_from_db()
    left.refresh_from_db()
    assert inner.path.startswith(left.path) and not inner.path.startswith(right.path)
    assert policy.user_has_permission_for_instance(fresh(plain), "add", get_image_model()(collection=inner))
    assert set(policy.collections_user_has_permission_for(fresh(plain), "add")) == {
        Collection.objects.get(pk=granted.pk),
        inner,
    }

    Collection.objects.get(pk=granted.pk).delete()
    assert not may_add_images(plain)


# --- locales ----------------------------------------------------------------------------------


def admin_config(browser):
    page = BeautifulSoup(browser.get(HOME).content, "html.parser")
    return json.loads(page.find("script", id="wagtail-config").string)


def test_the_admin_configuration_is_wagtails_own_with_the_locales_from_the_cache(admin_user):
    request = RequestFactory().get(HOME)
    request.user = fresh(admin_user)
    wagtails = Template('{% load wagtailadmin_tags %}{% wagtail_config as c %}{{ c|json_script:"c" }}')
    ours = Template('{% load warning_admin %}{% wagtail_config_cached as c %}{{ c|json_script:"c" }}')

    def rendered(template):
        config = json.loads(re.sub(r"^<script[^>]*>|</script>$", "", template.render(Context({"request": request}))))
        config.pop("CSRF_TOKEN")  # masked afresh on each call
        return config

    assert rendered(ours) == rendered(wagtails)
    assert [locale["code"] for locale in rendered(ours)["LOCALES"]] == list(
        Locale.objects.values_list("language_code", flat=True)
    )


def test_a_locale_added_or_removed_shows_on_the_next_request(admin_user):
    browser = logged_in(admin_user)
    before = [locale["code"] for locale in admin_config(browser)["LOCALES"]]
    added = Locale.objects.create(language_code="en")
    assert [locale["code"] for locale in admin_config(browser)["LOCALES"]] == sorted([*before, "en"])
    added.delete()
    assert [locale["code"] for locale in admin_config(browser)["LOCALES"]] == before


def test_our_admin_script_block_is_wagtails_but_for_the_configuration_tag():
    """An upgrade of Wagtail that changes its block must be carried over to ours."""

    def js_block(path):
        text = Path(path).read_text()
        return re.search(r"{% block js %}(.*?){% endblock %}\s*$", text, re.S).group(1).split()

    wagtails = js_block(Path(wagtail.__file__).parent / "admin/templates/wagtailadmin/admin_base.html")
    ours = js_block(Path(__file__).parents[1] / "templates/wagtailadmin/admin_base.html")
    assert [word.replace("wagtail_config_cached", "wagtail_config") for word in ours] == wagtails
