"""Admin doors that the portal replaces and that need no admin access (mounted by cms/urls.py before Wagtail's)."""

from django.urls import path

from portal_pages.views import accounts

urlpatterns = [
    path("", accounts.AdminPasswordResetView.as_view(), name="portal_admin_password_reset"),
    path(
        "confirm/<uidb64>/<token>/",
        accounts.AdminPasswordResetConfirmView.as_view(),
        name="portal_admin_password_reset_confirm",
    ),
]
