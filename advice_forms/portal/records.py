"""What the pages around the form (documents, outcomes, involvement) share: the link back to the request's page (or
to the wizard step they were opened from), and the context every one of them shows."""

from django.shortcuts import render
from django.urls import reverse

from advice_forms.form_builder import FormBuilder


def request_page_url(advice_request) -> str:
    return reverse("portal:request_detail", args=[advice_request.pk])


def step_return_url(request, advice_request, default: str) -> str:
    """Where a page around the form goes back to: the wizard step named by ``?step=`` when it is a section of the
    request's form (a record-backed question opened it), else ``default``. Only a known step: never a URL."""
    step = request.GET.get("step", "")
    if step and step in {section.key for section in FormBuilder.for_version(advice_request.form_version).sections()}:
        return reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": step})
    return default


def record_context(advice_request, **extra) -> dict:
    return {
        "advice_request": advice_request,
        "child_name": advice_request.child_display_name,
        "back_url": request_page_url(advice_request),
        **extra,
    }


def render_record(request, advice_request, template: str, **extra):
    """One of the pages around the form: advice_forms/records/<template>.html with the record context."""
    return render(request, f"advice_forms/records/{template}.html", record_context(advice_request, **extra))
