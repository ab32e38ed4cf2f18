"""run_scheduler: enqueue the daily jobs when they are due (jobs/schedule.py), every minute or once.

Run one (or more: they never enqueue a job twice for a day) next to the
worker, `python manage.py db_worker`. With --once it makes one pass and
exits, for cron.
"""

import time

from django.core.management.base import BaseCommand

from jobs.schedule import enqueue_due


class Command(BaseCommand):
    help = "按时将每日任务（截止日期提醒、清理过期数据）加入后台队列；每天每项只加入一次"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="检查一次后退出（供 cron 调用）")
        parser.add_argument("--interval", type=float, default=60, help="两次检查之间的秒数（默认 60）")

    def handle(self, *args, once=False, interval=60, **options):
        while True:
            for name in enqueue_due():
                self.stdout.write(f"已加入队列：{name}")
            if once:
                return
            time.sleep(interval)
