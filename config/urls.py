"""URL map: the Wagtail admin, the headless APIs, our own views, then Wagtail's page serving."""

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from integration.api import urls as integration_urls
from operations.views import bench_floor, health
from subsites import serving
from subsites.api import api_router, v3_api
from subsites.sitemaps import robots_txt, sitemap_index, sitemap_section
from warning.admin import page_chooser

urlpatterns = [
    # Wagtail's page chooser with its rows read in bulk, at Wagtail's addresses (warning/admin/page_chooser.py).
    path("admin/choose-page/", include(page_chooser.urls())),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/v3/", v3_api.urls),
    path("api/integration/v1/", integration_urls()),
    # The sitemap index and its sections, and robots.txt naming it (subsites/sitemaps.py).
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap_section"),
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

urlpatterns += [
    # Wagtail's page serving with the route found in two queries (subsites/serving.py); its own
    # pattern, minus Wagtail's _util/ views, which stay Wagtail's.
    re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", serving.serve, name="subsites_serve"),
    path("", include(wagtail_urls)),
]
