"""Whole stories through the integration API alone (docs/api.md): what the point's system sees at each step,
by asking the API and by the webhooks it registered (docs/webhooks.md), received on loopback."""

import json

import pytest
from django.core.cache import cache
from wagtail.models import ModelLogEntry

from tests.integration_helpers import API, auth, jpeg, make_token, pdf
from tests.review_factories import decide
from warning import review
from warning.models import Industry, QuarterlyAnalysis, WarningReport
from warning.periodic import shanghai_now
from webhooks.events import EVENTS
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def counts(client, secret):
    response = client.get(f"{API}/statistics", **auth(secret))
    assert response.status_code == 200, response.content
    return {item["kind"]: item["count"] for item in response.json()["counts"]}, response.json()


def test_report_returned_resubmitted_approved_published_and_counted(
    client, point, point_editor, city_reviewer, provincial, receiver, committed
):
    _, secret = make_token(point_editor)
    before, _ = counts(client, secret)
    # The point's own system listens for every event of its point.
    WebhookEndpoint.objects.create(point=point, name="协会办公系统", url=receiver.url("assoc"), events=list(EVENTS))

    def told():
        """(event, report id) of each delivery received since the last call."""
        got = [(r["headers"]["X-Yujing-Event"], json.loads(r["body"])) for r in receiver.received("assoc")]
        receiver.reset()
        return [(event, body["report"]["id"]) for event, body in got]

    created = client.post(
        f"{API}/reports",
        {
            "title": "欧盟对我国光伏产品启动反补贴调查",
            "industry": Industry.objects.get(name="化工").pk,
            "country": "DE",
            "author": "李四",
            "phone": "0571-88888888",
            "body": "<p>欧盟委员会发布立案公告。</p>",
            "attachments": [pdf("立案公告.pdf")],
        },
        **auth(secret),
        HTTP_IDEMPOTENCY_KEY="story-create",
    )
    assert created.status_code == 201, created.content
    report_id = created.json()["id"]
    assert created.json()["stage"] == "draft" and created.json()["editable"]

    submitted = client.post(f"{API}/reports/{report_id}/submit", **auth(secret))
    assert submitted.status_code == 200 and submitted.json()["stage"] == "city"
    again = client.post(f"{API}/reports/{report_id}/submit", **auth(secret))
    assert again.status_code == 409 and again.json()["code"] == "review_refused"

    report = WarningReport.objects.get(pk=report_id)
    committed(decide, report, city_reviewer, review.RETURN, comment="请补充涉案金额。")
    assert told() == [("report.returned", report_id)]
    returned = client.get(f"{API}/reports/{report_id}", **auth(secret)).json()
    assert returned["stage"] == "returned" and returned["editable"]
    assert [(d["round"], d["stage"], d["action"], d["comment"]) for d in returned["decisions"]] == [
        (1, "city", "return", "请补充涉案金额。")
    ]

    resubmitted = client.post(
        f"{API}/reports/{report_id}",
        {"body": "<p>欧盟委员会发布立案公告，涉案金额约 10 亿欧元。</p>", "submit": "true"},
        **auth(secret),
    )
    assert resubmitted.status_code == 200, resubmitted.content
    assert resubmitted.json()["stage"] == "city" and "10 亿欧元" in resubmitted.json()["body"]
    assert [a["name"] for a in resubmitted.json()["attachments"]] == ["立案公告.pdf"]

    report.refresh_from_db()
    committed(decide, report, city_reviewer, review.APPROVE, comment="")
    assert told() == []  # the city's 通过 is not a decision the point is told of
    report.refresh_from_db()
    committed(decide, report, provincial, review.APPROVE, comment="很有价值", options=[review.EXCHANGE])
    assert told() == [("report.approved", report_id), ("report.published_to_exchange", report_id)]

    approved = client.get(f"{API}/reports/{report_id}", **auth(secret)).json()
    assert approved["stage"] == "approved" and approved["exchange_published"]
    assert approved["options"] == ["exchange"] and not approved["editable"]
    assert [(d["round"], d["stage"], d["action"]) for d in approved["decisions"]] == [
        (1, "city", "return"),
        (2, "city", "approve"),
        (2, "provincial", "approve"),
    ]
    listed = client.get(f"{API}/reports?stage=approved", **auth(secret)).json()
    assert [item["id"] for item in listed["items"]] == [report_id]

    after, stats = counts(client, secret)
    assert after["reports"] == before["reports"] + 1
    assert after["exchange"] == before["exchange"] + 1
    assert stats["score"]["b1"] >= 1


