from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem

from cms.admin_views import SendTestEmailView, cache_clear, cache_index
from cms.cache import request_is_cacheable, response_is_cacheable
from cms.wagtail_2fa_compat import device_urlpatterns

hooks.register("is_request_cacheable", request_is_cacheable)
hooks.register("is_response_cacheable", response_is_cacheable)

# Before wagtail-2fa's own (order 0): its device list and removal, for one's own devices or a superuser.
hooks.register("register_admin_urls", device_urlpatterns, order=-1)


@hooks.register("register_admin_urls", order=-1)
def register_cache_urls():
    """wagtail-cache's own paths, answered first by views that admit superusers only (its menu's audience)."""
    return [
        path("cache/", cache_index, name="cms_cache_index"),
        path("cache/clearcache", cache_clear, name="cms_cache_clear"),
    ]


@hooks.register("register_admin_urls")
def register_send_test_email_url():
    return [path("send-test-email/", SendTestEmailView.as_view(), name="cms_send_test_email")]


@hooks.register("register_settings_menu_item")
def register_send_test_email_menu_item():
    return AdminOnlyMenuItem("Send a test email", reverse("cms_send_test_email"), icon_name="mail", order=900)
