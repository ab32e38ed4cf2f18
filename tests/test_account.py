"""帐号 and names: a password change needs only a name; names read 姓名 in Chinese order everywhere."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from warning.names import display_name, full_name

pytestmark = pytest.mark.django_db
PASSWORD = "pass12345!"


def account_post(**fields):
    """Everything Wagtail's account page posts, with the current defaults, plus `fields`."""
    data = {
        "name_email-last_name": "",
        "name_email-first_name": "",
        "name_email-email": "",
        "theme-theme": "system",
        "theme-contrast": "system",
        "theme-density": "default",
        "locale-preferred_language": "",
        "locale-current_time_zone": "",
    }
    data.update(fields)
    return data


def test_full_name_puts_the_family_name_first():
    assert full_name("桂英", "汪") == "汪桂英"
    assert full_name("陈静", "") == "陈静"
    assert full_name("", "汪") == "汪"
    assert full_name("John", "Smith") == "John Smith"


def test_get_full_name_is_in_chinese_order_on_screens(point_editor):
    User = get_user_model()
    User.objects.filter(pk=point_editor.pk).update(first_name="桂英", last_name="汪")
    user = User.objects.get(pk=point_editor.pk)
    assert user.get_full_name() == "汪桂英" and display_name(user) == "汪桂英"
    client = Client()
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "汪桂英" in html and "桂英 汪" not in html


def test_a_seeded_account_changes_its_password_with_only_a_name(point_editor):
    User = get_user_model()
    User.objects.filter(pk=point_editor.pk).update(first_name="陈静", last_name="", email="")
    client = Client()
    client.force_login(User.objects.get(pk=point_editor.pk))
    response = client.post(
        reverse("wagtailadmin_account"),
        account_post(
            **{
                "name_email-first_name": "陈静",
                "password-old_password": PASSWORD,
                "password-new_password1": "NewPass-2026!x",
                "password-new_password2": "NewPass-2026!x",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=point_editor.pk).check_password("NewPass-2026!x")


def test_the_account_page_asks_family_name_first_and_needs_no_email(point_editor):
    client = Client()
    client.force_login(point_editor)
    html = client.get(reverse("wagtailadmin_account")).content.decode()
    assert html.index('name="name_email-last_name"') < html.index('name="name_email-first_name"')
    assert 'name="name_email-email"' in html
    assert 'name="name_email-email" required' not in html and 'name="name_email-last_name" required' not in html


def test_a_name_is_still_required(point_editor):
    client = Client()
    client.force_login(point_editor)
    response = client.post(reverse("wagtailadmin_account"), account_post(**{"name_email-email": "a@example.com"}))
    assert response.status_code == 200
    assert "请填写姓名" in response.content.decode()
    assert get_user_model().objects.get(pk=point_editor.pk).email == "point@example.com"
