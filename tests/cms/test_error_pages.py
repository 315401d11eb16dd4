import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from cms.site_settings import site_settings_forget
from tests.factories.accounts import verified_login

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
    body = response.content.decode()
    assert "ask the SEND service" in body and 'href="/">Go to the home page' in body


def test_403_to_staff_leads_back_to_the_admin_not_to_the_send_service(client, home_page, caseworker):
    """Staff are the SEND service: told to ask it, with only the home page to go on to, they were stuck."""
    verified_login(client, caseworker)

    response = client.get("/test-errors/403/")

    _assert_site_error_page(response, 403, "You do not have permission to see this page")
    body = response.content.decode()
    assert "ask the SEND service" not in body and "Go to the home page" not in body
    assert f'href="{reverse("wagtailadmin_home")}">Go to the admin dashboard' in body


def test_400_on_a_bad_request(client, home_page):
    response = client.get("/test-errors/400/")

    _assert_site_error_page(response, 400, "There is a problem with your request")


def test_500_shows_no_stack_trace(home_page):
    client = Client(raise_request_exception=False)

    response = client.get("/test-errors/500/")

    _assert_site_error_page(response, 500, "Sorry, there is a problem with the service")
    assert "boom" not in response.content.decode()


UNAVAILABLE = "Sorry, the service is unavailable"


@pytest.mark.parametrize("path", ["500-database", "500-locked", "500-from-database", "500-while-database"])
def test_a_database_that_cannot_be_reached_is_a_503_saying_when_to_try_again(path, home_page):
    """With the database down every page was a 500 saying "We have been told about the problem", though nothing had
    been reported (no SENTRY_DSN) and nothing was broken but the database: a load balancer or a browser could not
    tell an outage to wait out from a bug."""
    response = Client(raise_request_exception=False).get(f"/test-errors/{path}/")

    _assert_site_error_page(response, 503, UNAVAILABLE)
    body = response.content.decode()
    assert response["Retry-After"] == "120"
    assert "The service is not available right now; try again in a few minutes." in body
    assert "told about the problem" not in body and "problem with the service" not in body
    # A save that met it was not saved: the page says so, and does not say that anything "has been kept".
    assert "If you were saving something, it has not been saved." in body and "has been kept" not in body


def test_the_500_page_says_the_problem_was_reported_only_when_error_reporting_is_on(home_page, settings):
    client = Client(raise_request_exception=False)
    settings.SENTRY_DSN = ""

    unreported = client.get("/test-errors/500/")

    _assert_site_error_page(unreported, 500, "Sorry, there is a problem with the service")
    assert "We have been told" not in unreported.content.decode()
    assert "Try again later. Anything you saved before this happened has been kept." in unreported.content.decode()
    assert not unreported.has_header("Retry-After")
    settings.SENTRY_DSN = "https://public@sentry.example.org/1"
    reported = client.get("/test-errors/500/").content.decode()
    assert "We have been told about the problem and are working to fix it." in reported


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


def test_the_page_for_a_database_error_says_whom_to_contact_without_asking_the_database(
    home_page, django_assert_num_queries
):
    client = Client(raise_request_exception=False)
    client.get("/")  # a page read the settings while the database answered

    with django_assert_num_queries(0):
        response = client.get("/test-errors/500-database/")

    _assert_site_error_page(response, 503, UNAVAILABLE)
    assert "01632 960 111" in response.content.decode()
    assert "Connection refused" not in response.content.decode()


def test_the_page_for_a_database_error_shows_the_contacts_another_process_read(home_page):
    client = Client(raise_request_exception=False)
    client.get("/")
    site_settings_forget()  # this process read nothing since it started; the shared cache has what another read

    response = client.get("/test-errors/500-database/")

    _assert_site_error_page(response, 503, UNAVAILABLE)


def test_the_page_for_a_database_error_shows_the_contacts_as_last_saved_not_as_this_process_last_drew_them(home_page):
    """An editor changes the phone number in another app server: this one, which drew its last page before and serves
    the rest from the page cache, shows the new number when the database fails."""
    from cms.models import PortalSettings

    client = Client(raise_request_exception=False)
    client.get("/")  # this process drew a page with the old number
    settings = PortalSettings.objects.get()
    settings.phone = "01632 960 222"
    settings.save()
    _commit()

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
def test_the_page_for_a_database_that_failed_after_connecting_asks_it_nothing(
    path, home_page, django_assert_num_queries
):
    """Only a connection that failed to open counted as the database failing: an OperationalError of an open
    connection (one that died mid-request, SQLite's "database is locked"), or one behind the error raised, got the
    full page, which asked the database again."""
    client = Client(raise_request_exception=False)
    client.get("/")  # a page read the settings while the database answered

    with django_assert_num_queries(0):
        response = client.get(f"/test-errors/{path}/")

    _assert_site_error_page(response, 503, UNAVAILABLE)
    assert 'href="/portal/sign-in/">Sign in</a>' not in response.content.decode()


