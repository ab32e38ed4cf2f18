from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    label = "webhooks"
    verbose_name = "事件推送"
    default_auto_field = "django.db.models.BigAutoField"
