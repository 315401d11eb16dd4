from django import forms

from faq.models import FeedbackRating

COMMENT_MAX_LENGTH = 1200
RATING_ERROR = "Select yes, neutral or no"


class FeedbackVoteForm(forms.Form):
    rating = forms.ChoiceField(
        choices=FeedbackRating.choices, error_messages={"required": RATING_ERROR, "invalid_choice": RATING_ERROR}
    )


class FeedbackCommentForm(forms.Form):
    comment = forms.CharField(
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "required": "Enter how we could improve this page",
            "max_length": f"Your comment must be {COMMENT_MAX_LENGTH} characters or fewer",
        },
    )
