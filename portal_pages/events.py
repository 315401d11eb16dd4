"""The one list of account events written to the shared audit log (cms.services.audit_record): registration,
sign-in and sign-out, two-factor devices, password resets, dormancy, an account switched off or on, an account
moved to another organisation, an account deleted, an account's role groups or superuser status changed; a role
group made, its permissions or name changed, or deleted (Settings → Groups). The audit log labels and filters by them
(registered in wagtail_hooks.py); a child's advice has its own list, advice_forms.events.

A value is what audit entries store: never change one, or old entries lose their meaning; add a new name instead.
"""

from django.db import models


class AccountEvent(models.TextChoices):
    REGISTERED = "account.registered", "Registered"
    VERIFIED = "account.verified", "Email address confirmed"
    INVITED = "account.invited", "Invited by staff"
    INVITATION_ACCEPTED = "account.invitation_accepted", "Invitation accepted"
    SIGNED_IN = "account.signed_in", "Signed in"
    SIGN_IN_FAILED = "account.sign_in_failed", "Failed sign-in"
    CODE_FAILED = "account.code_failed", "Wrong authenticator code"
    CODE_REFUSED_WAITING = "account.code_refused_waiting", "Code not tried: waiting after wrong codes"
    LOCKED_OUT = "account.locked_out", "Locked out after failed sign-ins"
    SIGNED_OUT = "account.signed_out", "Signed out"
    TIMED_OUT = "account.timed_out", "Signed out after a time-out"
    DEVICE_ADDED = "account.device_added", "Authenticator device added"
    DEVICE_REMOVED = "account.device_removed", "Authenticator device removed"
    BACKUP_CODE_USED = "account.backup_code_used", "Backup code used"
    BACKUP_CODES_REGENERATED = "account.backup_codes_regenerated", "Backup codes created"
    PASSWORD_RESET_REQUESTED = "account.password_reset_requested", "Password reset asked for"
    PASSWORD_RESET = "account.password_reset", "Password reset"
    PASSWORD_LINK_SENT = "account.password_link_sent", "Password link or invitation sent by a superuser"
    DORMANT = "account.dormant", "Marked dormant"
    REACTIVATED = "account.reactivated", "Reactivated"
    DEACTIVATED = "account.deactivated", "Deactivated (switched off)"
    DEVICES_RESET = "account.devices_reset", "Two-factor devices reset by an administrator"
    JOIN_REQUESTED = "account.join_requested", "Asked to join (organisation not listed)"
    JOIN_APPROVED = "account.join_approved", "Request to join approved"
    JOIN_REFUSED = "account.join_refused", "Request to join refused"
    ORGANISATION_CHANGED = "account.organisation_changed", "Moved to another organisation by an administrator"
    DELETED = "account.deleted", "Deleted by staff"
    ROLES_CHANGED = "account.roles_changed", "Staff roles or superuser status changed"
    ROLE_GROUP_CREATED = "role_group.created", "Role group created"
    ROLE_GROUP_CHANGED = "role_group.changed", "Role group's permissions or name changed"
    ROLE_GROUP_DELETED = "role_group.deleted", "Role group deleted"
