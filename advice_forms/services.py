"""Writes for form definitions: publishing a checked definition and freezing the version a request pins."""

from django.core.exceptions import ValidationError
from django.db import transaction

from advice_forms.blocks import check_sections
from advice_forms.models import EDITABLE_STATES, FormDefinition, FormDefinitionVersion


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


# --- Sharing, review and reminders (staff side) ---
#
# Each transition of an advice request's one state is a function here, allowed only from the right states and
# audited (who, from, to, why) through `_transition`. The professional side's `submission_submit` reuses it.


class TransitionNotAllowed(Exception):
    """A request was asked to move from a state that does not allow it; the message says so in plain words."""


def request_portal_path(advice_request) -> str:
    """Where the team account opens a request in the portal (the professional side's `portal:request_detail`)."""
    from django.urls import reverse

    return reverse("portal:request_detail", kwargs={"pk": advice_request.pk})


def _transition(
    advice_request, *, to: str, allowed_from, actor, reason: str = "", request=None, action: str = "", data=None
):
    """Move ``advice_request`` to state ``to`` if its current state is in ``allowed_from``; audit it; return it.

    The one guard for every transition of a request: call it inside the caller's transaction. It re-reads the
    row with select_for_update, so two people acting at once cannot both move it, then saves only ``state``
    (callers save other fields they change). Raises TransitionNotAllowed, whose message a view can show.
    The audit entry is ``action`` (default ``advice_request.<to>``) with actor, from_state, to_state and reason.

    Used by submission_accept, submission_return here, and by the professional side's submission_submit
    (TO_DO/IN_PROGRESS/RETURNED → SUBMITTED).
    """
    from advice_forms.models import AdviceRequest, RequestState
    from cms.services import audit_record

    current = AdviceRequest.objects.select_for_update().only("state").get(pk=advice_request.pk).state
    if current not in allowed_from:
        verb = {"accepted": "accepted", "returned": "returned", "submitted": "submitted"}.get(
            to, f"moved to “{RequestState(to).label}”"
        )
        raise TransitionNotAllowed(f"This request is “{RequestState(current).label}”, so it cannot be {verb}.")
    advice_request.state = to
    advice_request.save(update_fields=["state", "updated_at"])
    audit_record(
        action=action or f"advice_request.{to}",
        actor=actor,
        target=advice_request,
        from_state=current,
        to_state=to,
        reason=reason,
        request=request,
        data=data,
    )
    return advice_request


@transaction.atomic
def advice_request_share(
    *,
    child,
    form_version: FormDefinitionVersion,
    account,
    shared_by,
    due_date=None,
    message: str = "",
    shows_child_name: bool = True,
    request=None,
):
    """Share a published form version with a team account about a child: a TO_DO request, audited, and an inbox
    message (whose email says only that a message is waiting) sent after commit."""
    from advice_forms.models import AdviceRequest, RequestState
    from cms.services import audit_record
    from portal_pages.models import AccountState
    from portal_pages.services import inbox_message_send

    if (
        account.is_staff
        or not account.is_active
        or account.organisation_id is None
        or account.account_state != AccountState.ACTIVE
    ):
        raise ValidationError("Choose an active team account.")
    if not account.organisation.is_active:
        raise ValidationError("The team account's organisation is not active.")
    advice_request = AdviceRequest(
        child=child,
        form_version=form_version,
        account=account,
        shared_by=shared_by,
        message=message.strip(),
        shows_child_name=shows_child_name,
        state=RequestState.TO_DO,
    )
    if due_date is not None:
        advice_request.due_date = due_date
    advice_request.save()
    audit_record(
        action="advice_request.shared",
        actor=shared_by,
        target=advice_request,
        to_state=RequestState.TO_DO,
        request=request,
        data={"child_record": child.pk, "form_version": form_version.pk, "account": account.pk},
    )
    lines = [
        f"The SEND service has asked for your advice: {form_version.title} (version {form_version.version_label}).",
        f"Child or young person: {advice_request.child_display_name}.",
        f"Please submit it by {advice_request.due_date:%-d %B %Y}.",
    ]
    if advice_request.message:
        lines += ["", "Message from the SEND service:", advice_request.message]
    lines += ["", f"Open the request: {request_portal_path(advice_request)}"]
    inbox_message_send(
        account=account,
        subject=f"New request: {form_version.title}",
        body="\n".join(lines),
        event_key=f"request-shared:{advice_request.pk}",
        advice_request=advice_request,
    )
    return advice_request


