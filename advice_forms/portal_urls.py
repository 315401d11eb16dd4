"""/portal/requests/…: included by portal_pages/urls.py, so every name here is in the "portal" namespace."""

from django.urls import path

from advice_forms import portal_views
from advice_forms.wizard import AdviceStepWizard

urlpatterns = [
    path("<int:pk>/", portal_views.request_detail, name="request_detail"),
    path("<int:pk>/steps/<str:step>/", AdviceStepWizard.as_step_view(), name="request_step"),
    path("<int:pk>/steps/<str:step>/autosave/", portal_views.request_step_autosave, name="request_step_autosave"),
    path("<int:pk>/check-answers/", portal_views.request_check_answers, name="request_check_answers"),
    path("<int:pk>/submit/", portal_views.request_submit, name="request_submit"),
    path("<int:pk>/preview.pdf", portal_views.request_preview_pdf, name="request_preview_pdf"),
    path("<int:pk>/submissions/<int:number>/", portal_views.request_confirmation, name="request_confirmation"),
    path("<int:pk>/submissions/<int:number>/pdf/", portal_views.request_submission_pdf, name="request_submission_pdf"),
]
