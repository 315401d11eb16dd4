"""The one list of audit events about guidance: an editor redacting or deleting what a visitor wrote about a page.
Entries hold ids and the editor's reason, never the visitor's words (registered in wagtail_hooks.py).

A value is what audit entries store: never change one, or old entries lose their meaning; add a new name instead.
"""

from django.db import models


class GuidanceEvent(models.TextChoices):
    FEEDBACK_REDACTED = "page_feedback.redacted", "Feedback comment redacted"
    FEEDBACK_DELETED = "page_feedback.deleted", "Feedback answer deleted"
