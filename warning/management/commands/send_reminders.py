"""send_reminders: tell the points that miss the current quarter's analysis or last year's summary.

The same function as the 发送提醒 button of the admin's 未按期提交 view
(warning.periodic.send_reminders): a 消息中心 message and an e-mail to each
editor of each 正式 point that has not submitted what is due. Meant to run
from cron, e.g. on the 10th and the 21st of January, April, July and October.
"""

from django.core.management.base import BaseCommand

from warning.periodic import send_reminders


class Command(BaseCommand):
    help = "向未按期提交季度形势分析或年度工作总结的预警点发送提醒（消息中心和邮件）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--overdue-only",
            action="store_true",
            help="只提醒已过截止日期仍未提交的预警点",
        )

    def handle(self, *args, overdue_only=False, **options):
        result = send_reminders(overdue_only=overdue_only)
        for row in result.rows:
            items = "；".join(item.describe() for item in row.items)
            self.stdout.write(f"{row.point.name}（{row.point.district.city.name}）：{items}")
        self.stdout.write(
            self.style.SUCCESS(
                f"共 {len(result.rows)} 个预警点未按期提交，已发送 {result.messages} 条提醒（消息中心和邮件）。"
            )
        )
