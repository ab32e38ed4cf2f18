"""Admin wiring of webhooks: the URLs of 事件推送 and its menu entry (point editors and the province)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .endpoints import may_manage

urlpatterns = [
    path("", views.EndpointIndexView.as_view(), name="index"),
    path("add/", views.EndpointCreateView.as_view(), name="add"),
    path("<int:pk>/", views.EndpointDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EndpointEditView.as_view(), name="edit"),
    path("<int:pk>/status/", views.set_status, name="status"),
    path("<int:pk>/rotate/", views.rotate, name="rotate"),
    path("<int:pk>/ping/", views.ping, name="ping"),
    path("deliveries/<int:pk>/", views.DeliveryDetailView.as_view(), name="delivery"),
    path("deliveries/<int:pk>/retry/", views.retry, name="retry"),
]


@hooks.register("register_admin_urls")
def register_webhook_urls():
    return [path("webhooks/", include((urlpatterns, "webhooks"), namespace="webhooks"))]


class WebhookMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage(request.user)


@hooks.register("register_admin_menu_item")
def register_webhook_menu_item():
    return WebhookMenuItem(
        views.MENU_LABEL, reverse("webhooks:index"), name="webhooks", icon_name=views.ICON, order=10300
    )