@transaction.atomic
def submission_accept(*, advice_request, actor, request=None):
    """SUBMITTED → ACCEPTED: the advice is taken as it stands and the request is locked."""
    from advice_forms.models import RequestState

    return _transition(
        advice_request, to=RequestState.ACCEPTED, allowed_from=(RequestState.SUBMITTED,), actor=actor, request=request
    )


@transaction.atomic
def submission_return(*, advice_request, actor, reason: str, request=None):
    """SUBMITTED → RETURNED with what is needed: the form reopens from the latest submission's answers, the
    reason shows at the top of the request page, and the account is told in its inbox."""
    from advice_forms.models import RequestState
    from portal_pages.services import inbox_message_send

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter what is needed before the advice can be accepted"})
    _transition(
        advice_request,
        to=RequestState.RETURNED,
        allowed_from=(RequestState.SUBMITTED,),
        actor=actor,
        reason=reason,
        request=request,
    )
    latest = advice_request.submissions.order_by("-number").first()
    advice_request.return_reason = reason
    advice_request.answers = latest.answers if latest else advice_request.answers
    advice_request.raw_steps = {}
    advice_request.save(update_fields=["return_reason", "answers", "raw_steps", "updated_at"])
    returns = advice_request.submissions.count()
    inbox_message_send(
        account=advice_request.account,
        subject=f"Returned for more information: {advice_request.form_version.title}",
        body="\n".join(
            [
                f"The SEND service has returned your {advice_request.form_version.title} for "
                f"{advice_request.child_display_name}. Your answers are kept: change what is needed and submit "
                "it again.",
                "",
                "What is needed:",
                reason,
                "",
                f"Open the request: {request_portal_path(advice_request)}",
            ]
        ),
        event_key=f"request-returned:{advice_request.pk}:{returns}",
        advice_request=advice_request,
    )
    return advice_request


def advice_requests_remind(*, today=None) -> dict:
    """Remind each editable request's account once, PORTAL_REMINDER_DAYS_BEFORE days before its due date (or
    later, if a run was missed, while it is still not due), and once on the first day it is overdue (or later).

    Safe to run twice: each reminder is a stamped field and an inbox event key. Returns counts sent.
    """
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from advice_forms.selectors import requests_due_soon_unreminded, requests_overdue_unreminded
    from portal_pages.services import inbox_message_send

    today = today or timezone.localdate()
    sent = {"due_soon": 0, "overdue": 0}
    soon_by = today + datetime.timedelta(days=settings.PORTAL_REMINDER_DAYS_BEFORE)
    for pk in requests_due_soon_unreminded(today=today, soon_by=soon_by).values_list("pk", flat=True):
        with transaction.atomic():
            advice_request = _lock_for_reminder(pk, "reminded_due_soon_at")
            if advice_request is None:
                continue
            days = advice_request.days_left
            inbox_message_send(
                account=advice_request.account,
                subject=f"Due in {days} day{'s' if days != 1 else ''}: {advice_request.form_version.title}",
                body=(
                    f"Your {advice_request.form_version.title} for {advice_request.child_display_name} is due on "
                    f"{advice_request.due_date:%-d %B %Y}.\n\nOpen the request: {request_portal_path(advice_request)}"
                ),
                event_key=f"request-due-soon:{advice_request.pk}:{advice_request.due_date.isoformat()}",
                advice_request=advice_request,
            )
            advice_request.reminded_due_soon_at = timezone.now()
            advice_request.save(update_fields=["reminded_due_soon_at"])
            sent["due_soon"] += 1
    for pk in requests_overdue_unreminded(today=today).values_list("pk", flat=True):
        with transaction.atomic():
            advice_request = _lock_for_reminder(pk, "reminded_overdue_at")
            if advice_request is None:
                continue
            inbox_message_send(
                account=advice_request.account,
                subject=f"Overdue: {advice_request.form_version.title}",
                body=(
                    f"Your {advice_request.form_version.title} for {advice_request.child_display_name} was due on "
                    f"{advice_request.due_date:%-d %B %Y}. Please submit it as soon as you can, or contact the "
                    f"SEND service.\n\nOpen the request: {request_portal_path(advice_request)}"
                ),
                event_key=f"request-overdue:{advice_request.pk}:{advice_request.due_date.isoformat()}",
                advice_request=advice_request,
            )
            advice_request.reminded_overdue_at = timezone.now()
            advice_request.save(update_fields=["reminded_overdue_at"])
            sent["overdue"] += 1
    return sent


