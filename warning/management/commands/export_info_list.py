"""export_info_list: 导出信息清单 of a year to an xlsx file (docs/rules.md §4, §6)."""

from django.core.management.base import BaseCommand, CommandError

from warning.exports.info_list import write_info_list

from ._statistics_options import add_filter_arguments, filters_from, one_line_errors, output_path


class Command(BaseCommand):
    help = "导出信息清单（合计、各地市小计及其预警点的各项条数）到 xlsx 文件"

    def create_parser(self, prog_name, subcommand, **kwargs):
        return one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser):
        add_filter_arguments(parser)
        parser.add_argument("-o", "--output", help="输出文件路径，例如 信息清单.xlsx")

    def handle(self, *args, **options):
        year, name, city_id = filters_from(options)
        path = output_path(options["output"], ".xlsx", "python manage.py export_info_list --year 2025 -o 信息清单.xlsx")
        try:
            rows = write_info_list(path, year, name=name, city_id=city_id)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror or exc}") from exc
        points = sum(1 for r in rows if r.level == "point")
        self.stdout.write(f"已导出 {year} 年度信息清单（{points} 个预警点）到 {path}")
