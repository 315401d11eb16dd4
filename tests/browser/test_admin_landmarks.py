"""The staff admin's listings have one search landmark of each name: Wagtail's sidebar search and the listing's own."""

import pytest
from django.urls import reverse

from tests.browser.test_dropdown_paste import signed_in


# Wagtail's own users list too: the name is given in the slim header that every listing draws.
@pytest.mark.parametrize("url_name", ["child_records:index", "audit_log:index", "wagtailusers_users:index"])
def test_a_listings_search_is_told_apart_from_the_sidebars(
    live_server, home_page, client, page, superuser, axe_violations, url_name
):
    signed_in(page, client, live_server, superuser)
    page.goto(live_server.url + reverse(url_name))

    assert page.get_by_role("search").count() == 2
    violations = axe_violations(page, ["landmark-unique"])
    assert not violations, axe_violations.describe(violations)
