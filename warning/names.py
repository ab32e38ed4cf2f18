"""People's names as the platform writes them: 姓 before 名, no space (汪桂英, not 桂英 汪).

Django's User.get_full_name() joins first_name and last_name in Western
order; Wagtail shows it in the admin header, the user lists, history and
workflow lines, and our exports read it too. `full_name` is the one rule;
WarningConfig.ready() makes User.get_full_name() use it, so every screen
and file follows it without each caller knowing (docs/review.md, "Names").
"""

import unicodedata


def _is_cjk(text):
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def full_name(first_name, last_name):
    """姓 + 名 for Chinese names (汪 + 桂英 → 汪桂英); a Western name keeps “First Last”.

    Either part may be empty: the seeded accounts keep the whole name in 名.
    """
    first = (first_name or "").strip()
    last = (last_name or "").strip()
    if not (first and last):
        return first or last
    if _is_cjk(first) or _is_cjk(last):
        return f"{last}{first}"
    return f"{first} {last}"


def user_full_name(user):
    """User.get_full_name() for the whole project (installed by WarningConfig.ready)."""
    return full_name(user.first_name, user.last_name)


def display_name(user):
    """The name to show for a user: the full name, or the username when there is none."""
    return user_full_name(user) or user.get_username()
