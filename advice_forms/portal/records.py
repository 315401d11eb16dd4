"""What the pages around the form (documents, outcomes, involvement) share: the link back to the request's page (or
to the wizard step they were opened from), and the context every one of them shows."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from advice_forms.form_builder import FormBuilder
from advice_forms.uploads import not_uploaded_message
from portal_pages.kept_typing import typing_take


def record_form_data(request):
    """What a page around the form binds its form to, and the typing kept at a time-out (or None): the post of a POST;
    on a GET, what was posted to this page after the session timed out, once the same account has signed in again
    (portal_pages/kept_typing.py: taken, so it shows once); else None, for an unbound form. Pass the second to
    ``render_record(kept=...)``, which says so above the form."""
    if request.method == "POST":
        return request.POST, None
    kept = typing_take(request)
    return (kept.data if kept is not None else None), kept


def kept_at_time_out(kept) -> dict | None:
    """What the banner of typing kept at a time-out (includes/kept_typing_banner.html) says of ``kept``."""
    if kept is None:
        return None
    return {"files": not_uploaded_message(kept.file_names)}


def request_page_url(advice_request) -> str:
    return reverse("portal:request_detail", args=[advice_request.pk])


def _opened_from(request, advice_request):
    """The section of the request's form named by ``?step=`` (a record-backed question opened the page), or None.
    Only a known step: never a URL."""
    step = request.GET.get("step", "")
    if not step:
        return None
    return next((s for s in FormBuilder.for_version(advice_request.form_version).sections() if s.key == step), None)


def return_to_check(request) -> bool:
    """Whether the page was opened on the way from check answers (``?return=check``): a wizard step saved from it goes
    back there, and a page around the form opened from that step keeps the way back."""
    return request.GET.get("return") == "check"


def step_query(step: str, *, back_to_check: bool = False) -> str:
    """The query a wizard step opens a page around the form with: the step to come back to, and whether that step was
    itself opened from check answers."""
    return "?" + urlencode({"step": step, **({"return": "check"} if back_to_check else {})})


def _step_url(request, advice_request, section) -> str:
    url = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": section.key})
    return f"{url}?return=check" if return_to_check(request) else url


def step_return_url(request, advice_request, default: str) -> str:
    """Where a page around the form goes back to: the wizard step named by ``?step=`` when it is a section of the
    request's form (a record-backed question opened it), on its way back to check answers if it was on it, else
    ``default``."""
    section = _opened_from(request, advice_request)
    return default if section is None else _step_url(request, advice_request, section)


def back_to(url: str, words: str) -> dict:
    """A page opened from a list around the form (outcomes, contacts, documents): its back link and its Cancel both
    go to ``url`` (the list, or the step it was opened from) and the back link says where ("Back to outcomes")."""
    return {"back_url": url, "back_text": words, "cancel_url": url}


def record_context(advice_request, **extra) -> dict:
    return {
        "advice_request": advice_request,
        "back_url": request_page_url(advice_request),
        "back_text": "Back to the request",
        **extra,
    }


def render_record(request, advice_request, template: str, *, kept=None, **extra):
    """One of the pages around the form: advice_forms/records/<template>.html with the record context. Opened from a
    wizard step, its back link goes to that step and names it, as its Cancel and its saves do. ``kept``: the typing
    kept at a time-out that the form shows (``record_form_data``), said in a banner."""
    context = record_context(advice_request, kept_at_time_out=kept_at_time_out(kept), **extra)
    section = _opened_from(request, advice_request)
    if section is not None:
        context.update(
            back_url=_step_url(request, advice_request, section),
            back_text=f"Back to “{section.title}”",
            opened_from=section,
            step_query=step_query(section.key, back_to_check=return_to_check(request)),
        )
    return render(request, f"advice_forms/records/{template}.html", context)
