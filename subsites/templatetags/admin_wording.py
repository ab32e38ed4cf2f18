"""Template helpers for the admin's wording overrides (templates/wagtailadmin/…)."""

from django import template
from django.apps import apps

register = template.Library()


@register.filter
def app_verbose_name(content_type):
    """The verbose name of a content type's app (预警点子网站), not its label (subsites)."""
    try:
        return apps.get_app_config(content_type.app_label).verbose_name
    except LookupError:
        return content_type.app_label
