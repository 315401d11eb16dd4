"""Names of the account events written to the shared audit log (cms.services.audit_record)."""

from django.db import models


class AccountEvent(models.TextChoices):
    REGISTERED = "account.registered", "Registered"
    VERIFIED = "account.verified", "Email address confirmed"
    INVITED = "account.invited", "Invited by staff"
    INVITATION_ACCEPTED = "account.invitation_accepted", "Invitation accepted"
    SIGNED_IN = "account.signed_in", "Signed in"
    SIGN_IN_FAILED = "account.sign_in_failed", "Failed sign-in"
    CODE_FAILED = "account.code_failed", "Wrong authenticator code"
    LOCKED_OUT = "account.locked_out", "Locked out after failed sign-ins"
    SIGNED_OUT = "account.signed_out", "Signed out"
    TIMED_OUT = "account.timed_out", "Signed out after a time-out"
    DEVICE_ADDED = "account.device_added", "Authenticator device added"
    DEVICE_REMOVED = "account.device_removed", "Authenticator device removed"
    BACKUP_CODE_USED = "account.backup_code_used", "Backup code used"
    BACKUP_CODES_REGENERATED = "account.backup_codes_regenerated", "Backup codes created"
    PASSWORD_RESET_REQUESTED = "account.password_reset_requested", "Password reset asked for"
    PASSWORD_RESET = "account.password_reset", "Password reset"
    DORMANT = "account.dormant", "Marked dormant"
    REACTIVATED = "account.reactivated", "Reactivated"
    DEVICES_RESET = "account.devices_reset", "Two-factor devices reset by an administrator"


class RecordEvent(models.TextChoices):
    """Events around the form (issue 7): documents, outcomes, contacts, contributions. Ids only, never contents."""

    DOCUMENT_UPLOADED = "document.uploaded", "Document uploaded"
    DOCUMENT_DOWNLOADED = "document.downloaded", "Document downloaded"
    DOCUMENT_WITHDRAWN = "document.withdrawn", "Document withdrawn by its uploader"
    DOCUMENT_DELETED = "document.deleted", "Document deleted by a caseworker"
    DOCUMENT_AVAILABILITY = "document.availability_changed", "Document availability changed"
    DOCUMENT_ACCESS_REQUESTED = "document.access_requested", "Access to a document asked for"
    OUTCOME_ADDED = "outcome.added", "Outcome added"
    OUTCOME_EDITED = "outcome.edited", "Outcome edited"
    OUTCOME_STALE_EDIT_REFUSED = "outcome.stale_edit_refused", "Outcome edit from a stale copy refused"
    OUTCOME_DELETED = "outcome.deleted", "Outcome deleted"
    CONTACT_ADDED = "contact.added", "Professional contact added"
    CONTACT_EDITED = "contact.edited", "Professional contact edited"
    CONTACT_REMOVED = "contact.removed", "Professional contact removed"
    CONTRIBUTION_SAVED = "contribution.saved", "Contribution and communication method saved"
    DETAILS_CHANGE_REPORTED = "child.details_change_reported", "Change to a child's details reported"
    CHILD_RECORD_VIEWED = "child_record.viewed", "Child record viewed by staff"
