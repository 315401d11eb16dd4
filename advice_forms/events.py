"""The one list of audit events about a child's advice: requests and their submissions, documents, outcomes,
professional contacts, contributions and child records, and form definitions published, imported from or exported
to files.
Every ``audit_record`` call of advice_forms names one of these; the audit log labels and filters by them (registered
in wagtail_hooks.py). Entries hold ids and states, never what was written.

A value is what audit entries store: never change one, or old entries lose their meaning; add a new name instead.
"""

from django.db import models


class CaseworkEvent(models.TextChoices):
    REQUEST_SHARED = "advice_request.shared", "Request shared with a team account"
    REQUEST_STARTED = "advice_request.started", "Request started"
    REQUEST_SUBMITTED = "advice_request.submitted", "Advice submitted"
    REQUEST_ACCEPTED = "advice_request.accepted", "Advice accepted"
    REQUEST_RETURNED = "advice_request.returned", "Advice returned for more information"
    REQUEST_DUE_DATE_CHANGED = "advice_request.due_date_changed", "Due date of a request changed"
    REQUEST_REMINDED = "advice_request.reminded", "Reminder sent by a caseworker"
    CHILD_RECORD_VIEWED = "child_record.viewed", "Child record viewed"
    DETAILS_CHANGE_REPORTED = "child.details_change_reported", "Change to a child's details reported"
    DETAILS_CHANGE_RESOLVED = "child.details_change_resolved", "Reported change to a child's details dealt with"
    DOCUMENT_UPLOADED = "document.uploaded", "Document uploaded"
    DOCUMENT_DOWNLOADED = "document.downloaded", "Document downloaded"
    DOCUMENT_WITHDRAWN = "document.withdrawn", "Document withdrawn by its uploader"
    DOCUMENT_DELETED = "document.deleted", "Document deleted by a caseworker"
    DOCUMENT_AVAILABILITY = "document.availability_changed", "Document availability changed"
    DOCUMENT_ACCESS_REQUESTED = "document.access_requested", "Access to a document asked for"
    DOCUMENT_ACCESS_REFUSED = "document.access_refused", "Access to a document refused"
    OUTCOME_ADDED = "outcome.added", "Outcome added"
    OUTCOME_EDITED = "outcome.edited", "Outcome edited"
    OUTCOME_STALE_EDIT_REFUSED = "outcome.stale_edit_refused", "Outcome edit from a stale copy refused"
    OUTCOME_DELETED = "outcome.deleted", "Outcome deleted"
    CONTACT_ADDED = "contact.added", "Professional contact added"
    CONTACT_EDITED = "contact.edited", "Professional contact edited"
    CONTACT_REMOVED = "contact.removed", "Professional contact removed"
    CONTRIBUTION_SAVED = "contribution.saved", "Contribution and communication method saved"
    FORM_DEFINITION_IMPORTED = "form_definition.imported", "Form definition imported from a file"
    FORM_DEFINITION_EXPORTED = "form_definition.exported", "Form definition downloaded as a file"
    FORM_DEFINITION_PUBLISHED = "form_definition.published", "Form definition published as a new version"
