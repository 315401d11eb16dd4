"""A message that takes the focus as its page loads (cms/static/cms/admin/message-focus.js) draws its ring inside
itself, in two bands: an edge that shows against the page around the message and a line within it that shows against
the banner. Checked on the light theme only, the edge was near-black, and on Wagtail's dark theme (near-black page)
it met the page at 1.3:1. Each band has 3:1 against what it meets on either theme, chosen or the system's."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from tests.browser.test_dropdown_paste import signed_in
from tests.browser.test_error_summary_after_a_link import RING, contrast
from tests.factories import advice_forms as factories
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import ChildRecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("theme", "system"), [("light", "light"), ("dark", "light"), ("system", "dark")])
def test_a_focused_messages_ring_shows_on_either_theme(
    live_server, home_page, new_page, client, professional, caseworker, theme, system
):
    factories.definition([factories.section("About", [factories.question("short_text", "Name", key="n")])])
    ProfessionalFactory(organisation=professional.organisation, display_name="Oakfield Primary School")
    profile = UserProfile.get_for_user(caseworker)
    profile.theme = theme
    profile.save()
    page = new_page(viewport={"width": 1280, "height": 700}, color_scheme=system)
    signed_in(page, client, live_server, caseworker)
    page.goto(live_server.url + reverse("child_records:share", args=[ChildRecordFactory().pk]))
    page.get_by_role("combobox", name="Form").select_option(index=1)
    page.get_by_role("combobox", name="Team account").select_option(index=1)
    page.get_by_role("button", name="Share the form").click()

    message = page.locator(".messages li", has_text="has been shared with")
    expect(message).to_be_focused()
    ring = message.evaluate(RING)
    line = message.evaluate("message => getComputedStyle(message).boxShadow")
    line_colour = line[: line.index(")") + 1]
    assert ring["style"] == "solid" and ring["width"] >= 2 and ring["offset"] <= -ring["width"], ring
    assert line.endswith("6px inset"), line  # wider than the edge, so a band of it shows within
    assert contrast(ring["colour"], ring["page"]) >= 3, ring
    assert contrast(line_colour, ring["banner"]) >= 3, (line, ring)
