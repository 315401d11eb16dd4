from django.conf import settings
from django.db import models


class InboxMessage(models.Model):
    """A message to a team account inside the portal. Details about a child live here, behind sign-in and
    two-factor codes; the email that goes with a message only says that it is waiting. A message may lead to a page
    of the portal (the request it is about): its link is a path, so the inbox knows nothing of what it leads to."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_messages")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(
        max_length=200, blank=True, help_text="The portal page the message leads to (a path), e.g. the request's."
    )
    link_text = models.CharField(max_length=100, blank=True, help_text="The words of that link.")
    event_key = models.CharField(max_length=200, unique=True, help_text="The event this message tells of.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["account", "read_at"])]

    def __str__(self):
        return self.subject
