"""Writes of the "Was this page useful?" feedback. The browser's session remembers its votes by id."""

from django.db import transaction

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
