"""Advice forms: Team and Type taxonomies, dropdown lists, form definitions and their frozen versions;
child records, advice requests and submissions."""

from advice_forms.models.casework import (
    EDITABLE_STATES,
    AdviceRequest,
    ChildRecord,
    ChildRecordStatus,
    RequestState,
    Submission,
)
from advice_forms.models.definitions import FormDefinition, FormDefinitionVersion, FormKind, FrozenVersionError
from advice_forms.models.taxonomies import DropdownList, DropdownOption, NeedType, Team

__all__ = [
    "EDITABLE_STATES",
    "AdviceRequest",
    "ChildRecord",
    "ChildRecordStatus",
    "RequestState",
    "Submission",
    "DropdownList",
    "DropdownOption",
    "FormDefinition",
    "FormDefinitionVersion",
    "FormKind",
    "FrozenVersionError",
    "NeedType",
    "Team",
]
