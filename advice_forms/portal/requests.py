"""The professional's pages of one advice request: task list, check answers, submit, preview and submitted PDFs
(downloaded as documents of the child, through advice_forms/portal/documents.py).

HTTP glue only. Every view sits behind ``professional_required`` and finds the request through
``selectors.request_for_account``: another account's request id gives 404. The wizard's steps are in
advice_forms/portal/wizard.py.
"""

import uuid

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from advice_forms.form_builder import FormBuilder
from advice_forms.pdf import advice_preview_pdf
from advice_forms.portal.wizard import closed_while_open, saved_elsewhere_message
from advice_forms.selectors import (
    TaskState,
    child_details_rows,
    request_for_account,
    request_problems,
    request_records,
    request_task_list,
    submission_history,
    submission_replaced,
)
from advice_forms.services.drafts import (
    DraftNothingTyped,
    DraftStale,
    draft_step_revision,
    draft_step_save,
    draft_typing,
)
from advice_forms.services.requests import child_record_view_record
from advice_forms.services.submissions import (
    SubmissionRefused,
    submission_pdf_store,
    submission_submit,
)
from advice_forms.workflow import RequestNotEditable
from cms.formats import govuk_time
from portal_pages.access import professional_required


def _step_url(advice_request, key, *, back_to_check=False, anchor="", attention=False):
    """A step's address; ``attention``: arriving from a "needs attention" link, so the step shows its errors."""
    url = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": key})
    query = "&".join(q for q, wanted in (("return=check", back_to_check), ("attention=1", attention)) if wanted)
    return f"{url}{f'?{query}' if query else ''}{f'#{anchor}' if anchor else ''}"


def _problem_links(advice_request, builder, missing, unchecked):
    """[(href, message)] for the error summary and the missing list: each links to the step to fix it, at the
    question's first input."""
    links = [
        (
            # With its errors shown: one may be in a question its answers no longer ask (kept there, not dropped).
            _step_url(advice_request, section.key, back_to_check=True, attention=True),
            f"Open “{section.title}” and save it again",
        )
        for section in unchecked
    ]
    links += [
        (
            _step_url(
                advice_request, m.section_key, back_to_check=True, anchor=builder.input_id(m.field_key), attention=True
            ),
            f"“{m.field_label}” in “{m.section_title}”: {m.reason_after_label}",
        )
        for m in missing
    ]
    return links


def _no_store(response):
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@professional_required
@require_GET
def request_detail(request, pk):
    advice_request = request_for_account(request.user, pk, "child__school")
    tasks, completed, shown = [], 0, 0
    return_sections = []
    if advice_request.is_editable:  # the task list is shown only while the form can be filled
        builder = FormBuilder.for_version(advice_request.form_version)
        tasks, completed, shown = request_task_list(advice_request, builder)
        named = set(advice_request.return_sections)
        return_sections = [section for section, _state in tasks if section.key in named]
    child_record_view_record(advice_request=advice_request, actor=request.user, request=request)
    return render(
        request,
        "advice_forms/portal/request_detail.html",
        {
            "advice_request": advice_request,
            "child_details": child_details_rows(advice_request),
            "tasks": tasks,
            "completed_count": completed,
            "shown_count": shown,
            "not_needed_count": sum(state == TaskState.NOT_NEEDED for _section, state in tasks),
            "return_sections": return_sections,
            "history": submission_history(advice_request),
        },
    )


def _not_editable(request, advice_request):
    """Autosave's refusal for a request submitted or accepted since the step was opened: nothing is written, and
    autosave.js shows the step's banner (the same one the step's own POST draws) and keeps the typing on the page."""
    advice_request.refresh_from_db()
    closed = closed_while_open(advice_request)
    banner = render_to_string("advice_forms/includes/closed_banner.html", {"closed": closed}, request=request)
    return JsonResponse({"saved": False, "closed": True, "message": closed["message"], "banner": banner}, status=403)


def _not_saved():
    """Autosave's refusal of a post it cannot save (nothing typed, or no revision): autosave.js tries again."""
    return JsonResponse({"saved": False, "message": "Your latest changes are not saved yet."}, status=400)


@professional_required
@require_POST
def request_step_autosave(request, pk, step):
    """The step's form, POSTed by autosave.js: saved as the step's own POST would be, valid or not, but only what was
    typed (a button named in the post, like "Remove this file", is ignored). The answer carries the section's new
    revision, which the page posts from then on; a post from an older copy than one saved since elsewhere is refused
    with a 409 and nothing is written (the page's own Save then says what to do); a post to a request submitted or
    accepted since is refused with a 403, with the banner for the page to show."""
    advice_request = request_for_account(request.user, pk)
    builder = FormBuilder.for_version(advice_request.form_version)
    if step not in {s.key for s in builder.visible_sections(advice_request.answers)}:
        return JsonResponse({"saved": False, "message": "This section cannot be saved now."}, status=404)
    typed = draft_typing(request.POST)
    revision = request.POST.get("step-revision")
    # Nothing typed arrived (the token and hidden fields alone, or no question the page draws: the save checks that,
    # with the form it builds): saving it would replace the step's answers with blanks. Nor a revision, which
    # autosave.js always sends (the form's hidden field): without it, a save could not be checked against one made
    # since elsewhere. autosave.js tries again, unless the request can no longer change (the answer a save would have).
    if not typed or not revision:
        return _not_saved() if advice_request.is_editable else _not_editable(request, advice_request)
    try:
        _form, valid = draft_step_save(
            advice_request=advice_request,
            section_key=step,
            data=typed,
            actor=request.user,
            request=request,
            builder=builder,
            revision=revision,
            page=request.POST.get("step-page", ""),
            blank_refused=True,
        )
    except RequestNotEditable:
        return _not_editable(request, advice_request)
    except DraftNothingTyped:
        return _not_saved()
    except DraftStale as stale:
        return JsonResponse(
            {"saved": False, "saved_elsewhere": True, "message": saved_elsewhere_message(stale.saved_at)}, status=409
        )
    saved_at = govuk_time(advice_request.draft_saved_at)
    return JsonResponse(
        {
            "saved": True,
            "valid": valid,
            "saved_at": saved_at,
            "message": f"Saved at {saved_at}",
            "revision": draft_step_revision(advice_request, step),
        }
    )


