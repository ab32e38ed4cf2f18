"""The whole story across roles, in a real browser against the live server (docs/rules.md §3.1, §3.4, §4, §5).

Each role signs in through its own browser context and does what the user
guide says, by clicking; the data the story starts from is made with the ORM
helpers of tests/. The numbers of the provincial dashboard are read in the
browser before and after and compared with warning.scoring.score() on the
counts docs/rules.md §4–5 say the story adds. Screens are saved under test-artifacts/.
"""

import re

from PIL import Image

from subsites.models import ArticlePage, ColumnIndexPage, ColumnKind
from tests.e2e.browser import (
    click_and_wait,
    editor_action,
    flash_messages,
    login,
    table_row,
    tile_values,
    type_rich_text,
)
from tests.e2e.province import OTHER_POINT_NAME, POINT_NAME
from tests.review_factories import make_report
from tests.statistics_factories import make_article as make_dated_article
from tests.statistics_factories import make_exchange_report, sh
from warning import review, scoring, statistics
from warning.models import ReviewOpinion, ReviewRecord, WarningReport

NEWS_TITLE = "建德化工协会赴出口企业走访调研"
REPORT_TITLE = "美国对华有机化学品发起反倾销调查的预警"
REPORT_BODY = "美国商务部宣布对原产于中国的有机化学品发起反倾销调查，涉案企业需在规定期限内应诉。"
PRESET = "内容具有典型性,建议推荐到《浙江商务》"
WARNING_PAGES_BEFORE = 3
EXCHANGE_BEFORE = 2


def this_year():
    return statistics.today_in_shanghai().year


def make_photo(tmp_path):
    """A small PNG made locally with Pillow (no downloads), as a user's photo file."""
    path = tmp_path / "走访调研.png"
    image = Image.new("RGB", (640, 400), (21, 101, 192))
    for x in range(0, 640, 40):
        for y in range(0, 400, 40):
            if (x + y) // 40 % 2:
                image.paste((255, 193, 7), (x, y, x + 20, y + 20))
    image.save(path)
    return path


def point_year_counts(months, *, work_news, exchange):
    """The point's counts for docs/rules.md §5 as the story leaves them (only these two move)."""
    return scoring.PointYearCounts(
        basic_info_complete=True,
        subsite_updated=True,
        months=months,
        warning_pages=WARNING_PAGES_BEFORE,
        work_news=work_news,
        exchange_originals=exchange,
        quarterlies=0,
        annual_on_time=False,
        quarterlies_adopted=0,
        internal_adopted=0,
        leader_instructions=0,
    )


def read_dashboard(page, point_id, year, shot=None):
    """What the provincial contact reads: the home tiles, the point's 条数详情 row and its 分数详情 row.

    With `shot`, each of the three screens is saved as it was read.
    """

    def visit(url, name):
        page.goto(url)
        if shot:
            shot(page, name)

    visit("/admin/", "05-statistics-dashboard")
    tiles = tile_values(page)
    visit(f"/admin/statistics/counts/?year={year}", "05-count-detail")
    counts = table_row(page, "table[data-table=counts]", f"tbody tr[data-point='{point_id}']")
    visit(f"/admin/statistics/scores/?year={year}", "06-score-table")
    scores = table_row(page, "table[data-table=scores]", f"tbody tr[data-point='{point_id}']")
    return tiles, counts, scores


def score_cells(score):
    """A Score as the 分数详情 table prints it."""
    return {
        "A1 基础信息": str(score.a1),
        "A2 预警信息": str(score.a2),
        "A3 工作动态": str(score.a3),
        "B1 外网录用": str(score.b1),
        "B2 季度分析": str(score.b2),
        "B3 年度总结": str(score.b3),
        "C 杂志录用及内部交流": str(score.c),
        "总分": str(score.total),
    }


