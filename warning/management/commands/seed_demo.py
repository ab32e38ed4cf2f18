"""seed_demo: a demo province — regions, ≥106 points, a user per role, and activity over
the last finished year and the current year to date.

Each part of the domain seeds itself in its own module, in the order the chain
needs: points and users first, then their subsite pages, reports through the
review workflow, periodic reports, notices. Every step goes through the same
domain functions as the admin and is idempotent, so running the command twice
changes nothing. Randomness is seeded, so every machine gets the same province.
The background tasks the steps enqueue run inline (jobs/inline.py), so the
demo is complete when the command ends, whether a worker runs or not.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jobs.inline import tasks_inline
from subsites import demo as subsites_demo
from warning.demo import notices, periodic, points, reports
from warning.site_url import configure_site, parse_site_url


class Command(BaseCommand):
    help = "生成演示数据：地区、预警点、各角色演示用户及一年的业务数据（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=None,
            help="演示网站地址（如 http://127.0.0.1:8000）：设置默认站点，API 和邮件中的链接指向它",
        )
        parser.add_argument(
            "--points-per-city",
            type=int,
            default=None,
            help="每个地市只生成前 N 个预警点（默认全部，≥106 个）；用于快速演示和测试",
        )

    @tasks_inline()
    def handle(self, *args, **options):
        per_city = options["points_per_city"]
        if per_city is not None and per_city < 1:
            raise CommandError("--points-per-city 必须是正整数")
        if options["site_url"]:
            try:
                parse_site_url(options["site_url"])
            except ValidationError as exc:
                raise CommandError(exc.messages[0]) from None
        with transaction.atomic():
            points.run(self.stdout, per_city=per_city)
        for step in (subsites_demo, reports, periodic, notices):
            with transaction.atomic():
                step.run(self.stdout)
        if options["site_url"]:
            # After the subsites step: the portal's Site exists by now.
            configure_site(options["site_url"])
        points.print_logins(self.stdout)
