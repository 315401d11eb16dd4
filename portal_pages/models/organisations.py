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


# The kinds a child attends (a child record's "school or setting"); the others are services that give advice.
SETTING_KINDS = (OrganisationKind.SCHOOL, OrganisationKind.EARLY_YEARS, OrganisationKind.POST_16)


class Organisation(models.Model):
    """A school, setting or service whose team accounts give advice; its domains say which addresses may register."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    # Domains, named "email address endings" wherever the admin shows them: the words its administrators know.
    email_domains = models.TextField(
        "email address endings",
        blank=True,
        help_text="Put each on its own line. For example, oakfield-primary.example.org",
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
        lines = self.email_domains.replace(",", "\n").splitlines()
        return list(dict.fromkeys(line.strip().lower().lstrip("@") for line in lines if line.strip()))

    def allows_email(self, email: str) -> bool:
        domain = email.rsplit("@", 1)[-1].strip().lower()
        return domain in self.domains


class JoinRequestState(models.TextChoices):
    WAITING = "waiting", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class JoinRequest(models.Model):
    """A new team account whose organisation is not listed (or is listed without its email domain yet) asks to
    join: a portal administrator approves it (making or linking the organisation and its domain) or refuses it
    with a reason, and the person is emailed either way. No one needs to email anyone."""

    account = models.OneToOneField("portal_pages.User", on_delete=models.CASCADE, related_name="join_request")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="join_requests",
        help_text="Chosen from the list by the person, or made on approval.",
    )
    organisation_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    address = models.TextField(blank=True)
    email_domain = models.CharField(max_length=200)
    state = models.CharField(
        max_length=20, choices=JoinRequestState.choices, default=JoinRequestState.WAITING, db_index=True
    )
    reason = models.TextField(blank=True, help_text="Why it was refused: emailed to the person.")
    decided_by = models.ForeignKey(
        "portal_pages.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.organisation_name} ({self.email_domain})"
