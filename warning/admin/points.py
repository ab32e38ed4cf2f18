"""预警点管理: the warning-point registry in the Wagtail admin (wagtail-modeladmin).

Who may do what is decided by warning.registry; this module only wires it
into modeladmin's views:

- every URL is scoped: a point outside the user's scope is a 404 (inspect,
  edit, delete), a forbidden action on a visible point or on the list is a
  403 page (not Wagtail's usual redirect to the dashboard);
- edits go through warning.history, so each save logs what changed;
- the list's 导出预警点联系人信息 button reuses the list's own filtered and
  searched queryset (`?export=contacts`), and writes the file with the same
  function as `manage.py export_point_contacts`.
"""

from io import BytesIO

from django import forms
from django.contrib.admin import ChoicesFieldListFilter, SimpleListFilter
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.log_actions import LogFormatter
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import CreateView, EditView, IndexView, InspectView, ModelFormView

from search_zh.admin import SegmentedSearchHandler
from warning import history, registry
from warning.exports.contacts import FILENAME as CONTACTS_FILENAME
from warning.exports.contacts import write_point_contacts
from warning.models import City, WarningPoint

from . import MENU_ORDER
from .refusals import forbidden

MENU_LABEL = "预警点管理"
CONTACTS_EXPORT = "contacts"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- change-history log actions -------------------------------------------------------


@hooks.register("register_log_actions")
def register_point_log_actions(actions):
    actions.register_action(history.ACTION_CREATE, "创建预警点", "创建预警点")

    @actions.register_action(history.ACTION_EDIT)
    class PointEditFormatter(LogFormatter):
        label = "修改预警点信息"

        def format_message(self, log_entry):
            count = len(log_entry.data.get("changes", []))
            return f"修改预警点信息（{count} 处变更）"


# --- permissions ------------------------------------------------------------------------


class PointPermissionHelper(PermissionHelper):
    """modeladmin's permission questions, answered by warning.registry."""

    def user_can_list(self, user):
        return registry.can_list_points(user)

    def user_can_create(self, user):
        return registry.can_create_point(user)

    def user_can_inspect_obj(self, user, obj):
        return registry.can_view_point(user, obj)

    def user_can_edit_obj(self, user, obj):
        return registry.can_view_point(user, obj) and registry.can_edit_point(user, obj)

    def user_can_delete_obj(self, user, obj):
        return registry.can_delete_point(user, obj)


class PointButtonHelper(ButtonHelper):
    """The seed's button labels: 查看 and 编辑."""

    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        return {
            **super().inspect_button(pk, classnames_add, classnames_exclude),
            "label": "查看",
            "title": "查看预警点信息",
        }

    def edit_button(self, pk, classnames_add=None, classnames_exclude=None):
        return {
            **super().edit_button(pk, classnames_add, classnames_exclude),
            "label": "编辑",
            "title": "编辑预警点信息",
        }


