"""Documents about a child: professionals' uploads, the final PDFs of their submissions and the files caseworkers
share, with who may download each."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from advice_forms.models.casework import Submission
from advice_forms.models.taxonomies import DOCUMENT_TYPES_PURPOSE, DropdownList
from advice_forms.workflow import EDITABLE_STATES
from cms.formats import file_size, govuk_datetime

# The type of the documents the portal files itself, a submission's final PDF. It is not an option of the dropdown
# list, so a professional never picks it for an upload and a form designer never renames it.
SUBMITTED_ADVICE = "submitted_advice"
SUBMITTED_ADVICE_LABEL = "Submitted advice"
# The type of a file a professional uploads through a form's file question (the evidence sent with the form). Like
# submitted advice, the portal sets it; the document's title is the file's name. Its label says whether it went with
# the advice (``sent_with_form``): sent (with any submitted version, even if removed after a return), not sent yet (a
# draft's, a returned form's new file, or one kept for a question its answers hide, while its form may still be sent),
# not sent (kept for a hidden question when the form was submitted or accepted without it), or removed (or replaced)
# by its uploader before it was sent, so never sent.
FORM_EVIDENCE = "form_evidence"
FORM_EVIDENCE_LABEL = "Evidence sent with the form"
FORM_EVIDENCE_NOT_SENT_LABEL = "Uploaded with the form, not sent yet"
FORM_EVIDENCE_LEFT_OUT_LABEL = "Uploaded with the form, not sent"
FORM_EVIDENCE_REMOVED_LABEL = "Uploaded with the form, removed before it was sent"
BUILT_IN_TYPES = {SUBMITTED_ADVICE: SUBMITTED_ADVICE_LABEL, FORM_EVIDENCE: FORM_EVIDENCE_LABEL}
_UNREAD = object()  # a document not given the document types list (see `document_types_read_once`)


def document_types_list():
    """The dropdown list of document types that form designers keep, whatever its name; None until someone makes
    it."""
    return DropdownList.objects.filter(purpose=DOCUMENT_TYPES_PURPOSE).prefetch_related("options").first()


def document_types_read_once(documents):
    """``documents`` as a list, each given the document types list read once for them all: a list names its documents'
    types in two queries (the list and its options), whatever their number."""
    documents = list(documents)
    types = document_types_list() if any(document.typed_from_list for document in documents) else None
    for document in documents:
        document._document_types = types
    return documents


def sent_with_form():
    """An annotation of documents: a submission of the document's request sent it (``Submission.evidence``, recorded
    at the submit from the answers it showed). Sent with any version counts: a file that went with version 1 and was
    withdrawn or replaced after a return still went with the advice."""
    return Exists(Submission.evidence.through.objects.filter(document_id=OuterRef("pk")))


def newest_submission_number():
    """An annotation of documents: the number of the newest version submitted on the request of the document's
    submission (none for an upload). A submission's PDF whose number is lower was replaced by that version."""
    newest = Submission.objects.filter(request_id=OuterRef("submission__request_id")).order_by("-number")
    return Subquery(newest.values("number")[:1])


class DocumentState(models.TextChoices):
    """One state per document; a document is never deleted for real, so the audit trail still points at it."""

    CURRENT = "current", "Current"
    WITHDRAWN = "withdrawn", "Withdrawn by the uploader"
    DELETED = "deleted", "Deleted by a caseworker"


