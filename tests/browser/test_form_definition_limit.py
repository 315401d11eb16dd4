"""A save of a form definition over the server's field limit is stopped in the page, before it is sent: the
designer sees why, and everything typed stays in the editor (cms/static/cms/field_limit.js)."""

import json

import pytest
from django.urls import reverse

from advice_forms.models import FormDefinition
from tests.factories.accounts import SuperuserFactory, TOTPDeviceFactory, verified_login
from tests.factories.advice_forms import question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_save_over_the_limit_is_stopped_in_the_page_and_nothing_typed_is_lost(
    live_server, home_page, client, page, settings
):
    draft = FormDefinition.objects.create(
        title="Kestrelford ERSA",
        version_label="V0",
        sections=json.dumps([section("About", [question("short_text", "Name", key="name")], key="about")]),
    )
    # A small limit stands in for 20,000: the editor of a one-question form posts a few dozen fields.
    settings.PORTAL_LARGE_FORM_MAX_FIELDS = 10
    designer = SuperuserFactory()
    TOTPDeviceFactory(user=designer)
    verified_login(client, designer)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    page.fill("#id_title", "Kestrelford ERSA, retitled")
    page.get_by_role("button", name="Save draft").click()

    warning = page.locator("#field-limit-warning")
    warning.wait_for()
    assert "too large to save at once" in warning.inner_text()
    assert page.input_value("#id_title") == "Kestrelford ERSA, retitled"
    draft.refresh_from_db()
    assert draft.title == "Kestrelford ERSA" and draft.revisions.count() == 0
