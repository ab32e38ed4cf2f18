"""Role × URL matrix: every URL pattern of the project, requested as every role (docs/access.md).

The test walks Django's URL resolver (the admin included, every pattern),
fills each pattern's arguments with objects of ANOTHER point in ANOTHER city
(丽水's point "B"; the roles' own point "A" and their city are 杭州), requests
the URL as each role — GET, and POST (empty form, CSRF not enforced by the
test client) where the view accepts it — and checks two things:

1. the answer's status class is the one EXPECTATIONS states for that role;
2. no title the role may not see (FOREIGN_TITLES and SECRET_FOR below: other points' drafts and
   reports under review, draft pages, private documents, …) is in the body.

A pattern with no row in EXPECTATIONS fails test_every_pattern_has_an_expectation:
a new screen cannot land unexamined.

How to add a row (the lead, or whoever adds a URL pattern)
----------------------------------------------------------
Find the pattern's key: its view name (``namespace:name``), or, for a pattern
without a name, its route as the resolver prints it (see `all_patterns()`).
Add a row to EXPECTATIONS (first matching key wins, keys are fnmatch patterns,
so ``"warning_search:*"`` covers a whole namespace):

    "my_namespace:my_view": row("login", "ok", "403", "403", "ok", "ok"),

The six tokens are the answers for anonymous, point, city, magazine, province,
superuser (ROLES). A token is one of CODES, or several joined by "|":
``ok`` 2xx, ``go`` a redirect not to the login page, ``login`` a redirect to a
login page, ``403``, ``404``, ``405``, ``400``, ``4xx``, ``any`` (anything but
a 5xx). A 5xx is a failure unless the row says ``500``, with its reason in a
comment (Wagtail's own error-test page, or a known bug fixed in another branch:
drop the ``500`` when that fix is merged).

POST: the answer defaults to the GET one for roles refused on GET (403/404/
login, or 405) and to ``any`` for the others; give ``post=row(...)`` to state
it, or ``post=None`` to skip POST. A role turned away on GET by the login
redirect or by the screen gate (warning/access.py) is not POSTed: neither looks
at the method. Each request starts from the role's login cookie again, so a
logout or a password change leaves the next request logged in.

Arguments: if the pattern has an argument name this module does not know yet,
add it to `argument_values()`; a pk is chosen by the pattern's namespace there.
Titles a row may still show for a known reason go to KNOWN_LEAKS.

To see what each URL answers now, run with ``MATRIX_DUMP=/tmp/matrix.txt``:
every request's status and leaked titles are written there.

Speed: the small province is built once for the module in one transaction
(rolled back at the end); every request runs inside a savepoint rolled back
after it, so POSTs change nothing for the next request. The screen gate answers
from the view name alone, before any view runs: it is requested once per row of
warning/access.py's SCREEN_RULES and role, and every other pattern of that row
is checked against this table without a request.
"""

import json
import os
from dataclasses import dataclass
from fnmatch import fnmatchcase

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Site, Task, Workflow

from tests.factories import make_point, make_user
from tests.review_factories import make_report
from tests.subsites_factories import column_of, make_article
from warning import review
from warning.access import ROLES, SCREEN_RULES, may_open_screen
from warning.models import (
    AnnualSummary,
    Message,
    Notice,
    QuarterlyAnalysis,
    ReportAttachment,
    ReviewOpinion,
    WarningReport,
)
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

ANON, POINT, CITY, MAGAZINE, PROVINCE, SUPER = ROLES
CODES = {"ok", "go", "login", "400", "403", "404", "405", "4xx", "any", "500", "503"}
REFUSALS = {"login", "403", "404", "405"}


@dataclass(frozen=True)
class Row:
    get: tuple
    post: object = "derive"  # a tuple, "derive" (see the module docstring) or None (no POST)


def row(*tokens, post="derive"):
    assert len(tokens) == len(ROLES), tokens
    for token in tokens:
        assert set(token.split("|")) <= CODES, token
    if isinstance(post, Row):
        post = post.get
    return Row(tuple(tokens), post)


# Common rows.
EVERYONE = row("login", "ok", "ok", "ok", "ok", "ok")
SUPER_ONLY = row("login", "403", "403", "403", "403", "ok|go|404|405")
# Page editors (the point on its subsite, the province on the portal); Wagtail's page and collection
# permissions decide within (another point's item: 404, or Wagtail's own refusal, a redirect home).
EDITOR_ONLY = row("login", "ok|go|404|405", "403", "403", "ok|go|404|405", "ok|go|404|405")
PUBLIC = row("ok", "ok", "ok", "ok", "ok", "ok")
PUBLIC_ITEM = row("404|ok", "404|ok", "404|ok", "404|ok", "404|ok", "404|ok")
# A screen of ours refusing the role (403 page) or the item (404).
REFUSED_ITEM = "403|404"

