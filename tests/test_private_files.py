"""Private files are private everywhere: outside the public media space, random stored names, served by views only."""

import importlib
import re
from pathlib import Path, PurePath
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.review_factories import make_report
from tests.shared_points import SharedPoints
from warning import periodic
from warning.models import AnnualSummary, ReportAttachment

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
RANDOM_NAME = re.compile(r"[0-9a-f]{32}\.pdf")


def stored_publicly(name):
    return (Path(settings.MEDIA_ROOT) / name).exists()


def test_attachment_is_stored_privately_under_a_random_name(client, point, point_editor):
    report = make_report(point, point_editor, submit=False)
    attachment = ReportAttachment.objects.create(
        report=report, file=SimpleUploadedFile("欧盟通报原件.pdf", PDF, content_type="application/pdf")
    )
    name = attachment.file.name
    assert RANDOM_NAME.fullmatch(PurePath(name).name)
    assert "欧盟通报原件" not in name
    assert attachment.name == "欧盟通报原件.pdf"
    assert storages["private"].exists(name)
    assert not stored_publicly(name)
    assert not str(Path(settings.PRIVATE_MEDIA_ROOT)).startswith(str(Path(settings.MEDIA_ROOT)))
    assert attachment.file.url == ""  # a private file has no public address

    client.force_login(point_editor)
    response = client.get(reverse("warning_reports:attachment", args=[report.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert quote("欧盟通报原件.pdf") in response["Content-Disposition"]


def test_attachment_is_refused_to_another_point(client, point, point_editor, other_point_editor):
    report = make_report(point, point_editor, submit=False)
    attachment = ReportAttachment.objects.create(report=report, file=ContentFile(PDF, name="a.pdf"))
    client.force_login(other_point_editor)
    assert client.get(reverse("warning_reports:attachment", args=[report.pk, attachment.pk])).status_code == 404


class TestSharedPeriodicReportFileIs(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_periodic_report_file_is_stored_privately(self, point, point_editor):
        result = periodic.submit_annual_summary(
            point=point,
            user=point_editor,
            year=timezone.localdate().year - 1,
            title="年度工作总结",
            content="全年工作情况。",
            attachment=SimpleUploadedFile("总结.pdf", PDF, content_type="application/pdf"),
        )
        name = AnnualSummary.objects.get(pk=result.item.pk).attachment.name
        assert storages["private"].exists(name)
        assert not stored_publicly(name)
        assert "总结" not in name

    def test_migration_moves_existing_public_files_into_private_storage(
        self, point, point_editor, django_capture_on_commit_callbacks
    ):
        from django.apps import apps
        from wagtail.models import Revision

        migration = importlib.import_module("warning.migrations.0005_private_files")
        public = storages["default"]
        old_name = public.save("reports/2025/01/原件.pdf", ContentFile(PDF))
        report = make_report(point, point_editor, submit=False)
        attachment = ReportAttachment.objects.create(report=report, file=ContentFile(PDF, name="x.pdf"))
        ReportAttachment.objects.filter(pk=attachment.pk).update(file=old_name, name="")
        report.refresh_from_db()
        revision = report.save_revision(user=point_editor, clean=False)
        assert revision.content["attachments"][0]["file"] == old_name

        with django_capture_on_commit_callbacks(execute=True):
            migration.move_to_private(apps, None)

        attachment.refresh_from_db()
        new_name = attachment.file.name
        assert new_name != old_name and RANDOM_NAME.fullmatch(PurePath(new_name).name)
        assert attachment.name == "原件.pdf"
        with storages["private"].open(new_name, "rb") as handle:
            assert handle.read() == PDF
        assert not public.exists(old_name)
        assert Revision.objects.get(pk=revision.pk).content["attachments"][0]["file"] == new_name

        migration.move_to_private(apps, None)  # again: nothing left to move, nothing changes
        attachment.refresh_from_db()
        assert attachment.file.name == new_name

    def test_the_edit_form_of_a_report_with_an_attachment_links_to_no_file(self, client, point, point_editor):
        report = make_report(point, point_editor, submit=False)
        attachment = ReportAttachment.objects.create(report=report, file=ContentFile(PDF, name="原件.pdf"))
        client.force_login(point_editor)
        response = client.get(reverse("wagtailsnippets_warning_warningreport:edit", args=[report.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert attachment.file.name not in html
        assert PurePath(attachment.file.name).stem not in html
