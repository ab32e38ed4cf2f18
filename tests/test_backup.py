"""Backup and restore: make data and files, back up, wipe, restore, compare (SQLite and PostgreSQL)."""

import tarfile

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from wagtail.models import Page

from operations.backup import walk
from tests.factories import make_point, make_user
from warning.models import City, WarningPoint

# Restoring replaces whole tables from another connection (pg_restore), so no test
# transaction may be open; the migrations' rows (cities, groups) are put back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 64
DOCX = b"PK\x03\x04" + "季度形势分析".encode() * 100


@pytest.fixture
def upload_storages(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return storages["default"], storages["private"]


def snapshot():
    point = WarningPoint.objects.get(name="备份测试产品对外贸易预警点")
    return {
        "users": sorted(User.objects.values_list("username", "password", "email")),
        "points": sorted(WarningPoint.objects.values_list("pk", "name", "address", "district__name")),
        "pages": sorted(Page.objects.values_list("pk", "path", "title", "live")),
        "cities": City.objects.count(),
        "responsible": sorted(point.responsible_persons.values_list("name", "mobile")),
    }


def test_backup_wipe_restore_gives_back_the_same_rows_and_files(upload_storages, tmp_path):
    media, private = upload_storages
    point = make_point(name="备份测试产品对外贸易预警点", address="衢州市柯城区备份路8号")
    make_user("point", point=point, username="backup_editor")
    media_name = media.save("reports/2026/11/预警通报.pdf", ContentFile(PDF))
    private_name = private.save("periodic/2026/年度总结.docx", ContentFile(DOCX))
    before = snapshot()

    archive = tmp_path / "backups" / "yujing.tar.gz"
    call_command("backup", "-o", str(archive))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert f"files/default/{media_name}" in names and f"files/private/{private_name}" in names

    # Wipe: the data lost (pages, points, users), the files gone, a stray file not in the backup.
    Page.objects.filter(depth__gt=2).delete()
    WarningPoint.objects.all().delete()
    User.objects.all().delete()
    media.delete(media_name)
    private.delete(private_name)
    media.save("stray/after-backup.txt", ContentFile(b"not in the backup"))
    assert not WarningPoint.objects.exists() and not User.objects.exists()

    call_command("restore", str(archive), "--yes")

    assert snapshot() == before
    with media.open(media_name, "rb") as handle:
        assert handle.read() == PDF
    with private.open(private_name, "rb") as handle:
        assert handle.read() == DOCX
    assert sorted(walk(media)) == [media_name]
    assert User.objects.get(username="backup_editor").check_password("pass12345!")


def test_restore_refuses_without_confirmation_and_changes_nothing(upload_storages, tmp_path):
    make_point(name="备份测试产品对外贸易预警点")
    archive = tmp_path / "b.tar.gz"
    call_command("backup", "-o", str(archive))
    WarningPoint.objects.filter(name="备份测试产品对外贸易预警点").update(address="恢复前的地址")
    with pytest.raises(CommandError, match="确认请加 --yes"):
        call_command("restore", str(archive))
    assert WarningPoint.objects.get(name="备份测试产品对外贸易预警点").address == "恢复前的地址"


def test_restore_refuses_a_file_that_is_not_a_backup(upload_storages, tmp_path):
    make_point(name="备份测试产品对外贸易预警点")
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(__file__, arcname="something.py")
    with pytest.raises(CommandError, match="不是本平台的备份"):
        call_command("restore", str(bogus), "--yes")
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")
    assert WarningPoint.objects.filter(name="备份测试产品对外贸易预警点").exists()
