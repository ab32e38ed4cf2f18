"""地市审核进度查询 (docs/rules.md §3.5): per city, waiting at the city stage, approved / returned this year, oldest waiting."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_point, make_user
from tests.review_factories import decide, make_report
from tests.shared_points import SharedPoints
from warning import review
from warning.models import ReviewRecord, WarningReport

URL = "warning_progress"


def login(user):
    client = Client()
    client.force_login(user)
    return client


def row(rows, city_name):
    return next(r for r in rows if r.city.name == city_name)


def test_progress_counts_waiting_approved_returned_and_rejected_per_city(
    point, other_point, point_editor, other_point_editor, city_reviewer, other_city_reviewer
):
    waiting_old = make_report(point, point_editor)
    WarningReport.objects.filter(pk=waiting_old.pk).update(submitted_at=timezone.now() - timedelta(days=9))
    make_report(point, point_editor)
    decide(make_report(point, point_editor), city_reviewer, review.APPROVE)
    returned = make_report(point, point_editor)
    decide(returned, city_reviewer, review.RETURN, comment="请修改")
    review.submit(returned, point_editor)
    decide(returned, city_reviewer, review.RETURN, comment="仍需修改")  # the same report twice: counted once
    decide(make_report(other_point, other_point_editor), other_city_reviewer, review.REJECT, comment="非原创")

    rows = review.city_review_progress(timezone.localdate().year)
    assert len(rows) == 11
    hangzhou, lishui = row(rows, "杭州市"), row(rows, "丽水市")
    assert (hangzhou.waiting, hangzhou.approved, hangzhou.returned, hangzhou.rejected) == (2, 1, 1, 0)
    assert hangzhou.oldest_age_days == 9
    assert (lishui.waiting, lishui.approved, lishui.returned, lishui.rejected) == (0, 0, 0, 1)
    assert lishui.oldest_age_days is None


class TestSharedDecisionsOfAnotherYear(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_decisions_of_another_year_do_not_count(self, point, point_editor, city_reviewer):
        decide(make_report(point, point_editor), city_reviewer, review.APPROVE)
        ReviewRecord.objects.update(created_at=timezone.now().replace(year=timezone.now().year - 1))
        hangzhou = row(review.city_review_progress(timezone.localdate().year), "杭州市")
        assert hangzhou.approved == 0
        assert row(review.city_review_progress(timezone.localdate().year - 1), "杭州市").approved == 1

    def test_the_screen_shows_every_city_to_the_provincial_contact(self, point, point_editor, provincial):
        make_report(point, point_editor)
        response = login(provincial).get(reverse(URL))
        assert response.status_code == 200
        html = response.content.decode()
        for text in ("所属地市", "待地市审核", "最早一条已等待", "退回修改", "杭州市", "丽水市", "合计"):
            assert text in html


def test_a_bad_year_gets_a_clear_message_and_the_current_year(provincial):
    response = login(provincial).get(reverse(URL) + "?year=abc", follow=True)
    assert response.status_code == 200
    assert "年度无效" in response.content.decode()
    assert response.context["year"] == timezone.localdate().year


def test_every_number_drills_down_to_its_reports(
    point, other_point, point_editor, other_point_editor, city_reviewer, other_city_reviewer, provincial
):
    waiting = make_report(point, point_editor, title="等待地市审核的一条")
    approved = make_report(point, point_editor, title="地市通过的一条")
    decide(approved, city_reviewer, review.APPROVE)
    returned = make_report(point, point_editor, title="退回两次的一条")
    decide(returned, city_reviewer, review.RETURN, comment="请修改")
    review.submit(returned, point_editor)
    decide(returned, city_reviewer, review.RETURN, comment="仍需修改")
    rejected = make_report(other_point, other_point_editor, title="丽水不予通过的一条")
    decide(rejected, other_city_reviewer, review.REJECT, comment="非原创")

    client = login(provincial)
    response = client.get(reverse(URL))
    year = timezone.localdate().year
    links = dict(
        re.findall(r'<a href="(/admin/review-progress/\d+/\w+/\?year=\d+)">(\d+)</a>', response.content.decode())
    )
    expected = {
        (point.district.city_id, "waiting"): [waiting],
        (point.district.city_id, review.APPROVE): [approved],
        (point.district.city_id, review.RETURN): [returned],
        (other_point.district.city_id, review.REJECT): [rejected],
    }
    assert len(links) == len(expected)
    for (city_id, kind), reports in expected.items():
        url = f"{reverse('warning_progress_records', args=[city_id, kind])}?year={year}"
        assert links[url] == str(len(reports))
        html = client.get(url).content.decode()
        assert [int(pk) for pk in re.findall(r'data-report="(\d+)"', html)] == [r.pk for r in reports]


class TestSharedTheDrillDownIs(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_the_drill_down_is_refused_to_others_and_404_for_a_bad_kind(self, point, city_reviewer, provincial):
        url = reverse("warning_progress_records", args=[point.district.city_id, "waiting"])
        assert login(city_reviewer).get(url).status_code == 403
        assert login(provincial).get(url.replace("waiting", "nonsense")).status_code == 404
        assert login(provincial).get(reverse("warning_progress_records", args=[999999, "waiting"])).status_code == 404

    @pytest.mark.parametrize("role", ["point", "city", "magazine"])
    def test_other_roles_get_403(self, point, point_editor, city_reviewer, role):
        user = {"point": point_editor, "city": city_reviewer, "magazine": make_user("magazine")}[role]
        assert login(user).get(reverse(URL)).status_code == 403


@pytest.mark.parametrize("size", [3, 30])
def test_query_count_does_not_grow_with_points_or_reports(size, provincial, django_assert_max_num_queries):
    reviewers = {}
    districts = ["建德市", "庆元县", "鹿城区", "海曙区"]
    for i in range(size):
        district = districts[i % len(districts)]
        point = make_point(district_name=district)
        report = make_report(point, make_user("point", point=point))
        if i % 3 == 0:
            city = point.district.city.name
            reviewer = reviewers.setdefault(city, make_user("city", city_name=city))
            decide(report, reviewer, review.APPROVE)
    client = login(provincial)
    client.get(reverse(URL))
    with django_assert_max_num_queries(18):
        response = client.get(reverse(URL))
    assert sum(r.waiting for r in response.context["rows"]) == size - len(range(0, size, 3))
