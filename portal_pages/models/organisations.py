from django.db import models


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "School or academy"
    EARLY_YEARS = "early_years", "Early years setting"
    POST_16 = "post_16", "Post-16 establishment"
    EDUCATIONAL_PSYCHOLOGY = "educational_psychology", "Educational psychology service"
    HEALTH = "health", "Health service"
    SPEECH_AND_LANGUAGE = "speech_and_language", "Speech and language therapy"
    OT_PHYSIOTHERAPY = "ot_physiotherapy", "Occupational therapy or physiotherapy"
    SOCIAL_CARE = "social_care", "Social care"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A school, setting or service whose team accounts give advice; its domains say which addresses may register."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    email_domains = models.TextField(
        blank=True,
        help_text="The email domains its accounts may use, one a line, e.g. oakfield-primary.example.org.",
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Only active organisations can be chosen when registering."
    )
    # From the DfE's "Get Information About Schools" (manage.py import_organisations); blank for services.
    urn = models.PositiveIntegerField("URN", null=True, blank=True, unique=True, help_text="Unique reference number.")
    establishment_type = models.CharField(max_length=100, blank=True)
    phase = models.CharField("phase of education", max_length=100, blank=True)
    local_authority = models.CharField(max_length=100, blank=True)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def domains(self) -> list[str]:
        return [
            line.strip().lower().lstrip("@")
            for line in self.email_domains.replace(",", "\n").splitlines()
            if line.strip()
        ]

    def allows_email(self, email: str) -> bool:
        domain = email.rsplit("@", 1)[-1].strip().lower()
        return domain in self.domains
