"""/portal/ (the dashboard) and /portal/requests/…: included by portal_pages/urls.py, so every name here is in the
"portal" namespace."""

from django.urls import include, path

from advice_forms.portal import dashboard, documents, involvement, outcomes, requests
from advice_forms.portal.wizard import AdviceStepWizard

# Everything below /portal/requests/<pk>/: the form itself, then the pages around it.
request_patterns = [
    path("", requests.request_detail, name="request_detail"),
    path("steps/<str:step>/", AdviceStepWizard.as_step_view(), name="request_step"),
    path("steps/<str:step>/autosave/", requests.request_step_autosave, name="request_step_autosave"),
    path("check-answers/", requests.request_check_answers, name="request_check_answers"),
    path("submit/", requests.request_submit, name="request_submit"),
    path("preview.pdf", requests.request_preview_pdf, name="request_preview_pdf"),
    path("submissions/<int:number>/", requests.request_confirmation, name="request_confirmation"),
    path("submissions/<int:number>/pdf/", requests.request_submission_pdf, name="request_submission_pdf"),
    # Around the form: documents, outcomes, professional involvement, contribution.
    path("documents/", documents.request_documents, name="request_documents"),
    path("documents/<int:document_pk>/", documents.request_document, name="request_document"),
    path(
        "documents/<int:document_pk>/request-access/",
        documents.request_document_access,
        name="request_document_access",
    ),
    path(
        "documents/<int:document_pk>/withdraw/", documents.request_document_withdraw, name="request_document_withdraw"
    ),
    path("outcomes/", outcomes.request_outcomes, name="request_outcomes"),
    path("outcomes/new/", outcomes.request_outcome_add, name="request_outcome_add"),
    path("outcomes/<int:outcome_pk>/", outcomes.request_outcome_edit, name="request_outcome_edit"),
    path("outcomes/<int:outcome_pk>/delete/", outcomes.request_outcome_delete, name="request_outcome_delete"),
    path("contacts/", involvement.request_contacts, name="request_contacts"),
    path("contacts/new/", involvement.request_contact_add, name="request_contact_add"),
    path("contacts/<int:contact_pk>/", involvement.request_contact_edit, name="request_contact_edit"),
    path("contribution/", involvement.request_contribution, name="request_contribution"),
    path("report-a-change/", involvement.request_details_change, name="request_details_change"),
]

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("requests/<int:pk>/", include(request_patterns)),
]
