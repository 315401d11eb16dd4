"""manage.py export_form_definition and import_form_definition, and the format's documentation."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from advice_forms import demo
from advice_forms.definition_format import SCHEMA_VERSION
from advice_forms.models import DropdownList, FormDefinition, FormKind
from advice_forms.services.definition_files import form_definition_import
from tests.advice_forms.test_definition_files import DOCS, _small_file


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def demo_forms(db):
    demo.load(io.StringIO())


def test_export_by_slug_writes_the_file_to_standard_output(demo_forms):
    out, _err = _run("export_form_definition", "request-for-an-ehc-needs-assessment-ersa")
    assert out.encode() == demo.form_file("ersa.json")


def test_export_by_id_writes_to_a_file(demo_forms, tmp_path):
    appendix_b = FormDefinition.objects.get(kind=FormKind.APPENDIX_B)
    target = tmp_path / "appendix-b.json"
    _out, err = _run("export_form_definition", str(appendix_b.pk), "--output", str(target))
    assert target.read_bytes() == demo.form_file("appendix-b.json")
    assert f"to {target}" in err


def test_export_of_an_unknown_slug_says_so(db):
    with pytest.raises(CommandError, match="No form definition has the slug or id 'nothing-here'"):
        _run("export_form_definition", "nothing-here")


def test_export_of_a_number_in_other_digits_says_no_form_has_it(db):
    """A "²" passes str.isdigit(), and int() refused it: the command ended in a ValueError's traceback."""
    with pytest.raises(CommandError, match="No form definition has the slug or id '²'"):
        _run("export_form_definition", "²")


def test_export_names_the_ids_when_a_slug_is_ambiguous(demo_forms):
    ersa = FormDefinition.objects.get(kind=FormKind.ERSA)
    out, _ = _run("export_form_definition", str(ersa.pk))
    copy = form_definition_import(raw=out).definition
    with pytest.raises(CommandError, match=f"ids {ersa.pk}, {copy.pk}"):
        _run("export_form_definition", "request-for-an-ehc-needs-assessment-ersa")


def test_import_creates_a_draft_and_reports_what_it_made(db, tmp_path):
    source = tmp_path / "form.json"
    source.write_text(json.dumps(_small_file()))
    out, _ = _run("import_form_definition", str(source), "--lookups", "create")
    created = FormDefinition.objects.get(title="Imported advice")
    assert "Created a draft form definition with 2 sections and 4 questions." in out
    assert f"Its id is {created.pk}." in out
    assert "Dropdown lists created: Languages" in out and "Terms created: Team ZZT" in out
    assert not created.live


def test_import_can_publish_and_a_dry_run_creates_nothing(db, tmp_path):
    source = tmp_path / "form.json"
    source.write_text(json.dumps(_small_file()))
    out, _ = _run("import_form_definition", str(source), "--lookups", "create", "--dry-run")
    assert "Would create a draft form definition" in out
    assert not FormDefinition.objects.exists() and not DropdownList.objects.exists()
    _run("import_form_definition", str(source), "--lookups", "create", "--publish")
    assert FormDefinition.objects.get(title="Imported advice").versions.count() == 1


def test_importing_a_file_again_warns_that_a_published_form_has_its_title_and_version(db, tmp_path):
    source = tmp_path / "form.json"
    source.write_text(json.dumps(_small_file()))
    first, _ = _run("import_form_definition", str(source), "--lookups", "create", "--publish")
    again, _ = _run("import_form_definition", str(source), "--lookups", "create", "--publish")

    warning = "Another published form is also called “Imported advice”, version IMP1"
    assert warning not in first and warning in again
    assert FormDefinition.objects.filter(title="Imported advice", live=True).count() == 2


def test_import_refuses_a_bad_file_naming_each_problem_and_creating_nothing(db, tmp_path):
    source = tmp_path / "form.json"
    source.write_text(json.dumps(_small_file()))
    with pytest.raises(CommandError) as refused:
        _run("import_form_definition", str(source))  # match: the portal has no list "Languages"
    assert str(refused.value) == (
        "Nothing was created. The file has these problems:\n"
        "- Team “ZZT”: unknown Team term\n"
        "- Section 1 “About you”, question “Language” (p2_language): unknown dropdown list “Languages”\n"
        "The file describes each of these dropdown lists and terms, and this portal does not have them yet: run the "
        "command again with --lookups create to create them from the file."
    )
    assert not FormDefinition.objects.exists()
    with pytest.raises(CommandError, match="There is no file"):
        _run("import_form_definition", str(tmp_path / "missing.json"))


