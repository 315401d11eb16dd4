"""The admin's page that sets up an authenticator (wagtail-2fa's, in cms/templates/wagtail_2fa/device_form.html):
axe found a QR code with no alt text (image-alt) and a setup link in a <pre> that scrolls but cannot be reached by
keyboard (scrollable-region-focusable); after a wrong code the error was linked to no field."""

import pytest

from tests.conftest import seed_migrated_rows
from tests.factories.accounts import PASSWORD, SuperuserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_setting_up_an_authenticator_passes_axe_before_and_after_a_wrong_code(
    live_server, client, page, axe_violations
):
    seed_migrated_rows()
    user = SuperuserFactory()  # no device yet: sent to set one up after the password
    assert client.post("/admin/login/", {"username": user.email, "password": PASSWORD}).status_code == 302
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/admin/2fa/devices/new")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Set up your authenticator app"
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)

    page.get_by_label("Name").fill("Phone")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Set up").click()
    page.wait_for_load_state()

    code = page.get_by_label("Code from your authenticator app")
    assert "The code is not right" in code.evaluate(
        "input => input.ariaDescribedByElements.map(element => element.textContent).join(' ')"
    )
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)
