from django.urls import include, path

from portal_pages.views import accounts, dashboard, documents, inbox, involvement, outcomes, two_factor

app_name = "portal"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("keep-alive/", dashboard.keep_alive, name="keep_alive"),
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
    # Around the form (issue 7): documents, outcomes, professional involvement, contribution.
    path("requests/<int:pk>/documents/", documents.request_documents, name="request_documents"),
    path("requests/<int:pk>/documents/<int:document_pk>/", documents.request_document, name="request_document"),
    path(
        "requests/<int:pk>/documents/<int:document_pk>/request-access/",
        documents.request_document_access,
        name="request_document_access",
    ),
    path(
        "requests/<int:pk>/documents/<int:document_pk>/withdraw/",
        documents.request_document_withdraw,
        name="request_document_withdraw",
    ),
    path("requests/<int:pk>/outcomes/", outcomes.request_outcomes, name="request_outcomes"),
    path("requests/<int:pk>/outcomes/new/", outcomes.request_outcome_add, name="request_outcome_add"),
    path("requests/<int:pk>/outcomes/<int:outcome_pk>/", outcomes.request_outcome_edit, name="request_outcome_edit"),
    path(
        "requests/<int:pk>/outcomes/<int:outcome_pk>/delete/",
        outcomes.request_outcome_delete,
        name="request_outcome_delete",
    ),
    path("requests/<int:pk>/contacts/", involvement.request_contacts, name="request_contacts"),
    path("requests/<int:pk>/contacts/new/", involvement.request_contact_add, name="request_contact_add"),
    path(
        "requests/<int:pk>/contacts/<int:contact_pk>/",
        involvement.request_contact_edit,
        name="request_contact_edit",
    ),
    path("requests/<int:pk>/contribution/", involvement.request_contribution, name="request_contribution"),
    path("requests/<int:pk>/report-a-change/", involvement.request_details_change, name="request_details_change"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/", inbox.inbox_message, name="inbox_message"),
    path("requests/", include("advice_forms.portal_urls")),
]
