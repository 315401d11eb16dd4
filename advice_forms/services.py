"""Writes for form definitions: publishing a checked definition and freezing the version a request pins."""

from django.core.exceptions import ValidationError
from django.db import transaction

from advice_forms.blocks import check_sections
from advice_forms.models import FormDefinition, FormDefinitionVersion


@transaction.atomic
def form_definition_publish(*, definition: FormDefinition, user=None) -> FormDefinitionVersion:
    """Check, save a revision, publish it; returns the frozen version (made by `version_freeze` on publish)."""
    check = check_sections(definition.sections, fixed_keys=definition.fixed_keys())
    if not check.ok:
        raise ValidationError(check.messages())
    definition.full_clean()
    revision = definition.save_revision(user=user)
    revision.publish(user=user)
    return FormDefinitionVersion.objects.get(revision=revision)


def version_freeze(*, definition: FormDefinition, revision) -> FormDefinitionVersion:
    """Write the numbered, immutable copy of a just-published revision (called from the `published` signal)."""
    published = revision.as_object()
    last = (
        FormDefinitionVersion.objects.select_for_update()
        .filter(definition=definition)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return FormDefinitionVersion.objects.create(
        definition=definition,
        number=(last or 0) + 1,
        revision=revision,
        title=published.title,
        kind=published.kind,
        version_label=published.version_label,
        description=published.description,
        content=published.sections.get_prep_value() if hasattr(published.sections, "get_prep_value") else [],
        published_by=revision.user,
    )


# --- Drafts and submission (professional side) ---

# Audit actions written by the professional side of the advice loop (ids and states only, never answers).
REQUEST_STARTED = "advice_request.started"
REQUEST_SUBMITTED = "advice_request.submitted"
CHILD_RECORD_VIEWED = "child_record.viewed"

# Posted names that are buttons or tokens, not answers: never kept in a draft.
_NOT_ANSWERS = {"csrfmiddlewaretoken", "action", "row-action", "return"}

KIND_CODES = {"ersa": "ERSA", "appendix_b": "APPB"}
KIND_SHORT_LABELS = {"ersa": "ERSA", "appendix_b": "Appendix B"}


class RequestNotEditable(Exception):
    """The request is submitted or accepted: its draft cannot change."""


class SubmissionRefused(Exception):
    """Submit was pressed while something required is missing or a step still has errors."""

    def __init__(self, message, *, missing=(), unchecked=()):
        super().__init__(message)
        self.missing = list(missing)
        self.unchecked = list(unchecked)


def _professional_transition(*, advice_request, to_state: str, actor, action: str, request=None, data=None) -> None:
    """Move a (locked) request to another state and audit it: who, when, from, to.

    Minimal on purpose: the staff side's transition helper may replace it when the branches meet.
    """
    from cms.services import audit_record

    from_state = advice_request.state
    advice_request.state = to_state
    audit_record(
        action=action,
        actor=actor,
        target=advice_request,
        from_state=from_state,
        to_state=to_state,
        request=request,
        data=data or {},
    )


def _raw_draft(form, data) -> dict:
    """The posted step as {name: [values]}, without buttons and tokens, with "Add another" / "Remove" applied
    (so showing it again does not repeat the action)."""
    from advice_forms.fields import RepeatingGroupField

    raw = {name: [str(v) for v in values] for name, values in data.lists() if name not in _NOT_ANSWERS}
    for name, form_field in form.fields.items():
        if not isinstance(form_field, RepeatingGroupField):
            continue
        html_name = form.add_prefix(name)
        rows = form_field.widget.value_from_datadict(data, None, html_name)
        for key in [k for k in raw if k.startswith(f"{html_name}-")]:
            del raw[key]
        raw[f"{html_name}-rows"] = [str(len(rows))]
        for index, row in enumerate(rows):
            for sub, value in row.items():
                raw[f"{html_name}-{index}-{sub}"] = [value]
    return raw


@transaction.atomic
def draft_step_save(*, advice_request, section_key: str, data, actor, request=None, prefix=None, builder=None):
    """Write one posted wizard step to the request's draft, valid or not, before anything else happens.

    Valid: the section's answers replace the saved ones and the section counts as completed (unless an
    "Add another" / "Remove" button was pressed: the professional is still writing). Invalid: the raw
    post is kept in ``raw_steps`` so the step shows it again with its errors; nothing typed is lost.
    The first save moves a request from to do to in progress. Returns ``(form, valid)``; the form is
    bound to ``data`` for re-rendering. Raises RequestNotEditable for a submitted or accepted request.
    ``builder`` may be the caller's FormBuilder of the request's pinned version (a request's version never
    changes), which saves reading the version again.
    """
    from django.utils import timezone

    from advice_forms.form_builder import FormBuilder
    from advice_forms.models import AdviceRequest, RequestState

    locked = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
    if not locked.is_editable:
        raise RequestNotEditable(locked.state)
    if builder is None or builder.version.pk != locked.form_version_id:
        builder = FormBuilder(locked.form_version)
    form = builder.form_class_for(section_key)(data=data, answers=locked.answers, prefix=prefix)
    valid = form.is_valid()
    started = list(locked.started_sections)
    completed = list(locked.completed_sections)
    raw_steps = dict(locked.raw_steps)
    answers = dict(locked.answers)
    if section_key not in started:
        started.append(section_key)
    if valid:
        answers[section_key] = form.answers()
        raw_steps.pop(section_key, None)
        if form.row_action is None and section_key not in completed:
            completed.append(section_key)
    else:
        raw_steps[section_key] = _raw_draft(form, data)
        if section_key in completed:
            completed.remove(section_key)
    locked.answers, locked.raw_steps = answers, raw_steps
    locked.started_sections, locked.completed_sections = started, completed
    locked.draft_saved_at = timezone.now()
    fields = ["answers", "raw_steps", "started_sections", "completed_sections", "draft_saved_at", "updated_at"]
    if locked.state == RequestState.TO_DO:
        _professional_transition(
            advice_request=locked,
            to_state=RequestState.IN_PROGRESS,
            actor=actor,
            action=REQUEST_STARTED,
            request=request,
            data={"section": section_key},
        )
        fields.append("state")
    locked.save(update_fields=fields)
    for name in ("answers", "raw_steps", "started_sections", "completed_sections", "draft_saved_at", "state"):
        setattr(advice_request, name, getattr(locked, name))
    return form, valid


def child_record_view_record(*, advice_request, actor, request=None) -> None:
    """Audit that a professional opened a request page showing (part of) a child record: ids only."""
    from cms.services import audit_record

    audit_record(
        action=CHILD_RECORD_VIEWED,
        actor=actor,
        target=advice_request.child,
        request=request,
        data={"advice_request": advice_request.pk, "by": "professional"},
    )


def submission_problems(advice_request):
    """(missing required answers, titles of steps whose last save had errors) that stop a submission."""
    from advice_forms.form_builder import FormBuilder

    builder = FormBuilder(advice_request.form_version)
    missing = builder.missing_required(advice_request.answers)
    visible = {s.key: s for s in builder.visible_sections(advice_request.answers)}
    unchecked = [visible[key] for key in advice_request.raw_steps if key in visible]
    return missing, unchecked


def submission_reference(*, kind: str, year: int, seq: int) -> str:
    from django.conf import settings

    return f"{settings.PORTAL_REFERENCE_PREFIX}-{KIND_CODES.get(kind, 'ADV')}-{year}-{seq:06d}"


def submission_submit(*, advice_request, actor, idempotency_key: str, request=None):
    """Freeze the draft as the next numbered Submission against the pinned form version.

    One Submission per idempotency key: a double click or a resent POST returns the first one. Refused
    (SubmissionRefused) while anything required is missing or a step still has errors, and
    (RequestNotEditable) when the request is already submitted or accepted. After commit the final PDF
    is rendered and filed by a task; the receipt goes to the inbox at once.
    """
    from django.db import IntegrityError

    from advice_forms.models import Submission

    existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.request_id != advice_request.pk:
            raise SubmissionRefused("This form was already used for another request.")
        return existing
    try:
        return _submission_create(
            advice_request=advice_request, actor=actor, idempotency_key=idempotency_key, request=request
        )
    except IntegrityError:
        # A concurrent POST with the same key won the race (databases without row locks get here).
        existing = Submission.objects.filter(idempotency_key=idempotency_key, request=advice_request).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def _submission_create(*, advice_request, actor, idempotency_key, request):
    from django.utils import timezone

    from advice_forms.models import AdviceRequest, RequestState, Submission

    locked = (
        AdviceRequest.objects.select_for_update(of=("self",))
        .select_related("form_version", "child")
        .get(pk=advice_request.pk)
    )
    existing = Submission.objects.filter(idempotency_key=idempotency_key, request=locked).first()
    if existing is not None:
        return existing
    if not locked.is_editable:
        raise RequestNotEditable(locked.state)
    missing, unchecked = submission_problems(locked)
    if missing or unchecked:
        raise SubmissionRefused("Something required is missing.", missing=missing, unchecked=unchecked)
    last = locked.submissions.order_by("-number").values_list("number", flat=True).first() or 0
    now = timezone.now()
    submission = Submission.objects.create(
        request=locked,
        number=last + 1,
        form_version=locked.form_version,
        answers=locked.answers,
        reference=f"pending-{idempotency_key}"[:40],
        submitted_by=actor,
        submitted_by_name=(getattr(actor, "display_name", "") or str(actor))[:200],
        submitted_at=now,
        idempotency_key=idempotency_key,
    )
    # The sequence is the row's own id: unique and increasing on SQLite and PostgreSQL alike. The reference
    # is set in the same transaction, so no one ever sees the placeholder.
    reference = submission_reference(
        kind=locked.form_version.kind, year=timezone.localdate(now).year, seq=submission.pk
    )
    Submission.objects.filter(pk=submission.pk).update(reference=reference)
    submission.reference = reference
    _professional_transition(
        advice_request=locked,
        to_state=RequestState.SUBMITTED,
        actor=actor,
        action=REQUEST_SUBMITTED,
        request=request,
        data={"submission": submission.pk, "number": submission.number},
    )
    locked.raw_steps = {}
    locked.save(update_fields=["state", "raw_steps", "updated_at"])
    advice_request.state, advice_request.raw_steps = locked.state, locked.raw_steps
    _submission_receipt_send(submission=submission, advice_request=locked)
    transaction.on_commit(lambda: _submission_pdf_enqueue(submission.pk))
    return submission


def _submission_receipt_send(*, submission, advice_request) -> None:
    from portal_pages.services import inbox_message_send

    version = submission.form_version
    inbox_message_send(
        account=advice_request.account,
        subject=f"We have received your {KIND_SHORT_LABELS.get(version.kind, version.title)}",
        body=(
            f"We have received your {version.title} ({version.version_label}) for {advice_request.child_display_name}, "
            f"version {submission.number}, reference {submission.reference}.\n\n"
            "The EHC co-ordinator will read it and either accept it or ask you for more information. "
            "We will send you a message when they have."
        ),
        event_key=f"submission-received:{submission.pk}",
        advice_request=advice_request,
    )


def _submission_pdf_enqueue(submission_id: int) -> None:
    from django_q.tasks import async_task

    async_task("advice_forms.tasks.submission_pdf_file", submission_id, task_name=f"submission-pdf-{submission_id}")


def submission_pdf_title(submission) -> str:
    """ "ERSA – Oakfield Primary SENCO (NOV26)": what the filed PDF is called among the child's documents."""
    version = submission.form_version
    kind = KIND_SHORT_LABELS.get(version.kind, version.title)
    return f"{kind} – {submission.submitted_by_name} ({version.version_label})"


def submission_pdf_render(submission) -> bytes:
    from advice_forms.pdf import advice_pdf

    return advice_pdf(
        version=submission.form_version,
        answers=submission.answers,
        preview=False,
        child_name=submission.request.child_display_name,
        account_name=submission.submitted_by_name,
        submission=submission,
    )


@transaction.atomic
def submission_pdf_store(*, submission_id: int):
    """Render the final PDF of a submission and file it privately in the child's folder, once.

    Safe to run twice (a retried task, the download view asking before the task ran): a submission that
    already has its PDF is left as it is. Returns the filer File.
    """
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    from advice_forms.filing import file_private_pdf
    from advice_forms.models import Submission

    # Lock the submission row only: PostgreSQL refuses FOR UPDATE on the nullable side of a join (pdf).
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("form_version", "request__child")
        .get(pk=submission_id)
    )
    if submission.pdf_id:
        return submission.pdf
    filed = file_private_pdf(
        child=submission.request.child,
        data=submission_pdf_render(submission),
        title=submission_pdf_title(submission),
        original_filename=f"{submission.reference}.pdf",
        owner=submission.submitted_by,
    )
    submitted = date_format(timezone.localtime(submission.submitted_at), r"j F Y \a\t H:i")
    filed.description = f"Submitted by {submission.submitted_by_name} on {submitted}."
    filed.save()
    submission.pdf = filed
    submission.save(update_fields=["pdf"])
    return filed
