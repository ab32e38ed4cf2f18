"""Wagtail admin wiring: importing each admin module registers its hooks."""

from .admin import points  # noqa: F401
from .admin import periodic  # noqa: F401
