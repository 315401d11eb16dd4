"""Advice forms: Team and Type taxonomies, dropdown lists, form definitions and their frozen versions;
child records, advice requests and submissions; a child's documents, outcomes, professional involvement,
contributions and reported changes to its details."""

from advice_forms.models.casework import AdviceRequest, ChildRecord, ChildRecordStatus, Submission, SubmissionReturn
from advice_forms.models.definitions import (
    FormDefinition,
    FormDefinitionVersion,
    FormKind,
    FrozenVersionError,
    UnkeyedVersionError,
)
from advice_forms.models.documents import (
    FORM_EVIDENCE,
    SUBMITTED_ADVICE,
    AccessRequest,
    AccessRequestState,
    Document,
    DocumentState,
    document_types_list,
    document_types_read_once,
    newest_submission_number,
    sent_with_form,
)
from advice_forms.models.involvement import (
    CommunicationMethod,
    ContactState,
    Contribution,
    ContributionMethod,
    DetailsChangeReport,
    ProfessionalContact,
)
from advice_forms.models.outcomes import Outcome, OutcomeState
from advice_forms.models.taxonomies import (
    DOCUMENT_TYPES_LIST,
    DOCUMENT_TYPES_PURPOSE,
    DropdownList,
    DropdownOption,
    NeedType,
    Team,
)

# The request's states are the workflow's (advice_forms.workflow); here too as the state field's choices.
from advice_forms.workflow import EDITABLE_STATES, RequestState

__all__ = [
    "DOCUMENT_TYPES_PURPOSE",
    "DOCUMENT_TYPES_LIST",
    "EDITABLE_STATES",
    "FORM_EVIDENCE",
    "SUBMITTED_ADVICE",
    "AccessRequest",
    "AccessRequestState",
    "AdviceRequest",
    "ChildRecord",
    "ChildRecordStatus",
    "CommunicationMethod",
    "ContactState",
    "Contribution",
    "ContributionMethod",
    "DetailsChangeReport",
    "Document",
    "DocumentState",
    "DropdownList",
    "DropdownOption",
    "FormDefinition",
    "FormDefinitionVersion",
    "FormKind",
    "FrozenVersionError",
    "UnkeyedVersionError",
    "NeedType",
    "Outcome",
    "OutcomeState",
    "ProfessionalContact",
    "RequestState",
    "Submission",
    "SubmissionReturn",
    "Team",
    "document_types_list",
    "document_types_read_once",
    "newest_submission_number",
    "sent_with_form",
]
