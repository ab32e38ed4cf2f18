"""The admin home's workflow panels, rebuilt in a fixed number of queries, still list what Wagtail's list.

"您在审核流程中的页面和内容" (Wagtail's "your items in moderation", warning/admin/home.py)
lists a point editor's own reports under review with their current step; the province's
home (the statistics page) leaves it off.
"""

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.review_factories import make_report
from warning.models.reports import CityReviewTask

pytestmark = pytest.mark.django_db

PANEL = "您在审核流程中的页面和内容"


def test_the_point_editors_home_lists_its_reports_under_review_with_their_step(client, point, point_editor):
    waiting = make_report(point, point_editor, title="待地市审核的预警信息")
    make_report(point, point_editor, title="未提交的草稿", submit=False)
    client.force_login(point_editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert PANEL in html
    panel = html[html.index(PANEL) :]
    assert waiting.title in panel and "未提交的草稿" not in panel
    assert CityReviewTask.objects.get(active=True).name in panel


def test_the_provincial_home_leaves_the_panel_off(client, point, point_editor):
    make_report(point, point_editor)
    client.force_login(make_user("province"))
    assert PANEL not in client.get(reverse("wagtailadmin_home")).content.decode()
