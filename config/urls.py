"""URL map: the Wagtail admin, the headless APIs, our own views, then Wagtail's page serving."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from operations.views import bench_floor, health
from subsites.api import api_router, v3_api

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/v3/", v3_api.urls),
    path("sitemap.xml", sitemap),
    path("health/", health, name="health"),
    path("", include("subsites.urls")),
]

# Folders of MEDIA_ROOT the development server serves (images and their renditions only).
DEV_MEDIA_FOLDERS = ("original_images", "images")

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Only images are served from MEDIA_ROOT under `make run`: documents go through Wagtail's
    # serve view, which lets the public fetch only those of live public pages
    # (docs/security.md), so /media/documents/ must not bypass it.
    for folder in DEV_MEDIA_FOLDERS:
        urlpatterns += static(f"{settings.MEDIA_URL}{folder}/", document_root=f"{settings.MEDIA_ROOT}/{folder}")

# The benchmark's floor page (scripts/bench_pages.py, docs/performance.md): only under
# config/settings/bench.py, never in production.
if getattr(settings, "BENCH_FLOOR_VIEW", False):
    urlpatterns.insert(0, path("bench-floor/<int:size>/", bench_floor, name="bench_floor"))

urlpatterns += [path("", include(wagtail_urls))]
