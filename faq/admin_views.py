"""The "Was this page useful?" report in the Wagtail admin: a row per page, and each page's answers, with comments
that look like personal data flagged, and a screen to redact a comment or delete an answer."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from cms.admin_views import LocalTimeExportMixin, TimeColumn
from faq.forms import FeedbackRemoveForm
from faq.models import FeedbackRating, PageFeedback
from faq.personal_data import personal_data_signs, personal_data_words
from faq.selectors import feedback_comments_for_pages, feedback_for_page, feedback_summary
from faq.services import feedback_comment_redact, feedback_delete

REDACTED = "Comment removed by an editor"


def _percent(share):
    return "" if share is None else f"{round(share * 100)}%"


class FeedbackReportView(LocalTimeExportMixin, ReportView):
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
        Column("flagged_count", label="Comments flagged as personal data"),
        TimeColumn("latest_at", label="Latest answer"),
    ]
    list_export = [
        "title",
        "public_url",
        "yes_count",
        "neutral_count",
        "no_count",
        "total_count",
        "no_share_display",
        "comment_count",
        "flagged_count",
        "latest_at",
    ]
    export_headings = {
        "title": "Page",
        "public_url": "Address",
        "yes_count": "Yes",
        "neutral_count": "Neutral",
        "no_count": "No",
        "total_count": "Answers",
        "no_share_display": "Share of No",
        "comment_count": "Comments",
        "flagged_count": "Flagged as personal data",
        "latest_at": "Latest answer",
    }

    def get_filename(self):
        return f"page-feedback-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        return feedback_summary()

    def decorate_paginated_queryset(self, object_list):
        comments = feedback_comments_for_pages([page.pk for page in object_list])
        for page in object_list:
            page.no_share_display = _percent(page.no_share)
            page.flagged_count = sum(1 for text in comments.get(page.pk, []) if personal_data_signs(text))
            page.public_url = page.get_full_url(request=self.request) or ""
        return object_list


class PageFeedbackReportView(LocalTimeExportMixin, ReportView):
    """Every answer about one page, newest first, with its comment: what editors read to improve the page.

    A comment that looks like personal data says so, and each comment links to the screen that redacts or deletes it.
    """

    header_icon = "help"
    index_url_name = "faq_feedback_page"
    index_results_url_name = "faq_feedback_page_results"
    permission_policy = ModelPermissionPolicy(PageFeedback)
    permission_required = "view"
    columns = [
        TimeColumn("created_at", label="When"),
        Column("get_rating_display", label="Useful?", accessor=lambda f: f.get_rating_display()),
        Column("comment_display", label="How could we improve this page?"),
        Column("signs_display", label="Personal data?"),
        # Its words are for screen readers: the cells say what each link does.
        Column(
            "remove_link",
            label=format_html('<span class="w-sr-only">{}</span>', "Actions"),
            accessor=lambda f: f.remove_link,
        ),
    ]
    list_export = ["created_at", "rating", "comment_display", "signs_display"]
    export_headings = {
        "created_at": "When",
        "rating": "Useful?",
        "comment_display": "How could we improve this page?",
        "signs_display": "Personal data?",
    }

    def decorate_paginated_queryset(self, object_list):
        may_remove = self.request.user.has_perm("faq.change_pagefeedback")
        for feedback in object_list:
            feedback.comment_display = REDACTED if feedback.comment_redacted_at else feedback.comment
            feedback.signs_display = personal_data_words(personal_data_signs(feedback.comment))
            feedback.remove_link = ""
            if may_remove and (feedback.comment or self.request.user.has_perm("faq.delete_pagefeedback")):
                url = reverse("faq_feedback_remove", args=[self.feedback_page.pk, feedback.pk])
                feedback.remove_link = format_html('<a href="{}">Redact or delete</a>', url)
        return object_list

    @cached_property
    def feedback_page(self):
        return get_object_or_404(Page, pk=self.kwargs["page_id"])

    @property
    def page_title(self):
        return f"Feedback on “{self.feedback_page.title}”"

    @cached_property
    def page_subtitle(self):
        """The page's answers counted by rating in the database, once: the page's templates read this three times,
        and each read fetched every rating of the page (3,000 answers: three reads of 3,000 rows)."""
        counts = dict.fromkeys(FeedbackRating.values, 0)
        rated = feedback_for_page(self.feedback_page).order_by().values_list("rating").annotate(answers=Count("pk"))
        counts.update(rated)
        total = sum(counts.values())
        share = _percent(counts[FeedbackRating.NO] / total) if total else "none"
        return (
            f"{total} answer{pluralize(total)}: {counts['yes']} yes, {counts['neutral']} neutral, {counts['no']} no. "
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


class FeedbackRemoveView(WagtailAdminTemplateMixin, FormView):
    """An editor redacts a comment (its words go, the vote stays) or deletes the whole answer, saying why.

    Redacting needs ``faq.change_pagefeedback``, deleting ``faq.delete_pagefeedback`` as well; an answer about
    another page than the one in the address is a 404.
    """

    template_name = "faq/admin/feedback_remove.html"
    form_class = FeedbackRemoveForm
    page_title = "Redact or delete feedback"
    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("faq.change_pagefeedback"):
            raise PermissionDenied
        self.feedback = get_object_or_404(
            PageFeedback.objects.select_related("page"), pk=kwargs["feedback_id"], page_id=kwargs["page_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "may_delete": self.request.user.has_perm("faq.delete_pagefeedback")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            feedback=self.feedback,
            comment=REDACTED if self.feedback.comment_redacted_at else self.feedback.comment,
            signs=personal_data_words(personal_data_signs(self.feedback.comment)),
            back_url=reverse("faq_feedback_page", args=[self.feedback.page_id]),
            **kwargs,
        )

    def form_valid(self, form):
        arguments = {
            "feedback": self.feedback,
            "actor": self.request.user,
            "reason": form.cleaned_data["reason"],
            "request": self.request,
        }
        if form.cleaned_data["action"] == FeedbackRemoveForm.DELETE:
            feedback_delete(**arguments)
            messages.success(self.request, "The answer is deleted.")
        else:
            feedback_comment_redact(**arguments)
            messages.success(self.request, "The comment is redacted.")
        return redirect("faq_feedback_page", self.feedback.page_id)
