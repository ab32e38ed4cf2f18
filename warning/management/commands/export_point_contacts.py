"""export_point_contacts: 导出预警点联系人信息 of every point to an xlsx file (docs/rules.md §6)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from warning.exports.contacts import write_point_contacts
from warning.models import WarningPoint


class Command(BaseCommand):
    help = "导出预警点联系人信息（预警点名称、所属地市、负责人名字、负责人电话）到 xlsx 文件"

    def add_arguments(self, parser):
        # Not required=True: argparse would complain in English; we say it in Chinese below.
        parser.add_argument("-o", "--output", help="输出文件路径，例如 联系人.xlsx")

    def handle(self, *args, **options):
        output = options["output"]
        if not output:
            raise CommandError("请用 -o 指定输出文件，例如：python manage.py export_point_contacts -o 联系人.xlsx")
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"输出文件必须以 .xlsx 结尾：{output}")
        if not path.parent.is_dir():
            raise CommandError(f"输出目录不存在：{path.parent}")
        try:
            count = write_point_contacts(WarningPoint.objects.all(), path)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {output}：{exc.strerror or exc}") from exc
        self.stdout.write(f"已导出 {count} 行预警点联系人信息到 {path}")
