"""Running real tasks in tests: the database queue and its worker, in this process.

The suite runs tasks inline (the immediate backend of config/settings/test.py).
Tests of background work use the `database_queue` fixture to send tasks to
the real django-tasks-db queue, and `run_worker()` to run the real
`manage.py db_worker --batch` over it, inside the test's transaction.

Two adjustments make the worker fit in a test transaction, as Django's own
TestCase does for requests: the worker's close_old_connections() between
tasks is skipped (it would close the connection holding the test's
transaction), and on SQLite the connection is declared EXCLUSIVE so the
worker's claiming transaction becomes a savepoint instead of a nested
`BEGIN EXCLUSIVE`.
"""

import io
import signal

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django_tasks_db.management.commands import db_worker

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
_SIGNALS = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def run_worker(database_queue, monkeypatch):
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        """Run `db_worker --batch` on every queue until nothing is ready; return its output."""
        handlers = {s: signal.getsignal(s) for s in _SIGNALS}
        sqlite = connection.vendor == "sqlite"
        if sqlite:
            mode = connection.transaction_mode
            connection.transaction_mode = "EXCLUSIVE"
        out = io.StringIO()
        try:
            call_command(
                "db_worker", batch=True, startup_delay=False, reload=False, queue_name="*", verbosity=0, stdout=out
            )
        finally:
            if sqlite:
                connection.transaction_mode = mode
            for s, handler in handlers.items():
                signal.signal(s, handler)
        return out.getvalue()

    return run


class RefusingMailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("邮件服务器拒绝连接")
