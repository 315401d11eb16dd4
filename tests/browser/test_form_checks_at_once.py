"""A designer's "Save draft" in a real Chromium shows every problem of the form at once, each beside its place (what
only a publish refuses included), where they used to come in rounds; and the editor's preview opens at desktop width,
not a phone's."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.editor import sign_in_to_editor
from tests.factories.advice_forms import definition, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_save_draft_shows_every_problem_beside_its_place(live_server, client, page):
    draft = definition(
        [
            section(
                "About the child",
                [
                    question("short_text", "Name", key="name", max_length=100),
                    question("short_text", "Other name", key="name", max_length=100),
                    question("single_choice", "Pick one", key="pick", display="radios", options=[]),
                    question("date", "Last review", key="review", earliest="2026-12-31", latest="2020-01-01"),
                ],
                key="about",
            ),
            section("Nothing here", [], key="nothing"),
        ],
        title="Rounds",
        publish=False,
    )
    draft.save_revision()
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    page.get_by_role("button", name="Save draft").click()

    for words in (
        "Another question in this form already uses the key “name”",
        "Add at least one option, or pick a dropdown list",
        "The latest date must be the same as or after the earliest date",
        "This section is empty: add a question or some guidance to it",
    ):
        # A setting's error beside it, a list's or a section's above its items (Wagtail's help-critical).
        beside = page.locator(".error-message, .help-critical", has_text=words)
        expect(beside).to_have_count(1, timeout=30000)
        expect(beside).to_be_visible()

    # The preview opens at desktop width on a laptop's screen.
    page.set_viewport_size({"width": 1366, "height": 768})
    page.locator('[data-side-panel-toggle="preview"]').click()
    expect(page.locator('input[name="preview-size"][value="desktop"]')).to_be_checked()
    page.goto("about:blank")  # stop the editor's pings before the test database is emptied
