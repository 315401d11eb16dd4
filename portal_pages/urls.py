"""The portal's doors (sign-in, registration, two-factor devices, the inbox, the session keep-alive), as URL patterns
relative to /portal/. advice_forms/portal/urls.py mounts them under the "portal" namespace with the professional's
dashboard and request pages, so the lower app never loads the higher one."""

from django.urls import path

from portal_pages.views import accounts, inbox, session, two_factor

urlpatterns = [
    path("keep-alive/", session.keep_alive, name="keep_alive"),
    path("sign-in/", accounts.sign_in, name="sign_in"),
    path("sign-in/code/", accounts.sign_in_code, name="sign_in_code"),
    path("sign-out/", accounts.sign_out, name="sign_out"),
    path("signed-out/", accounts.signed_out, name="signed_out"),
    path("register/", accounts.register, name="register"),
    path("register/check-your-email/", accounts.register_done, name="register_done"),
    path("register/new-link/", accounts.verification_resend, name="verification_resend"),
    path("verify/<str:token>/", accounts.verify, name="verify"),
    path("invitation/<str:token>/", accounts.invitation, name="invitation"),
    path("password-reset/", accounts.password_reset, name="password_reset"),
    path("password-reset/check-your-email/", accounts.password_reset_sent, name="password_reset_sent"),
    path("password-reset/<str:token>/", accounts.password_reset_confirm, name="password_reset_confirm"),
    path("two-factor/", two_factor.two_factor, name="two_factor"),
    path("two-factor/set-up/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("two-factor/add/", two_factor.two_factor_add, name="two_factor_add"),
    path("two-factor/devices/<int:device_id>/remove/", two_factor.two_factor_remove, name="two_factor_remove"),
    path("two-factor/backup-codes/", two_factor.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/", inbox.inbox_message, name="inbox_message"),
]
