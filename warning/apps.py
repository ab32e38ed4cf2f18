from django.apps import AppConfig


class WarningConfig(AppConfig):
    name = "warning"
    verbose_name = "外贸预警"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model

        from . import rights, signals  # noqa: F401
        from .names import user_full_name

        # A user's rights (role, permissions, page and collection rows) from the shared cache (warning/rights.py).
        rights.connect()

        # Names in Chinese order everywhere Django and Wagtail call get_full_name() (warning/names.py).
        get_user_model().get_full_name = user_full_name
