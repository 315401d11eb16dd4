"""A child record's History tab in the admin: what happened to the record and to each advice request about the
child, newest first.

Each fact is read where it is kept, and copied nowhere (DESIGN.md, "One store per fact"): Wagtail's log holds the
record's own edits, made through its admin views (``wagtail.log_actions``); the audit log holds the casework events,
a request shared, started, submitted, accepted or returned, its due date changed, a reminder sent, and the child's
documents, outcomes, professional contacts and contributions added, changed, withdrawn or deleted
(``cms.services.audit_record``). Views of the record and downloads of its documents are left to the audit log:
each opening writes one, and they would bury what changed. No row names the child, nor carries words typed about the
child (a document's title, an outcome's or a contact's words may name the child): the record is "This child record",
a request its form and number, as its pages' titles call it, and any other item its kind, its id and the request it
came through ("Document 12, ERSA – request 7"); advice submitted or accepted, and a submission's filed PDF, add the
submission's reference ("ERSA – request 7, reference KBC-ERSA-…"), as the Documents page's title of that PDF does.
The exceptions are a return's row, which gives what the caseworker
asked for (what the professional reads at the top of the request), read from the return itself (SubmissionReturn):
its audit entry names the version returned by id only; and a refused request for access to a document, which gives
the caseworker's reason, read from the request itself (AccessRequest.refused_reason): its entry names it by id."""

import dataclasses
import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import registry as log_registry

from advice_forms.events import CaseworkEvent
from advice_forms.models import (
    AccessRequest,
    AdviceRequest,
    ChildRecord,
    Contribution,
    Document,
    Outcome,
    ProfessionalContact,
    Submission,
    SubmissionReturn,
)
from advice_forms.selectors import return_section_titles
from advice_forms.templatetags.advice_records import request_marker
from cms.admin_views import TimeColumn
from cms.formats import govuk_date
from cms.models import BY_THE_PORTAL, AuditEntry

THIS_RECORD = "This child record"
NOT_SHOWN = {CaseworkEvent.CHILD_RECORD_VIEWED, CaseworkEvent.DOCUMENT_DOWNLOADED}
# The child's items besides the record and its requests, each named by its kind and id, never its words.
ITEM_KINDS = (
    (Document, "Document", "child"),
    (Outcome, "Outcome", "child"),
    (ProfessionalContact, "Professional contact", "child"),
    (Contribution, "Contribution", "advice_request__child"),
)


@dataclasses.dataclass(frozen=True)
class HistoryRow:
    when: datetime.datetime
    what: str
    item: str
    details: str
    who: str


def _day(iso: str) -> str:
    try:
        day = datetime.date.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return govuk_date(day)


def _details(entry: AuditEntry, return_reasons: dict[int, str], refusal_reasons: dict[int, str]) -> str:
    """What changed, in words: a due date's old and new days, or a state's, for a return what was asked for
    (``return_reasons``: each returned version's reason, by the version's id), and for a refused request for access
    why (``refusal_reasons``: each refused request's reason, by its id)."""
    if entry.action == CaseworkEvent.REQUEST_DUE_DATE_CHANGED and isinstance(entry.data, dict):
        return f"Due {_day(entry.data.get('from'))}, now {_day(entry.data.get('to'))}"
    if (refused := _refused_request(entry)) is not None:
        reason = refusal_reasons.get(refused)
        return f"Reason: {reason}" if reason else ""
    if entry.from_state and entry.to_state:
        state = f"State: {entry.get_from_state_display()}, now {entry.get_to_state_display()}"
    elif entry.to_state:
        state = f"State now: {entry.get_to_state_display()}"
    else:
        return ""
    reason = return_reasons.get(_returned_version(entry))
    return f"{state}. What is needed: {reason}" if reason else state


def _return_words(submission_return: SubmissionReturn) -> str:
    """A return's reason, and the sections it named as needing changes when it named any."""
    sections = return_section_titles(submission_return)
    reason = submission_return.reason.rstrip()
    if not sections:
        return reason
    stop = "" if reason.endswith((".", "!", "?")) else "."
    return f"{reason}{stop} Sections to change: {', '.join(sections)}"


def _returned_version(entry: AuditEntry) -> int | None:
    """The id of the submitted version a return's entry names (its data holds that id alone), else None."""
    if entry.action != CaseworkEvent.REQUEST_RETURNED or not isinstance(entry.data, dict):
        return None
    version = entry.data.get("submission")
    return version if isinstance(version, int) else None


def _refused_request(entry: AuditEntry) -> int | None:
    """The id of the request for access a refusal's entry names (its data holds that id), else None."""
    if entry.action != CaseworkEvent.DOCUMENT_ACCESS_REFUSED or not isinstance(entry.data, dict):
        return None
    access = entry.data.get("access_request")
    return access if isinstance(access, int) else None