def test_the_first_import_of_a_demo_form_on_an_empty_portal_names_the_option_that_creates_its_lists(db):
    """README's first deployment imported advice_forms/demo_forms/ersa.json with --publish alone: refused, and nothing
    said that --lookups create was the way on."""
    source = str(demo.DEMO_FORMS / "ersa.json")
    with pytest.raises(CommandError) as refused:
        _run("import_form_definition", source, "--publish")
    assert "unknown dropdown list “Year groups”" in str(refused.value)
    assert str(refused.value).endswith("run the command again with --lookups create to create them from the file.")
    assert not FormDefinition.objects.exists()

    out, _ = _run("import_form_definition", source, "--publish", "--lookups", "create")
    assert "Created a published form definition" in out


def test_a_file_with_other_problems_too_gets_no_hint_about_lookups(db, tmp_path):
    source = tmp_path / "form.json"
    source.write_text(json.dumps(_small_file(kind="no_such_kind")))
    with pytest.raises(CommandError) as refused:
        _run("import_form_definition", str(source))
    assert "unknown dropdown list “Languages”" in str(refused.value)
    assert "--lookups" not in str(refused.value)


def test_the_command_help_says_a_new_portal_imports_with_lookups_create(capsys):
    with pytest.raises(SystemExit):
        call_command("import_form_definition", "--help")
    assert "A new portal has no lists or terms yet: import its first forms with --lookups create." in " ".join(
        capsys.readouterr().out.split()
    )


def test_the_documented_format_names_the_schema_version_the_code_writes():
    text = DOCS.read_text()
    assert f'"schema_version": {SCHEMA_VERSION}' in text
    assert f"Schema version {SCHEMA_VERSION}" in text


def test_the_documentation_names_every_question_kind_and_setting():
    from advice_forms.definition_format import sections_block

    text = DOCS.read_text()
    fields = sections_block().child_blocks["section"].child_blocks["fields"]
    for kind, block in fields.child_blocks.items():
        assert f"`{kind}`" in text, kind
        for setting in block.child_blocks:
            assert f"`{setting}`" in text, f"{kind}.{setting}"


def test_import_refuses_a_deeply_nested_file_in_one_line(db, tmp_path):
    """A file of 50,000 "[" then "]" ended the command with a RecursionError's traceback."""
    source = tmp_path / "deep.json"
    source.write_bytes(b"[" * 50_000 + b"]" * 50_000)
    with pytest.raises(CommandError) as refused:
        _run("import_form_definition", str(source))
    assert str(refused.value) == (
        "Nothing was created. This is not a form definition file: its lists and objects nest more than 32 levels "
        "deep, and a form's nest fewer than ten."
    )
    assert not FormDefinition.objects.exists()


def test_import_refuses_a_title_with_a_character_that_cannot_be_seen(db, tmp_path):
    source = tmp_path / "form.json"
    source.write_text(json.dumps(_small_file(title="Pentest NL\x1b[2J")))
    with pytest.raises(CommandError) as refused:
        _run("import_form_definition", str(source), "--lookups", "create")
    assert str(refused.value) == (
        "Nothing was created. The file has these problems:\n"
        "- title: Type the text again: it has a character in it that cannot be seen"
    )
    assert not FormDefinition.objects.exists()


def test_a_refused_import_lists_what_stops_only_publishing_after_what_stops_the_import(db, tmp_path):
    doc = _small_file()
    doc["sections"][0]["questions"][1]["colour"] = "red"
    doc["sections"].append({"title": "Nothing here", "key": "nothing", "questions": []})
    source = tmp_path / "form.json"
    source.write_text(json.dumps(doc))
    with pytest.raises(CommandError) as refused:
        _run("import_form_definition", str(source), "--lookups", "create")
    lines = str(refused.value).splitlines()
    assert lines[0] == "Nothing was created. The file has these problems:"
    assert "unknown entry “colour”" in lines[1]
    assert lines[2:] == [
        "These stop only publishing, not the import: fix them too.",
        "- Section 3 “Nothing here”: This section is empty: add a question or some guidance to it",
    ]
    assert not FormDefinition.objects.exists()
