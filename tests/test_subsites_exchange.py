"""预警工作交流 on the portal (docs/rules.md §3.1, §3.4): only reports published there are ever public."""

import pytest
from django.utils import timezone

from subsites.models import ExchangeIndexPage
from tests.shared_points import SharedPoints
from tests.subsites_factories import make_exchange_report
from warning.models import WarningReport


@pytest.fixture
def exchange(db):
    return ExchangeIndexPage.objects.get()


class TestSharedExchangeListsPublishedReports(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_exchange_lists_published_reports_with_their_point(self, client, point, exchange):
        make_exchange_report(point, title="美国对华氯化石蜡反倾销初裁")
        html = client.get(exchange.url).content.decode()
        assert '<html lang="zh-hans">' in html
        assert "美国对华氯化石蜡反倾销初裁" in html
        assert point.name in html

    @pytest.mark.parametrize(
        "state",
        [
            {"to_exchange": False},  # approved without 发布到预警工作交流
            {"to_exchange": True, "published": False},  # chosen but not yet published
            {"to_exchange": False, "stage": WarningReport.Stage.CITY},  # still in review
            {"to_exchange": False, "stage": WarningReport.Stage.REJECTED},
        ],
    )
    def test_exchange_never_shows_a_report_not_published_there(self, client, point, exchange, state):
        report = make_exchange_report(point, title="不应公开的信息", **state)
        assert "不应公开的信息" not in client.get(exchange.url).content.decode()
        assert client.get(f"{exchange.url}{report.pk}/").status_code == 404
        assert "不应公开的信息" not in client.get(f"{exchange.url}feed/").content.decode()
        assert "不应公开的信息" not in client.get("/search/", {"q": "不应公开"}).content.decode()
        assert f"{exchange.url}{report.pk}/" not in client.get("/sitemap-exchange.xml").content.decode()

    def test_exchange_report_page_shows_title_point_industry_country_date_and_body(self, client, point, exchange):
        published_at = timezone.make_aware(timezone.datetime(2026, 3, 18, 10, 30))
        report = make_exchange_report(
            point, title="欧盟对华有机硅发起反倾销调查", country="EU", exchange_published_at=published_at
        )
        response = client.get(f"{exchange.url}{report.pk}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1" in html and "欧盟对华有机硅发起反倾销调查" in html
        for text in (point.name, "化工", "欧盟", "2026年3月18日", "请企业做好应诉准备"):
            assert text in html
        assert 'aria-label="面包屑导航"' in html
        assert "张三" not in html and "0571-87654321" not in html  # author and phone stay internal


def test_exchange_report_of_an_unknown_id_is_404(client, exchange):
    assert client.get(f"{exchange.url}999999/").status_code == 404


class TestSharedExchangeFeedListsPublished(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_exchange_feed_lists_published_reports(self, client, point, exchange):
        make_exchange_report(point, title="印度对华维生素C保障措施")
        response = client.get(f"{exchange.url}feed/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        assert "印度对华维生素C保障措施" in response.content.decode()

    def test_sitemap_lists_each_published_exchange_report(self, client, point, exchange):
        report = make_exchange_report(point)
        assert "/sitemap-exchange.xml" in client.get("/sitemap.xml").content.decode()
        assert f"{exchange.url}{report.pk}/" in client.get("/sitemap-exchange.xml").content.decode()

    def test_search_finds_published_exchange_reports(self, client, point):
        make_exchange_report(point, title="巴西对华轮胎发起反倾销调查")
        html = client.get("/search/", {"q": "轮胎"}).content.decode()
        assert "巴西对华<mark>轮胎</mark>发起反倾销调查" in html

    def test_exchange_list_queries_do_not_grow_with_reports(
        self, client, point, exchange, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        make_exchange_report(point)
        client.get(exchange.url)
        with CaptureQueriesContext(connection) as small:
            client.get(exchange.url)
        for _ in range(15):
            make_exchange_report(point)
        with django_assert_max_num_queries(len(small)):
            assert client.get(exchange.url).status_code == 200