def test_report_goes_from_the_point_to_the_public_exchange_and_moves_the_score_by_the_rules(
    new_page, shot, tmp_path, province
):
    point = province.point
    year = this_year()
    months = statistics.months_counted(year)
    # The point's year so far: one 工作动态 short of 2 a month (A3's step), two originals already published.
    news_before = 2 * months - 1
    for i in range(news_before):
        make_dated_article(point, ColumnKind.NEWS, sh(year, i % months + 1, 1, 9), title=f"工作动态{i + 1}")
    for i in range(WARNING_PAGES_BEFORE):
        make_dated_article(point, ColumnKind.WARNING, sh(year, i + 1, 2, 9), title=f"子网站预警信息{i + 1}")
    for i in range(EXCHANGE_BEFORE):
        make_exchange_report(point, sh(year, i + 2, 3, 10), title=f"已发布的原创预警{i + 1}")

    # --- the provincial contact's numbers before -------------------------------------------------
    provincial = new_page()
    login(provincial, "shengting")
    tiles_before, counts_before, scores_before = read_dashboard(provincial, point.pk, year)
    expected_before = scoring.score(point_year_counts(months, work_news=news_before, exchange=EXCHANGE_BEFORE))
    assert {k: scores_before[k] for k in score_cells(expected_before)} == score_cells(expected_before)

    # --- the point editor publishes a 工作动态 with a photo, uploaded through the image chooser ------
    editor = new_page()
    login(editor, "jiande")
    news_column = ColumnIndexPage.objects.child_of(point.subsite).get(kind=ColumnKind.NEWS)
    editor.goto(f"/admin/pages/{news_column.pk}/add_subpage/")
    editor.fill("input[name=title]", NEWS_TITLE)
    type_rich_text(editor, "协会走访了建德市十家化工出口企业，了解应对反倾销调查的准备情况。")
    editor.click("#id_gallery_images-ADD")
    editor.click("#inline_child_gallery_images-0 button.chooser__choose-button")
    editor.click("#tab-label-upload")
    editor.set_input_files("input[name=image-chooser-upload-file]", str(make_photo(tmp_path)))
    editor.fill("input[name=image-chooser-upload-title]", "走访调研现场")
    editor.click(".modal form button[type=submit]")
    editor.wait_for_selector(".modal", state="detached")
    editor.fill("input[name=gallery_images-0-caption]", "走访调研现场")
    editor_action(editor, "action-publish")
    # "已创建并发布" or, when Wagtail's autosave made the draft first, "已经发布".
    assert re.search(f"{NEWS_TITLE}.*(已创建并发布|已经发布)", flash_messages(editor))
    article = ArticlePage.objects.get(title=NEWS_TITLE)
    assert article.live and article.point_id == point.pk and article.column_kind == ColumnKind.NEWS
    assert article.gallery_images.get().image.title == "走访调研现场"

    # --- … and writes and submits a 预警信息 ---------------------------------------------------------
    editor.goto("/admin/snippets/warning/warningreport/add/")
    editor.fill("input[name=title]", REPORT_TITLE)
    editor.select_option("select[name=industry]", label="化工")
    editor.select_option("select[name=country]", label="美国")
    editor.fill("input[name=author]", "王建国")
    editor.fill("input[name=phone]", "0571-64712345")
    type_rich_text(editor, REPORT_BODY)
    editor_action(editor, "action-submit")
    report = WarningReport.objects.get(title=REPORT_TITLE)
    assert report.point_id == point.pk and report.stage == WarningReport.Stage.CITY
    assert "等待地市审核" in editor.locator("table.listing").inner_text()

    # --- the city reviewer approves in the review screen -----------------------------------------
    city = new_page()
    login(city, "hangzhou")
    city.goto("/admin/review/")
    row = city.locator("table.listing tbody tr", has_text=REPORT_TITLE)
    assert "建德精细化工产品对外贸易预警示范点" in row.inner_text() and "杭州市" in row.inner_text()
    with city.expect_navigation():
        row.get_by_role("link", name="审核").click()
    assert city.locator("#report-text").inner_text().count(REPORT_BODY) == 1
    city.click("[data-review-text-size=xl]")
    assert city.locator("#report-text").get_attribute("data-text-size") == "xl"
    shot(city, "03-review-screen")
    city.check("input[name=action][value=approve]")
    city.fill("textarea[name=comment]", "情况属实，同意上报省厅。")
    click_and_wait(city, ".warning-review__form button[type=submit]")
    assert f"已审核：《{REPORT_TITLE}》通过。" in flash_messages(city)
    assert WarningReport.objects.get(pk=report.pk).stage == WarningReport.Stage.PROVINCIAL

    # --- the provincial contact approves: 发布到预警工作交流 + 推荐到杂志, with a preset opinion -----
    provincial.goto("/admin/review/")
    with provincial.expect_navigation():
        provincial.locator("table.listing tbody tr", has_text=REPORT_TITLE).get_by_role("link", name="审核").click()
    assert ReviewOpinion.objects.filter(text=PRESET).exists()
    provincial.check("input[name=action][value=approve]")
    provincial.check("input[name=options][value=exchange]")
    provincial.check("input[name=options][value=magazine]")
    provincial.select_option("select[name=preset]", label=PRESET)
    assert provincial.input_value("textarea[name=comment]") == PRESET
    shot(provincial, "03-review-screen-provincial")
    click_and_wait(provincial, ".warning-review__form button[type=submit]")
    assert f"已审核：《{REPORT_TITLE}》通过。" in flash_messages(provincial)
    report.refresh_from_db()
    assert report.stage == WarningReport.Stage.APPROVED and report.live
    assert report.to_exchange and report.to_magazine and not report.to_internal
    assert report.exchange_published_at is not None and report.magazine_status == WarningReport.Decision.PENDING
    decision = report.reviews.get(stage=ReviewRecord.Stage.PROVINCIAL)
    assert decision.comment == PRESET and decision.options == [review.MAGAZINE, review.EXCHANGE]

    # --- the magazine editor adopts it (录用) -------------------------------------------------------
    magazine = new_page()
    login(magazine, "zazhi")
    magazine.goto("/admin/magazine/reports/")
    with magazine.expect_navigation():
        magazine.get_by_role("link", name=REPORT_TITLE).click()
    magazine.check("input[name=decision][value=adopted]")
    click_and_wait(magazine, "form:has(input[name=decision]) button[type=submit]")
    assert f"已对《{REPORT_TITLE}》作出“录用”的决定。" in flash_messages(magazine)
    report.refresh_from_db()
    assert report.magazine_status == WarningReport.Decision.ADOPTED and report.magazine_decided_at is not None

    # --- a visitor reads it on the public 预警工作交流 column, and the point's new 工作动态 ------------
    visitor = new_page()
    visitor.goto("/")
    assert visitor.locator("html").get_attribute("lang") == "zh-hans"
    assert REPORT_TITLE in visitor.locator("#main").inner_text()
    shot(visitor, "01-portal-home")
    with visitor.expect_navigation():
        visitor.locator(".point-list").get_by_role("link", name=POINT_NAME).click()
    assert NEWS_TITLE in visitor.locator("#main").inner_text()
    shot(visitor, "02-subsite-home")
    with visitor.expect_navigation():
        visitor.get_by_role("link", name=NEWS_TITLE).first.click()
    photo = visitor.locator("img[alt=走访调研现场]")
    assert photo.count() == 1
    # Wait for the photo to arrive rather than sampling it once: under load it may still be loading.
    visitor.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    shot(visitor, "02-subsite-news-article")
    visitor.goto("/")
    with visitor.expect_navigation():
        visitor.get_by_role("navigation").get_by_role("link", name="预警工作交流").first.click()
    assert visitor.locator("h1").inner_text() == "预警工作交流"
    shot(visitor, "04-exchange-column")
    with visitor.expect_navigation():
        visitor.get_by_role("link", name=REPORT_TITLE).click()
    assert visitor.locator("h1").inner_text() == REPORT_TITLE
    assert REPORT_BODY in visitor.locator("article").inner_text()
    assert POINT_NAME in visitor.locator("article").inner_text()
    shot(visitor, "04-exchange-report")
    assert visitor.external_requests == []  # the public site needs nothing from the internet

    # --- the numbers moved by exactly what docs/rules.md §4–5 say ------------------------------------------
    tiles_after, counts_after, scores_after = read_dashboard(provincial, point.pk, year, shot=shot)
    # 上报信息: one more report approved at the provincial stage; 杂志录用: one more adoption.
    assert tiles_after == tiles_before | {
        "reports": tiles_before["reports"] + 1,
        "magazine": tiles_before["magazine"] + 1,
    }

    def plus_one(counts, *labels):
        return counts | {label: str(int(counts[label]) + 1) for label in labels}

    # 外网录用 too: the report was approved with 发布到预警工作交流 (条数详情 shows B1's count).
    assert counts_after == plus_one(counts_before, "上报信息", "外网录用", "预警信息杂志录用", "子网站工作动态")
    # The new number links to the record behind it, with its 录用时间.
    provincial.goto(f"/admin/statistics/counts/?year={year}")
    click_and_wait(provincial, f"tr[data-point='{point.pk}'] a[href*='/records/{point.pk}/report_magazine/']")
    record = table_row(provincial, "table[data-table=records]", "tbody tr")
    assert record["标题名称"] == REPORT_TITLE and record["录用时间"].startswith(f"{year}-")
    # Score: B1 +1 (one more original on 预警工作交流) and the 22nd 工作动态 reaches A3's 2-a-month step;
    # a report adopted by the magazine scores nothing in C (only quarterlies do).
    expected_after = scoring.score(point_year_counts(months, work_news=news_before + 1, exchange=EXCHANGE_BEFORE + 1))
    assert {k: scores_after[k] for k in score_cells(expected_after)} == score_cells(expected_after)
    assert (expected_after.b1, expected_after.a3) == (expected_before.b1 + 1, 3)
    assert expected_after.total - expected_before.total == 4
    provincial.goto("/admin/warning/warningpoint/")
    assert POINT_NAME in provincial.locator("table.listing").inner_text()
    assert OTHER_POINT_NAME in provincial.locator("table.listing").inner_text()
    shot(provincial, "08-point-registry")

    # --- the point reads the outcome in its message centre and its own score panel -----------------
    editor.goto("/admin/messages/")
    centre = editor.locator("main").inner_text()
    assert f"预警信息已审核通过：{REPORT_TITLE}" in centre
    assert "预警信息已被《浙江商务》录用" in centre
    shot(editor, "07-message-centre")
    editor.goto("/admin/")
    assert editor.locator("[data-table=point-score] [data-total]").inner_text() == str(expected_after.total)


