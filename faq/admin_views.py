"""The "Was this page useful?" report in the Wagtail admin: a row per page, and each page's answers."""

import datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from faq.models import FeedbackRating, PageFeedback
from faq.selectors import feedback_for_page, feedback_summary


def _percent(share):
    return "" if share is None else f"{round(share * 100)}%"


class FeedbackReportView(ReportView):
    page_title = "Page feedback"
    header_icon = "help"
    index_url_name = "faq_feedback_report"
    index_results_url_name = "faq_feedback_report_results"
    permission_policy = ModelPermissionPolicy(PageFeedback)
    permission_required = "view"
    columns = [
        TitleColumn("title", label="Page", get_url=lambda page: reverse("faq_feedback_page", args=[page.pk])),
        Column("yes_count", label="Yes"),
        Column("neutral_count", label="Neutral"),
        Column("no_count", label="No"),
        Column("total_count", label="Answers"),
        Column("no_share_display", label="Share of “No”"),
        Column("comment_count", label="Comments"),
        DateColumn("latest_at", label="Latest answer"),
    ]
    list_export = [
        "title",
        "url_path",
        "yes_count",
        "neutral_count",
        "no_count",
        "total_count",
        "no_share_display",
        "comment_count",
        "latest_at",
    ]
    export_headings = {
        "title": "Page",
        "url_path": "Path",
        "yes_count": "Yes",
        "neutral_count": "Neutral",
        "no_count": "No",
        "total_count": "Answers",
        "no_share_display": "Share of No",
        "comment_count": "Comments",
        "latest_at": "Latest answer",
    }

    def get_filename(self):
        return f"page-feedback-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        return feedback_summary()

    def decorate_paginated_queryset(self, object_list):
        for page in object_list:
            page.no_share_display = _percent(page.no_share)
        return object_list


class PageFeedbackReportView(ReportView):
    """Every answer about one page, newest first, with its comment: what editors read to improve the page."""

    header_icon = "help"
    index_url_name = "faq_feedback_page"
    index_results_url_name = "faq_feedback_page_results"
    permission_policy = ModelPermissionPolicy(PageFeedback)
    permission_required = "view"
    columns = [
        DateColumn("created_at", label="When"),
        Column("get_rating_display", label="Useful?", accessor=lambda f: f.get_rating_display()),
        Column("comment", label="How could we improve this page?"),
    ]
    list_export = ["created_at", "rating", "comment"]
    export_headings = {"created_at": "When", "rating": "Useful?", "comment": "How could we improve this page?"}

    @cached_property
    def feedback_page(self):
        return get_object_or_404(Page, pk=self.kwargs["page_id"])

    @property
    def page_title(self):
        return f"Feedback on “{self.feedback_page.title}”"

    @property
    def page_subtitle(self):
        counts = dict.fromkeys(FeedbackRating.values, 0)
        for rating in feedback_for_page(self.feedback_page).values_list("rating", flat=True):
            counts[rating] += 1
        total = sum(counts.values())
        share = _percent(counts[FeedbackRating.NO] / total) if total else "none"
        return (
            f"{total} answers: {counts['yes']} yes, {counts['neutral']} neutral, {counts['no']} no. "
            f"Share of “No”: {share}."
        )

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.feedback_page.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.feedback_page.pk])

    def get_filename(self):
        return f"page-feedback-{self.feedback_page.slug}-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        return feedback_for_page(self.feedback_page)
