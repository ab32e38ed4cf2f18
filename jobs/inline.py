"""Running tasks inline, for a command that is itself a batch job (seed_demo).

The demo seeds a year of activity through the admin's own functions; those
enqueue tasks (a notice's fan-out, mails, Wagtail's search and reference
indexing). Run inline, the demo is complete — messages there to be read,
pages indexed — when the command ends, with or without a worker running.
"""

from django.test.utils import override_settings

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def tasks_inline():
    """A context manager (and decorator) under which every task runs at enqueue, in this process."""
    return override_settings(TASKS=IMMEDIATE)
