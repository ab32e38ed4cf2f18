"""Structured logs: one JSON object per line on stdout, each carrying the request id.

`RequestIdMiddleware` takes the id the front server sent (nginx's `$request_id` in
`X-Request-ID`) or makes one, keeps it in a context variable for the duration of the
request and returns it in the response's `X-Request-ID` header, so a user's report of a
failure can be matched to the log lines of every server it touched. `RequestIdFilter` adds
it to each log record; `JsonFormatter` writes the record, its traceback included, as JSON.
Django's `django.request` logger records every 500 with its exception, so with this
configuration a 500's traceback is never lost (docs/deployment.md, "Logs").
"""

import contextvars
import re
import uuid

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_request_id = contextvars.ContextVar("request_id", default="-")


def current_request_id():
    """The id of the request being served by this thread, or "-" outside a request."""
    return _request_id.get()


class RequestIdMiddleware:
    """Bind a request id for the request (trusting a well-formed incoming one) and echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter:
    """Logging filter: put the current request id on every record (never drops one)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            # Django logs a response's 4xx/5xx after the middleware has returned; the request
            # it attaches to the record still knows its id.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id()
        return True


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter with our fixed field set and a readable timestamp."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        # The request object Django attaches to django.request records is not JSON.
        log_record.pop("request", None)


def logging_config(level="INFO"):
    """The LOGGING dict every environment uses: JSON lines on stdout, request id on each."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "operations.logs.RequestIdFilter"}},
        "formatters": {"json": {"()": "operations.logs.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["request_id"],
                "formatter": "json",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Propagate to root only: one line per event, with the traceback for 500s.
            "django": {"level": level, "propagate": True},
            "django.request": {"level": "WARNING", "propagate": True},
        },
    }