class PointForm(WagtailAdminModelForm):
    """The point form: districts labelled with their city, designation fields locked for point editors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        district = self.fields.get("district")
        if district is not None:
            district.queryset = district.queryset.select_related("city")
            district.label_from_instance = lambda d: f"{d.city.name} {d.name}"
        if self.for_user is not None and not registry.may_edit_designation(self.for_user):
            for name in registry.PROVINCE_ONLY_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = "由省级预警工作联系人维护"


PERSON_PANELS = [
    FieldPanel("name"),
    FieldPanel("title"),
    FieldPanel("phone"),
    FieldPanel("mobile"),
    FieldPanel("email"),
]

POINT_EDIT_HANDLER = TabbedInterface(
    [
        ObjectList(
            [
                FieldPanel("name"),
                FieldPanel("host_organisation"),
                FieldPanel("category"),
                FieldPanel("batch"),
                FieldPanel("established_year"),
                FieldPanel("approval_number"),
                FieldPanel("district"),
                FieldPanel("industry"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("fax"),
                FieldPanel("website"),
                FieldPanel("email"),
                FieldPanel("status"),
                MultiFieldPanel(
                    [
                        InlinePanel(
                            "leadership",
                            label="领导小组成员",
                            panels=[
                                FieldPanel("role"),
                                FieldPanel("name"),
                                FieldPanel("position"),
                                FieldPanel("organisation"),
                            ],
                        ),
                        FieldPanel("has_party_organisation", widget=forms.RadioSelect),
                        FieldPanel("party_member_count"),
                    ],
                    heading="领导小组及党建组织信息",
                ),
            ],
            heading="基本信息",
        ),
        ObjectList(
            [InlinePanel("responsible_persons", label="预警负责人", panels=PERSON_PANELS)],
            heading="预警负责人信息",
        ),
        ObjectList(
            [InlinePanel("staff_members", label="工作人员", panels=PERSON_PANELS)],
            heading="预警点工作人员信息",
        ),
        ObjectList(
            [
                InlinePanel(
                    "enterprises",
                    label="联系企业",
                    panels=[FieldPanel("name"), FieldPanel("contact"), FieldPanel("phone"), FieldPanel("products")],
                )
            ],
            heading="预警点联系企业信息",
        ),
    ],
    base_form_class=PointForm,
)


# --- list filters -----------------------------------------------------------------------


FILTER_TEMPLATE = "warning/points/filter.html"


class ChoicesFilter(ChoicesFieldListFilter):
    template = FILTER_TEMPLATE


class BatchFilter(SimpleListFilter):
    template = FILTER_TEMPLATE
    title = "批次"
    parameter_name = "batch"

    def lookups(self, request, model_admin):
        batches = (
            WarningPoint.objects.visible_to(request.user).order_by("batch").values_list("batch", flat=True).distinct()
        )
        return [(str(b), f"第{b}批") for b in batches]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(batch=int(value))


class CityFilter(SimpleListFilter):
    template = FILTER_TEMPLATE
    title = "所属地市"
    parameter_name = "city"

    def lookups(self, request, model_admin):
        visible = WarningPoint.objects.visible_to(request.user)
        cities = City.objects.filter(districts__points__in=visible).distinct().order_by("sort_order", "id")
        return [(str(c.pk), c.name) for c in cities]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(district__city_id=int(value))


# --- views ------------------------------------------------------------------------------


class PointIndexView(IndexView):
    def get_queryset(self, request=None):
        # modeladmin builds the list's queryset twice per request (dispatch and context);
        # build it, and its filters' choices, once.
        if getattr(self, "_point_queryset", None) is None:
            self._point_queryset = super().get_queryset(request)
        return self._point_queryset

    def get(self, request, *args, **kwargs):
        if self.export == CONTACTS_EXPORT:
            buffer = BytesIO()
            write_point_contacts(self.queryset, buffer, filters=self.filters_in_words())
            response = HttpResponse(buffer.getvalue(), content_type=XLSX)
            response["Content-Disposition"] = content_disposition_header(True, CONTACTS_FILENAME)
            return response
        return super().get(request, *args, **kwargs)

    def filters_in_words(self):
        """The list's chosen filters and search, as the export's title row names them (全部 when none)."""
        words = []
        for spec in self.filter_specs:
            if spec.used_parameters:
                words += [f"{spec.title}：{c['display']}" for c in spec.choices(self) if c["selected"]]
        if self.query:
            words.append(f"搜索“{self.query}”")
        return "，".join(words) or "全部"

    def get_context_data(self, **kwargs):
        # modeladmin counts the list three times (all points, the filtered ones, again in the
        # paginator); here both counts are one statement, and the paginator is given its count.
        queryset = self.get_queryset()
        counts = (
            self.get_base_queryset()
            .order_by()
            .aggregate(
                all_count=Count("pk"),
                result_count=Count("pk", filter=Q(pk__in=queryset.order_by().values("pk"))),
            )
        )
        paginator = self.paginator_class(queryset, self.items_per_page)
        paginator.count = counts["result_count"]  # Paginator.count is a cached_property
        try:
            page_obj = paginator.page(self.page_num)
        except InvalidPage:
            page_obj = paginator.page(1)
        context = {
            "view": self,
            **counts,
            "paginator": paginator,
            "page_obj": page_obj,
            "elided_page_range": paginator.get_elided_page_range(self.page_num),
            "object_list": page_obj.object_list,
            "user_can_create": self.permission_helper.user_can_create(self.request.user),
            "show_search": self.search_handler.show_search_form,
            **kwargs,
        }
        context = super(IndexView, self).get_context_data(**context)  # modeladmin's base view, past its counts
        context["contacts_export_url"] = self.index_url + self.get_query_string({"export": CONTACTS_EXPORT})
        return context


class PointCreateView(CreateView):
    page_title = "添加预警点"

    def form_valid(self, form):
        # Skip CreateView.form_valid's generic "wagtail.create" entry: history logs its own.
        with transaction.atomic():
            response = ModelFormView.form_valid(self, form)
            history.record_creation(self.instance, user=self.request.user)
        return response


class PointEditView(EditView):
    page_title = "编辑预警点"

    def form_valid(self, form):
        # Instead of EditView's generic "wagtail.edit" entry, log the field-by-field diff.
        return history.save_with_history(
            self.instance, lambda: ModelFormView.form_valid(self, form), user=self.request.user
        )


class PointInspectView(InspectView):
    page_title = "查看预警点信息"

    def get_fields_dict(self):
        fields = super().get_fields_dict()
        point = self.instance
        # The seed writes 第2批 and 2015年.
        names = list(self.model_admin.inspect_view_fields)
        fields[names.index("batch")]["value"] = f"第{point.batch}批"
        fields[names.index("established_year")]["value"] = f"{point.established_year}年"
        # After 所在地区, the city it belongs to; at the end, the seed's 联系企业数量.
        at = self.model_admin.inspect_view_fields.index("district") + 1
        fields.insert(at, {"label": "所属地市", "value": self.instance.district.city.name})
        fields.append({"label": "联系企业数量", "value": f"{self.instance.enterprises.count()}家"})
        return fields

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        point = self.instance
        context.update(
            point=point,
            city=point.district.city,
            responsible_persons=point.responsible_persons.all(),
            staff_members=point.staff_members.all(),
            enterprises=point.enterprises.all(),
            leadership=point.leadership.all(),
            history_entries=history.history_of(point),
        )
        return context


# --- the ModelAdmin ---------------------------------------------------------------------


class WarningPointAdmin(ModelAdmin):
    model = WarningPoint
    menu_label = MENU_LABEL
    menu_icon = "site"
    menu_order = MENU_ORDER[MENU_LABEL]
    add_to_admin_menu = True
    permission_helper_class = PointPermissionHelper
    button_helper_class = PointButtonHelper
    index_view_class = PointIndexView
    create_view_class = PointCreateView
    edit_view_class = PointEditView
    inspect_view_class = PointInspectView
    inspect_view_enabled = True
    # The 变更历史 tab of the inspect view replaces modeladmin's separate history page.
    history_view_enabled = False
    edit_handler = POINT_EDIT_HANDLER
    list_display = ("name", "category", "host_organisation", "district", "enterprise_count_column", "status")
    list_filter = (("category", ChoicesFilter), BatchFilter, CityFilter, ("status", ChoicesFilter))
    search_fields = ("name", "host_organisation", "district__name", "district__city__name")
    search_handler_class = SegmentedSearchHandler
    list_per_page = 50
    inspect_view_fields = (
        "name",
        "host_organisation",
        "category",
        "batch",
        "established_year",
        "approval_number",
        "district",
        "industry",
        "address",
        "phone",
        "fax",
        "website",
        "email",
        "status",
    )
    index_template_name = "warning/points/index.html"
    inspect_template_name = "warning/points/inspect.html"

    def enterprise_count_column(self, obj):
        return obj.enterprise_count

    enterprise_count_column.short_description = "联系企业数（家）"
    enterprise_count_column.admin_order_field = "enterprise_count"

    def get_queryset(self, request):
        return registry.registry_points(request.user)

    # Every view is guarded here, where the URL arrives: a point the user may not
    # see is a 404, a refused action a 403 page.
    def _guarded(self, request, view, instance_pk=None):
        if instance_pk is not None:
            pk = str(instance_pk)
            if not pk.isdigit() or not WarningPoint.objects.visible_to(request.user).filter(pk=int(pk)).exists():
                raise Http404("预警点不存在或无权查看")
        try:
            return view()
        except PermissionDenied:
            return forbidden(request)

    def index_view(self, request):
        return self._guarded(request, lambda: super(WarningPointAdmin, self).index_view(request))

    def create_view(self, request):
        return self._guarded(request, lambda: super(WarningPointAdmin, self).create_view(request))

    def inspect_view(self, request, instance_pk):
        return self._guarded(
            request, lambda: super(WarningPointAdmin, self).inspect_view(request, instance_pk), instance_pk
        )

    def edit_view(self, request, instance_pk):
        return self._guarded(
            request, lambda: super(WarningPointAdmin, self).edit_view(request, instance_pk), instance_pk
        )

    def delete_view(self, request, instance_pk):
        return self._guarded(
            request, lambda: super(WarningPointAdmin, self).delete_view(request, instance_pk), instance_pk
        )


modeladmin_register(WarningPointAdmin)