OTHER_HOST = "north.example.org"


def _commit():
    """Run what the saves so far left for their commit, as their commit would (the test's transaction never commits):
    the contacts and the list of sites are kept only when a save commits."""
    callbacks, connection.run_on_commit = connection.run_on_commit, []
    for _savepoints, callback, _robust in callbacks:
        callback()


def _other_site(home_page, settings, port=80):
    """A second council's site on the same portal, with contacts of its own."""
    from wagtail.models import Site

    from cms.models import PortalSettings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST]
    other = Site.objects.create(hostname=OTHER_HOST, port=port, root_page=home_page, site_name="Northshire")
    PortalSettings.objects.create(
        site=other,
        council_name="Northshire Council",
        support_email="send@northshire.example.org",
        phone="01632 960 999",
    )
    _commit()
    return other


@pytest.fixture
def two_sites(home_page, settings):
    return _other_site(home_page, settings)


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


def test_the_page_for_a_database_error_names_the_contacts_another_process_saved_for_the_site_asked_for(two_sites):
    """No page of either site was read in this process (a save in another one kept them): each host still finds its
    own site, and a host no page was read for falls to the default site, as Wagtail routes it."""
    site_settings_forget()
    client = Client(raise_request_exception=False)

    assert _contacts(client.get("/test-errors/500-database/", HTTP_HOST=OTHER_HOST)) == NORTHSHIRE
    assert _contacts(client.get("/test-errors/500-database/", HTTP_HOST="localhost")) == TESTSHIRE
    assert _contacts(client.get("/test-errors/500-database/")) == TESTSHIRE  # testserver: the default site


def _cache_keys():
    """Every key in the default cache: each process's memory, or Redis (which also holds the task queue's broker)."""
    from django.core.cache import cache

    if isinstance(getattr(cache, "_cache", None), dict):
        return set(cache._cache)
    return set(cache._cache.get_client().keys(cache.make_key("*")))


def test_requests_for_made_up_hosts_add_nothing_to_the_cache(two_sites):
    """Each host name and port asked for, even one Django refuses (its 400 page is drawn with the site's context and
    Wagtail finds the site from the raw host), added a cache key that never expired: anyone could fill Redis and
    every process's memory."""
    client = Client(raise_request_exception=False)
    client.get("/", HTTP_HOST="localhost")
    client.get("/", HTTP_HOST=OTHER_HOST)
    before = _cache_keys()

    for number in range(5):
        assert client.get("/", HTTP_HOST=f"made-up-{number}.example.net").status_code == 400
        client.get("/no-such-page/", HTTP_HOST=f"localhost:{8100 + number}")
        client.get("/no-such-page/", HTTP_HOST=OTHER_HOST, SERVER_PORT=str(9100 + number))

    assert _cache_keys() == before


def test_the_page_for_a_database_error_behind_a_proxy_names_the_contacts_of_the_site_asked_for(home_page, settings):
    """A site saved with port 443, asked for on gunicorn's port 8000 (the proxy's port not passed on): the save kept
    its host under 443, the request looked it up under 8000 and was given the default site's contacts. Wagtail finds
    a host name's only site whatever the port."""
    _other_site(home_page, settings, port=443)
    site_settings_forget()  # saved in another process; no page of it drawn here
    client = Client(raise_request_exception=False)

    response = client.get("/test-errors/500-database/", HTTP_HOST=OTHER_HOST, SERVER_PORT="8000")

    assert _contacts(response) == NORTHSHIRE
    assert _contacts(client.get("/test-errors/500-database/", HTTP_HOST="localhost", SERVER_PORT="8000")) == TESTSHIRE


def test_the_page_for_a_database_error_on_a_host_never_seen_names_the_default_site_s_contacts(two_sites, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "elsewhere.example.net"]
    client = Client(raise_request_exception=False)
    client.get("/", HTTP_HOST=OTHER_HOST)

    response = client.get("/test-errors/500-database/", HTTP_HOST="elsewhere.example.net")

    assert _contacts(response) == TESTSHIRE


