"""Nothing submitted is ever lost: a hard delete is refused whatever the path."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from tests.shared_points import SharedPoints
from warning.models import AnnualSummary, QuarterlyAnalysis, WarningReport


def _report(point, submitted):
    from warning.models import Industry

    return WarningReport.objects.create(
        point=point,
        title="欧盟对华铝型材反倾销立案",
        industry=Industry.objects.get(name="机电"),
        country="EU",
        author="张三",
        phone="0571-87654321",
        body="<p>正文</p>",
        submitted_at=timezone.now() if submitted else None,
    )


class TestSharedSubmittedReportCannotBe(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_submitted_report_cannot_be_deleted(self, point):
        report = _report(point, submitted=True)
        # Deletion runs without a savepoint of its own; the test's own atomic
        # block stands in for the request's transaction.
        with pytest.raises(ProtectedError), transaction.atomic():
            report.delete()
        assert WarningReport.objects.filter(pk=report.pk).exists()

    def test_unsubmitted_draft_is_not_protected_by_the_guard(self, point):
        report = _report(point, submitted=False)
        report.delete()
        assert not WarningReport.objects.filter(pk=report.pk).exists()

    @pytest.mark.parametrize("model", [QuarterlyAnalysis, AnnualSummary])
    def test_periodic_reports_cannot_be_deleted(self, point, model):
        extra = {"quarter": 1} if model is QuarterlyAnalysis else {}
        item = model.objects.create(
            point=point, year=2026, title="分析", content="内容", submitted_at=timezone.now(), **extra
        )
        with pytest.raises(ProtectedError), transaction.atomic():
            item.delete()
        with pytest.raises(ProtectedError), transaction.atomic():
            model.objects.filter(pk=item.pk).delete()
        assert model.objects.filter(pk=item.pk).exists()


# --- everything else that counts or records -------------------------------------------------


def _pdf(name="通报.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def _refused(obj):
    """Both the instance and a queryset delete raise ProtectedError and leave the row."""
    model = type(obj)
    with pytest.raises(ProtectedError), transaction.atomic():
        obj.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        model.objects.filter(pk=obj.pk).delete()
    assert model.objects.filter(pk=obj.pk).exists()


class TestSharedReviewRecordsCannotBe(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_review_records_cannot_be_deleted(self, point, point_editor, city_reviewer):
        from tests.review_factories import decide, make_report
        from warning.models import ReviewRecord

        report = make_report(point, point_editor)
        decide(report, city_reviewer, "reject", comment="不予通过")
        _refused(ReviewRecord.objects.get(report=report))

    def test_attachment_of_a_submitted_report_cannot_be_deleted(self, point, point_editor):
        from tests.review_factories import make_report
        from warning.models import ReportAttachment

        report = make_report(point, point_editor)
        attachment = ReportAttachment.objects.create(report=report, file=_pdf(), name="通报.pdf")
        _refused(attachment)

    def test_attachment_of_a_draft_may_still_be_removed(self, point, point_editor):
        from tests.review_factories import make_report
        from warning.models import ReportAttachment

        report = make_report(point, point_editor, submit=False)
        attachment = ReportAttachment.objects.create(report=report, file=_pdf(), name="通报.pdf")
        attachment.delete()
        assert not ReportAttachment.objects.filter(pk=attachment.pk).exists()

    def test_notice_its_recipients_and_messages_cannot_be_deleted(self, provincial, point, point_editor):
        from warning.models import Message, Notice, NoticeRecipient
        from warning.notices import issue_notice

        notice = issue_notice(provincial, "关于报送季度分析的通知", "请按时报送。", Notice.Audience.ALL)
        _refused(notice)
        _refused(NoticeRecipient.objects.get(notice=notice, point=point))
        _refused(Message.objects.get(notice=notice, recipient=point_editor))
        assert Message.objects.filter(notice=notice).count() == 1

    def test_a_message_cannot_be_deleted_even_with_its_user(self, point_editor):
        from warning.models import Message
        from warning.notify import notify_users

        notify_users([point_editor], "预警信息已退回", "请修改后重新提交。")
        _refused(Message.objects.get(recipient=point_editor))
        with pytest.raises(ProtectedError), transaction.atomic():
            point_editor.delete()
        assert Message.objects.filter(recipient=point_editor).exists()

    def test_a_live_article_cannot_be_deleted_but_an_unpublished_one_can(self, point, point_editor):
        from subsites.models import ArticlePage
        from tests.subsites_factories import make_article

        live = make_article(point, user=point_editor)
        _refused(live)
        with pytest.raises(ProtectedError), transaction.atomic():
            live.get_parent().delete()  # the cascade from the column
        assert ArticlePage.objects.filter(pk=live.pk).exists()

        live.unpublish(user=point_editor)
        live.delete()
        assert not ArticlePage.objects.filter(pk=live.pk).exists()

    def test_point_editor_unpublishes_instead_of_deleting_its_counted_article(self, client, point, point_editor):
        from django.urls import reverse

        from subsites.models import ArticlePage
        from tests.subsites_factories import make_article

        article = make_article(point, user=point_editor)
        draft = make_article(point, user=point_editor, publish=False)
        client.force_login(point_editor)
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
        assert reverse("wagtailadmin_pages:delete", args=[article.pk]) not in edit.content.decode()
        response = client.post(reverse("wagtailadmin_pages:delete", args=[article.pk]))
        assert response.status_code in (302, 403)
        assert ArticlePage.objects.filter(pk=article.pk, live=True).exists()

        # Bulk delete is refused the same way.
        bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        client.post(f"{bulk}?id={article.pk}", {})
        assert ArticlePage.objects.filter(pk=article.pk, live=True).exists()

        # A draft that never counted may still go.
        client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
        assert not ArticlePage.objects.filter(pk=draft.pk).exists()

    def test_superuser_deleting_a_column_with_live_articles_gets_a_message(self, client, point, point_editor):
        from django.contrib.auth.models import User
        from django.urls import reverse

        from subsites.models import UNPUBLISH_INSTEAD, ArticlePage
        from tests.subsites_factories import make_article

        article = make_article(point, user=point_editor)
        admin = User.objects.create_superuser("root", "root@example.com", "pass12345!")
        client.force_login(admin)
        response = client.post(reverse("wagtailadmin_pages:delete", args=[article.get_parent().pk]), follow=True)
        assert response.status_code == 200
        assert UNPUBLISH_INSTEAD in response.content.decode()
        assert ArticlePage.objects.filter(pk=article.pk, live=True).exists()

    def test_nobody_locks_a_report_not_even_the_superuser(self, client, point, point_editor):
        from django.contrib.auth.models import User
        from django.urls import reverse

        from tests.review_factories import make_report

        report = make_report(point, point_editor)
        admin = User.objects.create_superuser("root", "root@example.com", "pass12345!")
        for user in (admin, point_editor):
            client.force_login(user)
            response = client.post(reverse("wagtailsnippets_warning_warningreport:lock", args=[report.pk]))
            assert response.status_code == 403
            report.refresh_from_db()
            assert not report.locked

    def test_deleting_a_user_with_messages_in_the_admin_is_refused_with_a_message(self, client, point_editor):
        from django.contrib.auth.models import User
        from django.urls import reverse

        from warning.notify import notify_users

        notify_users([point_editor], "预警信息已退回", "请修改后重新提交。")
        client.force_login(User.objects.create_superuser("root", "root@example.com", "pass12345!"))
        response = client.post(reverse("wagtailusers_users:delete", args=[point_editor.pk]), follow=True)
        assert response.status_code == 200
        assert "不能删除" in response.content.decode()
        assert User.objects.filter(pk=point_editor.pk).exists()
