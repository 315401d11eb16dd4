"""Dropdown lists in the admin: values filled in for any number of new options, a "paste a list" box, and choice
questions that show their label when collapsed."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from advice_forms.blocks import FieldsBlock
from advice_forms.models import DOCUMENT_TYPES_PURPOSE, DropdownList
from advice_forms.record_forms import DocumentUploadForm
from tests.factories.advice_forms import LANGUAGES, document_types, dropdown_list, pdf_bytes

pytestmark = pytest.mark.django_db

ADD = reverse("wagtailsnippets_advice_forms_dropdownlist:add")
BOX = 'name="document_types"'  # the "Use this list for document types" checkbox (the Purpose help names it too)


def edit_url(dropdown):
    return reverse("wagtailsnippets_advice_forms_dropdownlist:edit", args=[dropdown.pk])


def list_post(options, *, initial=0, name="Languages", paste=""):
    forms = {}
    for index, option in enumerate(options):
        forms[str(index)] = {"ORDER": str(index), "DELETE": "", "id": "", "value": "", **option}
    forms.update(TOTAL_FORMS=str(len(options)), INITIAL_FORMS=str(initial), MIN_NUM_FORMS="0", MAX_NUM_FORMS="1000")
    return nested_form_data({"name": name, "description": "", "options": forms, "paste_options": paste})


def existing(dropdown):
    return [{"id": str(o.pk), "label": o.label, "value": o.value} for o in dropdown.options.all()]


def values(dropdown):
    return list(dropdown.options.order_by("sort_order").values_list("value", "label"))


def test_several_new_options_with_blank_values_save_with_values_from_their_labels(designer_client, languages):
    new = [{"label": "British Sign Language"}, {"label": "Polish"}, {"label": "Punjabi (Gurmukhi)"}]

    response = designer_client.post(edit_url(languages), list_post([*existing(languages), *new], initial=2))

    assert response.status_code == 302
    assert values(languages) == [
        *LANGUAGES,
        ("british_sign_language", "British Sign Language"),
        ("polish", "Polish"),
        ("punjabi_gurmukhi", "Punjabi (Gurmukhi)"),
    ]


def test_a_new_list_saves_several_options_with_blank_values(designer_client):
    response = designer_client.post(ADD, list_post([{"label": "Year 1"}, {"label": "Year 2"}], name="Years"))

    assert response.status_code == 302
    assert values(DropdownList.objects.get(name="Years")) == [("year_1", "Year 1"), ("year_2", "Year 2")]


def test_two_new_options_with_one_value_are_refused_beside_the_second(designer_client, languages):
    new = [{"label": "Polish"}, {"label": "polish"}]

    response = designer_client.post(edit_url(languages), list_post([*existing(languages), *new], initial=2))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Another option already has the value “polish”; each value must be unique" in html
    assert "Please correct the duplicate data" not in html
    assert languages.options.count() == 2


def test_options_in_another_alphabet_without_values_get_values_from_their_place_clear_of_the_values_typed(
    designer_client, languages
):
    """Every such label gave the value "option", so two Arabic options were refused ("Another option already has the
    value “option”"); a value made from a place never takes one typed for a later option, nor does a pasted one."""
    new = [{"label": "نعم"}, {"label": "لا"}, {"label": "Other", "value": "option_3"}]

    response = designer_client.post(
        edit_url(languages), list_post([*existing(languages), *new], initial=2, paste="ربما\nأبداً")
    )

    assert response.status_code == 302
    made = ["option_3_2", "option_4", "option_3", "option_6", "option_7"]
    assert values(languages) == [*LANGUAGES, *zip(made, ["نعم", "لا", "Other", "ربما", "أبداً"], strict=True)]


def test_a_pasted_list_adds_each_new_line_and_says_what_it_skipped(designer_client, languages):
    pasted = "French\n\nPolish\r\n  Urdu  \nfrench\n   \nWelsh\nPolish\nTigrinya\n"

    response = designer_client.post(edit_url(languages), list_post(existing(languages), initial=2, paste=pasted))

    assert response.status_code == 302
    assert values(languages) == [
        *LANGUAGES,
        ("french", "French"),
        ("polish", "Polish"),
        ("urdu", "Urdu"),
        ("tigrinya", "Tigrinya"),
    ]
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Added 4 options: French, Polish, Urdu, Tigrinya" in said
    assert "Skipped 3 lines already in the list: french, Welsh, Polish" in said


def test_a_pasted_line_that_an_option_added_in_the_same_save_has_is_skipped(designer_client, languages):
    data = list_post([*existing(languages), {"label": "Somali"}], initial=2, paste="Somali\nArabic")

    assert designer_client.post(edit_url(languages), data).status_code == 302

    assert [label for _v, label in values(languages)] == ["English", "Welsh", "Somali", "Arabic"]


def test_a_new_list_can_be_made_from_a_pasted_list_alone(designer_client):
    response = designer_client.post(ADD, list_post([], name="Year groups", paste="Reception\nYear 1\nYear 2"))

    assert response.status_code == 302
    made = DropdownList.objects.get(name="Year groups")
    assert values(made) == [("reception", "Reception"), ("year_1", "Year 1"), ("year_2", "Year 2")]


def test_a_pasted_line_too_long_for_a_label_is_refused_and_nothing_is_added(designer_client, languages):
    pasted = "Polish\n" + "x" * 256

    response = designer_client.post(edit_url(languages), list_post(existing(languages), initial=2, paste=pasted))

    assert response.status_code == 200
    assert "Line 2 is longer than 255 characters: shorten it" in response.content.decode()
    assert languages.options.count() == 2


def test_a_pasted_line_with_a_control_character_is_refused_and_nothing_is_added(designer_client, languages):
    """A pasted line loses its spaces and tabs, but a control character reached the option's label."""
    pasted = "Polish\nUrdu\x1b[2J"

    response = designer_client.post(edit_url(languages), list_post(existing(languages), initial=2, paste=pasted))

    assert response.status_code == 200
    assert "Line 2 has a character in it that cannot be seen: type it again" in response.content.decode()
    assert languages.options.count() == 2


def test_the_paste_box_is_on_the_add_and_edit_pages_with_its_label(designer_client, languages):
    for url in (ADD, edit_url(languages)):
        html = designer_client.get(url).content.decode()
        assert 'name="paste_options"' in html
        assert "Paste a list" in html


def test_every_question_kind_has_its_label_first_so_a_collapsed_question_shows_it():
    """Wagtail titles a collapsed struct block with its first child that has text: the question, not its list."""
    for name, block in FieldsBlock().child_blocks.items():
        first = next(iter(block.child_blocks))
        assert first == ("heading" if name == "guidance" else "label"), name
    single = list(FieldsBlock().child_blocks["single_choice"].child_blocks)
    assert single.index("label") < single.index("dropdown_list") < single.index("options")


def test_renaming_the_document_types_list_in_the_admin_keeps_uploads_working_and_the_list_kept(designer_client):
    """The list uploads choose their type from was found by its name: renaming it in the admin left every upload
    refused ("Select the type of document", with no type to choose), as deleting it had before it was kept."""
    types = document_types()
    page = designer_client.get(edit_url(types)).content.decode()
    assert "gives the types a professional chooses for an upload" in page  # the editor says what the list is for

    response = designer_client.post(
        edit_url(types), list_post(existing(types), initial=2, name="Kinds of document") | {"purpose": ""}
    )

    assert response.status_code == 302
    types.refresh_from_db()
    assert types.name == "Kinds of document" and types.purpose == DOCUMENT_TYPES_PURPOSE  # not changed by the post
    upload = DocumentUploadForm(
        {"title": "Speech and language therapy report", "document_type": "report"},
        {"file": SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf")},
    )
    assert upload.is_valid(), upload.errors
    response = designer_client.post(reverse("wagtailsnippets_advice_forms_dropdownlist:delete", args=[types.pk]))
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "“Kinds of document” gives the types professionals choose for an upload and names the type of every "
        "document filed, so it cannot be deleted. Retire its options instead."
    )
    assert DropdownList.objects.filter(pk=types.pk).exists()


def test_the_lists_index_says_which_list_gives_the_document_types_whatever_its_name(designer_client, languages):
    """Only the name and the option count were listed: after a rename, or a race to tick the box, a designer could
    not tell from the index which list uploads choose their type from."""
    types = document_types()
    DropdownList.objects.filter(pk=types.pk).update(name="Kinds of document")

    page = BeautifulSoup(
        designer_client.get(reverse("wagtailsnippets_advice_forms_dropdownlist:list")).content, "html.parser"
    )

    rows = {" ".join(row.get_text(" ", strip=True).split()) for row in page.select("tbody tr")}
    headers = [th.get_text(strip=True) for th in page.select("thead th")]
    assert "Purpose" in headers
    assert any(row.startswith("Kinds of document") and "Document types" in row for row in rows), rows
    assert any(row.startswith("Languages") and "None: only forms use this list" in row for row in rows), rows


def test_a_list_named_document_types_does_not_become_the_list_uploads_choose_from_by_its_name(designer_client):
    """A new list named "Document types" silently became the list of document types while none had that purpose: a
    designer naming a list so for a form's question changed what every upload offered, without being told."""
    response = designer_client.post(ADD, list_post([{"label": "Report"}], name="Document types"))

    assert response.status_code == 302
    assert DropdownList.objects.get(name="Document types").purpose == ""
    assert DocumentUploadForm().fields["document_type"].choices == [("", "Choose a type")]


def test_a_designer_makes_the_list_uploads_choose_from_by_ticking_it(designer_client):
    """On a portal with no demo content, a form designer makes the list by hand and says it is the document types."""
    assert BOX in designer_client.get(ADD).content.decode()
    response = designer_client.post(
        ADD, list_post([{"label": "Report"}], name="Kinds of upload") | {"document_types": "on"}
    )

    assert response.status_code == 302
    assert DropdownList.objects.get(purpose=DOCUMENT_TYPES_PURPOSE).name == "Kinds of upload"
    assert DocumentUploadForm().fields["document_type"].choices[1:] == [("report", "Report")]
    # Once there is one, neither a new list nor the list itself offers the box again.
    assert BOX not in designer_client.get(ADD).content.decode()
    types = DropdownList.objects.get(purpose=DOCUMENT_TYPES_PURPOSE)
    assert BOX not in designer_client.get(edit_url(types)).content.decode()


def test_a_tick_posted_after_another_list_became_the_document_types_is_answered_beside_the_box(designer_client):
    """Two designers setting up at once: the second ticked the box on a page drawn before the first saved. Its list
    is not saved without being told (nor its tick dropped): the box says why, and what was typed stays."""
    document_types()

    response = designer_client.post(ADD, list_post([{"label": "Letter"}], name="Other") | {"document_types": "on"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Another list has just become the list of document types. Untick this box to save this list" in html
    assert 'value="Other"' in html
    assert not DropdownList.objects.filter(name="Other").exists()


def test_a_refused_tick_no_longer_says_that_no_list_gives_the_types(designer_client):
    """The refused box still read "No list gives the types ... Tick this to make this list that one", beside the
    error saying another list just became it."""
    document_types()

    response = designer_client.post(ADD, list_post([{"label": "Letter"}], name="Other") | {"document_types": "on"})

    box = BeautifulSoup(response.content, "html.parser").find("section", id="panel-document_types-section")
    said = " ".join(box.get_text().split())
    assert "No list gives the types" not in said and "Tick this to make this list that one" not in said
    assert "Only one list gives the document types, and it is now “Document types”." in said


def _taken_only_after_clean(monkeypatch):
    """Another designer's list becomes the document types between this form's check and its save (both ticked in
    the same instant): the check finds none, the database's one-list-per-purpose rule then refuses the save."""
    from advice_forms.admin.forms import DropdownListAdminForm

    real = DropdownListAdminForm._document_types_taken
    calls = []

    def taken(form):
        calls.append(1)
        if len(calls) == 1:
            document_types()
            return False
        return real(form)

    monkeypatch.setattr(DropdownListAdminForm, "_document_types_taken", taken)


def test_two_designers_ticking_at_once_get_the_answer_beside_the_box_not_an_error_page(designer_client, monkeypatch):
    """Both ticks passed the form's check and the second save hit the database's unique rule: a 500 page."""
    _taken_only_after_clean(monkeypatch)

    response = designer_client.post(ADD, list_post([{"label": "Letter"}], name="Other") | {"document_types": "on"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Another list has just become the list of document types. Untick this box to save this list" in html
    assert "Only one list gives the document types, and it is now “Document types”." in html
    assert 'value="Other"' in html
    purpose = BeautifulSoup(html, "html.parser").find("section", id="panel-purpose-section")
    assert "None: only forms use this list" in purpose.get_text()  # not "Document types", as the refused save set it
    assert not DropdownList.objects.filter(name="Other").exists()
    assert DropdownList.objects.get(purpose=DOCUMENT_TYPES_PURPOSE).name == "Document types"
    # Unticked, the same list saves.
    again = designer_client.post(ADD, list_post([{"label": "Letter"}], name="Other"))
    assert again.status_code == 302
    assert DropdownList.objects.get(name="Other").purpose == ""


def test_two_designers_ticking_at_once_on_an_edit_page_get_the_answer_beside_the_box(
    designer_client, languages, monkeypatch
):
    _taken_only_after_clean(monkeypatch)

    response = designer_client.post(
        edit_url(languages), list_post(existing(languages), initial=2, name="Tongues") | {"document_types": "on"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Another list has just become the list of document types." in html
    assert 'value="Tongues"' in html
    assert "None: only forms use this list" in BeautifulSoup(html, "html.parser").find(id="panel-purpose-section").text
    languages.refresh_from_db()
    assert (languages.name, languages.purpose) == ("Languages", "")


def test_an_existing_list_is_made_the_list_uploads_choose_from_on_its_edit_page(designer_client):
    """A list named "Document types" imported with a definition, while no list had that purpose (uploads refused):
    its edit page offered no box, so the designer had to build the same list again by hand."""
    imported = dropdown_list("Document types", [("report", "Report")])
    assert BOX in designer_client.get(edit_url(imported)).content.decode()

    response = designer_client.post(
        edit_url(imported), list_post(existing(imported), initial=1, name="Document types") | {"document_types": "on"}
    )

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.purpose == DOCUMENT_TYPES_PURPOSE
    assert DocumentUploadForm().fields["document_type"].choices[1:] == [("report", "Report")]
    # Now it is the one, its page no longer offers the box, and a tick posted again changes nothing and says nothing.
    assert BOX not in designer_client.get(edit_url(imported)).content.decode()
    again = designer_client.post(
        edit_url(imported), list_post(existing(imported), initial=1, name="Document types") | {"document_types": "on"}
    )
    assert again.status_code == 302


def test_a_tick_on_an_edit_page_posted_after_another_list_became_the_document_types_is_answered_beside_it(
    designer_client, languages
):
    document_types()

    response = designer_client.post(
        edit_url(languages), list_post(existing(languages), initial=2) | {"document_types": "on"}
    )

    assert response.status_code == 200
    assert "Another list has just become the list of document types." in response.content.decode()
    languages.refresh_from_db()
    assert languages.purpose == ""


def test_the_purpose_and_the_box_read_plainly_on_the_add_and_edit_pages(designer_client, languages):
    """The box's panel showed Wagtail's ticked-box icon beside an unticked box, and just above it the read-only
    Purpose said "---------" and that the portal sets it, "never by its name", while the box below set it."""
    for url in (ADD, edit_url(languages)):
        soup = BeautifulSoup(designer_client.get(url).content, "html.parser")
        box = soup.find("section", id="panel-document_types-section")
        assert box.find("label").get_text(strip=True) == "Use this list for document types"
        assert box.select(".w-panel__toggle use")[0]["href"] == "#icon-placeholder"  # as Name's, not #icon-tick-inverse
        purpose = soup.find("section", id="panel-purpose-section")
        said = " ".join(purpose.get_text().split())
        assert "None: only forms use this list" in said and "---------" not in said
        assert "Set by ticking “Use this list for document types”" in said
        assert "never by its name" not in said
