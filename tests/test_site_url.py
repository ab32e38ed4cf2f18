"""Links in e-mails and in the API come from configured site settings, never a hard-coded host."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from wagtail.models import Site

from tests.subsites_factories import make_article
from warning.notify import notify_users
from warning.site_url import configure_site, site_base_url

pytestmark = pytest.mark.django_db


def test_mail_links_use_wagtailadmin_base_url(point_editor, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://yujing.zj.gov.cn/"
    notify_users([point_editor], "标题", "内容", url="/admin/messages/")
    assert "https://yujing.zj.gov.cn/admin/messages/" in mail.outbox[0].body


def test_without_the_setting_mail_links_use_the_default_sites_address(point_editor, settings):
    settings.WAGTAILADMIN_BASE_URL = ""
    configure_site("https://yujing.zj.gov.cn")
    assert site_base_url() == "https://yujing.zj.gov.cn"
    notify_users([point_editor], "标题", "内容", url="/admin/messages/")
    assert "https://yujing.zj.gov.cn/admin/messages/" in mail.outbox[0].body
    configure_site("http://127.0.0.1:8000")  # make run
    assert site_base_url() == "http://127.0.0.1:8000"


def test_api_links_follow_the_configured_site(client, point):
    call_command("configure_site", url="http://yujing.zj.gov.cn", stdout=open("/dev/null", "w"))
    make_article(point, title="美国对华反倾销调查")
    response = client.get("/api/v2/pages/", {"limit": 20})
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    urls = [item["meta"]["html_url"] for item in items if item["meta"].get("html_url")]
    assert urls and all(url.startswith("http://yujing.zj.gov.cn/") for url in urls)
    assert not any("localhost" in url or "127.0.0.1" in url for url in urls)


def test_configure_site_refuses_a_bad_address_and_changes_nothing():
    before = Site.objects.get(is_default_site=True)
    with pytest.raises(ValidationError, match="网站地址无效"):
        configure_site("yujing.zj.gov.cn")
    with pytest.raises(CommandError, match="网站地址无效"):
        call_command("configure_site", url="ftp://x")
    after = Site.objects.get(is_default_site=True)
    assert (after.hostname, after.port) == (before.hostname, before.port)


def test_configure_site_reads_the_environment(monkeypatch):
    monkeypatch.setenv("WAGTAILADMIN_BASE_URL", "https://yj.example.gov.cn")
    call_command("configure_site", stdout=open("/dev/null", "w"))
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("yj.example.gov.cn", 443)
