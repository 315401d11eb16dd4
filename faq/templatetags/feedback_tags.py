from django import template
from django.conf import settings

from faq.forms import COMMENT_MAX_LENGTH
from faq.selectors import feedback_for_session

register = template.Library()


@register.simple_tag(takes_context=True)
def feedback_state(context, page):
    """Whether this browser has voted on the page, and commented: read only from a browser with a session,
    so the anonymous first view (the one the page cache keeps) never touches the session."""
    request = context.get("request")
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return {"voted": False, "commented": False}
    feedback = feedback_for_session(page=page, session=request.session)
    return {"voted": feedback is not None, "commented": bool(feedback and feedback.comment)}


@register.simple_tag
def comment_max_length():
    """The comment's limit, for the character count's hint and its live count (the server checks it too)."""
    return COMMENT_MAX_LENGTH
