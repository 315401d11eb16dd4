"""Loads of the demo that depend on what is there before them: the public address in the settings, a council's own
content (each loads for itself; tests/cms/test_demo_content.py reads the demo loaded once)."""

from io import StringIO

import pytest
from django.core.management import call_command

from cms.models import HelpPage
from portal_pages.models import User


def test_if_empty_on_a_database_with_content_of_its_own_says_the_demo_was_not_loaded_and_prints_no_sign_ins(home_page):
    """`make serve-prod` on a council's database said "Demo content is already loaded" and printed the demo's
    sign-ins, none of which existed there."""
    users = User.objects.count()
    out = StringIO()

    call_command("load_demo_content", "--if-empty", stdout=out)

    assert out.getvalue().startswith(
        "This database already has content of its own (a home page and no demo accounts), so the demo content was "
        "not loaded and there are no demo sign-ins."
    )
    assert "already loaded" not in out.getvalue()
    assert "sign-ins:" not in out.getvalue() and "example.org" not in out.getvalue()
    assert User.objects.count() == users


@pytest.mark.parametrize(
    "base_url, root",
    [("http://127.0.0.1:8080", "http://127.0.0.1:8080"), ("https://portal.example.org", "https://portal.example.org")],
)
def test_the_demo_sites_address_follows_the_public_address(db, settings, client, base_url, root):
    """`make run PORT=8080` sets WAGTAILADMIN_BASE_URL; the demo's Site was fixed at localhost:80, so an approval
    email linked to "http://localhost/help/...", which reached no server."""
    settings.WAGTAILADMIN_BASE_URL = base_url
    call_command("load_demo_content", stdout=StringIO())

    guide = HelpPage.objects.get(slug="a-guide-for-sencos")
    assert guide.full_url.startswith(root + "/")
    assert client.get(guide.url).status_code == 200
