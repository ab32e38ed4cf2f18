"""URLs for tests/test_operations.py: the project's URLs plus one view that always fails."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def broken_view(request):
    raise RuntimeError("故意的失败：用于测试 500 的日志")


urlpatterns = [path("__broken__/", broken_view), *project_urlpatterns]