def _item_words(kind: str, pk, request: AdviceRequest | None, reference: str | None = None) -> str:
    """An item of the child's, named without its words: "Outcome 5, ERSA – request 7" ("Document 12" alone for one
    the SEND service filed with no request), and a submission's filed PDF with its reference."""
    words = f"{kind} {pk}, {request_marker(request)}" if request else f"{kind} {pk}"
    return f"{words}, reference {reference}" if reference else words


def _advice_item(entry: AuditEntry, item: str, references: dict, latest: dict) -> str:
    """The item of an entry: advice submitted names the version it made (its entry's data holds the version's id) and
    advice accepted the request's latest version, the one accepted (no version follows an acceptance), each by its
    reference."""
    reference = None
    if entry.action == CaseworkEvent.REQUEST_SUBMITTED and isinstance(entry.data, dict):
        reference = references.get(entry.data.get("submission"))
    elif entry.action == CaseworkEvent.REQUEST_ACCEPTED:
        reference = latest.get(entry.target_id)
    return f"{item}, reference {reference}" if reference else item


def child_record_history(child: ChildRecord) -> list[HistoryRow]:
    """Every row of ``child``'s History tab, newest first. A query for each kind of item, one for the references of
    the child's submissions, one for the audit entries, one for the reasons of the returns among them and one for the
    reasons of the refused requests for access, however many there are."""
    requests = {str(ar.pk): ar for ar in AdviceRequest.objects.filter(child=child).select_related("form_version")}
    references, latest = {}, {}
    for pk, request_id, reference in (
        Submission.objects.filter(request__child=child)
        .order_by("request_id", "number")
        .values_list("pk", "request_id", "reference")
    ):
        references[pk] = latest[str(request_id)] = reference
    items = {
        ContentType.objects.get_for_model(AdviceRequest).pk: {pk: request_marker(ar) for pk, ar in requests.items()}
    }
    for model, kind, child_path in ITEM_KINDS:
        filed = ("submission_id",) if model is Document else ()  # a submission's PDF
        rows = model.objects.filter(**{child_path: child}).values_list("pk", "advice_request_id", *filed)
        items[ContentType.objects.get_for_model(model).pk] = {
            str(pk): _item_words(
                kind, pk, requests.get(str(request_id)), references.get(submission[0] if submission else None)
            )
            for pk, request_id, *submission in rows
        }
    casework = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(ChildRecord), target_id=str(child.pk)
    )
    for target_type, named in items.items():
        casework |= AuditEntry.objects.filter(target_type_id=target_type, target_id__in=list(named))
    labels = dict(CaseworkEvent.choices)
    entries = list(casework.exclude(action__in=NOT_SHOWN).select_related("actor", "target_type"))
    returned = {version for entry in entries if (version := _returned_version(entry)) is not None}
    return_reasons = {
        submission_return.submission_id: _return_words(submission_return)
        for submission_return in SubmissionReturn.objects.filter(
            submission_id__in=returned, submission__request__child=child
        ).select_related("submission__form_version")
    }
    refused = {access for entry in entries if (access := _refused_request(entry)) is not None}
    refusal_reasons = dict(
        AccessRequest.objects.filter(pk__in=refused, document__child=child).values_list("pk", "refused_reason")
    )
    rows = [
        (
            entry.created_at,
            entry.pk,
            HistoryRow(
                when=entry.created_at,
                what=labels.get(entry.action, entry.action),
                item=_advice_item(
                    entry, items.get(entry.target_type_id, {}).get(entry.target_id, THIS_RECORD), references, latest
                ),
                details=_details(entry, return_reasons, refusal_reasons),
                who=entry.who,
            ),
        )
        for entry in entries
    ]
    rows += [
        (
            entry.timestamp,
            entry.pk,
            HistoryRow(
                when=entry.timestamp, what=str(entry.message), item=THIS_RECORD, details="", who=_log_user(entry)
            ),
        )
        for entry in log_registry.get_logs_for_instance(child).select_related("user")
    ]
    return [row for _when, _pk, row in sorted(rows, key=lambda row: row[:2], reverse=True)]


def _log_user(entry) -> str:
    return entry.user.person_name if entry.user_id and entry.user else BY_THE_PORTAL


class ChildRecordHistoryMixin:
    """Wagtail's HistoryView of a child record, reading ``child_record_history`` instead of Wagtail's log alone. Its
    filters, written for Wagtail's log, go: a record's history is short enough to read whole."""

    filterset_class = None
    no_results_message = "Nothing has happened to this record yet."

    def get_queryset(self):
        return child_record_history(self.object)

    @cached_property
    def columns(self):
        return [
            Column("what", label="What happened"),
            Column("item", label="Item"),
            Column("details", label="Details"),
            Column("who", label="Who"),
            TimeColumn("when", label="When"),
        ]
