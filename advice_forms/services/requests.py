"""Writes on advice requests: sharing one with a team account, accepting or returning its submission, and
auditing a professional's view of the child record (reminders and due dates are in services.due_dates).

Each transition of a request's one state goes through ``request_transition``, which asks advice_forms.workflow
whether it is allowed (from which states, by whom) and audits it (who, from, to, why); the draft and submission
services use it too.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from advice_forms import workflow
from advice_forms.events import CaseworkEvent
from advice_forms.form_builder import FormBuilder
from advice_forms.models import AdviceRequest, ChildRecord, FormDefinitionVersion, SubmissionReturn
from advice_forms.selectors import (
    open_request_like,
)
from advice_forms.services.documents import document_answers_drop
from advice_forms.services.moves import casework_move
from advice_forms.workflow import Action
from cms.formats import govuk_date, with_full_stop
from cms.services import audit_record
from portal_pages.services.inbox import inbox_message_send

# Said beside the reason's field when a return is sent without one, by the admin's form and by the service alike.
RETURN_REASON_REQUIRED = "Enter what is needed before you return the advice"
RETURN_SECTION_UNKNOWN = "Choose only sections of the version you are returning"


def submission_sent_sections(submission) -> list:
    """The sections a submitted version sent (its answers showed them), in the form's order: those a return may name
    as needing changes, and those that count as completed when it reopens."""
    return FormBuilder.for_version(submission.form_version).visible_sections(submission.answers)


def request_inbox_link(advice_request) -> dict:
    """What an inbox message about a request leads to: the request's page (which checks who may see it)."""
    return {"link": reverse("portal:request_detail", args=[advice_request.pk]), "link_text": "Go to the request"}


