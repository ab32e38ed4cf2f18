"""Submitting twice makes one item (docs/review.md, "Submitting once").

A double click on 提交 or 下发 sends the same form twice, possibly at the same
moment. Each rendered form carries a hidden random token (form_token_field());
the row it creates stores the token under a unique constraint. A second
request with the same token finds the first row and changes nothing; if both
arrive together, the database lets one insert win and the other finds the
winner's row (create_once()). Periodic reports need no token: one item per
point and period is already a unique constraint, so a repeated submission
replaces the same item.
"""

import uuid

from django import forms
from django.db import IntegrityError, transaction


def form_token_field():
    """The hidden field every once-only form carries; its initial value is set per rendered form."""
    return forms.UUIDField(widget=forms.HiddenInput, required=False)


def new_token():
    return uuid.uuid4()


def create_once(queryset, token, create):
    """Run create() unless a row of `queryset` already carries `token`; return (row, created).

    `queryset` is where an earlier row may be found (narrowed to what the
    user may see, so a token of someone else's row is never followed);
    create() must save a row with form_token=token. A concurrent request
    with the same token that wins the insert is found afterwards. Raises
    TokenTaken when the token belongs to a row outside `queryset`.
    """
    if token:
        earlier = queryset.filter(form_token=token).first()
        if earlier is not None:
            return earlier, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        earlier = queryset.filter(form_token=token).first() if token else None
        if earlier is None:
            if token and queryset.model.objects.filter(form_token=token).exists():
                raise TokenTaken from None
            raise
        return earlier, False


class TokenTaken(Exception):
    """The form's token is already used by a row the user may not see (a forged or stale form)."""

    message = "表单已失效，请刷新页面后重新填写。"
