"""Writes of the "Was this page useful?" feedback. The browser's session remembers its votes by id.

Editors redact a comment (its words go, the vote stays) or delete a whole answer, with a reason; the audit
entry keeps the reason and the ids, never the words removed."""

from django.db import transaction
from django.utils import timezone

from cms.services import audit_record
from faq.events import GuidanceEvent
from faq.models import PageFeedback
from faq.selectors import SESSION_KEY, feedback_for_session


@transaction.atomic
def feedback_vote(*, page, rating: str, session) -> tuple[PageFeedback, bool]:
    """Store one vote per page per browser session; a second vote returns the first, uncounted."""
    existing = feedback_for_session(page=page, session=session)
    if existing is not None:
        return existing, False
    feedback = PageFeedback.objects.create(page=page, rating=rating)
    votes = dict(session.get(SESSION_KEY, {}))
    votes[str(page.pk)] = feedback.pk
    session[SESSION_KEY] = votes
    return feedback, True


@transaction.atomic
def feedback_comment_add(*, page, comment: str, session) -> PageFeedback | None:
    """Attach the optional "How could we improve this page?" comment to this session's vote on the page."""
    feedback = feedback_for_session(page=page, session=session)
    if feedback is None:
        return None
    feedback.comment = comment
    feedback.save(update_fields=["comment"])
    return feedback


def _feedback_audit(action: GuidanceEvent, *, feedback: PageFeedback, actor, reason: str, request, **data) -> None:
    audit_record(
        action=action,
        actor=actor,
        target=feedback,
        reason=reason,
        request=request,
        data={"page_id": feedback.page_id, **data},
    )


@transaction.atomic
def feedback_comment_redact(*, feedback: PageFeedback, actor, reason: str, request=None) -> PageFeedback:
    """Remove the words of a comment for good, keeping the vote; audited with the editor's reason."""
    feedback.comment = ""
    feedback.comment_redacted_at = timezone.now()
    feedback.save(update_fields=["comment", "comment_redacted_at"])
    _feedback_audit(GuidanceEvent.FEEDBACK_REDACTED, feedback=feedback, actor=actor, reason=reason, request=request)
    return feedback


@transaction.atomic
def feedback_delete(*, feedback: PageFeedback, actor, reason: str, request=None) -> None:
    """Delete a whole answer (vote and comment); the audit entry keeps its id, its page's id and the reason."""
    _feedback_audit(
        GuidanceEvent.FEEDBACK_DELETED,
        feedback=feedback,
        actor=actor,
        reason=reason,
        request=request,
        rating=feedback.rating,
    )
    feedback.delete()
