"""The admin's form definition files: "Download as JSON", and "Import a form definition" with a preview that creates
nothing until the designer confirms; both refused (Wagtail's refusal) to staff without the permission."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from advice_forms.models import DropdownList, FormDefinition, Team
from advice_forms.services.definition_files import form_definition_export
from cms.models import AuditEntry
from cms.pdf_checks import UploadProblem
from tests.advice_forms.test_definition_files import _small_file
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.advice_forms import definition, dropdown_list, question, section
from tests.multipart import post_raw_multipart
from tests.refusals import refused_by_wagtail

pytestmark = pytest.mark.django_db

IMPORT = "advice_forms_definition_files:import"


def _download_url(pk):
    return reverse("advice_forms_definition_files:download", args=[pk])


def _upload(doc, name="from-another-council.json"):
    body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


@pytest.fixture
def small_definition():
    return definition(
        [section("About", [question("short_text", "Name of the school", key="school_name")], key="about")],
        title="Small ERSA",
    ).definition


def test_a_designer_downloads_a_definition_as_its_file(designer_client, form_designer, small_definition):
    response = designer_client.get(_download_url(small_definition.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="small-ersa.json"'
    assert response.content.decode() == form_definition_export(definition=small_definition)
    assert json.loads(response.content)["sections"][0]["questions"][0]["key"] == "school_name"
    entry = AuditEntry.objects.get(action="form_definition.exported")
    assert entry.actor == form_designer and entry.target_id == str(small_definition.pk)


def test_the_list_of_definitions_offers_the_download(designer_client, small_definition):
    response = designer_client.get(reverse("wagtailsnippets_advice_forms_formdefinition:list"))
    assert "Download as JSON" in response.content.decode()
    assert _download_url(small_definition.pk) in response.content.decode()


def test_the_edit_screen_offers_the_download(designer_client, small_definition):
    response = designer_client.get(
        reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[small_definition.pk])
    )
    text = response.content.decode()
    assert "Download as JSON" in text and _download_url(small_definition.pk) in text


def test_an_unknown_definition_is_not_found(designer_client):
    assert designer_client.get(_download_url(999999)).status_code == 404


def test_staff_without_the_permissions_are_refused(caseworker_client, small_definition):
    assert refused_by_wagtail(caseworker_client.get(_download_url(small_definition.pk)))
    assert refused_by_wagtail(caseworker_client.get(reverse(IMPORT)))
    before = FormDefinition.objects.count()
    response = caseworker_client.post(reverse(IMPORT), {"file": _upload(_small_file()), "lookups": "create"})
    assert refused_by_wagtail(response)
    assert refused_by_wagtail(caseworker_client.post(reverse(IMPORT), {"confirm": "yes"}))
    assert FormDefinition.objects.count() == before
    assert not AuditEntry.objects.filter(action="form_definition.exported").exists()


def test_staff_who_may_only_view_definitions_download_but_do_not_import(client, small_definition):
    viewer = staff_in_group("Definition readers")
    Group.objects.get(name="Definition readers").permissions.add(
        Permission.objects.get(content_type__app_label="advice_forms", codename="view_formdefinition")
    )
    verified_login(client, viewer)
    assert client.get(_download_url(small_definition.pk)).status_code == 200
    assert refused_by_wagtail(client.get(reverse(IMPORT)))
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Import a form definition" not in menu


def test_import_previews_then_creates_only_on_confirmation(designer_client):
    assert "Import a form definition" in designer_client.get(reverse("wagtailadmin_home")).content.decode()
    page = designer_client.get(reverse(IMPORT))
    assert page.status_code == 200 and "Form definition file" in page.content.decode()

    preview = designer_client.post(reverse(IMPORT), {"file": _upload(_small_file()), "lookups": "create"})
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "Check what the file will create" in text
    assert "Imported advice" in text and "2 sections" in text and "4 questions" in text
    assert "1. About you</td><td>3</td>" in text.replace("\n", "")
    lookups = text[text.index('id="import-lookups"') :]
    assert "<dt>Dropdown lists to create</dt>\n  <dd>Languages</dd>" in lookups
    assert "<dt>Team and Type terms to create</dt>\n  <dd>Team ZZT</dd>" in lookups
    # The preview created nothing.
    assert not FormDefinition.objects.filter(title="Imported advice").exists()
    assert not DropdownList.objects.filter(name="Languages").exists()
    assert not Team.objects.filter(code="ZZT").exists()

    done = designer_client.post(reverse(IMPORT), {"confirm": "yes"})
    created = FormDefinition.objects.get(title="Imported advice")
    assert done.status_code == 302
    assert done["Location"] == reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[created.pk])
    assert not created.live and created.latest_revision is not None
    assert DropdownList.objects.filter(name="Languages").exists() and Team.objects.filter(code="ZZT").exists()
    # A second confirmation finds no waiting file and creates nothing more.
    again = designer_client.post(reverse(IMPORT), {"confirm": "yes"}, follow=True)
    assert "Upload the file again" in again.content.decode()
    assert FormDefinition.objects.filter(title="Imported advice").count() == 1


def test_a_refused_file_shows_each_problem_beside_the_file_field_in_the_files_order(designer_client):
    """They sat in a box above the page's text, the file field's own error slot empty; a file that is not JSON was
    shown beside the field. Now both are: the summary links each problem to the field, which lists them, one a line,
    in the order of their places in the file (the Team term, then section 1's list, then section 2's kind)."""
    doc = _small_file()
    doc["sections"][1]["questions"].append({"kind": "signature", "label": "Sign", "key": "sig"})
    before = (FormDefinition.objects.count(), DropdownList.objects.count())
    response = designer_client.post(reverse(IMPORT), {"file": _upload(doc), "lookups": "match"})
    assert response.status_code == 200
    problems = [
        "Team “ZZT”: unknown Team term",
        "Section 1 “About you”, question “Language” (p2_language): unknown dropdown list “Languages”",
        "Section 2 “Contacts”, question “Sign” (sig): unknown kind “signature”; use one of: short_text, long_text, "
        "number, date, email, phone, yes_no, single_choice, multiple_choice, declaration, guidance, address, money, "
        "file, child_details, record_outcomes, record_contacts, record_contribution, outcomes, professional_contacts, "
        "views, table",
    ]
    assert response.context["form"].errors["file"] == problems
    html = BeautifulSoup(response.content, "html.parser")
    summary = html.select_one("#import-problems")
    assert summary.h2.get_text() == "There is a problem"
    assert "Nothing was created: the file has 3 problems that stop the import." in summary.get_text()
    assert [(a["href"], a.get_text()) for a in summary.select("li a")] == [("#id_file", p) for p in problems]
    beside = html.select_one("#id_file-errors")
    assert [li.get_text() for li in beside.select("li")] == problems
    assert "id_file-errors" in html.select_one("#id_file")["aria-describedby"].split()
    assert (FormDefinition.objects.count(), DropdownList.objects.count()) == before


def test_the_file_fields_hint_gives_its_largest_size_in_the_portals_words(designer_client):
    html = BeautifulSoup(designer_client.get(reverse(IMPORT)).content, "html.parser")
    hint = html.select_one("#id_file-helptext").get_text()
    assert "at most 2 MB." in hint and "KB" not in hint


def test_matching_refuses_a_list_the_portal_does_not_have(designer_client):
    response = designer_client.post(reverse(IMPORT), {"file": _upload(_small_file()), "lookups": "match"})
    text = response.content.decode()
    assert "Section 1 “About you”, question “Language” (p2_language): unknown dropdown list “Languages”" in text
    assert not DropdownList.objects.filter(name="Languages").exists()


CREATE_THEM = (
    "The file describes each of these dropdown lists and terms, and this portal does not have them yet: under "
    "“Dropdown lists and Team and Type terms”, choose “Use the lists and terms this portal has, and create those "
    "that are missing” to create them from the file, then choose the file again (a browser does not keep a chosen "
    "file when a page comes back with problems)."
)


def test_a_file_refused_only_for_lists_it_describes_says_which_choice_creates_them(designer_client):
    """The command says to run again with --lookups create; the page said nothing of its own choice that does."""
    response = designer_client.post(reverse(IMPORT), {"file": _upload(_small_file()), "lookups": "match"})
    summary = BeautifulSoup(response.content, "html.parser").find(id="import-problems").get_text(" ", strip=True)
    assert CREATE_THEM in " ".join(summary.split())

    other_problems = designer_client.post(
        reverse(IMPORT), {"file": _upload(_small_file(kind="no_such_kind")), "lookups": "match"}
    )
    assert "choose “Use the lists" not in other_problems.content.decode()
    created = designer_client.post(reverse(IMPORT), {"file": _upload(_small_file()), "lookups": "create"})
    assert "Check what the file will create" in created.content.decode()


def test_no_file_or_a_bad_one_is_explained_beside_the_field(designer_client):
    response = designer_client.post(reverse(IMPORT), {"lookups": "match"})
    assert "Choose a form definition file to import" in response.content.decode()
    response = designer_client.post(reverse(IMPORT), {"file": _upload(b"{not json"), "lookups": "match"})
    assert "The file is not valid JSON: Expecting property name enclosed in double quotes at line 1" in (
        response.content.decode()
    )
    response = designer_client.post(
        reverse(IMPORT), {"file": _upload(b" " * (2 * 1024 * 1024 + 1)), "lookups": "match"}
    )
    assert "a form definition file can be at most 2 MB" in response.content.decode()
    assert FormDefinition.objects.count() == 0


def test_an_empty_post_asks_for_the_file_and_the_choice_beside_each_field(designer_client):
    """A post with nothing in it (a script, a dropped body) showed the blank page of a first visit."""
    html = designer_client.post(reverse(IMPORT), {}).content.decode()
    assert "Choose a form definition file to import" in html
    assert "Choose how to treat dropdown lists and terms" in html
    assert FormDefinition.objects.count() == 0


def test_a_confirmation_checks_again(designer_client):
    """A list created by someone else between the preview and the confirmation is matched, not made twice."""
    designer_client.post(reverse(IMPORT), {"file": _upload(_small_file()), "lookups": "create"})
    DropdownList.objects.create(name="Languages")
    designer_client.post(reverse(IMPORT), {"confirm": "yes"})
    assert DropdownList.objects.filter(name="Languages").count() == 1
    created = FormDefinition.objects.get(title="Imported advice")
    field = created.get_latest_revision_as_object().sections[0].value["fields"][2]
    assert field.value["dropdown_list"] == DropdownList.objects.get(name="Languages")


def test_a_confirmation_refused_says_why_beside_the_file_field(designer_client):
    """A list removed between the preview and the confirmation: the problem is shown where an upload's are."""
    languages = dropdown_list("Languages", [("english", "English"), ("polish", "Polish")])
    Team.objects.create(code="ZZT", name="Zeta team")
    preview = designer_client.post(reverse(IMPORT), {"file": _upload(_small_file()), "lookups": "match"})
    assert "Check what the file will create" in preview.content.decode()
    languages.delete()

    response = designer_client.post(reverse(IMPORT), {"confirm": "yes"})

    problem = "Section 1 “About you”, question “Language” (p2_language): unknown dropdown list “Languages”"
    assert response.context["form"].errors["file"] == [problem]
    html = BeautifulSoup(response.content, "html.parser")
    assert [li.get_text() for li in html.select("#id_file-errors li")] == [problem]
    assert [a["href"] for a in html.select("#import-problems li a")] == ["#id_file"]
    assert not FormDefinition.objects.exists()


