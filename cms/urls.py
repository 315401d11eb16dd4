from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from cms import admin_views, routing, sitemap, views
from cms.admin_choosers import chooser_urlpatterns

handler400 = "cms.views.bad_request"
handler403 = "cms.views.permission_denied"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"

# Wagtail admin views answered first by ours, behind the decorators Wagtail gives its own (wagtail/admin/urls): admin
# access, the admin's 404 page, no caching. tests/cms/test_set_page_position.py, test_page_move_confirm.py and
# test_admin_choosers.py fail when Wagtail's route moves. Wagtail's page, embed and workflow task choosers, open to
# every admin user there, are refused to the roles that do not use them (cms/admin_choosers.py).
admin_overrides = [
    path(
        "pages/<int:page_to_move_id>/set_position/",
        admin_views.set_page_position,
        name="cms_set_page_position",
    ),
    path(
        "pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/",
        admin_views.move_page_confirm,
        name="cms_move_page_confirm",
    ),
    *chooser_urlpatterns(wagtailadmin_urls.urlpatterns),
]
for _decorator in (require_admin_access, wagtailadmin_urls.display_custom_404, never_cache):
    admin_overrides = decorate_urlpatterns(admin_overrides, _decorator)

urlpatterns = [
    path("robots.txt", sitemap.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap.sitemap_xml, name="sitemap"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
    # Wagtail's admin password reset, replaced by one on the portal's rate limiter (before Wagtail's, so it wins).
    path("admin/password_reset/", include("portal_pages.admin_urls")),
    path("admin/", include(admin_overrides)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("portal/", include("advice_forms.portal.urls")),
    path("search/", views.search, name="search"),
    path("", include("faq.urls")),
]

if not getattr(settings, "WAGTAILIMAGES_RENDITION_STORAGE", None):
    # Media on local disk (development, or one server without a bucket): the pictures of public pages come from here,
    # in every mode; a web server in front may serve MEDIA_ROOT/images itself at the same address.
    urlpatterns += [re_path(r"^media/images/(?P<path>.+)$", views.image_rendition, name="image_rendition")]

if settings.PORTAL_BENCH_VIEWS:
    # What `make bench` measures against (the bench app), on loopback only; never in a deployment.
    urlpatterns += [path("bench/", include("bench.urls"))]

# Wagtail's sign-in for private pages takes a password alone: anyone sent there goes to the portal's, which asks for
# the authenticator code too (settings WAGTAIL_FRONTEND_LOGIN_URL), with the page to come back to.
urlpatterns += [
    path(
        "_util/login/",
        RedirectView.as_view(url=settings.WAGTAIL_FRONTEND_LOGIN_URL, query_string=True),
        name="wagtail_login_closed",
    ),
    # Wagtail's serve view, with the route kept in the shared page cache (cms/routing.py); Wagtail's own pattern.
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]