def test_returned_report_is_edited_resubmitted_and_both_rounds_comments_stay_visible(new_page, shot, province):
    point, editor_user = province.point, province.editor
    report = make_report(point, editor_user, title="欧盟化工品注册新规预警", body="<p>欧盟修订化学品注册法规。</p>")
    first_comment = "请补充涉及的产品海关编码和本地区出口金额。"
    second_comment = "已补充数据，情况属实，同意上报。"

    city = new_page()
    login(city, "hangzhou")
    city.goto(f"/admin/review/{report.pk}/")
    city.check("input[name=action][value=return]")
    city.fill("textarea[name=comment]", first_comment)
    click_and_wait(city, ".warning-review__form button[type=submit]")
    assert "退回修改" in flash_messages(city)
    assert WarningReport.objects.get(pk=report.pk).stage == WarningReport.Stage.RETURNED

    editor = new_page()
    login(editor, "jiande")
    editor.goto("/admin/snippets/warning/warningreport/")
    row = editor.locator("table.listing tbody tr", has_text="欧盟化工品注册新规预警")
    assert "请修改后重新提交" in row.inner_text()
    assert f"第1轮 地市审核 退回修改：{first_comment}" in row.inner_text()
    with editor.expect_navigation():
        row.get_by_role("link", name="欧盟化工品注册新规预警").click()
    assert re.search(r"/warningreport/edit/\d+/$", editor.url)
    type_rich_text(editor, "欧盟修订化学品注册法规，涉及海关编码2903项下产品，本地区去年出口金额约1.2亿美元。")
    editor_action(editor, "action-submit")
    report.refresh_from_db()
    assert report.stage == WarningReport.Stage.CITY
    assert "1.2亿美元" in report.get_latest_revision_as_object().body

    city.goto(f"/admin/review/{report.pk}/")
    assert "1.2亿美元" in city.locator("#report-text").inner_text()
    assert first_comment in city.locator(".warning-review-rounds").inner_text()
    city.check("input[name=action][value=approve]")
    city.fill("textarea[name=comment]", second_comment)
    click_and_wait(city, ".warning-review__form button[type=submit]")
    assert WarningReport.objects.get(pk=report.pk).stage == WarningReport.Stage.PROVINCIAL

    editor.goto("/admin/snippets/warning/warningreport/")
    cell = editor.locator("table.listing tbody tr", has_text="欧盟化工品注册新规预警").inner_text()
    assert f"第1轮 地市审核 退回修改：{first_comment}" in cell
    assert f"第2轮 地市审核 通过：{second_comment}" in cell
    editor.goto(f"/admin/snippets/warning/warningreport/inspect/{report.pk}/")
    rounds = editor.locator(".warning-review-rounds").inner_text()
    assert "第1轮" in rounds and first_comment in rounds
    assert "第2轮" in rounds and second_comment in rounds
    shot(editor, "09-my-report-rounds")
    editor.goto("/admin/messages/")
    assert "预警信息被退回修改：欧盟化工品注册新规预警" in editor.locator("main").inner_text()
