"""Professional involvement and the parent or carer's contribution: what the record says around the form."""

from django.conf import settings
from django.db import models

from cms.form_fields import phone_number


class ContactState(models.TextChoices):
    CURRENT = "current", "Current"
    REMOVED = "removed", "Removed"


class ProfessionalContact(models.Model):
    """A professional involved with a child, so the SEND service and colleagues know whom to ask.

    Added by any account with a request on the child, edited only by the account that added it."""

    wagtail_log_label_by_id = True  # "<kind> <id>" in Wagtail's site history, as for ChildRecord

    child = models.ForeignKey(
        "advice_forms.ChildRecord", on_delete=models.PROTECT, related_name="professional_contacts"
    )
    advice_request = models.ForeignKey(
        "advice_forms.AdviceRequest", on_delete=models.PROTECT, related_name="professional_contacts"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    team = models.ForeignKey("advice_forms.Team", on_delete=models.PROTECT, related_name="professional_contacts")
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True, validators=[phone_number])
    state = models.CharField(max_length=20, choices=ContactState.choices, default=ContactState.CURRENT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "portal_pages_professionalcontact"
        ordering = ["team__sort_order", "team__code", "name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.role})"


class ContributionMethod(models.TextChoices):
    WRITTEN = "written", "In writing"
    MEETING = "meeting", "At a meeting"
    PHONE = "phone", "By phone"
    DOCUMENT = "document", "In a document they uploaded or sent"


class CommunicationMethod(models.TextChoices):
    PARENT_PORTAL = "parent_portal", "Through the parent portal"
    EMAIL = "email", "Email"
    POST = "post", "Post"
    PHONE = "phone", "Phone"


class Contribution(models.Model):
    """How the parent or carer gave their views and how they wish to hear from the SEND service, on an ERSA.

    The school's SENCO records it: parents do not sign in to this portal."""

    wagtail_log_label_by_id = True  # "<kind> <id>" in Wagtail's site history, as for ChildRecord

    advice_request = models.OneToOneField(
        "advice_forms.AdviceRequest", on_delete=models.CASCADE, related_name="contribution"
    )
    contribution_methods = models.JSONField(default=list, blank=True)
    communication_methods = models.JSONField(default=list, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    interpreter_language = models.CharField(max_length=100, blank=True)
    parent_views = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "portal_pages_contribution"

    def __str__(self):
        return f"Contribution for request {self.advice_request_id}"

    def contribution_labels(self):
        return [ContributionMethod(v).label for v in self.contribution_methods if v in ContributionMethod.values]

    def communication_labels(self):
        return [CommunicationMethod(v).label for v in self.communication_methods if v in CommunicationMethod.values]


class DetailsChangeReport(models.Model):
    """A professional says a child's personal details are wrong. The co-ordinator reads it in the admin."""

    wagtail_log_label_by_id = True  # "<kind> <id>" in Wagtail's site history, as for ChildRecord

    child = models.ForeignKey("advice_forms.ChildRecord", on_delete=models.CASCADE, related_name="change_reports")
    advice_request = models.ForeignKey("advice_forms.AdviceRequest", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    details = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "portal_pages_detailschangereport"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Change reported for child record {self.child_id}"
