"""The audit entry of a change of an account's staff roles (its role groups) or of its superuser status, wherever a
superuser makes it (Wagtail's user add and edit screens, its bulk "Assign role", a role group deleted): who, which
account, the roles added and removed by group name and the superuser change; nothing else of the account."""

from dataclasses import dataclass

from cms.services import audit_record, audit_records_write
from portal_pages.events import AccountEvent
from portal_pages.models import User


@dataclass(frozen=True)
class Roles:
    groups: frozenset[str]
    is_superuser: bool


NO_ROLES = Roles(groups=frozenset(), is_superuser=False)  # a new account's, before it is saved


def account_roles(user: User) -> Roles:
    """The account's role groups (by name) and superuser status as saved: read before a change, and after it."""
    saved = User.objects.filter(pk=user.pk).values_list("is_superuser", flat=True).first()
    return Roles(groups=frozenset(user.groups.values_list("name", flat=True)), is_superuser=bool(saved))


def account_roles_changed(*, user: User, before: Roles, actor=None, request=None) -> None:
    """Audit one entry for what changed since ``before`` (``account_roles`` read before the save); nothing when
    neither the role groups nor the superuser status changed."""
    after = account_roles(user)
    if after == before:
        return
    data = {"roles_added": sorted(after.groups - before.groups), "roles_removed": sorted(before.groups - after.groups)}
    if after.is_superuser != before.is_superuser:
        data["is_superuser"] = after.is_superuser
    audit_record(action=AccountEvent.ROLES_CHANGED, actor=actor, target=user, request=request, data=data)


def accounts_role_removed(*, accounts, role: str, actor=None, request=None) -> None:
    """Audit, for each of ``accounts``, the role group named ``role`` taken away (the group deleted), as
    ``account_roles_changed`` words it, in one query whatever their number."""
    data = {"roles_added": [], "roles_removed": [role]}
    entries = [
        audit_record(
            action=AccountEvent.ROLES_CHANGED, actor=actor, target=account, request=request, data=data, commit=False
        )
        for account in accounts
    ]
    audit_records_write(entries)
