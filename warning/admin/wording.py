"""Chinese labels where Wagtail 8 builds English ones outside its translation catalogue.

The 站点 listing's columns take their headings from the field names ("Port",
"Site name", "Root page") instead of the fields' translated verbose names; this
gives them the verbose names, which Wagtail's zh_Hans catalogue translates.
"""

from django.utils.text import capfirst
from wagtail.models import Site
from wagtail.sites.views import IndexView as SiteIndexView


def label_columns_by_verbose_name(columns, model):
    """Give every column still labelled with its capitalised field name the field's verbose name."""
    for column in columns:
        if column.label == capfirst(column.name.replace("_", " ")):
            column.label = model._meta.get_field(column.name).verbose_name


label_columns_by_verbose_name(SiteIndexView.columns, Site)
