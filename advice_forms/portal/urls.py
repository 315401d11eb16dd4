"""The "portal" namespace, mounted at /portal/ by cms/urls.py: the portal's doors from portal_pages/urls.py (sign-in,
registration, two-factor devices, the inbox), then the professional's dashboard (/portal/) and request pages
(/portal/requests/<pk>/...)."""

from django.urls import path

from advice_forms.portal import dashboard, documents, involvement, outcomes, requests
from advice_forms.portal.wizard import AdviceStepWizard
from portal_pages import urls as portal_pages_urls

app_name = "portal"


def request_page(route, view, name):
    """A page of one advice request, under /portal/requests/<pk>/."""
    return path(f"requests/<int:pk>/{route}", view, name=name)


urlpatterns = [
    *portal_pages_urls.urlpatterns,
    path("", dashboard.dashboard, name="dashboard"),
    request_page("", requests.request_detail, name="request_detail"),
    request_page("steps/<str:step>/", AdviceStepWizard.as_step_view(), name="request_step"),
    request_page("steps/<str:step>/autosave/", requests.request_step_autosave, name="request_step_autosave"),
    request_page("check-answers/", requests.request_check_answers, name="request_check_answers"),
    request_page("submit/", requests.request_submit, name="request_submit"),
    request_page("preview.pdf", requests.request_preview_pdf, name="request_preview_pdf"),
    request_page("submissions/<int:number>/", requests.request_confirmation, name="request_confirmation"),
    request_page("submissions/<int:number>/pdf/", requests.request_submission_pdf, name="request_submission_pdf"),
    # Around the form: documents, outcomes, professional involvement, contribution.
    request_page("documents/", documents.request_documents, name="request_documents"),
    request_page("documents/<int:document_pk>/", documents.request_document, name="request_document"),
    request_page(
        "documents/<int:document_pk>/request-access/",
        documents.request_document_access,
        name="request_document_access",
    ),
    request_page(
        "documents/<int:document_pk>/withdraw/", documents.request_document_withdraw, name="request_document_withdraw"
    ),
    request_page("outcomes/", outcomes.request_outcomes, name="request_outcomes"),
    request_page("outcomes/new/", outcomes.request_outcome_add, name="request_outcome_add"),
    request_page("outcomes/<int:outcome_pk>/", outcomes.request_outcome_edit, name="request_outcome_edit"),
    request_page("outcomes/<int:outcome_pk>/delete/", outcomes.request_outcome_delete, name="request_outcome_delete"),
    request_page("contacts/", involvement.request_contacts, name="request_contacts"),
    request_page("contacts/new/", involvement.request_contact_add, name="request_contact_add"),
    request_page("contacts/<int:contact_pk>/", involvement.request_contact_edit, name="request_contact_edit"),
    request_page("contribution/", involvement.request_contribution, name="request_contribution"),
    request_page("report-a-change/", involvement.request_details_change, name="request_details_change"),
]