@pytest.mark.parametrize(
    "sites, host, port",
    [
        ([("a.example", 80, True), ("b.example", 443, False)], "b.example", 8000),  # the host name's only site
        ([("a.example", 80, True), ("b.example", 443, False)], "c.example", 80),  # no such host: the default
        ([("a.example", 80, True), ("b.example", 443, False), ("b.example", 8080, False)], "b.example", 8080),
        ([("a.example", 80, True), ("b.example", 443, False), ("b.example", 8080, False)], "b.example", 8000),
        ([("a.example", 80, False), ("b.example", 443, True), ("b.example", 8080, False)], "b.example", 8000),
        ([("a.example", 80, False), ("b.example", 443, False)], "b.example", 8000),  # no default site
        ([("a.example", 80, False), ("b.example", 443, False)], "c.example", 80),  # no default, no such host: none
        ([("a.example", 80, False), ("b.example", 443, False), ("b.example", 80, False)], "b.example", 8000),
        ([("a.example", 80, True)], None, None),  # no request
    ],
)
def test_the_error_pages_find_the_site_wagtail_would(sites, host, port, db):
    """The error page matches the kept list of sites as Wagtail's Site.find_for_request matches the database."""
    from wagtail.models import Page, Site
    from wagtail.models.sites import get_site_for_hostname

    from cms.site_settings import _site_id_for, _sites_now

    root = Page.get_first_root_node()
    Site.objects.all().delete()
    for hostname, site_port, is_default in sites:
        Site.objects.create(hostname=hostname, port=site_port, root_page=root, is_default_site=is_default)
    try:
        expected = get_site_for_hostname(host, port).pk
    except Site.DoesNotExist:
        expected = None

    assert _site_id_for(_sites_now(), host, port) == expected


class _RolledBack(Exception):
    pass


def test_a_site_renamed_and_its_contacts_changed_then_rolled_back_keep_its_error_page_s_contacts(two_sites):
    """A site's host name and its phone number changed in a transaction rolled back were written to the cache at once:
    every process's database-down page for that host showed the default site's contacts for up to 5 minutes."""
    from cms.models import PortalSettings

    with pytest.raises(_RolledBack), transaction.atomic():
        two_sites.hostname = "renamed.example.org"
        two_sites.save()
        PortalSettings.objects.filter(site=two_sites).update(phone="01632 960 000")
        settings = PortalSettings.objects.get(site=two_sites)
        settings.save()
        raise _RolledBack
    _commit()
    site_settings_forget()  # another process: it reads the cache

    response = Client(raise_request_exception=False).get("/test-errors/500-database/", HTTP_HOST=OTHER_HOST)

    assert _contacts(response) == NORTHSHIRE
    assert "01632 960 000" not in response.content.decode()


def test_a_site_deleted_then_rolled_back_keeps_its_contacts(two_sites):
    with pytest.raises(_RolledBack), transaction.atomic():
        two_sites.delete()
        raise _RolledBack
    _commit()
    site_settings_forget()

    assert _contacts(Client(raise_request_exception=False).get("/test-errors/500-database/", HTTP_HOST=OTHER_HOST)) == (
        NORTHSHIRE
    )


def test_a_committed_rename_change_and_delete_of_a_site_reach_its_error_page(two_sites, settings):
    """Each write keeps what the database holds once it commits, not the instance saved: a later change in the same
    transaction (here one that sends no signal) is what is kept."""
    from django.core.cache import cache

    from cms.models import PortalSettings
    from cms.site_settings import _site_key

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "renamed.example.org"]
    client = Client(raise_request_exception=False)
    with transaction.atomic():
        two_sites.hostname = "renamed.example.org"
        two_sites.save()
        PortalSettings.objects.get(site=two_sites).save()
        PortalSettings.objects.filter(site=two_sites).update(phone="01632 960 000")
    _commit()
    site_settings_forget()

    assert _contacts(client.get("/test-errors/500-database/", HTTP_HOST=OTHER_HOST)) == TESTSHIRE
    renamed = client.get("/test-errors/500-database/", HTTP_HOST="renamed.example.org").content.decode()
    assert "send@northshire.example.org" in renamed
    assert "01632 960 000" in renamed

    site_id = two_sites.pk
    two_sites.delete()
    _commit()
    site_settings_forget()

    assert _contacts(client.get("/test-errors/500-database/", HTTP_HOST="renamed.example.org")) == TESTSHIRE
    assert cache.get(_site_key(site_id)) is None  # its contacts dropped
