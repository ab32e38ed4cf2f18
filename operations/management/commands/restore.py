"""`manage.py restore FILE --yes`: replace the database and the uploaded files with a backup."""

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份文件恢复数据库和所有上传文件（会覆盖现有数据；请先停止应用服务器和后台任务进程）"

    def add_arguments(self, parser):
        parser.add_argument("path", help="manage.py backup 生成的备份文件")
        parser.add_argument("--yes", action="store_true", help="确认覆盖现有数据库和文件")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("恢复会覆盖现有数据库和上传文件；确认请加 --yes")
        try:
            manifest = restore(options["path"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = "，".join(f"{alias} {len(names)} 个文件" for alias, names in manifest["files"].items())
        self.stdout.write(f"已从 {options['path']} 恢复（备份时间 {manifest['created']}；{counts or '无上传文件'}）")
