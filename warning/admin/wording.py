"""Chinese labels where Wagtail 8 builds English ones outside its translation catalogue.

The 站点 listing's columns take their headings from the field names ("Port",
"Site name", "Root page") instead of the fields' translated verbose names; this
gives them the verbose names, which Wagtail's zh_Hans catalogue translates. A few
of Wagtail's forms declare fields without a label, so Django derives an English
one from the field name ("Page", "Content types"); they get Chinese labels.
"""

from django.utils.text import capfirst
from wagtail.admin.forms.workflows import WorkflowContentTypeForm, WorkflowPageForm
from wagtail.models import Site
from wagtail.sites.views import IndexView as SiteIndexView
from wagtail.users.forms import PagePermissionsForm


def label_columns_by_verbose_name(columns, model):
    """Give every column still labelled with its capitalised field name the field's verbose name."""
    for column in columns:
        if column.label == capfirst(column.name.replace("_", " ")):
            column.label = model._meta.get_field(column.name).verbose_name


label_columns_by_verbose_name(SiteIndexView.columns, Site)
WorkflowPageForm.base_fields["page"].label = "页面"
WorkflowContentTypeForm.base_fields["content_types"].label = "内容类型"
PagePermissionsForm.base_fields["page"].label = "页面"
