"""The worker's heartbeat: proof, visible from any app server, that tasks are being run.

The health check cannot see the worker process (it runs on another machine), so it asks it
to prove itself: when the last heartbeat is older than `HEALTH_WORKER_HEARTBEAT_INTERVAL`
seconds, the check enqueues `worker_heartbeat` (at most once per interval across all app
servers, guarded by a shared cache key), and the worker, running that task, writes the
time into the shared cache. The worker is healthy while the heartbeat is younger than
`HEALTH_WORKER_MAX_AGE`. Any probe (nginx, the monitoring, the smoke test) keeps the cycle
going; a stopped worker lets the heartbeat age until the check fails. Under `make run` and
the tests the task backend is the immediate one, so the heartbeat is written in-process.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django_tasks import task

HEARTBEAT_KEY = "operations:worker-heartbeat"
REQUESTED_KEY = "operations:worker-heartbeat-requested"


def heartbeat_interval():
    return int(getattr(settings, "HEALTH_WORKER_HEARTBEAT_INTERVAL", 30))


def heartbeat_max_age():
    return int(getattr(settings, "HEALTH_WORKER_MAX_AGE", 120))


@task()
def worker_heartbeat():
    """Run by the worker: record that it is alive and taking tasks from the queue."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


def heartbeat_age():
    """Seconds since the worker last ran the heartbeat task, or None if it never did."""
    value = cache.get(HEARTBEAT_KEY)
    if value is None:
        return None
    return max(0.0, time.time() - float(value))


def request_heartbeat():
    """Enqueue a heartbeat unless one was asked for within the last interval (idempotent)."""
    if cache.add(REQUESTED_KEY, 1, timeout=heartbeat_interval()):
        worker_heartbeat.enqueue()
