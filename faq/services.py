"""Writes of the "Was this page useful?" feedback. The browser's session remembers its votes by id.

Editors redact a comment (its words go, the vote stays) or delete a whole answer, with a reason; the audit
entry keeps the reason and the ids, never the words removed."""

from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.utils.file import hash_filelike

from cms.services import audit_record
from faq.events import GuidanceEvent
from faq.models import PageFeedback, VisualGuidePage
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


# Captured pictures of the visual guides (manage.py capture_guides)

CAPTURED_TITLE_PREFIX = "Captured: "


@dataclass
class CapturesSaved:
    guides: list = field(default_factory=list)
    lines: list = field(default_factory=list)


def _step_image_replace(*, image, title, png, name):
    """The step's captured image with the new picture, or a new image when the step shows an uploaded one (an
    uploaded picture is never overwritten: other pages may use it). Old renditions go with the old file."""
    Image = get_image_model()
    if image is None or not image.title.startswith(CAPTURED_TITLE_PREFIX):
        image = Image(title=title)
    else:
        image.renditions.all().delete()
        image.file.delete(save=False)
        image.title = title
    image.file = ImageFile(BytesIO(png), name=name)
    image.file_size = len(png)
    image.file_hash = hash_filelike(BytesIO(png))
    image.save()
    return image


@transaction.atomic
def guide_captures_save(*, pictures) -> CapturesSaved:
    """Put each captured PNG on its guide step (alt text and words untouched) and publish each guide again.

    ``pictures`` is [(GuideCapture, png bytes)]. A guide with changes waiting for approval gets a new draft instead of
    being published, so an editor's unapproved words never go live through a capture run."""
    saved = CapturesSaved()
    by_guide = {}
    for capture, png in pictures:
        by_guide.setdefault(capture.guide.pk, (capture.guide, []))[1].append((capture, png))
    for guide, guide_pictures in by_guide.values():
        guide = VisualGuidePage.objects.get(pk=guide.pk)
        waiting = guide.has_unpublished_changes
        latest = guide.get_latest_revision_as_object()
        for capture, png in guide_pictures:
            step = latest.steps[capture.position - 1].value
            step["image"] = _step_image_replace(
                image=step["image"],
                title=f"{CAPTURED_TITLE_PREFIX}{guide.title}, step {capture.position}",
                png=png,
                name=f"guide-{guide.slug}-{capture.position}.png",
            )
        revision = latest.save_revision(log_action=True)
        if guide.live and not waiting:
            revision.publish()
            saved.lines.append(f"{guide.title}: {len(guide_pictures)} pictures, published.")
        else:
            saved.lines.append(f"{guide.title}: {len(guide_pictures)} pictures, saved as a draft (not published).")
        saved.guides.append(guide)
    return saved
