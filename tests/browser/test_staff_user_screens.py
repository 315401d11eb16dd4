"""Settings -> Users (Wagtail's user screens, kept for council staff accounts) in a real Chromium: axe finds no WCAG
2.2 A/AA failure on the list, the add page and the edit page, nor an element with role="tab" outside a tab list
(aria-required-parent: Wagtail's add page had a "Roles" button so marked at the foot of its Account tab).

axe's landmark-unique (a best practice) on the list is checked in tests/browser/test_admin_landmarks.py: the list's own
search is named by its title, beside Wagtail's unnamed sidebar search."""

import pytest

from tests.browser.editor import sign_in_to_editor
from tests.factories.accounts import SuperuserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", ["index", "add", "edit"])
def test_the_staff_user_screens_pass_axe(live_server, client, page, axe_violations, screen):
    sign_in_to_editor(page, client, live_server)
    other = SuperuserFactory(first_name="Sam", last_name="Staff")
    path = {"index": "/admin/users/", "add": "/admin/users/new/", "edit": f"/admin/users/edit/{other.pk}/"}[screen]
    page.goto(live_server.url + path)

    for rules in (None, ["aria-required-parent"]):
        violations = axe_violations(page, rules=rules)
        assert violations == [], axe_violations.describe(violations)
