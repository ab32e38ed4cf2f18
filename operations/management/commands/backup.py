"""`manage.py backup [-o FILE]`: the database and every uploaded file in one tar.gz."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和所有上传文件（媒体文件、私有附件）到一个 tar.gz 文件"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="备份文件路径（默认 backups/yujing-<时间>.tar.gz）")

    def handle(self, *args, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = options["output"] or f"backups/yujing-{stamp}.tar.gz"
        try:
            manifest = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = "，".join(f"{alias} {len(names)} 个文件" for alias, names in manifest["files"].items())
        self.stdout.write(f"已备份到 {path}（{manifest['database']} 数据库；{counts or '无上传文件'}）")
