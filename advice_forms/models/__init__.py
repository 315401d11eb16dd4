"""Advice forms: Team and Type taxonomies, dropdown lists, form definitions and their frozen versions."""

from advice_forms.models.definitions import FormDefinition, FormDefinitionVersion, FormKind, FrozenVersionError
from advice_forms.models.taxonomies import DropdownList, DropdownOption, NeedType, Team

__all__ = [
    "DropdownList",
    "DropdownOption",
    "FormDefinition",
    "FormDefinitionVersion",
    "FormKind",
    "FrozenVersionError",
    "NeedType",
    "Team",
]
