"""Wagtail admin views of the site core."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtailcache import views as wagtailcache_views

from cms.page_links import pages_with_broken_links
from cms.services import email_notification_queue

_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class SendTestEmailView(WagtailAdminTemplateMixin, TemplateView):
    """An administrator checks that outgoing email works: a background worker sends a test email to them.

    Each form carries a one-time token, so posting it twice (a double click, a retry) sends one email.
    """

    page_title = "Send a test email"
    header_icon = "mail"
    template_name = "cms/admin/send_test_email.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(token=uuid.uuid4().hex, recipient=self.request.user.email, **kwargs)

    def post(self, request):
        token = request.POST.get("token", "")
        if not _TOKEN.match(token):
            messages.error(request, "The form had expired. Send the test email again.")
            return redirect("cms_send_test_email")
        notification = email_notification_queue(
            key=f"admin-test-email:{token}",
            to=request.user.email,
            subject=f"Test email from {settings.WAGTAIL_SITE_NAME}",
            body=(
                f"This is a test email from {settings.WAGTAIL_SITE_NAME} at {settings.WAGTAILADMIN_BASE_URL}.\n\n"
                "A background worker sent it, so outgoing email and the task queue both work.\n"
            ),
        )
        messages.success(
            request,
            f"A test email to {notification.to} is queued. It arrives within a minute if email works.",
        )
        return redirect(reverse("cms_send_test_email"))


def _superusers_only(view):
    def checked(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


# wagtail-cache shows its menu item to superusers only but checks nothing in its views, so any staff role could
# open the cache's keys or empty it. Its paths answered by these first (cms.wagtail_hooks, order -1).
cache_index = _superusers_only(wagtailcache_views.index)
cache_clear = _superusers_only(wagtailcache_views.clear)


def may_edit_guidance(user) -> bool:
    """Content editors, Guidance approvers and superusers: anyone who may add, edit or publish some page."""
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])


class BrokenLinksReportView(WagtailAdminTemplateMixin, TemplateView):
    """Reports → Broken links: every page that links to a deleted or unpublished page, to be mended by an editor."""

    page_title = "Broken links"
    header_icon = "warning"
    template_name = "cms/admin/broken_links.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_edit_guidance(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(pages=pages_with_broken_links(), **kwargs)
