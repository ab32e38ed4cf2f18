"""The admin login page speaks Chinese, and django-axes throttles repeated failures."""

import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_login_page_labels_are_chinese(client):
    html = client.get("/admin/login/").content.decode()
    assert "密码" in html
    assert ">Password<" not in html


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_lock_the_account(client):
    from tests.factories import make_user

    make_user("province", username="locked_user")
    for _ in range(3):
        client.post("/admin/login/", {"username": "locked_user", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "locked_user", "password": "pass12345!"})
    assert response.status_code == 429
