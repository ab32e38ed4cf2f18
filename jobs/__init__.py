"""Background work: everything slow or talking to the outside world runs here, off the request path.

This app owns
- the task definitions (jobs/tasks.py, jobs/mail.py) and the retry wrapper
  every one of them goes through (jobs/retry.py);
- the records that make a task safe to run twice: one MailDelivery per
  消息中心 message (sent once), one ScheduledRun per daily job and day,
  one ExportFile per requested export;
- the scheduler that enqueues the daily jobs (jobs/schedule.py,
  `manage.py run_scheduler`) and the clean-ups it runs (jobs/cleanup.py);
- large exports built in the background and downloaded later (jobs/exports.py);
- the superuser's 后台任务 screens listing failed tasks (jobs/views.py).

The queue itself is django-tasks with the django-tasks-db backend; the worker
is `python manage.py db_worker`. docs/tasks.md describes the whole.
"""
