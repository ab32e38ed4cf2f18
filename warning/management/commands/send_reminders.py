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
                f"共 {len(result.rows)} 个预警点未按期提交：{result.messages} 位用户收到消息中心消息，"
                f"其中 {result.emails} 位同时收到邮件。"
            )
        )
        for name, point in result.without_address:
            self.stdout.write(f"没有电子邮件地址（只收到消息中心消息）：{name}（{point}）")
        for point in result.points_without_users:
            self.stdout.write(f"没有可接收提醒的用户：{point}")
