"""Retried tasks: a failed attempt is enqueued again later, a bounded number of times.

django-tasks-db runs each enqueued task once and records it as failed when it
raises. `retried_task` wraps a plain function into a task that, when an
attempt raises, enqueues the next attempt with `run_after` pushed back by the
next delay of settings.JOBS_RETRY_DELAYS, then fails this attempt with
WillRetry (the original error chained below it, so its traceback is kept).
Once the delays are used up the last attempt fails with the error itself.

So every attempt is one task result: the admin's 失败的任务 screen tells the
final failures (any exception but WillRetry) from the attempts that were
retried. A backend that cannot defer (the immediate backend of the tests)
runs the next attempt at once.

The wrapped functions must be safe to run twice — that is what the records
in jobs/models.py are for.
"""

import functools
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

ATTEMPT_KWARG = "attempt"


class WillRetry(Exception):
    """This attempt failed and the next one is enqueued."""


def retry_delays():
    return tuple(getattr(settings, "JOBS_RETRY_DELAYS", (60, 300, 1800)))


def max_attempts():
    return len(retry_delays()) + 1


def retried_task(func=None, *, on_give_up=None):
    """Decorator: a module-level task running `func`, retried on failure (see the module docstring).

    The task takes the same arguments as `func`, plus `attempt` (1 for the
    first run), which the wrapper fills in and `func` never sees.
    `on_give_up(*args, **kwargs)` runs when the last attempt has failed, to
    leave the work's own record in a failed state.
    """
    if func is None:
        return functools.partial(retried_task, on_give_up=on_give_up)

    @functools.wraps(func)
    def run(*args, **kwargs):
        attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            delays = retry_delays()
            if attempt > len(delays):
                if on_give_up is not None:
                    on_give_up(*args, **kwargs)
                raise
            queued = the_task
            if queued.get_backend().supports_defer:
                queued = queued.using(run_after=timezone.now() + timedelta(seconds=delays[attempt - 1]))
            queued.enqueue(*args, **{**kwargs, ATTEMPT_KWARG: attempt + 1})
            raise WillRetry(
                f"第 {attempt} 次执行失败（{type(exc).__name__}: {exc}），已安排第 {attempt + 1} 次"
            ) from exc

    # functools.wraps copied the name, so the task's import path is the decorated
    # function's: the worker finds this Task object under it. It also set
    # __wrapped__, which would make django-tasks read `func`'s signature; `run`
    # takes any arguments, so drop it.
    del run.__wrapped__
    the_task = task()(run)
    return the_task
