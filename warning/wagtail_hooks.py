"""Wagtail admin wiring: importing each admin module registers its hooks."""

from .admin import points  # noqa: F401
from .admin import periodic  # noqa: F401
from .admin import messages  # noqa: F401
from .admin import notices  # noqa: F401