# ---- THE TABLE ----------------------------------------------------------------------------------
#  key (view name or route; fnmatch)          anonymous  point  city  magazine  province  superuser
EXPECTATIONS = {
    # -- the admin's frame, for everyone logged in
    "wagtailadmin_home": EVERYONE,
    "wagtailadmin_account": EVERYONE,
    "wagtailadmin_logout": row(
        "go|login|405",
        "405",
        "405",
        "405",
        "405",
        "405",
        post=row("go|login", "login", "login", "login", "login", "login"),
    ),
    "wagtailadmin_dismissibles": row("login", "ok|405", "ok|405", "ok|405", "ok|405", "ok|405"),
    "wagtailadmin_sprite": PUBLIC,
    "wagtailadmin_javascript_catalog": PUBLIC,
    "wagtail_modeladmin:javascript_catalog": row("login", "ok", "ok", "ok", "ok", "ok"),
    "wagtailadmin_login": row(
        "ok", "go", "go", "go", "go", "go", post=row("ok", "ok|go", "ok|go", "ok|go", "ok|go", "ok|go")
    ),
    "wagtailadmin_password_reset*": row("ok|go|404", "ok|go|404", "ok|go|404", "ok|go|404", "ok|go|404", "ok|go|404"),
    # Wagtail's deliberate error page (a 500 by design), for the administrator only.
    "wagtailadmin_error_test": row("login", "403", "403", "403", "403", "500", post=None),
    "admin/test404/": row("login", "ok|404", "ok|404", "ok|404", "ok|404", "ok|404"),
    "admin/^.*/$": row("login", "404", "404", "404", "404", "404"),
    "wagtailadmin_block_preview": row("login", "any", "any", "any", "any", "any"),
    "wagtailadmin_editing_sessions:*": row("login", "go|4xx", "go|4xx", "go|4xx", "go|4xx", "go|4xx"),
    # -- Wagtail's 报告: site history for the province (scoped), the rest the administrator's
    "wagtailadmin_reports:site_history*": row("login", "403", "403", "403", "ok", "ok"),
    "wagtailadmin_reports:*": SUPER_ONLY,
    # -- the administrator's tools
    "wagtailadmin_workflows:*": SUPER_ONLY,
    "wagtailadmin_collections:*": SUPER_ONLY,
    "wagtailsites:*": SUPER_ONLY,
    "wagtailusers_*": SUPER_ONLY,
    # (a POST without its fields answers 400 or a form error: guards/, docs/security.md)
    "wagtailredirects:process_import": row(*SUPER_ONLY.get, post=row("login", "403", "403", "403", "403", "any")),
    "wagtailredirects:*": SUPER_ONLY,
    "wagtailsettings:*": SUPER_ONLY,
    "wagtailforms:*": SUPER_ONLY,
    "wagtailadmin_pages:type_use*": SUPER_ONLY,
    # -- pages, documents, images and the rich-text editor's choosers: the point editor's own
    #    (another point's items answer 404, or Wagtail's own refusal: a redirect home)
    "wagtailadmin_explore*": EDITOR_ONLY,
    "wagtailadmin_pages:copy": row(*EDITOR_ONLY.get, post=row("login", "any", "403", "403", "any", "any")),
    "wagtailadmin_pages:*": EDITOR_ONLY,
    "wagtailadmin_choose_page": EDITOR_ONLY,
    "wagtailadmin_choose_page_child": row("login", "404", "403", "403", "ok", "ok"),
    "wagtailadmin_choose_page_search": EDITOR_ONLY,
    "wagtailadmin_choose_page_chosen_multiple": EDITOR_ONLY,
    # (a POST without its fields answers 400: guards/, docs/security.md)
    "wagtailadmin_choose_page_*_link": row("login", "ok", "ok", "ok", "ok", "ok", post=row(*["login"] + ["any"] * 5)),
    "wagtailadmin_api:*": row("login", "ok|404|405", "403", "403", "ok|404|405", "ok|404|405", post=None),
    "wagtaildocs:*": EDITOR_ONLY,
    "wagtaildocs_chooser:*": EDITOR_ONLY,
    "wagtailimages:*": EDITOR_ONLY,
    "wagtailimages_chooser:*": EDITOR_ONLY,
    "wagtailembeds:*": row("login", "ok|4xx", "403", "403", "ok|4xx", "ok|4xx"),
    "wagtailadmin_tag*": EDITOR_ONLY,
    "wagtail_bulk_action": row("login", "ok|404", "403", "403", "ok|404", "ok|404"),
    # -- snippets: reports (scoped by their viewset), review-opinion presets (the province's)
    "wagtailsnippets:index": row("login", "go", "go", "go", "go", "go"),
    "wagtailsnippets_warning_reviewopinion:*": row("login", "403", "403", "403", "ok|go|404|405", "ok|go|404|405"),
    "wagtailsnippetchoosers_warning_reviewopinion:create": row(
        "login", "403", "403", "403", "ok", "ok", post=row("login", "403", "403", "403", "any", "any")
    ),
    "wagtailsnippetchoosers_warning_reviewopinion:*": row("login", "403", "403", "403", "ok|404", "ok|404"),
    # Another city's report (B's, at 地市审核): a 404 for the point and the city, whatever the view.
    "wagtailsnippets_warning_warningreport:list*": EVERYONE,
    "wagtailsnippets_warning_warningreport:add": row("login", "ok", "403", "403", "403", "403"),
    "wagtailsnippets_warning_warningreport:inspect": row("login", "404", "404", "404", "ok", "ok"),
    "wagtailsnippets_warning_warningreport:history*": row("login", "404", "404", "404", "ok", "ok"),
    "wagtailsnippets_warning_warningreport:usage": row("login", "404", "404", "404", "ok", "ok"),
    "wagtailsnippets_warning_warningreport:revisions_compare": row("login", "404", "404", "404", "ok", "ok"),
    "wagtailsnippets_warning_warningreport:workflow_history*": row("login", "404", "404", "404", "ok", "ok"),
    "wagtailsnippets_warning_warningreport:confirm_workflow_cancellation": row(
        "login", "404", "404", "404", "ok", "ok"
    ),
    # Nobody locks a report, the superuser included (docs/review.md).
    "wagtailsnippets_warning_warningreport:*lock": row(
        "login",
        "404",
        "404",
        "404",
        "403|404|405",
        "403|404|405",
        post=row("login", "404", "404", "404", "403|404", "403|404"),
    ),
    "wagtailsnippets_warning_warningreport:*": row("login", "404", "404", "404", REFUSED_ITEM, REFUSED_ITEM),
    "wagtailsnippetchoosers_warning_warningreport:chosen": row("login", "404", "404", "404", "ok", "ok"),
    "wagtailsnippetchoosers_warning_warningreport:create": row(
        "login", "403", "403", "403", "403", "go|403", post=None
    ),
    "wagtailsnippetchoosers_warning_warningreport:*": EVERYONE,
    # -- our own screens
    "warning_review:index": row("login", "403", "ok", "403", "ok", "ok"),
    "warning_review:detail": row("login", "403", "404", "403", "ok", "ok"),
    "warning_internal:index": row("login", "403", "403", "403", "ok", "ok"),
    "warning_internal:detail": row("login", "403", "403", "403", "404", "404"),
    "warning_periodic:deadlines": row("login", "403", "403", "403", "ok", "ok"),
    "warning_periodic:send_reminders": row(
        "login", "403|405", "403|405", "403|405", "405", "405", post=row("login", "403", "403", "403", "go", "go")
    ),
    "warning_periodic:*_submit": row("login", "ok", "403", "403", "403", "403"),
    "warning_periodic:*_attachment": row("login", "404", "404", "403|404", "404", "404"),
    "warning_periodic:quarterly_detail": row("login", "404", "404", "ok", "ok", "ok"),
    "warning_periodic:annual_detail": row("login", "404", "404", "403", "ok", "ok"),
    "warning_periodic:quarterly_*": row("login", "ok", "ok", "ok", "ok", "ok"),
    "warning_periodic:annual_*": row("login", "ok", "ok", "403", "ok", "ok"),
    "warning_magazine:*attachment*": row("login", "403", "403", "404", "403", "403"),
    "warning_magazine:*": row("login", "403", "403", "ok", "403", "403"),
    "warning_messages:index": EVERYONE,
    "warning_messages:mark_all_read": row("login", "go|405", "go|405", "go|405", "go|405", "go|405"),
    "warning_messages:detail": row("login", "404", "404", "404", "404", "404"),
    "warning_messages:open": row("login", "404", "404", "404", "404", "404"),
    "warning_messages:notices": row("login", "ok", "403", "403", "403", "403"),
    "warning_messages:notice": row("login", "404", "404", "404", "404", "404"),
    "warning_notices:index*": row("login", "403", "403", "403", "ok", "ok"),
    "warning_notices:add": row("login", "403", "403", "403", "ok", "ok"),
    "warning_notices:detail": row("login", "403", "403", "403", "ok", "ok"),
    "warning_warningpoint_modeladmin_index": row("login", "ok", "ok", "403", "ok", "ok"),
    "warning_warningpoint_modeladmin_create": row("login", "403", "403", "403", "ok", "ok"),
    "warning_warningpoint_modeladmin_edit": row("login", "403|404", "403|404", "403|404", "ok", "ok"),
    "warning_warningpoint_modeladmin_delete": row("login", "403|404", "403|404", "403|404", "403|404", "403|404"),
    "warning_warningpoint_modeladmin_inspect": row("login", "403|404", "403|404", "403|404", "ok", "ok"),
    "warning_progress": row("login", "403", "403", "403", "ok", "ok"),
    "warning_progress_records": row("login", "403", "403", "403", "ok", "ok"),
    # -- 数据导入 (imports/): the provincial contact's; an empty upload is a form error (400)
    "imports:index": row(
        "login", "403", "403", "403", "ok", "ok", post=row("login", "403", "403", "403", "400", "400")
    ),
    "imports:confirm": row(
        "login", "403", "403", "403", "405", "405", post=row("login", "403", "403", "403", "go", "go")
    ),
    # -- background work (jobs/): failed tasks for the administrator, background exports for the province
    "jobs:failed": SUPER_ONLY,
    "jobs:failed_detail": row("login", "403", "403", "403", "403", "404"),
    "jobs:exports": row("login", "403", "403", "403", "ok", "ok"),
    "jobs:export_request": row(
        "login",
        "403|405",
        "403|405",
        "403|405",
        "405",
        "405",
        post=row("login", "403", "403", "403", "go|400", "go|400"),
    ),
    "jobs:export_download": row("login", "403", "403", "403", "404", "404"),
    # -- 事件推送 (webhooks/): a point's own endpoints, the province's own; B's endpoint is nobody's here
    "webhooks:index": row("login", "ok", "403", "403", "ok", "ok"),
    "webhooks:add": row("login", "ok", "403", "403", "ok", "ok"),
    "webhooks:status": row(
        "login", "405", "405", "405", "405", "405", post=row("login", "404", "403", "403", "404", "404")
    ),
    "webhooks:rotate": row(
        "login", "405", "405", "405", "405", "405", post=row("login", "404", "403", "403", "404", "404")
    ),
    "webhooks:ping": row(
        "login", "405", "405", "405", "405", "405", post=row("login", "404", "403", "403", "404", "404")
    ),
    "webhooks:retry": row(
        "login", "405", "405", "405", "405", "405", post=row("login", "404", "403", "403", "404", "404")
    ),
    "webhooks:*": row("login", "404", "403", "403", "404", "404"),
    "warning_reports:attachment": row("login", "404", "404", "404", "ok", "ok"),
    "warning_statistics:index": row("login", "403", "403", "403", "ok", "ok"),
    "warning_statistics:counts": row("login", "403", "403", "403", "ok", "ok"),
    "warning_statistics:scores": row("login", "403", "403", "403", "ok", "ok"),
    "warning_statistics:records": row("login", "403|404", "403", "403", "ok", "ok"),
    "warning_statistics:export_*": row("login", "403", "403", "403", "ok", "ok"),
    # 年度结果确认: the province's (an empty POST is a form error: nothing confirmed or re-opened)
    "warning_yearclose:*": row("login", "403", "403", "403", "ok", "ok"),
    "subsites_publications:*": row("login", "403", "403", "403", "ok", "ok"),
    # -- public site and APIs (published content only)
    "wagtaildocs_serve": PUBLIC_ITEM,
    "wagtaildocs_authenticate_with_password": PUBLIC_ITEM,
    "wagtailcore_authenticate_with_password": PUBLIC_ITEM,
    "wagtailcore_login": PUBLIC,
    "wagtail_serve": PUBLIC,
    "subsites_serve": PUBLIC,  # the same pages, routed in two queries (subsites/serving.py)
    "subsites_search": PUBLIC,
    # The health endpoint answers every caller alike; no worker runs in the tests (docs/deployment.md).
    "health": row("ok|4xx|503", "ok|4xx|503", "ok|4xx|503", "ok|4xx|503", "ok|4xx|503", "ok|4xx|503", post=None),
    "robots_txt": PUBLIC,
    "sitemap_index": PUBLIC,
    "sitemap_section": PUBLIC,
    "wagtailapi:*": row("ok|404", "ok|404", "ok|404", "ok|404", "ok|404", "ok|404", post=None),
    "wagtailapi_v3:*": row("any", "any", "any", "any", "any", "any"),
    # The integration API (docs/api.md): its schema and docs are public; every endpoint takes a
    # bearer token only, so a logged-in session is no credential (401, or 405 for a wrong method).
    "integration_api:openapi-*": row("ok", "ok", "ok", "ok", "ok", "ok", post=None),
    "integration_api:*": row(
        "4xx", "4xx", "4xx", "4xx", "4xx", "4xx", post=row("4xx", "4xx", "4xx", "4xx", "4xx", "4xx")
    ),
    # 对接令牌: a point's editors and the province manage their own tokens; no such token is a 404.
    "integration_tokens:revoke": row("login", "404", "403", "403", "404", "404"),
    "integration_tokens:*": row("login", "ok", "403", "403", "ok", "ok"),
}


