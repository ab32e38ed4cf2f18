"""export_scores: 分数详情 of a year as xlsx, or as the JSON array of docs/rules.md §6 on stdout."""

from django.core.management.base import BaseCommand, CommandError

from warning.exports.scores import scores_json, write_scores

from ._statistics_options import add_filter_arguments, filters_from, one_line_errors, output_path

FORMATS = ("xlsx", "json")


class Command(BaseCommand):
    help = "导出各预警点的评分（分项、总分、排名，按总分从高到低）：xlsx 文件，或 --format json 输出到标准输出"

    def create_parser(self, prog_name, subcommand, **kwargs):
        return one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser):
        add_filter_arguments(parser)
        parser.add_argument("-o", "--output", help="输出文件路径（xlsx 必填；json 可选，缺省时输出到标准输出）")
        parser.add_argument("--format", default="xlsx", help="xlsx（默认）或 json")

    def handle(self, *args, **options):
        fmt = (options["format"] or "").strip().lower()
        if fmt not in FORMATS:
            raise CommandError(f"--format 只能是 xlsx 或 json，收到“{options['format']}”")
        year, name, city_id = filters_from(options)
        if fmt == "json":
            text = scores_json(year, name=name, city_id=city_id)
            if not options["output"]:
                self.stdout.write(text)
                return
            path = output_path(options["output"], ".json", "python manage.py export_scores --format json -o 分数.json")
            try:
                path.write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"无法写入文件 {path}：{exc.strerror or exc}") from exc
            self.stdout.write(f"已导出 {year} 年度分数详情到 {path}")
            return
        path = output_path(options["output"], ".xlsx", "python manage.py export_scores --year 2025 -o 分数详情.xlsx")
        try:
            rows = write_scores(path, year, name=name, city_id=city_id)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror or exc}") from exc
        self.stdout.write(f"已导出 {year} 年度分数详情（{len(rows)} 个预警点）到 {path}")
