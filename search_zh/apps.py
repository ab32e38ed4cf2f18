from django.apps import AppConfig


class SearchZhConfig(AppConfig):
    name = "search_zh"
    verbose_name = "中文全文检索"

    def ready(self):
        from . import checks  # noqa: F401
