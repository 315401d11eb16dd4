"""Casework: the child records and the advice requests shared about them, with their submissions."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.functional import cached_property

from advice_forms.models.definitions import FormDefinitionVersion
from advice_forms.workflow import EDITABLE_STATES, SUPPORTING_STATES, RequestState
from cms.names import name_folded


def born_by_today(value):
    if value > timezone.localdate():
        raise ValidationError("Date of birth must be today or in the past")


upn_format = RegexValidator(
    r"^[A-Za-z0-9]{13}$", "Enter the unique pupil number as its 13 letters and numbers, like A123456789012"
)


class ChildRecordStatus(models.TextChoices):
    REQUESTED = "requested", "Assessment requested"
    ASSESSING = "assessing", "Being assessed"
    PLAN_ISSUED = "plan_issued", "EHC plan issued"
    NOT_ASSESSED = "not_assessed", "Decided not to assess"
    CLOSED = "closed", "Closed"


class ChildRecord(models.Model):
    """The child or young person an assessment is about. Caseworkers edit it; professionals only read the
    parts a request opens to them, and every view of a record is audited."""

    # Wagtail's site history labels its entries about this row "Child record 12", not by str(), which names
    # the child (cms.models.log_entry_label_by_id).
    wagtail_log_label_by_id = True

    # Out of Wagtail's reference index: an organisation's "Used N times" and usage page would count (and list as
    # private rows) the children at that school to a portal administrator, who sees no casework.
    wagtail_reference_index_ignore = True

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)  # blank for a child with only one name
    # The names as a search matches them (cms.names.name_folded: no accents, one case, one apostrophe), kept
    # on the row and written by save(): SQLite has no function that removes accents, and PostgreSQL's unaccent is an
    # extension a council's database may not allow. A text field: folding can lengthen a name ("ß" is "ss", "æ" "ae"),
    # so no length of the names' own fits every folded name.
    search_name = models.TextField(blank=True, editable=False)
    date_of_birth = models.DateField(validators=[born_by_today])
    unique_pupil_number = models.CharField(
        "unique pupil number",
        max_length=13,
        blank=True,
        validators=[upn_format],
        help_text="Optional. 13 characters, e.g. A123456789012.",
    )
    address = models.TextField(blank=True)
    # The school is a fact about the child: an organisation a record names is kept (switched off, never deleted), so
    # deleting it cannot blank the record's school (cms.admin_views.kept_by says why on the delete page).
    school = models.ForeignKey(
        "portal_pages.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_records",
        verbose_name="school or setting",
    )
    parent_carer_name = models.CharField("parent or carer's name", max_length=200, blank=True)
    parent_carer_contact = models.TextField(
        "parent or carer's contact details", blank=True, help_text="Phone, email or address, as they prefer."
    )
    # Who co-ordinates the child's assessment is kept like the school: a staff account allocated records is switched
    # off, never deleted, so the records do not silently lose their co-ordinator.
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_records",
        verbose_name="EHC co-ordinator",
        limit_choices_to={"is_staff": True},
    )
    status = models.CharField(max_length=20, choices=ChildRecordStatus.choices, default=ChildRecordStatus.REQUESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # By last name, a child with one name by the name they have (its last name is blank): the records list, and
        # the review queue sorted by child (ordered by "child", so by this), put Lola between Abbott and Morgan, not
        # before every last name. An expression, not an OrderBy, so "-child" reverses it too.
        ordering = [Coalesce(NullIf("last_name", models.Value("")), "first_name"), "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unique_pupil_number"],
                condition=~models.Q(unique_pupil_number=""),
                name="unique_child_upn_when_set",
            )
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = name_folded(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        """ "Aarav" for a child with one name, with no space after it."""
        return " ".join(name for name in (self.first_name, self.last_name) if name)

    @property
    def initials(self):
        """ "E. P.": with stops, so initials do not read as a word or an abbreviation ("EP" is also a Team)."""
        return " ".join(f"{name[:1].upper()}." for name in (self.first_name, self.last_name) if name)


def default_due_date():
    return timezone.localdate() + datetime.timedelta(days=settings.PORTAL_ADVICE_DUE_DAYS)


class AdviceRequest(models.Model):
    """One pinned form version shared with one team account for one child, with a due date.

    The draft answers live here, on the request (the team account), not in a browser session, so a
    time-out, a closed tab or a colleague's browser loses nothing. Its ``state`` changes only as
    advice_forms.workflow says.
    """

    wagtail_log_label_by_id = True  # "<kind> <id>" in Wagtail's site history, as for ChildRecord

    child = models.ForeignKey(ChildRecord, on_delete=models.PROTECT, related_name="advice_requests")
    form_version = models.ForeignKey(FormDefinitionVersion, on_delete=models.PROTECT, related_name="advice_requests")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="advice_requests",
        verbose_name="team account",
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="advice_requests_shared"
    )
    message = models.TextField(blank=True, help_text="Shown to the team account with the request.")
    shows_child_name = models.BooleanField(
        default=True, help_text="Show the child's full name to the account; otherwise only their initials."
    )
    due_date = models.DateField(default=default_due_date)
    state = models.CharField(max_length=20, choices=RequestState.choices, default=RequestState.TO_DO, db_index=True)
    answers = models.JSONField(default=dict, blank=True, help_text="The draft: section key → field key → answer.")
    raw_steps = models.JSONField(
        default=dict, blank=True, help_text="The last invalid POST of a step, kept so nothing typed is lost."
    )
    started_sections = models.JSONField(default=list, blank=True)
    completed_sections = models.JSONField(default=list, blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    section_saves = models.JSONField(
        default=dict,
        blank=True,
        help_text="Section key → its revision (counted up by each save that changes it), when and from which page it "
        "was last saved: a save from an older copy of the section is refused rather than overwriting it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminded_due_soon_at = models.DateTimeField(null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["account", "state", "due_date"])]

    def __str__(self):
        return f"{self.form_version.title} for {self.child_display_name}"

    @cached_property
    def latest_return(self):
        """The request's latest return (SubmissionReturn: the caseworker's words and the sections they named), or
        None if it never was returned."""
        return (
            SubmissionReturn.objects.filter(submission__request=self)
            .select_related("submission__form_version")  # return_section_titles reads the returned version
            .order_by("-submission__number")
            .first()
        )

    @property
    def return_reason(self) -> str:
        """What the caseworker asked for when they last returned this request ("" if it never was): the words kept
        with the version it returned (SubmissionReturn), their one store."""
        return self.latest_return.reason if self.latest_return is not None else ""

    @property
    def return_sections(self) -> list[str]:
        """The keys of the sections the latest return named as needing changes ([]: the whole form, or never
        returned)."""
        return list(self.latest_return.sections) if self.latest_return is not None else []

    @property
    def child_display_name(self):
        return self.child.full_name if self.shows_child_name else self.child.initials

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def takes_supporting(self):
        """Whether supporting documents and outcomes may still be added or changed: until the advice is accepted."""
        return self.state in SUPPORTING_STATES

    @property
    def is_submitted(self):
        return self.state == RequestState.SUBMITTED

    @property
    def days_left(self):
        return (self.due_date - timezone.localdate()).days

    @property
    def is_overdue(self):
        return self.state in EDITABLE_STATES and self.days_left < 0


class Submission(models.Model):
    """One submitted version of a request's answers, frozen with the exact form version it was made against.

    Version 1, 2, … per request; a return and resubmission adds a row and keeps the earlier one and its PDF. The
    final PDF is one of the child's documents (``document``, filed by a task after the submit), kept only there; the
    files its file answers sent are ``evidence``, recorded as it is made (not inferred from times).
    """

    wagtail_log_label_by_id = True  # "<kind> <id>" in Wagtail's site history, as for ChildRecord

    request = models.ForeignKey(AdviceRequest, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveIntegerField()
    form_version = models.ForeignKey(FormDefinitionVersion, on_delete=models.PROTECT, related_name="submissions")
    answers = models.JSONField()
    records = models.JSONField(
        default=dict,
        blank=True,
        help_text="The child record's rows the record-backed questions showed at submission (child's details, "
        "outcomes, contacts, contribution), in words: its PDF reads these, never the rows as they are now.",
    )
    reference = models.CharField(max_length=40, unique=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by_name = models.CharField(max_length=200, help_text="The account's name at the time of submission.")
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    idempotency_key = models.CharField(max_length=64, unique=True, help_text="From the submit form: one per click.")
    evidence = models.ManyToManyField(
        "advice_forms.Document",
        blank=True,
        related_name="sent_with",
        help_text="The files its file answers sent with the form: the documents named by the answers it shows, as "
        "they were when it was submitted.",
    )

    class Meta:
        ordering = ["request", "-number"]
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="unique_submission_number")]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A submission is frozen once made; its PDF is filed as one of the child's documents.")
        super().save(*args, **kwargs)

    @property
    def pdf(self):
        """The filed final PDF (a filer File): its Document's file, or None until the filing task has run."""
        document = getattr(self, "document", None)  # the reverse one-to-one raises AttributeError when there is none
        return document.file if document is not None else None


class SubmissionReturn(models.Model):
    """Why a caseworker returned one submitted version: the one store of each return's words (the request's
    ``return_reason`` reads the latest; the audit log keeps ids only, as roles that see no casework read it)."""

    wagtail_log_label_by_id = True  # "<kind> <id>" in Wagtail's site history, as for ChildRecord

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="returned")
    reason = models.TextField()
    sections = models.JSONField(
        default=list,
        blank=True,
        help_text="Keys of the returned version's sections the caseworker said need changing, in the form's order; "
        "empty: the whole form.",
    )
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    returned_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Return of submission {self.submission_id}"
