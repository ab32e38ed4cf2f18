"""The integration API (docs/api.md): tokens, the token matrix, scopes, idempotency, limits, errors, logging."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import APIToken, ModelLogEntry, PageLogEntry

from integration.api import api
from integration.models import SCOPE_ARTICLES, SCOPE_READ, SCOPE_REPORTS, IdempotentRequest, IntegrationToken
from integration.tokens import create_token
from subsites.models import ArticlePage
from tests.integration_helpers import API, auth, fake_pdf, make_token, pdf
from tests.review_factories import make_report
from tests.shared_points import SharedPoints
from tests.subsites_factories import make_article
from warning.models import Industry, Profile, WarningReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def report_fields(**extra):
    return {
        "title": "美国对化工产品发起反倾销调查",
        "industry": Industry.objects.get(name="化工").pk,
        "country": "US",
        "author": "张三",
        "phone": "13800000000",
        "body": "<p>美国商务部宣布立案。</p>",
        **extra,
    }


def operations():
    """Every (method, path template) the served schema lists."""
    schema = api.get_openapi_schema()
    return {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}


# --- tokens in the admin --------------------------------------------------------------------------


class TestSharedPointEditorCreatesA(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_point_editor_creates_a_token_shown_once_and_stored_hashed(self, client, point_editor, point):
        client.force_login(point_editor)
        response = client.post(
            reverse("integration_tokens:add"), {"name": "本会办公系统", "scopes": [SCOPE_READ, SCOPE_REPORTS]}
        )
        assert response.status_code == 200
        plaintext = re.search(r'value="(wagtail_[0-9A-Za-z]+)"', response.content.decode()).group(1)
        token = IntegrationToken.objects.get()
        assert token.point == point and token.scopes == [SCOPE_READ, SCOPE_REPORTS]
        assert token.api_token.key_hash == APIToken.hash_token(plaintext) != plaintext
        assert not APIToken.objects.filter(key_hash=plaintext).exists()
        listing = client.get(reverse("integration_tokens:index")).content.decode()
        assert "本会办公系统" in listing and token.api_token.prefix in listing
        assert plaintext not in listing

    def test_token_list_shows_last_use(self, client, point_editor):
        token, secret = make_token(point_editor)
        client.force_login(point_editor)
        assert "从未使用" in client.get(reverse("integration_tokens:index")).content.decode()
        assert client.get(f"{API}/me", **auth(secret)).status_code == 200
        token.api_token.refresh_from_db()
        assert token.api_token.last_used_at is not None
        assert "从未使用" not in client.get(reverse("integration_tokens:index")).content.decode()

    def test_revoked_token_is_refused_at_once(self, client, point_editor):
        token, secret = make_token(point_editor)
        client.force_login(point_editor)
        response = client.post(reverse("integration_tokens:revoke", args=[token.pk]))
        assert response.status_code == 302
        response = client.get(f"{API}/me", **auth(secret))
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"


def test_editor_lists_and_revokes_only_its_points_tokens(client, point_editor, other_point_editor):
    mine, _ = make_token(point_editor, name="甲会系统")
    theirs, _ = make_token(other_point_editor, name="乙会系统")
    client.force_login(point_editor)
    listing = client.get(reverse("integration_tokens:index")).content.decode()
    assert "甲会系统" in listing and "乙会系统" not in listing
    assert client.post(reverse("integration_tokens:revoke", args=[theirs.pk])).status_code == 404
    theirs.api_token.refresh_from_db()
    assert theirs.api_token.revoked_at is None


def test_province_tokens_are_read_only(client, provincial):
    with pytest.raises(Exception, match="超出"):
        create_token(provincial, "全省分析", [SCOPE_READ, SCOPE_REPORTS])
    client.force_login(provincial)
    form = client.get(reverse("integration_tokens:add")).content.decode()
    assert 'value="read"' in form and 'value="reports"' not in form and 'value="articles"' not in form
    token, _ = create_token(provincial, "全省分析", [SCOPE_READ])
    assert token.point is None and token.scopes == [SCOPE_READ]


def test_city_reviewer_and_magazine_editor_have_no_tokens(client, city_reviewer, magazine_editor):
    for user in (city_reviewer, magazine_editor):
        client.force_login(user)
        assert client.get(reverse("integration_tokens:index")).status_code == 403
        assert client.post(reverse("integration_tokens:add"), {"name": "x", "scopes": ["read"]}).status_code == 403
        with pytest.raises(Exception, match="只有预警点用户"):
            create_token(user, "x", [SCOPE_READ])
    assert not IntegrationToken.objects.exists()


# --- who the token is -----------------------------------------------------------------------------


def test_missing_or_wrong_token_is_401_in_chinese(client):
    for headers in ({}, auth("wagtail_not-a-token"), {"HTTP_AUTHORIZATION": "Basic abc"}):
        response = client.get(f"{API}/reports", **headers)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized" and "令牌" in response.json()["message"]


def test_session_login_is_not_a_token(client, point_editor):
    client.force_login(point_editor)
    assert client.get(f"{API}/reports").status_code == 401


def test_token_stops_when_its_user_leaves_the_point(client, point_editor, other_point):
    _, secret = make_token(point_editor)
    Profile.objects.filter(user=point_editor).update(point=other_point)
    response = client.get(f"{API}/reports", **auth(secret))
    assert response.status_code == 403 and response.json()["code"] == "token_inactive"


# --- the token matrix: point A's token and point B's things ---------------------------------------


@pytest.fixture
def b_things(other_point, other_point_editor):
    return {
        "report": make_report(other_point, other_point_editor, title="乙点已提交信息"),
        "draft": make_report(other_point, other_point_editor, title="乙点草稿", submit=False),
        "article": make_article(other_point, title="乙点文章"),
    }


class TestSharedPointTokenNeverReaches(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_point_token_never_reaches_another_point(self, client, point_editor, other_point, b_things):
        _, secret = make_token(point_editor)
        report, draft, article = b_things["report"].pk, b_things["draft"].pk, b_things["article"].pk
        b = other_point.pk
        requests = {
            ("GET", "/api/integration/v1/reports/{report_id}"): [f"/reports/{report}", f"/reports/{draft}"],
            ("POST", "/api/integration/v1/reports/{report_id}"): [f"/reports/{draft}", f"/reports/{report}"],
            ("POST", "/api/integration/v1/reports/{report_id}/submit"): [f"/reports/{draft}/submit"],
            ("GET", "/api/integration/v1/subsite/articles/{article_id}"): [f"/subsite/articles/{article}"],
            ("POST", "/api/integration/v1/subsite/articles/{article_id}"): [f"/subsite/articles/{article}"],
            ("POST", "/api/integration/v1/subsite/articles/{article_id}/publish"): [
                f"/subsite/articles/{article}/publish"
            ],
            ("POST", "/api/integration/v1/subsite/articles/{article_id}/unpublish"): [
                f"/subsite/articles/{article}/unpublish"
            ],
            ("GET", "/api/integration/v1/subsite/columns"): [f"/subsite/columns?point={b}"],
            ("GET", "/api/integration/v1/subsite/articles"): [f"/subsite/articles?point={b}"],
            ("GET", "/api/integration/v1/periodic"): [f"/periodic?point={b}"],
            ("GET", "/api/integration/v1/statistics"): [f"/statistics?point={b}"],
        }
        # Every operation that names an item or a point is in the matrix.
        naming = {(m, p) for m, p in operations() if "{" in p}
        naming |= {
            (m, p)
            for m, p in operations()
            if m == "GET" and p.rsplit("/", 1)[-1] in ("columns", "articles", "periodic", "statistics")
        }
        assert naming <= set(requests), naming - set(requests)
        for (method, _), urls in requests.items():
            for url in urls:
                call = client.get if method == "GET" else client.post
                response = call(
                    f"{API}{url}",
                    **({"data": {"title": "被改了", "publish": "true"}} if method == "POST" else {}),
                    **auth(secret),
                )
                assert response.status_code == 404, (method, url, response.content)
                assert response.json()["code"] == "not_found"
        listed = client.get(f"{API}/reports?point={b}", **auth(secret)).json()
        assert listed["count"] == 0
        for name, obj in b_things.items():
            obj.refresh_from_db()
            assert "被改了" not in obj.title, name
        assert ArticlePage.objects.get(pk=article).live
        assert WarningReport.objects.get(pk=draft).stage == WarningReport.Stage.DRAFT

    def test_writes_land_on_the_tokens_own_point(self, client, point_editor, point, other_point):
        _, secret = make_token(point_editor)
        response = client.post(
            f"{API}/reports", report_fields(point=other_point.pk, point_id=other_point.pk), **auth(secret)
        )
        assert response.status_code == 201
        assert WarningReport.objects.get(pk=response.json()["id"]).point == point

    def test_province_token_reads_every_point_but_writes_nothing(
        self, client, provincial, point, point_editor, other_point, other_point_editor
    ):
        make_report(point, point_editor, title="甲点信息")
        make_report(other_point, other_point_editor, title="乙点信息")
        make_report(other_point, other_point_editor, title="乙点草稿", submit=False)
        _, secret = make_token(provincial, [SCOPE_READ])
        titles = {item["title"] for item in client.get(f"{API}/reports", **auth(secret)).json()["items"]}
        assert titles == {"甲点信息", "乙点信息"}  # drafts stay their point's own
        assert client.get(f"{API}/statistics?point={other_point.pk}", **auth(secret)).status_code == 200
        writes = [(m, p) for m, p in operations() if m == "POST"]
        assert writes
        for _, path in writes:
            url = path.replace("{report_id}", "1").replace("{article_id}", "1")
            response = client.post(url, report_fields(column="news", year=2026, quarter=1, content="x"), **auth(secret))
            assert response.status_code == 403, (path, response.content)
            assert response.json()["code"] == "scope_missing"
        assert WarningReport.objects.count() == 3


@pytest.mark.parametrize(
    ("scopes", "method", "url", "refused"),
    [
        ([SCOPE_READ], "POST", "/reports", True),
        ([SCOPE_READ], "POST", "/subsite/articles", True),
        ([SCOPE_READ], "POST", "/periodic/annual", True),
        ([SCOPE_REPORTS], "POST", "/subsite/articles", True),
        ([SCOPE_REPORTS], "GET", "/reports", True),
        ([SCOPE_ARTICLES], "POST", "/reports", True),
        ([SCOPE_ARTICLES], "POST", "/periodic/quarterly", True),
        ([SCOPE_ARTICLES], "GET", "/statistics", True),
        ([SCOPE_REPORTS], "POST", "/reports", False),
        ([SCOPE_ARTICLES], "POST", "/subsite/articles", False),
        ([SCOPE_READ], "GET", "/statistics", False),
    ],
)
def test_scopes_are_enforced(client, point_editor, scopes, method, url, refused):
    _, secret = make_token(point_editor, scopes)
    data = report_fields(column="news", year=2026, quarter=1, content="形势分析") if method == "POST" else {}
    response = (client.post if method == "POST" else client.get)(f"{API}{url}", data, **auth(secret))
    if refused:
        assert response.status_code == 403 and response.json()["code"] == "scope_missing"
    else:
        assert response.status_code in (200, 201), response.content


# --- idempotency, limits, errors, uploads, logging -----------------------------------------------


class TestSharedSameIdempotencyKeyCreates(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_same_idempotency_key_creates_one_report(self, client, point_editor):
        _, secret = make_token(point_editor)
        headers = {**auth(secret), "HTTP_IDEMPOTENCY_KEY": "oa-2026-0001"}
        first = client.post(f"{API}/reports", report_fields(), **headers)
        again = client.post(f"{API}/reports", report_fields(), **headers)
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
        assert WarningReport.objects.count() == 1
        other = client.post(f"{API}/reports", report_fields(title="另一条"), **headers)
        assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
        assert WarningReport.objects.count() == 1

    def test_refused_write_stores_no_key_and_can_be_retried(self, client, point_editor):
        _, secret = make_token(point_editor)
        headers = {**auth(secret), "HTTP_IDEMPOTENCY_KEY": "retry-me"}
        bad = client.post(f"{API}/reports", report_fields(attachments=[fake_pdf()]), **headers)
        assert bad.status_code == 400
        assert not IdempotentRequest.objects.exists()
        good = client.post(f"{API}/reports", report_fields(), **headers)
        assert good.status_code == 201

    def test_idempotency_keys_are_per_token(self, client, point_editor):
        _, one = make_token(point_editor, name="系统一")
        _, two = make_token(point_editor, name="系统二")
        for secret in (one, two):
            response = client.post(f"{API}/reports", report_fields(), **auth(secret), HTTP_IDEMPOTENCY_KEY="same")
            assert response.status_code == 201 and "Idempotent-Replayed" not in response
        assert WarningReport.objects.count() == 2

    def test_rate_limit_per_token(self, client, point_editor, settings):
        settings.INTEGRATION_API_RATE = "3/m"
        _, busy = make_token(point_editor, name="繁忙系统")
        _, calm = make_token(point_editor, name="安静系统")
        for _ in range(3):
            assert client.get(f"{API}/me", **auth(busy)).status_code == 200
        refused = client.get(f"{API}/me", **auth(busy))
        assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
        assert int(refused["Retry-After"]) >= 1
        assert client.get(f"{API}/me", **auth(calm)).status_code == 200

    def test_attachment_read_by_content_as_in_the_admin(self, client, point_editor):
        _, secret = make_token(point_editor)
        response = client.post(f"{API}/reports", report_fields(attachments=[fake_pdf()]), **auth(secret))
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid_input" and "附件" in body["message"]
        assert not WarningReport.objects.exists()
        ok = client.post(f"{API}/reports", report_fields(attachments=[pdf("通知.pdf")]), **auth(secret))
        assert ok.status_code == 201 and [a["name"] for a in ok.json()["attachments"]] == ["通知.pdf"]

    @pytest.mark.parametrize(
        ("method", "url", "data"),
        [
            ("GET", "/reports?year=abc", None),
            ("GET", "/reports?stage=unknown", None),
            ("GET", "/reports?limit=100000", None),
            ("GET", "/reports/abc", None),
            ("GET", "/statistics?year=1800", None),
            ("POST", "/reports", {"industry": "化工"}),
            ("POST", "/reports", {"industry": 999999}),
            ("POST", "/subsite/articles", {"column": "blog", "title": "x"}),
            ("POST", "/periodic/quarterly", {"year": 2026, "quarter": 9, "title": "x", "content": "y"}),
            ("POST", "/periodic/annual", {"year": "明年", "title": "x", "content": "y"}),
        ],
    )
    def test_bad_input_is_a_chinese_400(self, client, point_editor, method, url, data):
        _, secret = make_token(point_editor)
        response = (client.post if method == "POST" else client.get)(f"{API}{url}", data or {}, **auth(secret))
        assert response.status_code == 400, response.content
        body = response.json()
        assert body["code"] == "invalid_input"
        assert re.search(r"[\u4e00-\u9fff]", body["message"])
        assert not WarningReport.objects.exists()

    def test_every_write_is_logged_under_the_tokens_name(self, client, point_editor, point):
        _, secret = make_token(point_editor, name="本会办公系统")
        created = client.post(f"{API}/reports", report_fields(submit="true"), **auth(secret)).json()
        entries = ModelLogEntry.objects.filter(action="integration.write", object_id=str(created["id"]))
        assert [e.data["operation"] for e in entries.order_by("pk")] == ["create", "submit"]
        assert all(e.data["token"] == "本会办公系统" and e.user == point_editor for e in entries)
        assert entries.first().message.startswith("通过对接令牌“本会办公系统”")
        article = client.post(
            f"{API}/subsite/articles", {"column": "news", "title": "会员大会", "body": "<p>召开</p>"}, **auth(secret)
        ).json()
        page_entries = PageLogEntry.objects.filter(action="integration.write", page_id=article["id"])
        assert page_entries.get().data["token"] == "本会办公系统"
        assert PageLogEntry.objects.filter(action="wagtail.create", page_id=article["id"], user=point_editor).exists()

    def test_report_list_filters_and_fixed_queries(self, client, point_editor, point, django_assert_max_num_queries):
        _, secret = make_token(point_editor)
        make_report(point, point_editor, title="已提交一")
        make_report(point, point_editor, title="草稿一", submit=False)
        with django_assert_max_num_queries(12):
            small = client.get(f"{API}/reports", **auth(secret)).json()
        assert small["count"] == 2
        for i in range(8):
            make_report(point, point_editor, title=f"批量{i}")
        cache.clear()
        with django_assert_max_num_queries(12):
            large = client.get(f"{API}/reports?limit=100", **auth(secret)).json()
        assert large["count"] == 10
        drafts = client.get(f"{API}/reports?stage=draft", **auth(secret)).json()
        assert [i["title"] for i in drafts["items"]] == ["草稿一"]
        found = client.get(f"{API}/reports?q=批量", **auth(secret)).json()
        assert found["count"] == 8


def test_schema_and_docs_are_served_in_chinese(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["info"]["title"] == "外贸预警平台 · 预警点对接接口"
    summaries = [op["summary"] for ops in schema["paths"].values() for op in ops.values()]
    assert summaries and all(re.search(r"[\u4e00-\u9fff]", s) for s in summaries)
    docs = client.get(f"{API}/docs/")
    assert docs.status_code == 200
    assert "cdn.jsdelivr" not in docs.content.decode()  # the Swagger UI comes from our static files (CSP)


class TestSharedAMethodThePath(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_a_method_the_path_does_not_take_is_the_json_405(self, client, point_editor):
        _, secret = make_token(point_editor)
        response = client.delete(f"{API}/reports", **auth(secret))
        assert response.status_code == 405
        assert response.json() == {"code": "method_not_allowed", "message": "不支持此请求方法"}
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}

    def test_an_address_that_names_no_endpoint_is_the_json_404(self, client, point_editor):
        _, secret = make_token(point_editor)
        response = client.get(f"{API}/no-such-thing/7", **auth(secret))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found" and "openapi.json" in response.json()["message"]