# ---- the small province ---------------------------------------------------------------------------

FOREIGN_TITLES = {
    "A_DRAFT": "矩阵甲点未提交草稿",
    "C_DRAFT": "矩阵丙点未提交草稿",
    "C_CITY": "矩阵丙点地市审核中",
    "B_DRAFT": "矩阵乙点未提交草稿",
    "B_CITY": "矩阵乙点地市审核中",
    "B_MAGAZINE": "矩阵乙点推荐杂志",
    "A_PAGE_DRAFT": "矩阵甲点未发布文章",
    "B_PAGE_DRAFT": "矩阵乙点未发布文章",
    "B_DOCUMENT": "矩阵乙点内部文件",
    "B_QUARTERLY": "矩阵乙点季度分析",
    "B_MESSAGE": "矩阵乙点个人消息",
    "B_WEBHOOK": "矩阵乙点推送地址",
}
# Titles a row may still show, each with the reason; remove the entry when the reason is gone.
KNOWN_LEAKS = {}
# Which of those each role may NOT see (the superuser sees everything).
SECRET_FOR = {
    ANON: {"A_DRAFT", "C_DRAFT", "C_CITY", "B_DRAFT", "B_CITY", "B_MAGAZINE", "A_PAGE_DRAFT", "B_PAGE_DRAFT"}
    | {"B_QUARTERLY", "B_MESSAGE", "B_DOCUMENT", "B_WEBHOOK"},
    POINT: {"C_DRAFT", "C_CITY", "B_DRAFT", "B_CITY", "B_MAGAZINE", "B_PAGE_DRAFT", "B_DOCUMENT", "B_QUARTERLY"}
    | {"B_MESSAGE", "B_WEBHOOK"},
    CITY: {"A_DRAFT", "C_DRAFT", "B_DRAFT", "B_CITY", "B_MAGAZINE", "A_PAGE_DRAFT", "B_PAGE_DRAFT", "B_DOCUMENT"}
    | {"B_QUARTERLY", "B_MESSAGE", "B_WEBHOOK"},
    MAGAZINE: {"A_DRAFT", "C_DRAFT", "C_CITY", "B_DRAFT", "B_CITY", "A_PAGE_DRAFT", "B_PAGE_DRAFT", "B_DOCUMENT"}
    | {"B_MESSAGE", "B_WEBHOOK"},
    # (the province holds page rights on the whole portal, subsites included: it sees draft pages)
    # (a point's 推送地址 is the point's own business: docs/webhooks.md)
    PROVINCE: {"A_DRAFT", "C_DRAFT", "B_DRAFT", "B_DOCUMENT", "B_MESSAGE", "B_WEBHOOK"},
    SUPER: set(),
}


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    """Points A and C in 杭州, B in 丽水; one user per role; B's objects fill the URLs' arguments."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_province()
        transaction.set_rollback(True)


def build_province():
    t = FOREIGN_TITLES
    point_a = make_point(name="矩阵甲预警点", district_name="建德市")
    point_c = make_point(name="矩阵丙预警点", district_name="桐庐县")
    point_b = make_point(name="矩阵乙预警点", district_name="庆元县")
    editor_a = make_user("point", point=point_a, username="m_point_a")
    editor_c = make_user("point", point=point_c, username="m_point_c")
    editor_b = make_user("point", point=point_b, username="m_point_b")
    superuser = make_user("province", username="m_super")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    superuser.groups.set(Group.objects.none())
    users = {
        POINT: editor_a,
        CITY: make_user("city", city_name="杭州市", username="m_city"),
        MAGAZINE: make_user("magazine", username="m_magazine"),
        PROVINCE: make_user("province", username="m_province"),
        SUPER: superuser,
    }
    make_report(point_a, editor_a, title="矩阵甲点已提交")
    make_report(point_a, editor_a, title=t["A_DRAFT"], submit=False)
    make_report(point_c, editor_c, title=t["C_DRAFT"], submit=False)
    make_report(point_c, editor_c, title=t["C_CITY"])
    make_report(point_b, editor_b, title=t["B_DRAFT"], submit=False)
    b_city = make_report(point_b, editor_b, title=t["B_CITY"])
    now = timezone.now()
    b_magazine = make_report(
        point_b,
        editor_b,
        title=t["B_MAGAZINE"],
        submit=False,
        stage=WarningReport.Stage.APPROVED,
        submitted_at=now,
        approved_at=now,
        to_magazine=True,
        magazine_status=WarningReport.Decision.PENDING,
    )
    attachment = ReportAttachment.objects.create(
        report=b_city, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="b.pdf"), name="b.pdf"
    )
    make_article(point_a, title=t["A_PAGE_DRAFT"], publish=False)
    b_page = make_article(point_b, title=t["B_PAGE_DRAFT"], publish=False)
    b_live = make_article(point_b, title="矩阵乙点已发布文章")
    document = get_document_model().objects.create(
        title=t["B_DOCUMENT"],
        collection=Collection.objects.get(name=point_b.name),
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="bdoc.pdf"),
    )
    from tests.subsites_factories import make_image

    image = make_image(title="矩阵乙点图片")
    image.collection = Collection.objects.get(name=point_b.name)
    image.save()
    quarterly = QuarterlyAnalysis.objects.create(
        point=point_b, year=now.year, quarter=1, title=t["B_QUARTERLY"], content="内容", submitted_at=now
    )
    annual = AnnualSummary.objects.create(
        point=point_b, year=now.year - 1, title="矩阵乙点年度总结", content="内容", submitted_at=now
    )
    notice = Notice.objects.create(
        title="矩阵通知", body="内容", audience=Notice.Audience.CITY, city=point_b.district.city, **_issued(users)
    )
    message = Message.objects.create(recipient=editor_b, title=t["B_MESSAGE"], body="内容")
    webhook = WebhookEndpoint.objects.create(
        point=point_b, name=t["B_WEBHOOK"], url="https://b.example.com/hook", events=["report.returned"]
    )
    webhook_delivery = WebhookDelivery.objects.create(
        endpoint=webhook,
        event_id="00000000-0000-4000-8000-000000000002",
        event_type="report.returned",
        body="{}",
        point=point_b,
        status=WebhookDelivery.Status.FAILED,
    )
    task_state = review.current_task_state(b_city)
    objects = dict(
        point=point_b,
        report=b_city,
        magazine_report=b_magazine,
        attachment=attachment,
        page=b_page,
        live_page=b_live,
        column=column_of(point_b),
        document=document,
        image=image,
        quarterly=quarterly,
        annual=annual,
        notice=notice,
        message=message,
        task_state=task_state,
        workflow_state=task_state.workflow_state,
        workflow=Workflow.objects.first(),
        task=Task.objects.first(),
        site=Site.objects.first(),
        user=editor_b,
        group=Group.objects.first(),
        collection=Collection.objects.get(name=point_b.name),
        opinion=ReviewOpinion.objects.first(),
        webhook=webhook,
        webhook_delivery=webhook_delivery,
    )
    return dict(users=users, objects=objects)


def _issued(users):
    return {"issued_by": users[PROVINCE], "issued_at": timezone.now()}


# ---- the URL resolver ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # view name, or the route for an unnamed pattern
    name: str | None
    route: str
    callback: object
    converters: tuple


def all_patterns():
    """Every URL pattern of the project, with its full view name and route."""
    found = []

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
                route = prefix + str(pattern.pattern)
                converters = tuple(getattr(pattern.pattern, "converters", {}) or ())
                found.append(Pattern(name or route, name, route, pattern.callback, converters))

    walk(get_resolver().url_patterns)
    return found


def expectation(key):
    for pattern, expected in EXPECTATIONS.items():
        if fnmatchcase(key, pattern):
            return expected
    return None


def argument_values(objects, pattern):
    """A value for each URL argument name: the other point's (B's) object of that kind."""
    o = objects
    ns = (pattern.name or "").rsplit(":", 1)[0]
    pk_by_namespace = {
        "wagtailsnippets_warning_warningreport": o["report"].pk,
        "wagtailsnippetchoosers_warning_warningreport": o["report"].pk,
        "warning_review": o["report"].pk,
        "warning_internal": o["report"].pk,
        "warning_reports": o["report"].pk,
        "warning_periodic": o["quarterly"].pk,
        "warning_magazine": o["quarterly"].pk,
        "warning_messages": o["message"].pk,
        "warning_notices": o["notice"].pk,
        "wagtailadmin_collections": o["collection"].pk,
        "wagtailadmin_workflows": o["workflow"].pk,
        "wagtailsites": o["site"].pk,
        "wagtailusers_users": o["user"].pk,
        "wagtailusers_groups": o["group"].pk,
        "wagtailsnippets_warning_reviewopinion": o["opinion"].pk,
        "wagtailsnippetchoosers_warning_reviewopinion": o["opinion"].pk,
        "wagtailadmin_api:pages": o["page"].pk,
        "wagtailapi:pages": o["page"].pk,
        "wagtailadmin_api:documents": o["document"].pk,
        "wagtailapi:documents": o["document"].pk,
        "wagtailadmin_api:images": o["image"].pk,
        "wagtailapi:images": o["image"].pk,
        "integration_tokens": 999999,  # no such token
    }
    if pattern.name in ("warning_magazine:report_detail", "warning_magazine:report_attachment"):
        pk = o["magazine_report"].pk
    elif (pattern.name or "").startswith("warning_periodic:annual"):
        pk = o["annual"].pk
    elif pattern.name == "jobs:failed_detail":
        pk = "00000000-0000-4000-8000-000000000001"  # no such task result
    elif pattern.name in ("webhooks:delivery", "webhooks:retry"):
        pk = o["webhook_delivery"].pk
    elif ns == "webhooks":
        pk = o["webhook"].pk
    elif ns == "jobs":
        pk = 999999  # no such export
    else:
        pk = pk_by_namespace.get(ns, 1)
    is_report = "warningreport" in ns
    revision = (o["report"] if is_report else o["page"]).latest_revision_id
    return {
        "pk": pk,
        "instance_pk": o["point"].pk,
        "point_id": o["point"].pk,
        "kind": "waiting" if pattern.name == "warning_progress_records" else "reports",
        "city_id": o["point"].district.city_id,
        "page_id": o["page"].pk,
        "parent_page_id": o["page"].pk,
        "page_to_move_id": o["page"].pk,
        "destination_id": o["column"].pk,
        "page_pk": o["page"].pk,
        "report_id": o["report"].pk,
        "article_id": o["page"].pk,
        "workflow_pk": o["workflow"].pk,
        "revision_id": revision,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "task_state_id": o["task_state"].pk,
        "workflow_state_id": o["workflow_state"].pk,
        "task_id": o["task"].pk,
        "action_name": "approve",
        "attachment_pk": o["attachment"].pk,
        "notice_pk": o["notice"].pk,
        "document_id": o["document"].pk,
        "doc_id": o["document"].pk,
        "image_id": o["image"].pk,
        "uploaded_file_id": 999999,
        "filter_spec": "original",
        "collection_id": o["collection"].pk,
        "redirect_id": 999999,
        "restriction_id": 999999,
        "page_view_restriction_id": 999999,
        "session_id": 999999,
        "object_id": str(o["report"].pk),
        "app_label": "warning",
        "model_name": "warningreport",
        "app_name": "warning",
        "content_type_app_name": "subsites",
        "content_type_model_name": "articlepage",
        "action": "delete",
        "uidb64": "MQ",
        "token": "set-password",
        "site_id": o["site"].pk,
        "type": "warning.warningreport",
        "type_name": "ArticlePage",
        "revision": revision,
        "year": 2025,
        "section": "pages",
        "rest": "no-such-endpoint/1",  # the integration API's JSON 404 for an address naming no endpoint
    }


# Query strings that make a list show its items (and foreign ones, if it leaks).
QUERY = {
    "wagtail_bulk_action": "?id={report}",
    "wagtailadmin_reports:site_history_results": "?q=矩阵",
    "wagtailsnippetchoosers_warning_warningreport:choose_results": "?q=矩阵",
    "wagtailsnippetchoosers_warning_warningreport:chosen_multiple": "?id={report}",
    "wagtailadmin_choose_page_search": "?q=矩阵",
    "wagtailadmin_choose_page_chosen_multiple": "?id={page}",
}
# Extra requests beyond one per pattern: exports of the listed screens.
EXTRA_URLS = {
    "wagtailadmin_reports:site_history": ["?export=csv"],
    "wagtailadmin_reports:workflow": ["?export=csv"],
    "wagtailadmin_reports:workflow_tasks": ["?export=xlsx"],
}


def build_url(pattern, objects):
    values = argument_values(objects, pattern)
    if pattern.name is None:
        return (
            "/" + pattern.route.replace("^", "").replace("$", "").replace(".*", "x")
            if "(" not in pattern.route
            else None
        )
    if pattern.name in ("wagtail_serve", "subsites_serve"):
        return objects["live_page"].url
    if pattern.name == "wagtaildocs_serve":
        return reverse(pattern.name, args=[objects["document"].pk, "bdoc.pdf"])
    kwargs = {name: values[name] for name in pattern.converters if name in values}
    missing = [name for name in pattern.converters if name not in values]
    if missing:
        raise KeyError(f"{pattern.key}: no value for URL argument(s) {missing}; add them to argument_values()")
    try:
        url = reverse(pattern.name, kwargs=kwargs)
    except NoReverseMatch:
        # Regex patterns with named groups (revisions compare) or positional groups.
        import re

        groups = re.findall(r"\(\?P<(\w+)>", pattern.route)
        url = reverse(pattern.name, kwargs={g: values[g] for g in groups})
    query = QUERY.get(pattern.name, "")
    return url + query.format(report=objects["report"].pk, page=objects["page"].pk)


def accepts_post(pattern):
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post") or hasattr(view_class, "form_valid")
    actions = getattr(pattern.callback, "actions", None)
    if actions is not None:  # Django REST framework viewsets
        return "post" in actions
    return True  # a function view: POST it, it may accept


def status_ok(response, token):
    code = response.status_code
    location = response.get("Location", "")
    to_login = 300 <= code < 400 and ("login" in location)
    checks = {
        "ok": 200 <= code < 300,
        "go": 300 <= code < 400 and not to_login,
        "login": to_login,
        "400": code == 400,
        "403": code == 403,
        "404": code == 404,
        "405": code == 405,
        "4xx": 400 <= code < 500,
        "any": code < 500,
        "500": code == 500,  # only where a row says so, with its reason
        "503": code == 503,  # the health endpoint reporting a component down
    }
    return any(checks[t] for t in token.split("|"))


def body_text(response):
    # Streaming bodies (downloads, exports) are read whole: the small province keeps them small, and
    # the test client closes the response itself only at their end (closing it early would fire
    # request_finished, which closes the database connection in the middle of the test's transaction).
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    text = raw.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def post_token(expected, index):
    if expected.post is None:
        return None
    if expected.post != "derive":
        return expected.post[index]
    get = expected.get[index]
    if set(get.split("|")) <= REFUSALS:
        return get + "|405"
    return "any"


def gate_row(view_name):
    return next(pattern for pattern, _ in SCREEN_RULES if fnmatchcase(view_name, pattern))


class _Forbidden:
    """What the screen gate answers (a 403 page), for checking a row without sending the request."""

    status_code = 403

    @staticmethod
    def get(name, default=""):
        return default


# ---- the tests ---------------------------------------------------------------------------------------


def test_every_pattern_has_an_expectation():
    missing = sorted({p.key for p in all_patterns() if expectation(p.key) is None})
    assert not missing, "URL patterns with no row in EXPECTATIONS (see the module docstring):\n" + "\n".join(missing)


def test_role_url_matrix(province):
    objects, users = province["objects"], province["users"]
    clients = {ANON: Client(raise_request_exception=False)}
    for role, user in users.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    # A request may rotate or end its session (a password change, a login POST): each request
    # starts again from the session cookie the role logged in with.
    cookies = {role: dict(client.cookies.items()) for role, client in clients.items()}
    secrets = {role: {FOREIGN_TITLES[k] for k in keys} for role, keys in SECRET_FOR.items()}

    requests = []
    seen = set()
    for pattern in all_patterns():
        expected = expectation(pattern.key)
        url = build_url(pattern, objects)
        if url is None or expected is None:
            continue
        urls = [url] + [url + extra for extra in EXTRA_URLS.get(pattern.name, [])]
        for u in urls:
            post = accepts_post(pattern) and expected.post is not None
            if (u, post) in seen:
                continue  # the same route under two names (the API's list/create): requested once
            seen.add((u, post))
            requests.append((pattern, expected, u, post))

    failures, dump, sampled_gates = [], [], set()
    for pattern, expected, url, post in requests:
        for index, role in enumerate(ROLES):
            methods = [("GET", expected.get[index])]
            # Logins and the screen gate do not look at the method: a role they turn away on GET
            # is turned away on POST alike, so that POST is not sent (it would only cost time).
            gated = (
                role != ANON and pattern.route.startswith("admin/") and not may_open_screen(users[role], pattern.name)
            )
            turned_away = gated if role != ANON else expected.get[index] == "login"
            if post and not turned_away:
                methods.append(("POST", post_token(expected, index)))
            if gated:
                # The gate answers before any view runs, from the view name alone: one request per
                # (row of SCREEN_RULES, role) shows its 403 page; the other patterns of that row
                # are checked against the table without a request.
                rule = gate_row(pattern.name)
                if (rule, role) in sampled_gates:
                    if not status_ok(_Forbidden, expected.get[index]):
                        failures.append(f"GET {url} as {role}: 403 by the gate (expected {expected.get[index]})")
                    continue
                sampled_gates.add((rule, role))
            for method, token in methods:
                with transaction.atomic():
                    client = clients[role]
                    client.cookies.clear()
                    for name, morsel in cookies[role].items():
                        client.cookies[name] = morsel.value
                    response = client.get(url) if method == "GET" else client.post(url, {})
                    text = body_text(response)
                    transaction.set_rollback(True)
                allowed = set().union(*(known for key, known in KNOWN_LEAKS.items() if fnmatchcase(pattern.key, key)))
                leaked = sorted(
                    title for title in secrets[role] - {FOREIGN_TITLES[k] for k in allowed} if title in text
                )
                status_fine = status_ok(response, token)
                dump.append(f"{pattern.key}\t{method}\t{url}\t{role}\t{response.status_code}\t{token}\t{leaked}")
                if not status_fine or leaked:
                    failures.append(
                        f"{method} {url} as {role}: {response.status_code} (expected {token})"
                        + (f", shows {leaked}" if leaked else "")
                        + f"  [{pattern.key}]"
                    )
    if os.environ.get("MATRIX_DUMP"):
        with open(os.environ["MATRIX_DUMP"], "w", encoding="utf-8") as out:
            out.write("\n".join(dump))
    assert not failures, f"{len(failures)} of {len(dump)} answers differ from EXPECTATIONS:\n" + "\n".join(failures)
