"""Refusals in the browser (docs/rules.md §3.1, §7): what a user sees when the system says no, and that nothing changed.

- a point editor reaching another point's subsite pages, reports or record;
- a city reviewer reaching another city's report;
- the exclusive options: 重要信息内部交流 with 推荐到杂志 or 发布到预警工作交流;
- two provincial contacts deciding the same report at once: the first wins,
  the second is told and nothing is applied twice.
"""

import re

from subsites.models import ColumnKind
from tests.e2e.browser import click_and_wait, flash_messages, login
from tests.e2e.province import OTHER_POINT_NAME, POINT_NAME
from tests.factories import make_user
from tests.review_factories import decide, make_report
from tests.statistics_factories import make_article as make_dated_article
from tests.statistics_factories import sh
from warning import review, statistics
from warning.models import ReviewRecord, WarningReport

WAGTAIL_REFUSAL = "对不起， 你没有权限访问。"  # Wagtail's own zh-hans "permission denied" message
NOT_FOUND = "找不到请求的页面"  # Wagtail admin's 404 page
EXCLUSIVE = "“重要信息内部交流”不能与“推荐到杂志”或“发布到预警工作交流”同时选择。"


def at_admin_home(page):
    return re.search(r"/admin/$", page.url) is not None


def test_point_editor_is_refused_another_points_pages_and_reports(new_page, shot, province):
    other = province.other
    year = statistics.today_in_shanghai().year
    other_article = make_dated_article(other, ColumnKind.NEWS, sh(year, 3, 1), title="庆元铅笔协会工作动态")
    other_report = make_report(other, province.other_editor, title="庆元铅笔出口预警")
    own_home = province.point.subsite

    page = new_page()
    login(page, "jiande")
    # Another point's subsite page: Wagtail refuses and sends the user to the admin home with its message.
    page.goto(f"/admin/pages/{other_article.pk}/edit/")
    assert at_admin_home(page) and WAGTAIL_REFUSAL in flash_messages(page)
    shot(page, "90-refused-other-subsite-page")
    page.goto(f"/admin/pages/{other.subsite.pk}/add_subpage/")
    assert at_admin_home(page) and WAGTAIL_REFUSAL in flash_messages(page)
    # The page explorer does not open the other subsite: Wagtail shows the user's own subsite instead.
    page.goto(f"/admin/pages/{other.subsite.pk}/")
    assert page.url.endswith(f"/admin/pages/{own_home.pk}/")
    explorer = page.locator("main").inner_text()
    assert POINT_NAME in explorer and "工作动态" in explorer
    assert OTHER_POINT_NAME not in explorer
    # Another point's report, whichever view is asked: not found.
    for url in (
        f"/admin/snippets/warning/warningreport/inspect/{other_report.pk}/",
        f"/admin/snippets/warning/warningreport/edit/{other_report.pk}/",
        f"/admin/snippets/warning/warningreport/history/{other_report.pk}/",
    ):
        assert page.goto(url).status == 404, url
        assert NOT_FOUND in page.locator("body").inner_text(), url
    shot(page, "92-refused-other-point-report")
    page.goto("/admin/snippets/warning/warningreport/")
    assert "庆元铅笔出口预警" not in page.locator("main").inner_text()
    # Another point's record in 预警点管理, and the reviewers' screen.
    assert page.goto(f"/admin/warning/warningpoint/inspect/{other.pk}/").status == 404
    assert NOT_FOUND in page.locator("body").inner_text()
    assert page.goto(f"/admin/review/{other_report.pk}/").status == 403
    assert page.locator("[role=alert]").inner_text().strip() == "您没有权限访问此页面。"
    other_report.refresh_from_db()
    assert other_report.stage == WarningReport.Stage.CITY


def test_city_reviewer_is_refused_another_citys_report(new_page, province):
    report = make_report(province.point, province.editor, title="建德化工出口预警")  # 杭州市

    page = new_page()
    login(page, "lishui")
    page.goto("/admin/review/")
    assert "建德化工出口预警" not in page.locator("main").inner_text()
    assert page.goto(f"/admin/review/{report.pk}/").status == 404
    assert NOT_FOUND in page.locator("body").inner_text()
    report.refresh_from_db()
    assert report.stage == WarningReport.Stage.CITY and not report.reviews.exists()


def test_internal_exchange_cannot_be_submitted_with_magazine_or_exchange(new_page, shot, province):
    report = make_report(province.point, province.editor, title="日本提高化工品进口标准预警")
    decide(report, province.city, review.APPROVE, comment="同意上报")

    page = new_page()
    login(page, "shengting")
    page.goto(f"/admin/review/{report.pk}/")
    for other_option in ("magazine", "exchange"):
        page.check("input[name=action][value=approve]")
        page.check("input[name=options][value=internal]")
        page.check(f"input[name=options][value={other_option}]")
        page.fill("textarea[name=comment]", "内容较有深度")
        click_and_wait(page, ".warning-review__form button[type=submit]")
        assert EXCLUSIVE in page.locator(".warning-review__form [role=alert]").inner_text()
        assert EXCLUSIVE in flash_messages(page)
        report.refresh_from_db()
        assert report.stage == WarningReport.Stage.PROVINCIAL
        assert not (report.to_internal or report.to_magazine or report.to_exchange)
        assert not report.reviews.filter(stage=ReviewRecord.Stage.PROVINCIAL).exists()
        page.uncheck(f"input[name=options][value={other_option}]")
    shot(page, "91-review-option-error")
    # With 重要信息内部交流 alone the same form goes through.
    click_and_wait(page, ".warning-review__form button[type=submit]")
    report.refresh_from_db()
    assert report.stage == WarningReport.Stage.APPROVED
    assert report.to_internal and not (report.to_magazine or report.to_exchange)


def test_of_two_reviewers_deciding_at_once_only_the_first_decision_applies(new_page, province):
    report = make_report(province.point, province.editor, title="越南对华钢材保障措施预警")
    decide(report, province.city, review.APPROVE, comment="同意上报")
    make_user("province", username="shengting2")

    first, second = new_page(), new_page()
    login(first, "shengting")
    login(second, "shengting2")
    first.goto(f"/admin/review/{report.pk}/")
    second.goto(f"/admin/review/{report.pk}/")

    first.check("input[name=action][value=approve]")
    first.check("input[name=options][value=exchange]")
    click_and_wait(first, ".warning-review__form button[type=submit]")
    assert "通过" in flash_messages(first)

    second.check("input[name=action][value=return]")
    second.fill("textarea[name=comment]", "请补充数据")
    click_and_wait(second, ".warning-review__form button[type=submit]")
    assert "该预警信息已由其他审核人处理，当前状态为“审核通过”，您的操作未生效。" in flash_messages(second)
    assert second.locator(".warning-review__form form").count() == 0  # no form left to act with

    report.refresh_from_db()
    assert report.stage == WarningReport.Stage.APPROVED and report.to_exchange
    provincial = report.reviews.filter(stage=ReviewRecord.Stage.PROVINCIAL)
    assert list(provincial.values_list("action", "user__username")) == [("approve", "shengting")]
    assert not report.reviews.filter(comment="请补充数据").exists()
