"""enqueue_job: put one background job on the queue now, for operators (the worker runs it).

python manage.py enqueue_job rebuild_search_index   # rebuild the search indexes
python manage.py enqueue_job clean_up               # the nightly clean-up, now
python manage.py enqueue_job daily_reminders        # today's reminders (still once per editor per day)
"""

from django.core.management.base import BaseCommand

from jobs import tasks
from warning.periodic import shanghai_now

JOBS = {
    "rebuild_search_index": lambda day: tasks.rebuild_search_index.enqueue(),
    "clean_up": lambda day: tasks.clean_up.enqueue(day),
    "daily_reminders": lambda day: tasks.daily_reminders.enqueue(day),
}


class Command(BaseCommand):
    help = "立即将一项后台任务加入队列（由后台进程 db_worker 执行）"

    def add_arguments(self, parser):
        parser.add_argument("job", choices=sorted(JOBS), help="任务名称")

    def handle(self, *args, job, **options):
        result = JOBS[job](shanghai_now().date().isoformat())
        self.stdout.write(self.style.SUCCESS(f"已加入队列：{job}（任务编号 {result.id}）"))
