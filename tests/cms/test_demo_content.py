import re
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page, Site

from cms.demo import COUNCIL_NAME, DEMO_ADMIN_EMAIL, csrf_cookie_words, session_cookie_words
from cms.models import HelpPage
from portal_pages.models import User
from tests.otp import current_code

# Every test here reads the demo as `make run` loads it: one load for the module (tests/conftest.py), each test's
# changes rolled back at its end. A load that depends on what is there before it is in test_demo_load_settings.py.
pytestmark = pytest.mark.usefixtures("demo_content")


def test_demo_content_builds_the_fictional_council_site_and_is_idempotent(client, db):
    counts = (Page.objects.count(), User.objects.count(), TOTPDevice.objects.count())
    out = StringIO()

    call_command("load_demo_content", stdout=out)

    assert (Page.objects.count(), User.objects.count(), TOTPDevice.objects.count()) == counts
    assert DEMO_ADMIN_EMAIL in out.getvalue()
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert COUNCIL_NAME in body
    for footer in ("Accessibility statement", "Privacy notice", "Contact us"):
        assert footer in body
    assert client.get("/accessibility-statement/").status_code == 200
    assert ".gov.uk" not in body
    guide = client.get(HelpPage.objects.get(slug="a-guide-for-sencos").url).content.decode()
    assert '<caption class="govuk-table__caption govuk-table__caption--m">When each step' in guide


def test_demo_totp_prints_the_current_code(db):
    device = TOTPDevice.objects.get(user__email=DEMO_ADMIN_EMAIL)
    out = StringIO()

    call_command("demo_totp", DEMO_ADMIN_EMAIL, stdout=out)

    assert out.getvalue().strip() in {current_code(device, -1), current_code(device), current_code(device, 1)}


@pytest.mark.parametrize("command", [["load_demo_content"], ["load_demo_content", "--if-empty"], ["demo_totp"]])
def test_demo_tools_refuse_to_run_when_they_are_off(db, settings, command):
    settings.PORTAL_DEMO_TOOLS = False
    if command == ["demo_totp"]:
        command = ["demo_totp", DEMO_ADMIN_EMAIL]
    counts = (Page.objects.count(), User.objects.count(), TOTPDevice.objects.count())
    out = StringIO()

    with pytest.raises(CommandError, match=rf"^{command[0]} is a demo tool and does not run on this site: demo tools"):
        call_command(*command, stdout=out)

    assert out.getvalue() == ""  # no code, no sign-ins printed
    assert (Page.objects.count(), User.objects.count(), TOTPDevice.objects.count()) == counts


def test_demo_totp_leaves_a_line_in_the_log_naming_the_account_by_id(db, caplog):
    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)

    with caplog.at_level("WARNING", logger="cms.management.commands.demo_totp"):
        call_command("demo_totp", DEMO_ADMIN_EMAIL, stdout=StringIO())

    assert [r.getMessage() for r in caplog.records] == [
        f"demo_totp printed the authenticator code of account {admin.pk}"
    ]


def test_if_empty_on_the_demo_prints_the_sign_ins_of_the_demo_accounts_that_exist(db):
    # An account the council has taken over and renamed is no demo sign-in.
    User.objects.filter(email="senco@oakfield-primary.example.org").update(email="senco@oakfield.example.com")
    out = StringIO()

    call_command("load_demo_content", "--if-empty", stdout=out)

    said = out.getvalue()
    assert said.startswith("Demo content is already loaded; `make demo` reloads it.")
    assert "Demo sign-ins:" in said and f"{DEMO_ADMIN_EMAIL} / kestrelford-demo-admin" in said
    assert "senco@oakfield-primary.example.org" not in said and "senco@oakfield.example.com" not in said
    assert "senco@kestrelvale-academy.example.org" in said and "caseworker@kestrelford.example.org" in said


@pytest.mark.parametrize("old_address", [("localhost", 80), ("127.0.0.1", 8000)], ids=["older-version", "other-port"])
def test_make_run_on_a_demo_database_already_loaded_moves_its_site_to_the_public_address(db, settings, old_address):
    """`make run` loads nothing once the demo is there (--if-empty), and so kept the Site at the address the demo was
    loaded with (older versions: localhost, port 80): the demo's emails linked to a port nothing served."""
    Site.objects.filter(is_default_site=True).update(hostname=old_address[0], port=old_address[1])
    pages = Page.objects.count()
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8080"
    out = StringIO()

    call_command("load_demo_content", "--if-empty", stdout=out)

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8080)
    assert HelpPage.objects.get(slug="a-guide-for-sencos").full_url.startswith("http://127.0.0.1:8080/")
    assert Page.objects.count() == pages
    assert "The demo site's address is now 127.0.0.1, port 8080" in out.getvalue()


