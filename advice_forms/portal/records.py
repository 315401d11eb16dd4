"""What the pages around the form (documents, outcomes, involvement) share: the link back to the request's page,
and the context every one of them shows."""

from django.shortcuts import render
from django.urls import reverse


def request_page_url(advice_request) -> str:
    return reverse("portal:request_detail", args=[advice_request.pk])


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
