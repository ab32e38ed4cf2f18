"""对接令牌: the admin screens where a point editor (or the province) creates, lists and revokes tokens.

Views only; who may do what is integration.tokens. A new token's secret is
shown once, on the page that answers the creation, and never again (only its
digest is stored). City reviewers and magazine editors get the 403 page.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin import messages

from warning.admin.refusals import deny_with_403
from warning.models.profiles import scope_of

from . import tokens
from .models import SCOPE_LABELS

MENU_LABEL = "对接令牌"


class TokenForm(forms.Form):
    name = forms.CharField(
        label="令牌名称", max_length=tokens.NAME_MAX_LENGTH, help_text="例如：本会办公系统、官网同步程序"
    )
    scopes = forms.MultipleChoiceField(label="权限范围", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = tokens.scopes_for(user)
        self.fields["scopes"].choices = [(s, SCOPE_LABELS[s]) for s in allowed]
        self.fields["scopes"].initial = list(allowed) if len(allowed) == 1 else []


def _require(user):
    if not tokens.may_manage_tokens(user):
        raise PermissionDenied("只有预警点用户和预警工作联系人可以管理对接令牌。")


def _frame(title, extra_crumb=None):
    crumbs = [{"url": reverse("wagtailadmin_home"), "label": "首页"}]
    if extra_crumb:
        crumbs.append({"url": reverse("integration_tokens:index"), "label": MENU_LABEL})
    crumbs.append({"url": "", "label": title})
    return {"page_title": title, "header_title": title, "header_icon": "key", "breadcrumbs_items": crumbs}


def index_view(request):
    _require(request.user)
    rows = list(tokens.tokens_for(request.user).order_by("api_token__revoked_at", "-api_token__created"))
    is_province = scope_of(request.user).point_id is None
    return TemplateResponse(
        request,
        "integration/tokens/index.html",
        {
            "rows": rows,
            "is_province": is_province,
            "add_url": reverse("integration_tokens:add"),
            "docs_url": reverse("integration_api:openapi-view"),
            **_frame(MENU_LABEL),
        },
    )


def add_view(request):
    _require(request.user)
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            token, plaintext = tokens.create_token(request.user, form.cleaned_data["name"], form.cleaned_data["scopes"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            response = TemplateResponse(
                request,
                "integration/tokens/created.html",
                {
                    "token": token,
                    "plaintext": plaintext,
                    "index_url": reverse("integration_tokens:index"),
                    **_frame("令牌已创建", True),
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    return TemplateResponse(request, "integration/tokens/add.html", {"form": form, **_frame("新建对接令牌", True)})


def revoke_view(request, pk):
    _require(request.user)
    token = get_object_or_404(tokens.tokens_for(request.user), pk=pk)
    if request.method == "POST":
        tokens.revoke_token(request.user, token)
        messages.success(request, f"对接令牌“{token.name}”已撤销，使用它的请求将被拒绝。")
        return redirect("integration_tokens:index")
    return TemplateResponse(
        request, "integration/tokens/revoke.html", {"token": token, **_frame(f"撤销令牌：{token.name}", True)}
    )


def views():
    """(route, view, name) of the screens, each behind the 403 page."""
    return [
        ("", deny_with_403(index_view), "index"),
        ("add/", deny_with_403(add_view), "add"),
        ("<int:pk>/revoke/", deny_with_403(revoke_view), "revoke"),
    ]
