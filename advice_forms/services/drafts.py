"""Writes of a professional's draft: each posted wizard step saved as it arrives, valid or not, so nothing
typed is lost; the first save moves a request from to do to in progress."""

from django.db import transaction
from django.utils import timezone

from advice_forms import workflow
from advice_forms.fields import RepeatingGroupField
from advice_forms.form_builder import FormBuilder
from advice_forms.models import FORM_EVIDENCE, AdviceRequest, Document, DocumentState
from advice_forms.services.documents import document_upload, document_withdraw
from advice_forms.services.requests import request_transition
from advice_forms.workflow import Action, RequestNotEditable

# Posted names that are buttons or tokens, not answers: never kept in a draft.
_NOT_ANSWERS = {
    "csrfmiddlewaretoken",
    "action",
    "row-action",
    "return",
    "clear",
    "clear-keys",
    "shown-at-render",
    "kept-at-render",
    "js",
}


def _raw_draft(form, data) -> dict:
    """The posted step as {name: [values]}, without buttons and tokens, with "Add another" / "Remove" applied
    (so showing it again does not repeat the action)."""
    raw = {name: [str(v) for v in values] for name, values in data.lists() if name not in _NOT_ANSWERS}
    for name, form_field in form.fields.items():
        if not isinstance(form_field, RepeatingGroupField):
            continue
        html_name = form.add_prefix(name)
        rows = form_field.widget.value_from_datadict(data, None, html_name)
        for key in [k for k in raw if k.startswith(f"{html_name}-")]:
            del raw[key]
        raw.update({key: [value] for key, value in form_field.widget.raw_cells(html_name, rows).items()})
    return raw


def _file_uploads(form, advice_request, *, actor, request):
    """File each new upload of the step as the child's document; {field key: answer naming it}. A replaced file
    is withdrawn, as its uploader would withdraw it on the documents page."""
    filed = {}
    saved = (advice_request.answers or {}).get(form.section.key) or {}
    for key, uploaded in form.new_uploads().items():
        spec = form.fields[key].spec
        document = document_upload(
            advice_request=advice_request,
            account=actor,
            uploaded=uploaded,
            title=spec.label[:200],
            document_type=FORM_EVIDENCE,
        )
        previous = (saved.get(key) or {}).get("document") if isinstance(saved.get(key), dict) else None
        old = Document.objects.filter(
            pk=previous, advice_request=advice_request, uploaded_by=actor, state=DocumentState.CURRENT
        ).first()
        if old is not None:
            document_withdraw(document=old, account=actor, request=request)
        filed[key] = {"document": document.pk, "name": document.original_filename, "size": document.size}
    return filed


@transaction.atomic
def draft_step_save(
    *,
    advice_request,
    section_key: str,
    data,
    actor,
    request=None,
    prefix=None,
    builder=None,
    files=None,
    upload_flags=None,
    leaving=False,
):
    """Write one posted wizard step to the request's draft, valid or not, before anything else happens.

    Valid: the section's answers replace the saved ones and the section counts as completed (unless an
    "Add another" / "Remove" button was pressed: the professional is still writing). Invalid: the raw
    post is kept in ``raw_steps`` so the step shows it again with its errors; nothing typed is lost.
    The first save moves a request from to do to in progress. Returns ``(form, valid)``; the form is
    bound to ``data`` for re-rendering. Raises RequestNotEditable for a submitted or accepted request.
    ``builder`` may be the caller's FormBuilder of the request's pinned version (a request's version never
    changes), which saves reading the version again. A file question's new upload (``files``, checked as every
    upload is) is filed as one of the child's documents, and its answer names that document, even when other answers
    of the step are refused. ``leaving``: the professional is going to a page around the form (a record-backed
    question's "Add" or "Change") and will come back: saved, but not yet completed.
    """
    locked = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
    if not workflow.state_allows(Action.EDIT, locked.state):
        raise RequestNotEditable(locked.state)
    workflow.actor_check(Action.EDIT, actor=actor, account_id=locked.account_id)
    if builder is None or builder.version.pk != locked.form_version_id:
        builder = FormBuilder.for_version(locked.form_version)
    form = builder.form_class_for(section_key)(
        data=data, files=files, answers=locked.answers, prefix=prefix, upload_flags=upload_flags
    )
    valid = form.is_valid()
    started = list(locked.started_sections)
    completed = list(locked.completed_sections)
    raw_steps = dict(locked.raw_steps)
    answers = dict(locked.answers)
    if section_key not in started:
        started.append(section_key)
    if valid:
        answers[section_key] = form.answers()
        answers[section_key].update(_file_uploads(form, locked, actor=actor, request=request))
        # Answers in other sections that this step's answers hide, which the professional agreed to remove.
        for other_section, key in form.clear_elsewhere:
            answers[other_section] = {k: v for k, v in (answers.get(other_section) or {}).items() if k != key}
        raw_steps.pop(section_key, None)
        if form.row_action is None and not leaving and section_key not in completed:
            completed.append(section_key)
    else:
        raw_steps[section_key] = _raw_draft(form, data)
        # A file that passed its checks is kept, though others on the step were refused: filed, and shown as uploaded.
        filed = _file_uploads(form, locked, actor=actor, request=request)
        if filed:
            answers[section_key] = {**(answers.get(section_key) or {}), **filed}
            form.show_as_uploaded(filed)
        if section_key in completed:
            completed.remove(section_key)
    locked.answers, locked.raw_steps = answers, raw_steps
    locked.started_sections, locked.completed_sections = started, completed
    locked.draft_saved_at = timezone.now()
    fields = ["answers", "raw_steps", "started_sections", "completed_sections", "draft_saved_at", "updated_at"]
    if workflow.state_allows(Action.START, locked.state):
        request_transition(locked, action=Action.START, actor=actor, request=request, data={"section": section_key})
    locked.save(update_fields=fields)
    for name in ("answers", "raw_steps", "started_sections", "completed_sections", "draft_saved_at", "state"):
        setattr(advice_request, name, getattr(locked, name))
    return form, valid
