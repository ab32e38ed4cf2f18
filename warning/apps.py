from django.apps import AppConfig


class WarningConfig(AppConfig):
    name = "warning"
    verbose_name = "外贸预警"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
