"""Options shared by export_info_list and export_scores: --year, --city, --name, -o.

Arguments are taken as strings and checked here, so that every mistake ends
as one Chinese line on stderr (CommandError) instead of argparse's usage text.
"""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from warning import statistics
from warning.models import City


def one_line_errors(parser):
    """Make argparse's own errors (an unknown option, a missing value) one Chinese line too."""

    def error(message):
        if not parser.called_from_command_line:
            raise CommandError(f"参数错误：{message}")
        sys.stderr.write(f"CommandError: 参数错误：{message}\n")
        sys.exit(2)

    parser.error = error
    return parser


def add_filter_arguments(parser):
    parser.add_argument("--year", help="年度，例如 2025（默认今年）")
    parser.add_argument("--city", default="", help="只导出某地市的预警点，例如 杭州市")
    parser.add_argument("--name", default="", help="只导出名称包含该关键字的预警点")


def filters_from(options):
    """(year, name, city_id) from the command's options, or CommandError."""
    raw_year = options.get("year")
    try:
        year = statistics.default_year() if raw_year is None else statistics.parse_year(raw_year)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    city_id = None
    if options.get("city"):
        city = City.objects.filter(name=options["city"].strip()).first()
        if city is None:
            raise CommandError(f"没有名为“{options['city']}”的地市")
        city_id = city.pk
    return year, (options.get("name") or "").strip(), city_id


def output_path(output, suffix, example):
    """A writable output path with the right suffix, or CommandError."""
    if not output:
        raise CommandError(f"请用 -o 指定输出文件，例如：{example}")
    path = Path(output)
    if path.suffix.lower() != suffix:
        raise CommandError(f"输出文件必须以 {suffix} 结尾：{output}")
    if not path.parent.is_dir():
        raise CommandError(f"输出目录不存在：{path.parent}")
    return path
