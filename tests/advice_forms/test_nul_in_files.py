"""A NUL (U+0000) in any text of an imported definition is refused naming its place: PostgreSQL, where the portal runs,
stores no NUL in text or jsonb, so a file carrying one in a description, a hint or guidance failed the import with a
server error there (SQLite kept it)."""

import pytest

from advice_forms.definition_format import FileRefused
from advice_forms.models import DropdownList, FormDefinition, Team
from advice_forms.services.definition_files import Lookups, form_definition_import
from cms.form_fields import ONE_LINE_ERROR
from tests.advice_forms.test_definition_files import _raw, _small_file

pytestmark = pytest.mark.django_db

NUL_ERROR = "Null characters are not allowed."  # Django's words, as the blocks' texts say it


def _set(doc, path, value):
    *parents, last = path
    for part in parents:
        doc = doc[part]
    doc[last] = value


@pytest.mark.parametrize(
    ("path", "place"),
    [
        (("description",), "description"),
        (
            ("sections", 0, "questions", 1, "hint"),
            "Section 1 “About you”, question “Interpreter needed?” (interpreter), hint",
        ),
        (("sections", 0, "guidance"), "Section 1 “About you”, guidance"),
        (("sections", 0, "questions", 0, "body"), "Section 1 “About you”, question “First”, body"),
        (("dropdown_lists", 0, "description"), "dropdown list “Languages”, description"),
    ],
)
def test_a_nul_in_a_multi_line_text_of_a_file_is_refused_naming_its_place(path, place):
    doc = _small_file()
    _set(doc, path, "<p>First line.\nNUL\x00here</p>")

    assert _refused(doc) == [f"{place}: {NUL_ERROR}"]


@pytest.mark.parametrize(
    ("path", "place", "message"),
    [
        (("dropdown_lists", 0, "name"), "dropdown list 1, name", ONE_LINE_ERROR),
        (("teams", 0, "name"), "Team 1, name", ONE_LINE_ERROR),
        (("teams", 0, "code"), "Team 1, code", ONE_LINE_ERROR),
        (("dropdown_lists", 0, "options", 1, "label"), "dropdown list “Languages”, option 2, label", ONE_LINE_ERROR),
        (
            ("sections", 0, "questions", 2, "dropdown_list"),
            "Section 1 “About you”, question “Language” (p2_language), dropdown_list",
            NUL_ERROR,
        ),
    ],
)
def test_a_nul_in_a_name_the_import_looks_up_is_refused_naming_its_place(path, place, message):
    """The name was refused, then looked up all the same: on PostgreSQL the look-up failed with a server error."""
    doc = _small_file()
    _set(doc, path, "Lang\x00uages")

    assert f"{place}: {message}" in _refused(doc)


def _refused(doc):
    with pytest.raises(FileRefused) as refused:
        form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE, publish=True)
    assert not FormDefinition.objects.exists() and not DropdownList.objects.exists()
    assert Team.objects.filter(code="ZZT").exists() is False
    return refused.value.messages
