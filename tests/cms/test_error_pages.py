import pytest
from django.test import Client

from cms.site_settings import site_settings_forget

pytestmark = pytest.mark.urls("tests.cms.error_urls")


def _assert_site_error_page(response, status, heading):
    body = response.content.decode()
    assert response.status_code == status
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in body
    assert "Testshire County Council" in body  # the council's header, from site settings
    assert "send@testshire.example.org" in body  # who to contact
    assert "Oooops" not in body
    assert "Traceback" not in body


def test_404_says_what_to_do_next(client, home_page):
    response = client.get("/no-such-page/")

    _assert_site_error_page(response, 404, "Page not found")
    assert "check it is correct" in response.content.decode()


def test_a_method_a_page_does_not_take_gets_a_page_that_says_what_to_do_and_keeps_the_allow_header(client, home_page):
    response = client.delete("/portal/sign-in/")

    _assert_site_error_page(response, 405, "There is a problem with your request")
    assert "POST" in response["Allow"]
    assert "Content-Security-Policy" in response


def test_the_404_page_speaks_to_the_public_first(client, home_page):
    body = client.get("/no-such-page/").content.decode()
    assert -1 < body.find("Go to the home page") < body.find("If you are a professional and followed a link")


def test_403_explains_permission(client, home_page):
    response = client.get("/test-errors/403/")

    _assert_site_error_page(response, 403, "You do not have permission to see this page")


def test_400_on_a_bad_request(client, home_page):
    response = client.get("/test-errors/400/")

    _assert_site_error_page(response, 400, "There is a problem with your request")


def test_500_shows_no_stack_trace(home_page):
    client = Client(raise_request_exception=False)

    response = client.get("/test-errors/500/")

    _assert_site_error_page(response, 500, "Sorry, there is a problem with the service")
    assert "boom" not in response.content.decode()


def test_500_page_renders_even_without_site_settings(db):
    # No site at all: the error page must still render, with defaults, not fail a second time.
    client = Client(raise_request_exception=False)

    response = client.get("/test-errors/500/")

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_csrf_failure_says_what_to_do(home_page):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/admin/login/", {"username": "x", "password": "y"})

    _assert_site_error_page(response, 403, "Your form could not be sent")
    assert "sign in again" in response.content.decode()


def test_500_page_for_a_database_error_says_whom_to_contact_without_asking_the_database(
    home_page, django_assert_num_queries
):
    client = Client(raise_request_exception=False)
    client.get("/")  # a page read the settings while the database answered

    with django_assert_num_queries(0):
        response = client.get("/test-errors/500-database/")

    _assert_site_error_page(response, 500, "Sorry, there is a problem with the service")
    assert "01632 960 111" in response.content.decode()
    assert "Connection refused" not in response.content.decode()


def test_500_page_for_a_database_error_shows_the_contacts_another_process_read(home_page):
    client = Client(raise_request_exception=False)
    client.get("/")
    site_settings_forget()  # this process read nothing since it started; the shared cache has what another read

    response = client.get("/test-errors/500-database/")

    _assert_site_error_page(response, 500, "Sorry, there is a problem with the service")


def test_500_page_for_a_database_error_shows_the_contacts_as_last_saved_not_as_this_process_last_drew_them(home_page):
    """An editor changes the phone number in another app server: this one, which drew its last page before and serves
    the rest from the page cache, shows the new number when the database fails."""
    from cms.models import PortalSettings

    client = Client(raise_request_exception=False)
    client.get("/")  # this process drew a page with the old number
    settings = PortalSettings.objects.get()
    settings.phone = "01632 960 222"
    settings.save()

    response = client.get("/test-errors/500-database/")

    assert "01632 960 222" in response.content.decode()


def test_the_contacts_are_kept_in_the_cache_again_after_it_lost_them(home_page, monkeypatch):
    """Redis restarted or emptied: the next page read after a few minutes writes them again, though they did not
    change."""
    from django.core.cache import cache

    from cms import site_settings

    client = Client(raise_request_exception=False)
    client.get("/")
    cache.clear()
    clock = site_settings.time.monotonic()
    monkeypatch.setattr(site_settings.time, "monotonic", lambda: clock + site_settings.REWRITE_SECONDS + 1)

    client.get("/help/")  # a page drawn, not served from the page cache
    site_settings_forget()

    assert "01632 960 111" in client.get("/test-errors/500-database/").content.decode()