def test_article_with_image_and_attachment_published_counted_and_unpublished(client, point_editor):
    _, secret = make_token(point_editor)
    before, _ = counts(client, secret)
    columns = {c["kind"]: c for c in client.get(f"{API}/subsite/columns", **auth(secret)).json()}
    assert set(columns) == {"warning", "news", "notice"}

    created = client.post(
        f"{API}/subsite/articles",
        {
            "column": "news",
            "title": "协会召开会员大会",
            "body": "<p>会议通报了应对情况。</p>",
            "captions": ["会场"],
            "images": [jpeg("会场.jpg")],
            "attachments": [pdf("会议纪要.pdf")],
        },
        **auth(secret),
    )
    assert created.status_code == 201, created.content
    article = created.json()
    assert not article["live"] and article["column_kind"] == "news"
    assert [i["caption"] for i in article["images"]] == ["会场"] and len(article["attachments"]) == 1
    assert counts(client, secret)[0]["news_pages"] == before["news_pages"]

    published = client.post(f"{API}/subsite/articles/{article['id']}/publish", **auth(secret)).json()
    assert published["live"] and published["url"]
    assert client.get(published["url"]).status_code == 200
    assert counts(client, secret)[0]["news_pages"] == before["news_pages"] + 1

    edited = client.post(f"{API}/subsite/articles/{article['id']}", {"summary": "年度会员大会"}, **auth(secret)).json()
    assert edited["summary"] == "年度会员大会" and edited["has_unpublished_changes"] and edited["live"]
    assert len(edited["images"]) == 1 and len(edited["attachments"]) == 1

    unpublished = client.post(f"{API}/subsite/articles/{article['id']}/unpublish", **auth(secret)).json()
    assert not unpublished["live"]
    assert counts(client, secret)[0]["news_pages"] == before["news_pages"]


def test_periodic_reports_inside_the_windows(client, point_editor):
    _, secret = make_token(point_editor)
    now = shanghai_now()
    quarter = (now.month - 1) // 3 + 1
    before, _ = counts(client, secret)
    quarterly = client.post(
        f"{API}/periodic/quarterly",
        {
            "year": now.year,
            "quarter": quarter,
            "title": "本季度形势分析",
            "content": "出口平稳。",
            "file": pdf("分析.pdf"),
        },
        **auth(secret),
    )
    assert quarterly.status_code == 200, quarterly.content
    assert quarterly.json()["has_attachment"] and not quarterly.json()["replaced"]
    assert counts(client, secret)[0]["quarterlies"] == before["quarterlies"] + 1

    replaced = client.post(
        f"{API}/periodic/quarterly",
        {"year": now.year, "quarter": quarter, "title": "本季度形势分析（修订）", "content": "出口平稳。"},
        **auth(secret),
    )
    assert replaced.json()["replaced"] and replaced.json()["id"] == quarterly.json()["id"]
    item = QuarterlyAnalysis.objects.get(pk=quarterly.json()["id"])
    logged = ModelLogEntry.objects.for_instance(item).filter(action="integration.write").order_by("pk")
    assert [e.data["operation"] for e in logged] == ["quarterly", "quarterly"]

    future = client.post(
        f"{API}/periodic/annual", {"year": now.year + 1, "title": "明年总结", "content": "x"}, **auth(secret)
    )
    assert future.status_code == 400 and future.json()["code"] == "invalid_input"
    listed = client.get(f"{API}/periodic", **auth(secret)).json()
    assert [(item["kind"], item["title"]) for item in listed] == [("quarterly", "本季度形势分析（修订）")]
