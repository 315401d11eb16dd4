from portal_pages.models.accounts import (
    SHOWN_STATES,
    SIGN_IN_STATES,
    SWITCHED_OFF,
    AccountState,
    PortalUserManager,
    User,
    shown_state_q,
    signs_in_q,
)
from portal_pages.models.devices import UsedBackupCode
from portal_pages.models.inbox import InboxMessage
from portal_pages.models.organisations import (
    SETTING_KINDS,
    JoinRequest,
    JoinRequestState,
    Organisation,
    OrganisationKind,
)

__all__ = [
    "AccountState",
    "InboxMessage",
    "JoinRequest",
    "JoinRequestState",
    "Organisation",
    "OrganisationKind",
    "PortalUserManager",
    "SETTING_KINDS",
    "SHOWN_STATES",
    "SIGN_IN_STATES",
    "SWITCHED_OFF",
    "UsedBackupCode",
    "User",
    "shown_state_q",
    "signs_in_q",
]
