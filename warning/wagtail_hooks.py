"""Wagtail admin wiring: importing each admin module registers its hooks."""

from .admin import (
    access,  # noqa: F401
    account,  # noqa: F401
    explorer,  # noqa: F401
    help_menu,  # noqa: F401
    home,  # noqa: F401
    internal,  # noqa: F401
    magazine,  # noqa: F401
    menu,  # noqa: F401
    messages,  # noqa: F401
    notices,  # noqa: F401
    opinions,  # noqa: F401
    page_chooser,  # noqa: F401
    periodic,  # noqa: F401
    points,  # noqa: F401
    progress,  # noqa: F401
    reports,  # noqa: F401
    review,  # noqa: F401
    statistics,  # noqa: F401
    wagtail_reports,  # noqa: F401
    wording,  # noqa: F401
    yearclose,  # noqa: F401
)