def test_500_page_for_a_failed_query_is_the_full_page_as_the_database_answers(home_page):
    """Any database error counted as the database being down: a query that failed on a working database (a bug, a
    constraint) gave the page without its navigation, as if nothing could be asked."""
    client = Client(raise_request_exception=False)

    response = client.get("/test-errors/500-query/")

    _assert_site_error_page(response, 500, "Sorry, there is a problem with the service")
    assert 'href="/portal/sign-in/">Sign in</a>' in response.content.decode()
    assert 'href="/portal/sign-in/">Sign in</a>' not in client.get("/test-errors/500-database/").content.decode()


@pytest.mark.parametrize("path", ["500-locked", "500-from-database", "500-while-database"])
def test_500_page_for_a_database_that_failed_after_connecting_asks_it_nothing(
    path, home_page, django_assert_num_queries
):
    """Only a connection that failed to open counted as the database failing: an OperationalError of an open
    connection (one that died mid-request, SQLite's "database is locked"), or one behind the error raised, got the
    full page, which asked the database again."""
    client = Client(raise_request_exception=False)
    client.get("/")  # a page read the settings while the database answered

    with django_assert_num_queries(0):
        response = client.get(f"/test-errors/{path}/")

    _assert_site_error_page(response, 500, "Sorry, there is a problem with the service")
    assert 'href="/portal/sign-in/">Sign in</a>' not in response.content.decode()


OTHER_HOST = "north.example.org"


@pytest.fixture
def two_sites(home_page, settings):
    """A second council's site on the same portal, with contacts of its own."""
    from wagtail.models import Site

    from cms.models import PortalSettings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST]
    other = Site.objects.create(hostname=OTHER_HOST, port=80, root_page=home_page, site_name="Northshire")
    PortalSettings.objects.create(
        site=other,
        council_name="Northshire Council",
        support_email="send@northshire.example.org",
        phone="01632 960 999",
    )
    return other


def _contacts(response):
    body = response.content.decode()
    return {
        contact
        for contact in ("send@testshire.example.org", "01632 960 111", "send@northshire.example.org", "01632 960 999")
        if contact in body
    }


TESTSHIRE = {"send@testshire.example.org", "01632 960 111"}
NORTHSHIRE = {"send@northshire.example.org", "01632 960 999"}


@pytest.mark.parametrize("path", ["/no-such-page/", "/test-errors/500/", "/test-errors/500-database/"])
def test_each_site_s_error_pages_name_its_own_contacts(path, two_sites, django_assert_num_queries):
    """With several sites, the pages shown when the database failed named the contacts of whichever site was read
    last, whatever site was asked for."""
    client = Client(raise_request_exception=False)
    client.get("/", HTTP_HOST="localhost")
    client.get("/", HTTP_HOST=OTHER_HOST)  # read last

    assert _contacts(client.get(path, HTTP_HOST="localhost")) == TESTSHIRE
    assert _contacts(client.get(path, HTTP_HOST=OTHER_HOST)) == NORTHSHIRE
    if path.endswith("-database/"):
        with django_assert_num_queries(0):
            client.get(path, HTTP_HOST="localhost")


def test_500_page_for_a_database_error_names_the_contacts_another_process_saved_for_the_site_asked_for(two_sites):
    """No page of either site was read in this process (a save in another one kept them): each host still finds its
    own site, and a host no page was read for falls to the default site, as Wagtail routes it."""
    site_settings_forget()
    client = Client(raise_request_exception=False)

    assert _contacts(client.get("/test-errors/500-database/", HTTP_HOST=OTHER_HOST)) == NORTHSHIRE
    assert _contacts(client.get("/test-errors/500-database/", HTTP_HOST="localhost")) == TESTSHIRE
    assert _contacts(client.get("/test-errors/500-database/")) == TESTSHIRE  # testserver: the default site
