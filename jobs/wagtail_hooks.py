"""Admin wiring of background work: the URLs and the two entries of Wagtail's 报告 menu."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .exports import may_export

urlpatterns = [
    path("failed/", views.FailedTaskIndexView.as_view(), name="failed"),
    path("failed/<uuid:pk>/", views.failed_task_detail, name="failed_detail"),
    path("exports/", views.ExportIndexView.as_view(), name="exports"),
    path("exports/new/", views.export_request, name="export_request"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]


@hooks.register("register_admin_urls")
def register_jobs_urls():
    return [path("jobs/", include((urlpatterns, "jobs"), namespace="jobs"))]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


class ExportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_export(request.user)


@hooks.register("register_reports_menu_item")
def register_failed_tasks_menu_item():
    return SuperuserMenuItem("失败的任务", reverse("jobs:failed"), name="failed-tasks", icon_name="warning", order=900)


@hooks.register("register_reports_menu_item")
def register_exports_menu_item():
    return ExportMenuItem(
        "后台导出", reverse("jobs:exports"), name="background-exports", icon_name="download", order=910
    )
