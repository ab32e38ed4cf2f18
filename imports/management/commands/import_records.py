"""import_records: bring one file of the old platform's records in (docs/imports.md).

    python manage.py import_records reports 2019预警信息.xlsx --dry-run
    python manage.py import_records reports 2019预警信息.xlsx

The same code as the admin's 数据导入 screen (imports.engine.run_import).
--dry-run lists every row that would be refused (sheet, row, column, reason)
and changes nothing; without it the file is imported in one transaction, or
not at all when any row is refused. Progress goes to stderr.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from imports import tables
from imports.engine import STATUS_LABELS, run_import
from imports.kinds import GROUP_LABELS, GROUPS


class Command(BaseCommand):
    help = "从 xlsx / csv（或含附件的 zip）文件导入旧平台的历史数据"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(GROUPS), help="导入的数据类型")
        parser.add_argument("file", help="xlsx、csv 或 zip 文件的路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查、列出会被拒绝的行，不写入任何数据")
        parser.add_argument("--user", default="", help="记入历史的操作人用户名（默认：系统）")

    def handle(self, *args, kind, file, dry_run=False, user="", **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"没有用户名为“{user}”的用户")
        try:
            source = tables.read_path(file)
        except tables.FileRefused as exc:
            raise CommandError(str(exc)) from None

        def progress(done, total):
            if done == total or done % 50 == 0:
                self.stderr.write(f"已写入 {done}/{total} 行", ending="\n")

        self.stderr.write(f"正在{'检查' if dry_run else '导入'}{GROUP_LABELS[kind]}：{source.name}")
        result = run_import(kind, source, user=actor, dry_run=dry_run, progress=progress)
        for problem in result.problems:
            self.stdout.write(str(problem))
        if not result.ok:
            raise CommandError(result.summary())
        for planned in result.rows:
            label = STATUS_LABELS[planned.status]
            where = f"{planned.sheet} " if planned.sheet else ""
            self.stdout.write(f"{where}第 {planned.row} 行 {label}：{planned.description}")
        self.stdout.write(self.style.SUCCESS(result.summary()))
