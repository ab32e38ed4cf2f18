"""The project's URLs plus the floor: a bare Django view returning a static page of a given size."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

_PAGES = {}


def floor(request, size):
    if size not in _PAGES:
        _PAGES[size] = b"<!DOCTYPE html><html><body>" + b"x" * max(size - 41, 0) + b"</body></html>"
    return HttpResponse(_PAGES[size], content_type="text/html; charset=utf-8")


urlpatterns = [path("__floor__/<int:size>/", floor), *project_urlpatterns]
