"""Wagtail admin wiring: importing each admin module registers its hooks."""

from .admin import points  # noqa: F401
from .admin import messages  # noqa: F401
from .admin import notices  # noqa: F401
from .admin import periodic  # noqa: F401
from .admin import magazine  # noqa: F401
from .admin import reports  # noqa: F401
from .admin import review  # noqa: F401
from .admin import statistics  # noqa: F401
from .admin import opinions  # noqa: F401
from .admin import internal  # noqa: F401
from .admin import progress  # noqa: F401
