"""Writes on what the record says around the form: the professionals involved with a child (contacts), the parent
or carer's contribution and communication method, and a professional's report that the child's details are
wrong, of which the co-ordinator is told and which a caseworker marks as dealt with. Audited, ids only."""

from django.db import transaction
from django.utils import timezone

from advice_forms.events import CaseworkEvent
from advice_forms.models import ContactState, Contribution, DetailsChangeReport, ProfessionalContact
from advice_forms.services.coordinators import coordinator_notify
from advice_forms.services.moves import casework_move, request_lock
from advice_forms.workflow import Action
from cms.services import audit_record
from portal_pages.models import User

CONTACT_FIELDS = ("name", "role", "team", "organisation", "email", "phone")


def contact_create(*, advice_request, account: User, data: dict, request=None):
    """Any account with a request on the child adds a professional involved with it."""
    with transaction.atomic():
        contact = ProfessionalContact.objects.create(
            child=advice_request.child,
            advice_request=advice_request,
            added_by=account,
            **{field: data[field] for field in CONTACT_FIELDS if field in data},
        )
        audit_record(action=CaseworkEvent.CONTACT_ADDED, actor=account, target=contact, request=request)
    return contact


def contact_update(*, contact, account: User, data: dict, request=None):
    if contact.added_by_id != account.pk:
        raise PermissionError("Only the account that added a contact edits it.")
    with transaction.atomic():
        for field in CONTACT_FIELDS:
            if field in data:
                setattr(contact, field, data[field])
        contact.save()
        audit_record(action=CaseworkEvent.CONTACT_EDITED, actor=account, target=contact, request=request)
    return contact


def contact_remove(*, contact, by: User, request=None):
    """Its author (or a caseworker) removes a contact that is no longer involved: soft, audited."""
    with transaction.atomic():
        casework_move(
            contact,
            ContactState.REMOVED,
            action=CaseworkEvent.CONTACT_REMOVED,
            actor=by,
            request=request,
            update_fields=["state", "updated_at"],
        )
    return contact


def contribution_save(*, advice_request, account: User, data: dict, request=None):
    """Record, on an ERSA request, how the parent or carer gave views and wishes to be contacted. Refused
    (NotEditable, nothing written) once the request is submitted, though it was open when the page read it."""
    with transaction.atomic():
        request_lock(advice_request.pk, allowing=Action.EDIT)
        contribution, _ = Contribution.objects.select_for_update().get_or_create(advice_request=advice_request)
        contribution.contribution_methods = list(data.get("contribution_methods", []))
        contribution.communication_methods = list(data.get("communication_methods", []))
        contribution.interpreter_needed = bool(data.get("interpreter_needed"))
        contribution.interpreter_language = (
            data.get("interpreter_language", "") if contribution.interpreter_needed else ""
        )
        contribution.parent_views = data.get("parent_views", "")
        contribution.updated_by = account
        contribution.save()
        audit_record(action=CaseworkEvent.CONTRIBUTION_SAVED, actor=account, target=contribution, request=request)
    return contribution


def details_change_report(*, advice_request, account: User, details: str, request=None):
    """A professional reports that a child's details are wrong: kept for the co-ordinator, who is emailed that a
    report is waiting (the email names no child and repeats nothing of what was written)."""
    with transaction.atomic():
        report = DetailsChangeReport.objects.create(
            child=advice_request.child, advice_request=advice_request, account=account, details=details
        )
        audit_record(
            action=CaseworkEvent.DETAILS_CHANGE_REPORTED, actor=account, target=advice_request.child, request=request
        )
        coordinator_notify(
            child=advice_request.child,
            key=f"details-change:{report.pk}",
            news="reported a change to a child record",
            template="details_change_reported",
            admin_url_name="casework_change_reports",
        )
    return report


def details_change_report_resolve(*, report: DetailsChangeReport, by: User, request=None) -> bool:
    """A caseworker marks a reported change as dealt with: audited once, on the child, with the report's id (never
    what was written). False, and nothing written, when it had already been dealt with."""
    now = timezone.now()
    with transaction.atomic():
        resolved = DetailsChangeReport.objects.filter(pk=report.pk, resolved_at__isnull=True).update(resolved_at=now)
        if not resolved:
            return False
        report.resolved_at = now
        audit_record(
            action=CaseworkEvent.DETAILS_CHANGE_RESOLVED,
            actor=by,
            target=report.child,
            request=request,
            data={"report": report.pk},
        )
    return True