@pytest.mark.parametrize(
    "name, hostname, port",
    [("SEND portal", "localhost", 80), (COUNCIL_NAME, "portal.example.org", 443)],
    ids=["its-own-name", "its-own-domain"],
)
def test_make_run_leaves_a_site_a_council_has_set_up_where_it_is(db, settings, name, hostname, port):
    Site.objects.filter(is_default_site=True).update(site_name=name, hostname=hostname, port=port)
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8080"

    call_command("load_demo_content", "--if-empty", stdout=StringIO())

    site = Site.objects.get(is_default_site=True)
    assert (site.site_name, site.hostname, site.port) == (name, hostname, port)


def _notice(client, slug):
    page = BeautifulSoup(client.get(HelpPage.objects.get(slug=slug).url).content, "html.parser").select_one("main")
    for feedback in page.select(".portal-feedback"):
        feedback.decompose()  # "Was this page useful?", on every help page
    return page, [h.get_text(strip=True) for h in page.select("h2")]


def _said_seconds(text):
    """How long a notice's item says its cookie lasts ("It lasts 52 weeks.", "It lasts 12 hours at most"), in seconds;
    None when it says no such thing."""
    said = re.search(r"\blasts (\d+) (week|day|hour|minute|second)s?\b", text)
    return int(said[1]) * SECONDS[said[2]] if said else None


SECONDS = {"week": 7 * 24 * 3600, "day": 24 * 3600, "hour": 3600, "minute": 60, "second": 1}


def test_the_demo_privacy_notice_names_each_cookie_a_parent_who_votes_gets_and_how_long_it_lasts(client, db):
    """The notice said cookies were only "to keep you signed in and to protect forms", while a parent who votes gets a
    12-hour session cookie and a 52-week CSRF cookie; then it said the CSRF cookie "lasts a year", fixed text that
    would not follow CSRF_COOKIE_AGE. Each cookie's item now says the lifetime its Max-Age gives."""
    guidance = HelpPage.objects.get(slug="a-guide-for-sencos")
    headers = {"Accept": "application/json", "Sec-Fetch-Site": "same-origin"}

    client.post(f"/feedback/{guidance.pk}/vote/", {"rating": "yes"}, headers=headers)
    client.get(f"/feedback/{guidance.pk}/", headers=headers)  # the comment form's token, as feedback.js asks
    notice, headings = _notice(client, "privacy-notice")

    lasts = {name: int(cookie["max-age"]) for name, cookie in client.cookies.items()}
    assert lasts == {settings.SESSION_COOKIE_NAME: 12 * 3600, settings.CSRF_COOKIE_NAME: 52 * 7 * 24 * 3600}
    said = {item.b.get_text(): item.get_text(" ", strip=True) for item in notice.select("li") if item.b}
    assert {name: _said_seconds(said.get(name, "")) for name in lasts} == lasts
    assert "lasts 12 hours at most" in said[settings.SESSION_COOKIE_NAME]
    assert "It lasts 52 weeks." in said[settings.CSRF_COOKIE_NAME]
    assert headings == [
        "Who we are",
        "What we collect",
        "Why we are allowed to use it",
        "Where the information comes from",
        "Who we share it with",
        "Feedback on guidance pages",
        "How long we keep it",
        "Your rights",
        "Cookies",
        "How to complain",
    ]
    text = notice.get_text(" ", strip=True)
    assert "to keep you signed in and to protect forms" not in text
    assert "“Was this page useful?”" in text and "does not ask you to accept them" in text


def test_the_notices_cookie_items_follow_the_csrf_settings(settings):
    """A CSRF cookie that lasts until the browser closes says so; with CSRF_USE_SESSIONS there is no CSRF cookie to
    name, and the session cookie's item says it protects forms too."""
    settings.CSRF_COOKIE_AGE = None
    assert "It is removed when you close your browser." in csrf_cookie_words()
    settings.CSRF_COOKIE_AGE = 30 * 24 * 3600
    assert _said_seconds(csrf_cookie_words()) == 30 * 24 * 3600
    assert "forms" not in session_cookie_words()

    settings.CSRF_USE_SESSIONS = True

    assert csrf_cookie_words() == ""
    assert "It also stops another website sending the portal's forms in your name." in session_cookie_words()


