"""Reads of the feedback: this browser's vote, and the per-page summary staff see in the admin."""

from django.db.models import Count, F, FloatField, Max, Q
from django.db.models.functions import Cast, NullIf
from wagtail.models import Page

from faq.models import FeedbackRating, PageFeedback

SESSION_KEY = "page_feedback"


def feedback_for_session(*, page, session) -> PageFeedback | None:
    vote_id = session.get(SESSION_KEY, {}).get(str(page.pk))
    if vote_id is None:
        return None
    return PageFeedback.objects.filter(pk=vote_id, page=page).first()


def feedback_summary():
    """Pages with any feedback, with their counts, the share of "No" (0 to 1) and the latest answer's time."""
    return (
        Page.objects.filter(feedback__isnull=False)
        .annotate(
            yes_count=Count("feedback", filter=Q(feedback__rating=FeedbackRating.YES)),
            neutral_count=Count("feedback", filter=Q(feedback__rating=FeedbackRating.NEUTRAL)),
            no_count=Count("feedback", filter=Q(feedback__rating=FeedbackRating.NO)),
            total_count=Count("feedback"),
            comment_count=Count("feedback", filter=~Q(feedback__comment="")),
            latest_at=Max("feedback__created_at"),
        )
        .annotate(
            no_share=Cast(F("no_count"), FloatField()) / Cast(NullIf(F("total_count"), 0), FloatField()),
        )
        .order_by("-no_share", "-total_count", "title")
    )


def feedback_for_page(page):
    return PageFeedback.objects.filter(page=page)


def feedback_comments_for_pages(page_ids) -> dict[int, list[str]]:
    """The comments on each of these pages, by page id, in one query."""
    comments = {}
    rows = PageFeedback.objects.filter(page_id__in=page_ids).exclude(comment="").values_list("page_id", "comment")
    for page_id, comment in rows:
        comments.setdefault(page_id, []).append(comment)
    return comments
