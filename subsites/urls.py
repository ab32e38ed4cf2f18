"""Public URLs served by our own views (ahead of Wagtail's page serving)."""

urlpatterns = []