def test_a_deeply_nested_file_is_refused_beside_the_file_field(designer_client):
    """A pentest's 100 KB of "[" then "]" answered 500: the JSON parser's RecursionError was not caught."""
    response = designer_client.post(
        reverse(IMPORT), {"file": _upload(b"[" * 50_000 + b"]" * 50_000), "lookups": "match"}
    )
    assert response.status_code == 200
    message = (
        "This is not a form definition file: its lists and objects nest more than 32 levels deep, and a form's nest "
        "fewer than ten"
    )
    assert response.context["form"].errors["file"] == [message]
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert FormDefinition.objects.count() == 0


def test_a_title_with_a_character_that_cannot_be_seen_is_refused_naming_it_and_nothing_is_stored(designer_client):
    """A title's BEL, a label's text direction override: refused at their place, as the admin refuses them."""
    doc = _small_file(title="Pentest\x07NL")
    doc["sections"][0]["questions"][1]["label"] = "Interpreter \u202e?dedeen"
    response = designer_client.post(reverse(IMPORT), {"file": _upload(doc), "lookups": "create"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "title: Type the text again: it has a character in it that cannot be seen" in text
    assert "Section 1 “About you”, question 2 (interpreter), label: Remove the hidden text-direction character" in text
    assert not FormDefinition.objects.exists() and not DropdownList.objects.exists()
    assert "advice_forms.definition_import" not in designer_client.session  # no preview waits to be confirmed


def test_importing_a_form_named_and_labelled_as_a_published_one_warns_in_the_preview_and_after(designer_client):
    """The demo's ERSA file imported a second time said nothing of the published ERSA of the same version."""
    definition(
        [section("About", [question("short_text", "Name", key="n")], key="about")],
        title="Imported advice",
        version_label="IMP1",
    )
    warning = "Another published form is also called “Imported advice”, version IMP1"

    preview = designer_client.post(reverse(IMPORT), {"file": _upload(_small_file()), "lookups": "create"})
    assert warning in preview.content.decode()
    done = designer_client.post(reverse(IMPORT), {"confirm": "yes"}, follow=True)

    assert FormDefinition.objects.filter(title="Imported advice").count() == 2  # a warning, not a refusal
    assert warning in done.content.decode()


def test_importing_a_form_with_its_own_title_says_nothing_of_other_forms(designer_client, small_definition):
    preview = designer_client.post(reverse(IMPORT), {"file": _upload(_small_file()), "lookups": "create"})
    assert "Another published form" not in preview.content.decode()


def _raw_import(client, filename: bytes, body: bytes):
    return post_raw_multipart(
        client, reverse(IMPORT), {"lookups": "create"}, "file", filename, body, "application/json"
    )


@pytest.mark.parametrize(
    "filename",
    [b"..\\forms\\ersa.json", b"../forms/ersa.json", "ersa\u202enosj.json".encode(), "\u200b".encode()],
    ids=["backslashes", "slashes", "right-to-left-override", "nothing-but-a-zero-width-space"],
)
def test_a_file_name_with_a_slash_or_a_hidden_character_is_refused_beside_the_field_and_nothing_is_imported(
    designer_client, filename
):
    response = _raw_import(designer_client, filename, json.dumps(_small_file()).encode())

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [UploadProblem.BAD_NAME]
    assert response.content.decode().count(UploadProblem.BAD_NAME) == 2  # beside the field and in the summary
    assert "advice_forms.definition_import" not in designer_client.session
    assert not FormDefinition.objects.exists() and not DropdownList.objects.exists()
