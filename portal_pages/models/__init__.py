from portal_pages.models.accounts import AccountState, PortalUserManager, User
from portal_pages.models.inbox import InboxMessage
from portal_pages.models.organisations import JoinRequest, JoinRequestState, Organisation, OrganisationKind

__all__ = [
    "AccountState",
    "InboxMessage",
    "JoinRequest",
    "JoinRequestState",
    "Organisation",
    "OrganisationKind",
    "PortalUserManager",
    "User",
]
