from bs4 import BeautifulSoup
from django.test import Client

from tests.csp import csp_directives


def test_home_page_shows_council_audiences_and_calls_to_action(client, home_page):
    home_page.audiences = [("audience", "Schools and academies"), ("audience", "Social care")]
    home_page.save_revision().publish()

    response = client.get("/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Testshire County Council" in body
    assert "Schools and academies" in body and "Social care" in body
    assert 'href="/portal/sign-in/"' in body
    assert 'href="/portal/register/"' in body
    assert 'class="govuk-skip-link"' in body
    assert "govuk-phase-banner" in body


def test_pages_carry_a_strict_content_security_policy_and_only_the_sites_own_scripts(client, home_page):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert csp_directives(response)["script-src"] == ["'self'"]
    assert "unsafe-inline" not in policy
    # Every script is one of the site's files: GOV.UK Frontend initialises under the policy without a nonce,
    # which the page cache would otherwise repeat to every visitor.
    scripts = BeautifulSoup(response.content, "html.parser").find_all("script")
    assert [script.get("src") for script in scripts] == ["/static/cms/js-enabled.js", "/static/cms/init.js"]


def test_admin_alone_gets_the_wider_policy_wagtail_needs(db):
    response = Client().get("/admin/login/")

    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert "nonce-" not in response["Content-Security-Policy"]
    # Inline scripts, which Wagtail's own templates write, but no script built from a string (docs/operations.md).
    assert csp_directives(response)["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
