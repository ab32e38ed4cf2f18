from django.apps import AppConfig


class SubsitesConfig(AppConfig):
    name = "subsites"
    verbose_name = "预警点子网站"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
