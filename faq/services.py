"""Writes of guidance: the "Was this page useful?" feedback, and the printable PDFs of FAQ pages and visual guides.

Feedback: the browser's session remembers its votes by id; an IP address's votes are limited per hour (per page, and
from browsers voting for the first time), counted before their write and given back if it rolls back; a refused vote
stores nothing, session included.
Editors redact a comment (its words go, the vote stays) or delete a whole answer, with a reason; the audit entry keeps
the reason and the ids, never the words removed.

Printables: every publish of an FAQ page or a guide queues a task (faq.printables, faq.tasks) that renders its PDF
from the live page to replace the last one (GuidancePrintable); an unpublish, a delete, or deleting a document or image
it uses takes it away (until rendered again; faq.printable_withdrawals). Visitors get the stored file, never a
rendering (PrintablePageMixin).

Captured pictures: manage.py capture_guides puts each step's new picture on its guide and publishes the guide again.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.utils.file import hash_filelike

from cms.cache import page_cache_clear
from cms.page_links import files_existing, files_used
from cms.ratelimit import RateLimitTaken, rate_limit_take
from cms.services import audit_record
from faq.events import GuidanceEvent
from faq.models import FAQPage, GuidancePrintable, PageFeedback, PrintablePageMixin, VisualGuidePage
from faq.printables import PRINTABLE_RENDER_VERSION, printable_queue
from faq.selectors import SESSION_KEY, feedback_for_session


class FeedbackVoteRefused(Exception):
    """Too many votes came from this address this hour: nothing was stored, and the session was left alone."""


def _feedback_vote_limit_take(*, page, session, client: str) -> RateLimitTaken | None:
    """This vote counted against its address's hourly limits (the votes on this page, and the browsers voting for the
    first time), before its write; None, counting nothing, when it is over one. A vote that rolls back gives its
    counts back (``_feedback_vote_transaction``). A vote is taken without a token or a cookie, so a script sending it
    again and again is a new browser each time; a browser's own later votes (one per page, kept in its session) count
    on their page only, so a parent rating every page of the guidance is never refused by the second limit."""
    limits = []
    if client:  # no address to count against, as for the portal's limits (cms.ratelimit)
        limits.append((f"{client} page {page.pk}", settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP))
        if not session.get(SESSION_KEY):
            limits.append((f"{client} voter", settings.PORTAL_FEEDBACK_VOTERS_PER_HOUR_PER_IP))
    return rate_limit_take(scope="feedback-vote", limits=limits)


@contextmanager
def _feedback_vote_transaction():
    """The vote's transaction, yielding a list for the counts its vote takes: if the transaction fails (a later
    write, or its commit), they are given back, so a vote undone counts for nothing. A caller's own transaction
    rolled back after this one ended is not seen here: its vote stays counted (see cms.ratelimit.rate_limit_take);
    the views call the vote functions outside any transaction."""
    taken: list[RateLimitTaken] = []
    try:
        with transaction.atomic():
            yield taken
    except BaseException:
        for counts in taken:
            counts.give_back()
        raise


def _feedback_vote_store(*, page, rating: str, session, client: str, taken: list) -> tuple[PageFeedback, bool]:
    """The vote's writes, in the caller's transaction (``_feedback_vote_transaction``, whose list ``taken`` gets the
    vote's counts); the session is only read."""
    existing = feedback_for_session(page=page, session=session)
    if existing is not None:
        return existing, False
    counts = _feedback_vote_limit_take(page=page, session=session, client=client)
    if counts is None:
        raise FeedbackVoteRefused
    taken.append(counts)
    return PageFeedback.objects.create(page=page, rating=rating), True


def _feedback_vote_remember(*, page, feedback: PageFeedback, session) -> None:
    """Keep a stored vote in the session, once its transaction is over: a failed vote never reaches the session, so
    there is nothing to put back. A new dict, never the session's own changed in place (a session saves what is
    assigned to it)."""
    session[SESSION_KEY] = {**session.get(SESSION_KEY, {}), str(page.pk): feedback.pk}


def feedback_vote(*, page, rating: str, session, client: str) -> tuple[PageFeedback, bool]:
    """Store one vote per page per browser session; a second vote returns the first, uncounted (and stores nothing,
    so the session is not written). Raises FeedbackVoteRefused, storing nothing, when the client's address
    (``cms.ratelimit.client_network``) has sent too many votes this hour."""
    with _feedback_vote_transaction() as taken:
        feedback, created = _feedback_vote_store(page=page, rating=rating, session=session, client=client, taken=taken)
    if created:
        _feedback_vote_remember(page=page, feedback=feedback, session=session)
    return feedback, created


def _feedback_comment_set(feedback: PageFeedback, comment: str) -> None:
    """A new comment clears the mark of an earlier redaction: its words are shown to editors to review (they may
    hold personal data again), never hidden behind "removed". The redaction stays in the audit."""
    feedback.comment = comment
    feedback.comment_redacted_at = None
    feedback.save(update_fields=["comment", "comment_redacted_at"])


@transaction.atomic
def feedback_comment_add(*, feedback: PageFeedback, comment: str) -> PageFeedback:
    """Attach the optional "How could we improve this page?" comment to a vote, this browser's on its page (the
    caller found it with faq.selectors.feedback_for_session)."""
    _feedback_comment_set(feedback, comment)
    return feedback


def feedback_vote_with_comment(*, page, rating: str, comment: str, session, client: str) -> PageFeedback:
    """A vote and its comment sent together (the browser had no vote on the page, e.g. its session ended since it
    voted): both are stored or neither, so a comment that fails never leaves a vote behind that the voter is asked
    to give again. Raises FeedbackVoteRefused as feedback_vote does. The session is written only once both are
    stored, so a failure leaves it as it was, untouched."""
    with _feedback_vote_transaction() as taken:
        feedback, created = _feedback_vote_store(page=page, rating=rating, session=session, client=client, taken=taken)
        _feedback_comment_set(feedback, comment)
    if created:
        _feedback_vote_remember(page=page, feedback=feedback, session=session)
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


def printable_render(*, page_id: int) -> bool:
    """Render the printable of live page ``page_id`` from its live content and store it in place of the last one,
    whose file goes once this commits. True when this call stored one.

    Safe to repeat (django-q2's database broker may run a task twice): a printable already rendered from the live
    revision by the current renderer (PRINTABLE_RENDER_VERSION) is kept as it is, and nothing is stored if the page
    was unpublished or published again while it was rendering (the newer publish queued its own task). Runs without
    a request: a publish from the admin, a schedule or a management command all end here.
    """
    page = Page.objects.live().filter(pk=page_id, alias_of=None).specific().first()
    if not isinstance(page, PrintablePageMixin) or page.live_revision_id is None:
        return False  # not a page with a printable, or an alias (it serves its original's)
    revision_id = page.live_revision_id
    current = (revision_id, PRINTABLE_RENDER_VERSION)
    if GuidancePrintable.objects.current(page=page) is not None:
        return False
    files = files_existing(files_used(page))
    data = page.printable_pdf()  # slow (seconds for a guide): outside the transaction and its locks
    with transaction.atomic():
        # Locking the files' rows, then the page's (in the order faq.printable_withdrawals locks them), orders this
        # after a publish, unpublish or file deletion in flight, and two runs; a file deleted after this read waits
        # for this to commit, and then finds this printable to withdraw. (SQLite runs the two one after the other.)
        still_there = files_existing(files, lock=True)
        locked = Page.objects.select_for_update().filter(pk=page_id, live=True, live_revision_id=revision_id)
        if not list(locked.values_list("pk", flat=True)):
            return False
        if still_there != files:  # a file it shows went meanwhile: render it again without it
            printable_queue(page_id=page_id, revision_id=revision_id)
            return False
        printable = GuidancePrintable.objects.filter(page_id=page_id).first()
        if printable is not None and (printable.revision_id, printable.render_version) == current:
            return False
        old_file = printable.file.name if printable is not None else ""
        printable = printable or GuidancePrintable(page_id=page_id)
        printable.revision_id, printable.render_version = current
        printable.rendered_at = timezone.now()
        printable.file_size = len(data)
        printable.file.save(f"{page.slug}.pdf", ContentFile(data), save=False)
        printable.save()
        # The page and its aliases link to the printable with its size: a copy kept before now has none, or the old.
        page_cache_clear()
        if old_file:
            storage = printable.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return True


def printable_remove(*, page_id: int) -> bool:
    """Delete a page's printable, as when the page is unpublished: no copy of a withdrawn page stays readable. Its
    file goes once this commits (see faq.signals). True when there was one."""
    deleted, _ = GuidancePrintable.objects.filter(page_id=page_id).delete()
    return bool(deleted)


def printable_render_stale() -> int:
    """Render now, in this process, the printable of every live FAQ page and guide whose printable is missing,
    older than the page or made by an older renderer: for the demo loader and commands that must end with every
    printable ready, worker or not. Returns how many were rendered."""
    ids = [
        *FAQPage.objects.live().filter(alias_of=None).values_list("pk", flat=True),
        *VisualGuidePage.objects.live().filter(alias_of=None).values_list("pk", flat=True),
    ]
    return sum(printable_render(page_id=page_id) for page_id in ids)


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