def test_the_demo_privacy_notice_says_how_long_each_thing_is_kept_as_the_settings_do(client, db):
    """It promised "how long we keep it" and never said."""

    notice, _headings = _notice(client, "privacy-notice")

    kept = [item.get_text(" ", strip=True) for item in notice.select("h2:-soup-contains('How long') + div li")]
    assert len(kept) == 5
    assert f"The text of the emails the portal sends: {settings.PORTAL_SENT_EMAIL_BODY_DAYS} days." in " ".join(kept)
    # What the portal keeps with no end date of its own (docs/operations.md, "What is kept") is said to be so.
    assert any(item.startswith("Feedback on guidance pages: until an editor deletes it") for item in kept)
    said = {item.partition(":")[0]: item for item in kept}
    assert "does not delete them by itself" in said["Records of who signed in and what they did in the portal"]
    assert "does not delete them by itself" in said["Advice, documents and outcomes about a child"]


def test_the_demo_privacy_notice_says_a_removed_record_is_kept_who_sees_it_and_where_it_comes_from(client, db):
    """It said "The SEND service deletes them", but staff's deletions are soft (docs/operations.md, "What is kept"),
    and said nothing of who receives the information (UK GDPR Art. 13(1)(e)), where it comes from (Art. 14(2)(f)) or
    the Data Protection Act 2018's condition and policy document beside Article 9(2)(g)."""

    notice, _headings = _notice(client, "privacy-notice")

    text = notice.get_text(" ", strip=True)
    child = next(li.get_text(" ", strip=True) for li in notice.select("li") if li.get_text().startswith("Advice,"))
    assert "deletes them" not in child and "is not erased: we keep it" in child
    assert "retention schedule" in child and "To ask us to erase them" in child
    assert "Schedule 1, Part 2, paragraph 6" in text and "appropriate policy document" in text
    assert "We never sell it." in text
    for who in ("SEND staff", "professionals we ask for advice", "processors"):
        assert who in text, who
    for source in ("schools", "health professionals", "social care", "parents"):
        assert source in text, source


def test_the_demo_privacy_notice_names_the_controller_the_lawful_basis_your_rights_and_the_ico(client, db):
    """It said nothing of who the data controller is, how to reach the data protection officer, the lawful basis,
    people's rights and how to use them, or the right to complain to the ICO."""

    notice, _headings = _notice(client, "privacy-notice")

    text = notice.get_text(" ", strip=True)
    assert "Kestrelford Borough Council runs this portal. We are the data controller" in text
    assert notice.find("a", href="mailto:data.protection@kestrelford.example.org") is not None
    assert "public task" in text and "Article 6(1)(e)" in text and "Article 9(2)(g)" in text
    for right in ("ask for a copy", "correct information that is wrong", "object to how we use it", "delete it"):
        assert right in text, right
    assert "Information Commissioner's Office (ICO)" in text and "0303 123 1113" in text
    assert notice.find("a", href="https://ico.org.uk") is not None


def test_the_demo_accessibility_statement_has_the_sections_the_regulations_ask_for(client, db):

    statement, headings = _notice(client, "accessibility-statement")

    assert headings == [
        "Using this portal",
        "Reporting a problem",
        "Enforcement procedure",
        "Compliance status",
        "Content outside the regulations",
        "How we tested this portal",
    ]
    text = statement.get_text(" ", strip=True)
    assert "Equality Advisory and Support Service" in text
    # Partially compliant, naming what is known not to meet the standard: nobody has audited a claim of full compliance.
    assert "partially compliant with the Web Content Accessibility Guidelines (WCAG) version 2.2, level AA" in text
    assert "fully compliant" not in text
    known = [
        " ".join(li.get_text(" ", strip=True).split()) for li in statement.select(".govuk-grid-column-two-thirds li")
    ]
    assert any("checked to make sure they are safe to open, but not that they are accessible" in li for li in known)
    assert any("Wagtail's" in li and "not tested them" in li for li in known)
    assert "This statement was prepared on" in text
    assert {a["href"].split(":")[0] for a in statement.select(".govuk-grid-column-two-thirds a[href]")} <= {"mailto"}


def test_the_demo_contact_page_gives_a_postal_address_sendiass_and_the_send_teams_email(client, db):
    """It gave no address to write to, nothing of the families' independent advice service, and told parents to email
    "send.portal@...", an address that read as the website's, not the SEND team's."""

    contact, headings = _notice(client, "contact")

    text = contact.get_text(" ", strip=True)
    assert headings == ["Write to us", "Free, independent advice for families"]
    assert "SEND Service Kestrelford Borough Council Civic Centre Harrier Street Kestrelford KF1 2AB" in text
    emails = [a["href"] for a in contact.select("a[href^='mailto:']")]
    assert "mailto:send.team@kestrelford.example.org" in emails
    assert not [email for email in emails if "portal" in email]
    assert "Kestrelford SEND Information, Advice and Support Service (SENDIASS)" in text
    assert "mailto:advice@kestrelford-sendiass.example.org" in emails
    assert contact.find("a", href="tel:+441632960123") is not None
    assert "Monday to Friday, 9:30am to 4:30pm" in text
