"""Outcomes professionals write for a child, each tagged with a Team and a Type."""

from django.conf import settings
from django.db import models


class OutcomeState(models.TextChoices):
    CURRENT = "current", "Current"
    DELETED = "deleted", "Deleted"


class Outcome(models.Model):
    """An outcome for a child, written by one team account through one of its requests.

    Only its author edits it, and every save checks ``version``: an edit made from a stale copy is refused
    rather than overwriting a colleague's newer words (the old portal's most common complaint).
    """

    wagtail_log_label_by_id = True  # "<kind> <id>" in Wagtail's site history, as for ChildRecord

    child = models.ForeignKey("advice_forms.ChildRecord", on_delete=models.PROTECT, related_name="outcomes")
    advice_request = models.ForeignKey("advice_forms.AdviceRequest", on_delete=models.PROTECT, related_name="outcomes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outcomes")
    team = models.ForeignKey("advice_forms.Team", on_delete=models.PROTECT, related_name="outcomes")
    need_type = models.ForeignKey(
        "advice_forms.NeedType", on_delete=models.PROTECT, related_name="outcomes", verbose_name="Type"
    )
    outcome = models.TextField()
    provision = models.TextField(blank=True)
    timescale = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Goes up by one at every save.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    state = models.CharField(max_length=20, choices=OutcomeState.choices, default=OutcomeState.CURRENT)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_reason = models.TextField(blank=True)

    class Meta:
        db_table = "portal_pages_outcome"
        ordering = ["need_type__sort_order", "need_type__code", "team__sort_order", "team__code", "created_at", "pk"]
        indexes = [models.Index(fields=["child", "state"])]

    def __str__(self):
        return f"Outcome {self.pk} ({self.need_type.code}, {self.team.code})"
