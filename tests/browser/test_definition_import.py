"""A form designer imports another council's form in a real Chromium: upload, a preview that passes axe with one h1,
confirm; and downloads a definition from the list's "More options"."""

import json

import pytest
from django.urls import reverse

from advice_forms.models import DropdownList, FormDefinition
from tests.advice_forms.test_definition_files import _small_file
from tests.factories.accounts import SuperuserFactory, TOTPDeviceFactory, verified_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_designer_imports_a_form_after_a_preview(live_server, home_page, client, page, axe_violations, tmp_path):
    # Transactional tests flush the migrated groups, so a superuser stands in for the form designer here.
    designer = SuperuserFactory()
    TOTPDeviceFactory(user=designer)
    verified_login(client, designer)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    bad = tmp_path / "bad.json"
    doc = _small_file()
    doc["sections"][1]["questions"].append({"kind": "signature", "label": "Sign", "key": "sig"})
    bad.write_text(json.dumps(doc))
    good = tmp_path / "other-council.json"
    good.write_text(json.dumps(_small_file()))

    page.goto(live_server.url + reverse("advice_forms_definition_files:import"))
    assert page.locator("h1").all_inner_texts() == ["Import a form definition"]
    assert axe_violations(page) == []

    # A bad file: every problem named, nothing created.
    page.get_by_label("Form definition file").set_input_files(str(bad))
    page.get_by_label("Use the lists and terms this portal has, and create those that are missing").check()
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator("#import-problems")
    assert "Section 2 “Contacts”, question “Sign” (sig): unknown kind “signature”" in problems.inner_text()
    beside = page.locator("#id_file-errors")
    assert "Section 2 “Contacts”, question “Sign” (sig): unknown kind “signature”" in beside.inner_text()
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)
    assert not FormDefinition.objects.exists()

    page.get_by_label("Form definition file").set_input_files(str(good))
    page.get_by_label("Use the lists and terms this portal has, and create those that are missing").check()
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Check what the file will create").wait_for()
    assert page.locator("h1").all_inner_texts() == ["Import a form definition"]
    assert "with 2 sections and 4 questions" in page.locator("main").inner_text()
    assert "Languages" in page.locator("#import-lookups").inner_text()
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)
    assert not FormDefinition.objects.exists() and not DropdownList.objects.exists()

    page.get_by_role("button", name="Import this form definition").click()
    page.wait_for_url("**/edit/**")
    created = FormDefinition.objects.get(title="Imported advice")
    assert page.url.endswith(reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[created.pk]))
    assert "was imported as a draft with 4 questions" in page.locator("body").inner_text()

    # The list offers the download; it is the definition's file.
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:list"))
    page.get_by_role("button", name=f"More options for '{created}'").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON").click()
    saved = tmp_path / "downloaded.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text())["title"] == "Imported advice"
