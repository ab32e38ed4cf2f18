"""Admin wiring of the import: the 导入 log action, the screens' URLs and the menu entry (province only)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from . import history, views


@hooks.register("register_log_actions")
def register_import_log_action(actions):
    @actions.register_action(history.ACTION_IMPORT)
    class ImportLogFormatter(LogFormatter):
        label = history.LABEL

        def format_message(self, log_entry):
            return history.describe(log_entry.data)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("imports/", include((views.urlpatterns, "imports"), namespace="imports"))]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return views.may_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(views.MENU_LABEL, reverse("imports:index"), icon_name="upload", order=10150)