def request_transition(advice_request, *, action: str, actor, request=None, data=None):
    """Take ``action`` on ``advice_request`` if advice_forms.workflow allows it from the current state and by
    ``actor``; move it to the action's state; audit it; return it.

    The one guard for every transition of a request: call it inside the caller's transaction. It re-reads the
    row with select_for_update, so two people acting at once cannot both move it, then saves only ``state``
    (callers save other fields they change). Raises workflow.TransitionNotAllowed, whose message a view can
    show, or PermissionDenied for an actor the table does not name. The audit entry is the action's event with
    actor, from_state, to_state and ``data`` (ids: a reason is kept on a casework row, services.moves).
    """
    if workflow.TRANSITIONS[action].target is None:
        raise ValueError(f"“{action}” leaves a request in its state: the table has no transition to take.")
    current = AdviceRequest.objects.select_for_update().only("state").get(pk=advice_request.pk).state
    transition = workflow.transition_check(action, state=current, actor=actor, account_id=advice_request.account_id)
    advice_request.state = current  # the locked row's, which this copy may not have seen
    casework_move(
        advice_request,
        transition.target,
        action=transition.event,
        actor=actor,
        request=request,
        data=data,
        update_fields=["state", "updated_at"],
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
    share = workflow.transition_check(Action.SHARE, state=None, actor=shared_by, account_id=account.pk)
    if account.is_staff or account.organisation_id is None or not account.can_sign_in:
        raise ValidationError("Choose an active team account")
    if not account.organisation.is_active:
        raise ValidationError("The team account's organisation is not active")
    # Two shares at once wait for each other here, so the second sees the first.
    ChildRecord.objects.select_for_update().filter(pk=child.pk).first()
    existing = open_request_like(child=child, form_version=form_version, account=account)
    if existing is not None:
        version = existing.form_version
        raise ValidationError(
            f"{existing.account} already has {version.title_with_label} about this child, shared on "
            f"{govuk_date(existing.created_at)}; it is “{existing.get_state_display()}”. Find it "
            "under Advice requests on the child's record"
        )
    advice_request = AdviceRequest(
        child=child,
        form_version=form_version,
        account=account,
        shared_by=shared_by,
        message=message.strip(),
        shows_child_name=shows_child_name,
        state=share.target,
    )
    if due_date is not None:
        advice_request.due_date = due_date
    advice_request.save()
    audit_record(
        action=share.event,
        actor=shared_by,
        target=advice_request,
        to_state=share.target,
        request=request,
        data={"child_record": child.pk, "form_version": form_version.pk, "account": account.pk},
    )
    lines = [
        f"The SEND service has asked for your advice: {form_version.title} (version {form_version.version_label}).",
        f"Child or young person: {with_full_stop(advice_request.child_display_name)}",
        f"Please submit it by {govuk_date(advice_request.due_date)}.",
    ]
    if advice_request.message:
        lines += ["", "Message from the SEND service:", advice_request.message]
    inbox_message_send(
        account=account,
        subject=f"New request: {form_version.title}",
        body="\n".join(lines),
        event_key=f"request-shared:{advice_request.pk}",
        **request_inbox_link(advice_request),
    )
    return advice_request


class NewerSubmission(Exception):
    """A decision was taken on a page showing an earlier version than the latest submitted, or posted without saying
    which it showed; the message says which."""


def _latest_read(advice_request, read_number):
    """The request's latest submission, its row locked first, as ``submission_read_check`` finds it."""
    AdviceRequest.objects.select_for_update().only("pk").get(pk=advice_request.pk)
    return submission_read_check(advice_request=advice_request, read_number=read_number)


def submission_read_check(*, advice_request, read_number: int | None):
    """The request's latest submission; NewerSubmission when ``read_number`` (the version the caseworker's page
    showed, 0 when it did not say; None where no page is involved) is not that one: a request returned and submitted
    again while the review page was open must be read before it is decided. Writes nothing: accept's confirmation
    page asks it before it shows, and each decision again under its lock."""
    latest = advice_request.submissions.order_by("-number").first()
    if read_number is None or latest is None or latest.number == read_number:
        return latest
    if read_number == 0:
        # A page opened before the version was posted with the decision (or a hand-made post): nothing says which
        # version was read, so not that a newer one came.
        raise NewerSubmission(
            f"Your decision did not say which version of this advice you read. Version {latest.number} is shown "
            "below: read it before you accept it or return it."
        )
    raise NewerSubmission(
        f"Version {latest.number} of this advice was submitted after you opened this page. "
        "Read it below before you accept it or return it."
    )


@transaction.atomic
def submission_accept(*, advice_request, actor, read_number: int | None = None, request=None):
    """SUBMITTED → ACCEPTED: the advice is taken as it stands and the request is locked; the account is told in its
    inbox (whose email says only that a message is waiting). ``read_number``: see ``_latest_read``."""
    latest = _latest_read(advice_request, read_number)
    request_transition(advice_request, action=Action.ACCEPT, actor=actor, request=request)
    title = advice_request.form_version.title
    version = f" (version {latest.number} you submitted, reference {latest.reference})" if latest else ""
    inbox_message_send(
        account=advice_request.account,
        subject=f"Accepted: {title}",
        body="\n".join(
            [
                f"The SEND service has accepted your {title}{version} for "
                f"{with_full_stop(advice_request.child_display_name)}",
                "Thank you: there is nothing more you need to do on this form.",
            ]
        ),
        event_key=f"request-accepted:{advice_request.pk}",
        **request_inbox_link(advice_request),
        email_news="Advice you submitted has been accepted",
    )
    return advice_request


@transaction.atomic
def submission_return(*, advice_request, actor, reason: str, sections=(), read_number: int | None = None, request=None):
    """SUBMITTED → RETURNED with what is needed: the form reopens from the latest submission's answers (less any
    file answer whose document is no longer current), each section it sent counting as completed but those
    ``sections`` names (keys of sections that version sent; none: the whole form), which need changes until saved
    again; the reason and the sections show at the top of the request page and are kept with the version it returns
    (SubmissionReturn; the audit entry names that version by id), and the account is told in its inbox. A key of a
    section the version did not send raises ValidationError and nothing is written."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": RETURN_REASON_REQUIRED})
    # Locked before the latest version is read, so the return and its reason are that version's.
    latest = _latest_read(advice_request, read_number)
    sent = submission_sent_sections(latest) if latest is not None else []
    named = set(sections or ())
    if named - {section.key for section in sent}:
        raise ValidationError({"sections": RETURN_SECTION_UNKNOWN})
    to_change = [section.key for section in sent if section.key in named]
    data = {"submission": latest.pk} if latest else None
    request_transition(advice_request, action=Action.RETURN, actor=actor, request=request, data=data)
    if latest is not None:
        SubmissionReturn.objects.create(submission=latest, reason=reason, sections=to_change, returned_by=actor)
    advice_request.__dict__.pop("latest_return", None)  # read again: this return's words
    advice_request.answers = latest.answers if latest else advice_request.answers
    advice_request.raw_steps = {}
    if latest is not None:
        # Every section the returned version sent counts as completed (the task list's "Completed"), whether or not
        # its step was last left with "Save and continue": it went with the advice, as check answers showed it. A
        # section the caseworker named needs changes until it is saved again (the task list's "Changes needed").
        advice_request.completed_sections = [section.key for section in sent if section.key not in named]
    advice_request.save(update_fields=["answers", "raw_steps", "completed_sections", "updated_at"])
    # A file deleted while the advice was reviewed no longer answers its question: the form asks for it again.
    document_answers_drop(advice_request)
    returns = advice_request.submissions.count()
    inbox_message_send(
        account=advice_request.account,
        subject=f"Returned for more information: {advice_request.form_version.title}",
        body="\n".join(
            [
                f"The SEND service has returned your {advice_request.form_version.title} for "
                f"{with_full_stop(advice_request.child_display_name)} Your answers are kept: change what is needed "
                "and submit it again.",
                "",
                "What is needed:",
                reason,
                *(
                    ["", "Sections to change:", *[f"- {section.title}" for section in sent if section.key in named]]
                    if named
                    else []
                ),
            ]
        ),
        event_key=f"request-returned:{advice_request.pk}:{returns}",
        **request_inbox_link(advice_request),
        email_news="Advice you submitted has been returned for more information",
    )
    return advice_request


def child_record_view_record(*, advice_request, actor, request=None) -> None:
    """Audit that a professional opened a request page showing (part of) a child record: ids only."""
    audit_record(
        action=CaseworkEvent.CHILD_RECORD_VIEWED,
        actor=actor,
        target=advice_request.child,
        request=request,
        data={"advice_request": advice_request.pk, "by": "professional"},
    )