def _unfinished(advice_request, builder, missing):
    """[(section, state, href)]: the shown sections the task list does not call completed, for check answers to
    name before "Accept and submit" (nothing required missing, they can be sent as they are)."""
    tasks, _done, _shown = request_task_list(advice_request, builder, missing=missing)
    return [
        (section, state, _step_url(advice_request, section.key, back_to_check=True))
        for section, state in tasks
        if state in (TaskState.NOT_STARTED, TaskState.IN_PROGRESS, TaskState.CHANGES_NEEDED)
    ]


def _check_answers_page(request, advice_request, *, refused=None, status=200):
    builder = FormBuilder.for_version(advice_request.form_version)
    missing, unchecked = request_problems(advice_request, builder)
    problems = _problem_links(advice_request, builder, missing, unchecked)
    unfinished = [] if problems else _unfinished(advice_request, builder, missing)
    return render(
        request,
        "advice_forms/portal/check_answers.html",
        {
            "advice_request": advice_request,
            "parts": [
                (part, _step_url(advice_request, part.section.key, back_to_check=True))
                for part in builder.summary(
                    advice_request.answers,
                    records=request_records(advice_request),
                    raw_steps=advice_request.raw_steps,
                    with_kept_hidden=True,
                )
            ],
            "problems": problems,
            "unfinished": unfinished,
            "errors": problems if refused else [],
            "idempotency_key": uuid.uuid4().hex,
        },
        status=status,
    )


@professional_required
@require_GET
def request_check_answers(request, pk):
    advice_request = request_for_account(request.user, pk)
    if not advice_request.is_editable:
        return redirect("portal:request_detail", pk=advice_request.pk)
    return _check_answers_page(request, advice_request)


@professional_required
@require_POST
def request_submit(request, pk):
    advice_request = request_for_account(request.user, pk)
    try:
        key = uuid.UUID(str(request.POST.get("idempotency_key", ""))).hex
    except ValueError:
        # The page's hidden key was missing or garbled: nothing was submitted, and the answers are all kept.
        messages.error(request, "Your form was not submitted. Check your answers, then select Accept and submit again.")
        return redirect("portal:request_check_answers", pk=advice_request.pk)
    try:
        submission = submission_submit(
            advice_request=advice_request, actor=request.user, idempotency_key=key, request=request
        )
    except SubmissionRefused as refusal:
        if not (refusal.missing or refusal.unchecked):
            messages.error(request, str(refusal))
            return redirect("portal:request_check_answers", pk=advice_request.pk)
        return _check_answers_page(request, advice_request, refused=True)
    except RequestNotEditable:
        latest = advice_request.submissions.order_by("-number").first()
        messages.info(request, "This request has already been submitted.")
        if latest is None:
            return redirect("portal:request_detail", pk=advice_request.pk)
        return redirect("portal:request_confirmation", pk=advice_request.pk, number=latest.number)
    return redirect("portal:request_confirmation", pk=advice_request.pk, number=submission.number)


@professional_required
@require_GET
def request_confirmation(request, pk, number):
    advice_request = request_for_account(request.user, pk)
    submission = get_object_or_404(advice_request.submissions, number=number)
    history = {row["submission"].number: row for row in submission_history(advice_request)}
    return render(
        request,
        "advice_forms/portal/confirmation.html",
        {
            "advice_request": advice_request,
            "submission": submission,
            "decision": history[submission.number],
            "replaced": submission_replaced(submission),
        },
    )


@professional_required
@require_GET
def request_preview_pdf(request, pk):
    """One click: the PREVIEW PDF of the current draft against the pinned version, naming what is missing."""
    advice_request = request_for_account(request.user, pk)  # someone else's request is a 404 before any cache read
    data = advice_preview_pdf(advice_request=advice_request, account=request.user)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-request-{advice_request.pk}.pdf"'
    return _no_store(response)


@professional_required
@require_GET
def request_submission_pdf(request, pk, number):
    """A submitted version's PDF: one of the child's documents (filed now if the task has not run yet), sent on to
    the one checked document download."""
    advice_request = request_for_account(request.user, pk)
    submission = get_object_or_404(advice_request.submissions, number=number)
    document = submission_pdf_store(submission_id=submission.pk)
    return redirect("portal:request_document", pk=advice_request.pk, document_pk=document.pk)
