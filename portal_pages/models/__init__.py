from portal_pages.models.accounts import AccountState, PortalUserManager, User
from portal_pages.models.documents import AccessRequest, Document, DocumentState
from portal_pages.models.inbox import InboxMessage
from portal_pages.models.involvement import (
    CommunicationMethod,
    ContactState,
    Contribution,
    ContributionMethod,
    DetailsChangeReport,
    ProfessionalContact,
)
from portal_pages.models.organisations import Organisation, OrganisationKind
from portal_pages.models.outcomes import Outcome, OutcomeState

__all__ = [
    "AccessRequest",
    "AccountState",
    "CommunicationMethod",
    "ContactState",
    "Contribution",
    "ContributionMethod",
    "DetailsChangeReport",
    "Document",
    "DocumentState",
    "InboxMessage",
    "Organisation",
    "OrganisationKind",
    "Outcome",
    "OutcomeState",
    "PortalUserManager",
    "ProfessionalContact",
    "User",
]
