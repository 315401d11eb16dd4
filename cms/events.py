"""The one list of audit events of the site core: an administrator trying an email of the outbox again now (Reports
→ Emails not sent), and such a try refused. Entries name the email by its id, never its address or its words
(registered in wagtail_hooks.py).

A value is what audit entries store: never change one, or old entries lose their meaning; add a new name instead.
"""

from django.db import models


class SiteEvent(models.TextChoices):
    EMAIL_RETRIED = "email.retried", "Email tried again now"
    EMAIL_RETRY_REFUSED = "email.retry_refused", "Email not tried again: refused"
