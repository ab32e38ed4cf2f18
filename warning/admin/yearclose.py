"""年度结果确认: the provincial contact confirms a year's scores, and re-opens it with a reason.

Wiring only: every rule is in warning/yearclose.py (who may, from when, the
snapshot, the differences); this module shows the consequence before the
确认, turns refusals into Chinese messages and registers the log actions.
Everyone but the provincial contact (and the superuser) gets the 403 page.
"""

from django import forms
from django.contrib import messages as flash
from django.http import Http404
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import LogFormatter

from warning import statistics, yearclose
from warning.idempotency import form_token_field, new_token

from .refusals import forbidden

PAGE_TITLE = "年度结果确认"


def consequence_of_confirming(year):
    """What 确认年度结果 does, in the words of the 确认 step."""
    return (
        f"确认后，{year} 年度的分数详情、排名、统计首页和分数详情导出（Excel、JSON）将固定为此刻的结果，"
        "各预警点在首页看到的本年度评分也是确认时的结果；此后撤回发布、补报等变化不再改变已确认的分数和排名，"
        "只以“当前实时数据”的说明列出差异。如需更正，可以填写原因后重新开放。"
    )


def consequence_of_reopening(year):
    return (
        f"重新开放后，{year} 年度的分数详情、排名和导出将改为按当前实时数据计算，原确认结果保留在确认记录中；"
        "需要再次确认后才会重新固定。重新开放的原因和操作人会记入日志。"
    )


def local_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def scores_url(year):
    return f"{reverse('warning_statistics:scores')}?year={year}"


class ConfirmYearForm(forms.Form):
    confirm = forms.BooleanField(label="确认年度结果", required=True)
    form_token = form_token_field()

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = (
            f"请勾选“确认年度结果”后再提交：{consequence_of_confirming(year)}"
        )
        if not self.is_bound:
            self.initial["form_token"] = new_token()


class ReopenYearForm(forms.Form):
    reason = forms.CharField(
        label="原因",
        max_length=yearclose.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "请填写重新开放的原因",
            "max_length": f"原因不能超过 {yearclose.REASON_MAX_LENGTH} 个字",
        },
    )


class ProvincialOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not yearclose.may_close_years(request.user):
            return forbidden(request, "只有预警工作联系人可以确认或重新开放年度结果。")
        return super().dispatch(request, *args, **kwargs)


class YearMixin(ProvincialOnlyMixin):
    """Reads the year from the URL (2000–2100, else 404)."""

    def dispatch(self, request, *args, **kwargs):
        try:
            self.year = statistics.parse_year(kwargs["year"])
        except ValueError as exc:
            raise Http404(str(exc)) from None
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("warning_statistics:index"), "label": "统计分析"},
            {"url": reverse("warning_yearclose:index"), "label": PAGE_TITLE},
            {"url": "", "label": f"{self.year}年度"},
        ]


class YearIndexView(ProvincialOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """Each year's state (确认 / 重新开放 / 可确认 from when) and every confirmation ever made."""

    page_title = PAGE_TITLE
    header_icon = "tasks"
    template_name = "warning/yearclose/index.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("warning_statistics:index"), "label": "统计分析"},
            {"url": "", "label": PAGE_TITLE},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        history = yearclose.confirmations()
        in_force = {c.year: c for c in history if c.in_force}
        today = statistics.today_in_shanghai()
        years = []
        for year in statistics.year_choices(today):
            confirmation = in_force.get(year)
            years.append(
                {
                    "year": year,
                    "confirmation": confirmation,
                    "confirmed_at": local_time(confirmation.confirmed_at) if confirmation else "",
                    "not_yet": yearclose.why_not_confirmable(year, today),
                    "scores_url": scores_url(year),
                }
            )
        context.update(
            years=years,
            history=[
                {
                    "confirmation": c,
                    "confirmed_at": local_time(c.confirmed_at),
                    "reopened_at": local_time(c.reopened_at),
                }
                for c in history
            ],
        )
        return context


class ConfirmYearView(YearMixin, WagtailAdminTemplateMixin, FormView):
    """The 确认 step: the consequence in words, a box to tick, then the snapshot."""

    header_icon = "tasks"
    template_name = "warning/yearclose/confirm.html"
    form_class = ConfirmYearForm

    def get_page_title(self):
        return f"确认{self.year}年度结果"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "year": self.year}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        confirmation = yearclose.confirmation_in_force(self.year)
        context.update(
            year=self.year,
            consequence=consequence_of_confirming(self.year),
            confirmation=confirmation,
            confirmed_at=local_time(confirmation.confirmed_at) if confirmation else "",
            not_yet=yearclose.why_not_confirmable(self.year),
            scores_url=scores_url(self.year),
        )
        return context

    def form_valid(self, form):
        try:
            confirmation, created = yearclose.confirm(
                self.year, self.request.user, token=form.cleaned_data.get("form_token")
            )
        except yearclose.YearCloseError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        if created:
            flash.success(
                self.request,
                f"已确认 {self.year} 年度结果（{confirmation.rows.count()} 个正式预警点），分数和排名已固定",
            )
        else:
            flash.warning(self.request, f"{self.year} 年度结果已经确认过，这次提交没有重复确认")
        return redirect(scores_url(self.year))


class ReopenYearView(YearMixin, WagtailAdminTemplateMixin, FormView):
    """重新开放: a required 原因, the consequence in words, then the confirmation ends (logged)."""

    header_icon = "tasks"
    template_name = "warning/yearclose/reopen.html"
    form_class = ReopenYearForm

    def get_page_title(self):
        return f"重新开放{self.year}年度结果"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        confirmation = yearclose.confirmation_in_force(self.year)
        context.update(
            year=self.year,
            consequence=consequence_of_reopening(self.year),
            confirmation=confirmation,
            confirmed_at=local_time(confirmation.confirmed_at) if confirmation else "",
            scores_url=scores_url(self.year),
        )
        return context

    def form_valid(self, form):
        try:
            yearclose.reopen(self.year, self.request.user, form.cleaned_data["reason"])
        except yearclose.YearCloseError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        flash.success(self.request, f"已重新开放 {self.year} 年度结果，现按当前实时数据显示")
        return redirect(scores_url(self.year))


urlpatterns = [
    path("", YearIndexView.as_view(), name="index"),
    path("<int:year>/confirm/", ConfirmYearView.as_view(), name="confirm"),
    path("<int:year>/reopen/", ReopenYearView.as_view(), name="reopen"),
]


@hooks.register("register_admin_urls")
def register_yearclose_urls():
    return [path("year-results/", include((urlpatterns, "warning_yearclose"), namespace="warning_yearclose"))]


@hooks.register("register_log_actions")
def register_yearclose_log_actions(actions):
    @actions.register_action(yearclose.ACTION_CONFIRM)
    class ConfirmYearFormatter(LogFormatter):
        label = "确认年度结果"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return f"确认 {data.get('year', '')} 年度结果（{data.get('points', 0)} 个正式预警点）"

    @actions.register_action(yearclose.ACTION_REOPEN)
    class ReopenYearFormatter(LogFormatter):
        label = "重新开放年度结果"

        def format_message(self, log_entry):
            return f"重新开放 {(log_entry.data or {}).get('year', '')} 年度结果"

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("reason", "")