def _lock_for_reminder(pk, stamp_field):
    """The request, locked, if it still needs this reminder (a concurrent run may have sent it)."""
    from advice_forms.models import EDITABLE_STATES, AdviceRequest

    advice_request = (
        AdviceRequest.objects.select_for_update()
        .select_related("account", "form_version", "child")
        .filter(pk=pk, state__in=EDITABLE_STATES, **{f"{stamp_field}__isnull": True})
        .first()
    )
    return advice_request


# --- Drafts and submission (professional side) ---

# Audit actions written by the professional side of the advice loop (ids and states only, never answers).
REQUEST_STARTED = "advice_request.started"
REQUEST_SUBMITTED = "advice_request.submitted"
CHILD_RECORD_VIEWED = "child_record.viewed"

# Posted names that are buttons or tokens, not answers: never kept in a draft.
_NOT_ANSWERS = {"csrfmiddlewaretoken", "action", "row-action", "return"}

KIND_CODES = {"ersa": "ERSA", "appendix_b": "APPB", "other_advice": "ADV"}
KIND_SHORT_LABELS = {"ersa": "ERSA", "appendix_b": "Appendix B"}


class RequestNotEditable(Exception):
    """The request is submitted or accepted: its draft cannot change."""


class SubmissionRefused(Exception):
    """Submit was pressed while something required is missing or a step still has errors."""

    def __init__(self, message, *, missing=(), unchecked=()):
        super().__init__(message)
        self.missing = list(missing)
        self.unchecked = list(unchecked)


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
        _transition(
            locked,
            to=RequestState.IN_PROGRESS,
            allowed_from=(RequestState.TO_DO,),
            actor=actor,
            action=REQUEST_STARTED,
            request=request,
            data={"section": section_key},
        )
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
    """e.g. ``KBC-ERSA-2026-000123``: PORTAL_REFERENCE_PREFIX, the form kind's code, the year, a sequence."""
    from django.conf import settings

    return f"{settings.PORTAL_REFERENCE_PREFIX}-{KIND_CODES.get(kind, 'ADV')}-{year}-{seq:06d}"


def submission_reference_assign(submission) -> str:
    """Give a just-created Submission its reference. The sequence is the row's own id: unique and increasing on
    SQLite and PostgreSQL alike, with no race between two submits; call it in the creating transaction, so no one
    ever sees the placeholder."""
    from django.utils import timezone

    from advice_forms.models import Submission

    reference = submission_reference(
        kind=submission.form_version.kind, year=timezone.localdate(submission.submitted_at).year, seq=submission.pk
    )
    Submission.objects.filter(pk=submission.pk).update(reference=reference)
    submission.reference = reference
    return reference


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
        reference=f"pending-{idempotency_key}"[:40],  # replaced below, in this transaction
        submitted_by=actor,
        submitted_by_name=(getattr(actor, "display_name", "") or str(actor))[:200],
        submitted_at=now,
        idempotency_key=idempotency_key,
    )
    submission_reference_assign(submission)
    _transition(
        locked,
        to=RequestState.SUBMITTED,
        allowed_from=EDITABLE_STATES,
        actor=actor,
        action=REQUEST_SUBMITTED,
        request=request,
        data={"submission": submission.pk, "number": submission.number},
    )
    locked.raw_steps = {}
    locked.save(update_fields=["raw_steps", "updated_at"])
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
        advice_request=submission.request,
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
