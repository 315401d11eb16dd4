from portal_pages.models.accounts import AccountState, PortalUserManager, User
from portal_pages.models.organisations import Organisation, OrganisationKind

__all__ = ["AccountState", "Organisation", "OrganisationKind", "PortalUserManager", "User"]
