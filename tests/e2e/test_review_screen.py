"""The review screen in a browser: 请选择意见 fills the comment, 特大号/大号/中号 resize the text, the decision applies."""

from tests.e2e.browser import click_and_wait, login
from tests.factories import make_point, make_user
from tests.review_factories import decide, make_report
from warning import review
from warning.models import WarningReport


def test_provincial_reviewer_uses_the_review_screen(new_page, shot):
    point = make_point(name="建德精细化工产品对外贸易预警示范点")
    editor = make_user("point", point=point, username="jiande")
    city = make_user("city", city_name="杭州市", username="hangzhou")
    make_user("province", username="shengji")
    report = make_report(point, editor, title="美国对华有机硅发起反倾销调查")
    decide(report, city, review.APPROVE, comment="同意上报")

    page = new_page()
    login(page, "shengji")
    page.goto("/admin/review/")
    shot(page, "review-queue")
    click_and_wait(page, f"a[href^='/admin/review/{report.pk}/']")

    body = page.locator("#report-text")
    page.click("button[data-review-text-size=xl]")
    assert body.get_attribute("data-text-size") == "xl"
    page.select_option("select[data-review-opinion=select]", "内容具有典型性,建议推荐到《浙江商务》")
    assert page.input_value("textarea[data-review-opinion=comment]") == "内容具有典型性,建议推荐到《浙江商务》"
    page.check("input[name=options][value=magazine]")
    page.check("input[name=options][value=exchange]")
    shot(page, "review-screen")
    click_and_wait(page, ".warning-review__form button[type=submit]")

    report.refresh_from_db()
    assert report.stage == WarningReport.Stage.APPROVED and report.to_magazine and report.to_exchange
    assert report.reviews.get(stage=review.PROVINCIAL).comment == "内容具有典型性,建议推荐到《浙江商务》"


def test_city_reviewer_acts_from_the_dashboard_modal(new_page, shot):
    point = make_point(name="桐庐笔业对外贸易预警示范点", district_name="桐庐县")
    editor = make_user("point", point=point, username="tonglu")
    make_user("city", city_name="杭州市", username="hangzhou2")
    report = make_report(point, editor, title="印度对华圆珠笔启动保障措施调查")

    page = new_page()
    login(page, "hangzhou2")
    shot(page, "review-dashboard")
    assert page.locator("#awaiting-review-section").get_by_text(report.title).is_visible()
    page.locator("#awaiting-review-section .w-dropdown__toggle").first.click()
    page.get_by_role("button", name="退回修改").click()
    page.wait_for_selector(".modal textarea[data-review-opinion=comment]")
    page.select_option(".modal select[data-review-opinion=select]", index=1)
    assert page.input_value(".modal textarea[data-review-opinion=comment]") != ""
    shot(page, "review-modal")
    with page.expect_navigation():
        page.click(".modal form button[type=submit]")
    report.refresh_from_db()
    assert report.stage == WarningReport.Stage.RETURNED
