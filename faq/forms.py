from django import forms

from cms.form_fields import GovukTextField
from faq.models import FeedbackRating

COMMENT_MAX_LENGTH = 1200
RATING_ERROR = "Select yes, neutral or no"


class FeedbackVoteForm(forms.Form):
    rating = forms.ChoiceField(
        label="Was this page useful?",
        choices=FeedbackRating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": RATING_ERROR, "invalid_choice": RATING_ERROR},
    )


class FeedbackCommentForm(forms.Form):
    comment = GovukTextField(
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "required": "Enter how we could improve this page",
            "max_length": f"Your comment must be {COMMENT_MAX_LENGTH:,} characters or fewer",
        },
    )


class FeedbackRemoveForm(forms.Form):
    """An editor's choice to redact a comment or delete the whole answer, and why (kept in the audit log)."""

    REDACT, DELETE = "redact", "delete"

    action = forms.ChoiceField(
        label="What do you want to do?",
        widget=forms.RadioSelect,
        choices=[
            (REDACT, "Redact the comment: remove its words, keep the answer to “Was this page useful?”"),
            (DELETE, "Delete the whole answer: the vote and the comment"),
        ],
        error_messages={"required": "Select whether to redact the comment or delete the answer"},
    )
    reason = GovukTextField(
        label="Why?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit log, e.g. “It held a child's name and date of birth”. "
        "Do not repeat the personal details.",
        error_messages={
            "required": "Enter why you are removing it",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )

    def __init__(self, *args, may_delete=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_delete:
            self.fields["action"].choices = self.fields["action"].choices[:1]
