"""Public URLs served by our own views (ahead of Wagtail's page serving)."""

from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search, name="subsites_search"),
]
