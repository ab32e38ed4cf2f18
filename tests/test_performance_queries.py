"""Query counts of the statistics screens, the exports and the admin home, at two sizes (docs/performance.md).

Speed itself is measured by `make bench` (scripts/bench.py), never here: these
tests assert that the number of queries does not grow with the data.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.review_factories import decide, make_report
from warning import review
from warning.models import WarningReport

# (url name, extra query parameters, most queries allowed): every statistics screen and
# export, the admin home included, within 15 whatever the number of points
# (docs/performance.md lists what the admin frame and the home's panels ask).
SCREENS = [
    ("wagtailadmin_home", {}, 15),
    ("warning_statistics:index", {}, 15),
    ("warning_statistics:counts", {}, 15),
    ("warning_statistics:scores", {}, 15),
    ("warning_statistics:export_info_list", {}, 15),
    ("warning_statistics:export_scores", {}, 15),
    ("warning_statistics:export_scores", {"format": "json"}, 15),
]


@pytest.fixture(params=[4, 40], ids=["4-points", "40-points"])
def bench_data(request, db):
    call_command(
        "seed_bench", "--points", str(request.param), "--years", "1", stdout=io.StringIO(), stderr=io.StringIO()
    )
    return request.param


@pytest.mark.parametrize(("url_name", "params", "limit"), SCREENS)
def test_statistics_screens_and_exports_run_a_fixed_number_of_queries(
    client, provincial, bench_data, url_name, params, limit, django_assert_max_num_queries
):
    client.force_login(provincial)
    client.get(reverse(url_name), params)  # session and caches warmed, as for a user already in the admin
    with django_assert_max_num_queries(limit):
        response = client.get(reverse(url_name), params)
    assert response.status_code == 200


@pytest.mark.parametrize("waiting", [1, 4])
def test_admin_home_queries_do_not_grow_with_reports_waiting_at_the_provincial_stage(
    client, point, point_editor, city_reviewer, provincial, waiting, django_assert_max_num_queries
):
    for _ in range(waiting):
        decide(make_report(point, point_editor), city_reviewer, review.APPROVE, comment="")
    assert WarningReport.objects.filter(stage=WarningReport.Stage.PROVINCIAL).count() == waiting
    client.force_login(provincial)
    client.get(reverse("wagtailadmin_home"))
    # with reports waiting, the review panel reads their objects, revisions and task states:
    # five more than the 15 of an empty queue (docs/performance.md), never more per report
    with django_assert_max_num_queries(20):
        response = client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    # every waiting report is listed with its actions, as in Wagtail's own panel
    for report in WarningReport.objects.filter(stage=WarningReport.Stage.PROVINCIAL):
        assert report.title in html


def test_seed_bench_reports_its_progress_on_stderr(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_bench", "--points", "3", "--years", "1", stdout=out, stderr=err)
    progress = err.getvalue()
    assert "生成 3 个预警点" in progress
    assert "写入子网站文章" in progress
    assert "提交事务" in progress
    assert "已生成 3 个预警点" in out.getvalue()  # the summary stays on stdout
