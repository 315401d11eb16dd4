"""A form designer pastes a list of languages into a new dropdown list and saves it once; then reads what changed
between two versions of a form. Both pages pass axe."""

import json

import pytest
from django.urls import reverse

from advice_forms.models import DropdownList
from advice_forms.services.definitions import form_definition_publish
from tests.factories.accounts import verified_login
from tests.factories.advice_forms import definition, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["Arabic", "Bengali", "", "Polish", "Punjabi", "polish", "Somali", "Urdu", "  ", "Welsh"]


def signed_in(page, client, live_server, user):
    verified_login(client, user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_designer_pastes_a_list_of_languages_and_saves_it_in_one_go(
    live_server, home_page, client, page, form_designer, axe_violations
):
    signed_in(page, client, live_server, form_designer)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_dropdownlist:add"))
    violations = axe_violations(page)
    assert not violations, axe_violations.describe(violations)

    page.fill("#id_name", "Languages")
    page.get_by_role("textbox", name="Paste a list").fill("\n".join(LANGUAGES))
    page.get_by_role("button", name="Save").first.click()

    page.get_by_text("Added 7 options").wait_for()
    body = page.locator("body").inner_text()
    assert "Added 7 options: Arabic, Bengali, Polish, Punjabi, Somali, Urdu, Welsh" in body
    assert "Skipped 1 line already in the list: polish" in body
    made = DropdownList.objects.get(name="Languages")
    assert [o.label for o in made.options.order_by("sort_order")] == [
        "Arabic",
        "Bengali",
        "Polish",
        "Punjabi",
        "Somali",
        "Urdu",
        "Welsh",
    ]


def test_what_changed_between_two_versions_reads_well_and_passes_axe(
    live_server, home_page, client, page, form_designer, axe_violations
):
    v1 = definition(
        [section("About", [question("short_text", "Name of the school", key="school")], key="about")],
        title="Changing form",
        version_label="NOV26",
    )
    live = v1.definition
    live.sections = json.dumps(
        [section("About", [question("short_text", "Name of the school or setting", key="school")], key="about")]
    )
    live.version_label = "DEC26"
    form_definition_publish(definition=live)
    signed_in(page, client, live_server, form_designer)

    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[live.pk]))
    page.get_by_role("tab", name="Published versions").click()
    page.get_by_role("link", name="What changed since v1").click()

    page.get_by_role("heading", name="From v1 (NOV26) to v2 (DEC26)").wait_for()
    assert page.locator("h1").count() == 1
    assert "Question was “Name of the school”" in page.locator("body").inner_text()
    violations = axe_violations(page)
    assert not violations, axe_violations.describe(violations)
