import os

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views

handler400 = "cms.views.bad_request"
handler403 = "cms.views.permission_denied"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
    # Wagtail's admin password reset, replaced by one on the portal's rate limiter (before Wagtail's, so it wins).
    path("admin/password_reset/", include("portal_pages.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("portal/", include("advice_forms.portal.urls")),
    path("search/", views.search, name="search"),
    path("", include("faq.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL + "images/", document_root=os.path.join(settings.MEDIA_ROOT, "images"))

if settings.PORTAL_BENCH_VIEWS:
    # What `make bench` measures against (the bench app), on loopback only; never in a deployment.
    urlpatterns += [path("bench/", include("bench.urls"))]

urlpatterns += [path("", include(wagtail_urls))]