class Document(models.Model):
    """A PDF filed privately in a child record's folder: an upload, or the final PDF of a submission (uploaded by
    the submitting account, at the time of submission). Served only through views that check the right to it: the
    account that uploaded it, and the accounts a caseworker made it available to."""

    wagtail_log_label_by_id = True  # "<kind> <id>" in Wagtail's site history, as for ChildRecord

    child = models.ForeignKey("advice_forms.ChildRecord", on_delete=models.PROTECT, related_name="documents")
    advice_request = models.ForeignKey(
        "advice_forms.AdviceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="The request it was uploaded through; empty for documents the SEND service added.",
    )
    title = models.CharField(max_length=200)
    document_type = models.CharField(
        max_length=100,
        blank=True,
        help_text="The value of an option of the dropdown list of document types (found by its purpose, so form "
        "designers may rename it), or a type the portal sets itself: submitted advice, or evidence sent with a form.",
    )
    file = models.ForeignKey("filer.File", on_delete=models.PROTECT, related_name="+")
    original_filename = models.CharField(max_length=255, blank=True, help_text="Sanitised; kept as metadata only.")
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploaded_documents"
    )
    uploaded_by_name = models.CharField(max_length=200, blank=True)
    # A submission's PDF is filed by a task after the submit, but was "uploaded" when it was submitted.
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    available_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="available_documents",
        help_text="Team accounts, besides the uploader, that may download it.",
    )
    submission = models.OneToOneField(
        "advice_forms.Submission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document",
        help_text="The submitted version (its reference and form version) whose final PDF this is; empty for uploads.",
    )
    state = models.CharField(max_length=20, choices=DocumentState.choices, default=DocumentState.CURRENT)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state_reason = models.TextField(blank=True)

    class Meta:
        db_table = "portal_pages_document"
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["child", "state"])]

    def __str__(self):
        return self.title

    @property
    def is_current(self):
        return self.state == DocumentState.CURRENT

    @property
    def replaced_by(self) -> int | None:
        """The number of the version that replaced this one, when it is the PDF of a submitted version sent back and
        submitted again: its own state stays Current (it is kept, and may still be downloaded), but it is no longer the
        advice under review. Both sides' lists annotate ``newest_submission_number``; a document read without it asks
        the database."""
        if self.submission_id is None:
            return None
        newest = getattr(self, "newest_submission_number", _UNREAD)
        if newest is _UNREAD:
            newest = type(self).objects.filter(pk=self.pk).values_list(newest_submission_number(), flat=True).first()
        return newest if newest and newest > self.submission.number else None

    def state_label(self) -> str:
        """The state in words, as the staff's list shows it: a current PDF of a replaced version says so (the portal's
        list, all of whose documents are current, shows these words only then)."""
        replaced_by = self.replaced_by if self.is_current else None
        return f"Replaced by submission {replaced_by}" if replaced_by else self.get_state_display()

    @property
    def not_sent_with_form(self) -> bool:
        """A current file answer that no submitted version sent: part of its uploader's draft, which no other account
        sees (``documents_for_request``), whatever a caseworker makes available."""
        return self.document_type == FORM_EVIDENCE and self.is_current and not self.was_sent_with_form()

    @property
    def waits_for_its_form(self) -> bool:
        """Not sent with its form yet, which may still send it (a draft, or a returned form): the accounts a caseworker
        makes it available to may download it once the form is sent. One the form went without stays its uploader's."""
        return self.not_sent_with_form and self.form_may_still_send()

    @property
    def size_display(self):
        return file_size(self.size)

    @property
    def name_in_list(self) -> str:
        """What a list's links and buttons name it by, after their verb: its title, file name, uploader (as the staff's
        list shows them, from the name kept on the document, so no query) and upload time, so several documents of one
        title ("Report", uploaded again, or by two teams in the same minute) read apart in a screen reader's list of
        links."""
        named = ", ".join(part for part in (self.title, self.original_filename) if part)
        uploader = self.uploaded_by_name or "SEND service"
        return f"{named}, uploaded by {uploader}, {govuk_datetime(self.uploaded_at)}"

    def document_type_label(self):
        """The type in words. Evidence uploaded with a form reads as sent only once it was. The lists of both sides
        annotate ``sent_with_form`` and give their documents the document types list (``document_types_read_once``);
        a document read without them asks the database."""
        if self.document_type == FORM_EVIDENCE and not self.was_sent_with_form():
            if not self.is_current:
                return FORM_EVIDENCE_REMOVED_LABEL
            return FORM_EVIDENCE_NOT_SENT_LABEL if self.form_may_still_send() else FORM_EVIDENCE_LEFT_OUT_LABEL
        if not self.typed_from_list:
            return BUILT_IN_TYPES.get(self.document_type, self.document_type)
        dropdown = getattr(self, "_document_types", _UNREAD)
        if dropdown is _UNREAD:
            dropdown = document_types_list()
        return dropdown.label_for(self.document_type) if dropdown else self.document_type

    @property
    def typed_from_list(self) -> bool:
        """Its type is an option of the document types list (not a type the portal sets itself, nor none)."""
        return bool(self.document_type) and self.document_type not in BUILT_IN_TYPES

    def form_may_still_send(self) -> bool:
        """Its request's form is a draft or returned, so a file answer not sent may still go with it; once submitted
        or accepted without it, it was not sent. The lists select the request with the document."""
        return self.advice_request_id is not None and self.advice_request.state in EDITABLE_STATES

    def was_sent_with_form(self) -> bool:
        sent = getattr(self, "sent_with_form", None)
        if sent is None:
            sent = type(self).objects.filter(pk=self.pk).annotate(sent=sent_with_form()).values_list("sent", flat=True)
            sent = bool(sent.first())
        return sent


class AccessRequestState(models.TextChoices):
    """What became of a request for access: waiting for the co-ordinator, who grants it (by making the document
    available to the account) or refuses it with a reason (services/access_requests.py). Decided is final: an account
    refused asks again with a new request."""

    WAITING = "waiting", "Waiting for a decision"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Not granted"


class AccessRequest(models.Model):
    """A team account asked for a document it may not download. The co-ordinator is told, and decides."""

    wagtail_log_label_by_id = True  # "<kind> <id>" in Wagtail's site history, as for ChildRecord

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="access_requests")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    advice_request = models.ForeignKey("advice_forms.AdviceRequest", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=20, choices=AccessRequestState.choices, default=AccessRequestState.WAITING)
    resolved_at = models.DateTimeField(null=True, blank=True, help_text="When it was granted or refused.")
    refused_reason = models.TextField(
        blank=True, help_text="Why the co-ordinator refused it, in their words: the account reads it in its inbox."
    )

    class Meta:
        db_table = "portal_pages_accessrequest"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "account"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_access_request_per_document_account",
            ),
            # Waiting until decided, and decided at a time: the lists that read ``resolved_at`` read the state.
            models.CheckConstraint(
                condition=models.Q(state=AccessRequestState.WAITING, resolved_at__isnull=True)
                | (~models.Q(state=AccessRequestState.WAITING) & models.Q(resolved_at__isnull=False)),
                name="access_request_decided_when_resolved",
            ),
        ]

    def __str__(self):
        return f"Access to document {self.document_id} for {self.account}"
