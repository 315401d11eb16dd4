"""Posting to a step's autosave as autosave.js does: the step's form with the section's revision (its hidden field)."""

from django.urls import reverse

from advice_forms.models import AdviceRequest
from advice_forms.services.drafts import draft_step_revision


def autosave_data(advice_request, step, data):
    """``data`` with the section's revision as saved now, unless ``data`` names one of its own."""
    saved = AdviceRequest.objects.get(pk=advice_request.pk)
    return {"step-revision": draft_step_revision(saved, step), **data}


def autosave(client, advice_request, step, data):
    url = reverse("portal:request_step_autosave", kwargs={"pk": advice_request.pk, "step": step})
    return client.post(url, autosave_data(advice_request, step, data))
