from django.conf import settings
from django.db import models


class InboxMessage(models.Model):
    """A message to a team account inside the portal. Details about a child live here, behind sign-in and
    two-factor codes; the email that goes with a message only says that it is waiting."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_messages")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    advice_request = models.ForeignKey(
        "advice_forms.AdviceRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="inbox_messages"
    )
    event_key = models.CharField(max_length=200, unique=True, help_text="The event this message tells of.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["account", "read_at"])]

    def __str__(self):
        return self.subject
