from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.test import TestCase
from django.utils import timezone
from django_q.models import Schedule
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, GroupPagePermission, Locale, Page, Site, Workflow

from advice_forms.casework_setup import ensure_after_migrate as casework_ensure_after_migrate
from advice_forms.casework_setup import terms_seed
from advice_forms.models import Team
from cms import circuit_breaker
from cms.models import PortalSettings
from cms.site_settings import site_settings_forget
from portal_pages.roles import GUIDANCE_APPROVAL, ROLES, ensure_after_migrate
from tests import fast_flush
from tests.clamd import flagged_files, start_clamd, stop_clamd
from tests.factories.accounts import (
    PASSWORD,
    OrganisationFactory,
    ProfessionalFactory,
    SuperuserFactory,
    TOTPDeviceFactory,
    staff_in_group,
    verified_login,
)
from tests.factories.advice_forms import small_form_version
from tests.factories.cms import HomePageFactory
from tests.otp import sign_in

COUNCIL = "Testshire County Council"

fast_flush.install()


def _root_page():
    """The tree's root; transactional tests flush the one Wagtail's migrations made, so remake it."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.add_root(title="Root", slug="root")
    return root


# The session's database blocker, for the hook below (a hook cannot ask for fixtures).
_blocker = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test's flush, as its fixtures are torn down, empties every table, the rows migrations made
    among them: when the worker's next test is an ordinary one (worksteal may give it any), put them back, so that it
    finds the root page and collection, the default site, the role groups and the terms that a fresh database has.
    A transactional test next flushes again at its end and seeds what it needs itself; after the last, the session's
    end puts them back (``rows_at_start`` at the next run's start, and the browser tests' own restore)."""
    yield
    if _blocker and _flushes(item) and nextitem is not None and not _flushes(nextitem):
        with _blocker[0].unblock():
            ContentType.objects.clear_cache()  # the flush made the content types again, with new ids
            seed_migrated_rows()


def _flushes(item):
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", bool(marker.args and marker.args[0]))
    return transactional or {"transactional_db", "live_server"} & set(item.fixturenames)


@pytest.fixture(scope="session", autouse=True)
def rows_at_start(django_db_setup, django_db_blocker):
    """Transactional (browser) tests flush every table, and --reuse-db keeps that flushed database for the
    next run: put back the rows that migrations seed, so a second `make test` starts where a fresh one does. Gives
    those rows as the run found them (see `migrated_rows`), before any of its transactional tests flushed them."""
    _blocker.append(django_db_blocker)
    with django_db_blocker.unblock():
        if "wagtailcore_page" not in connection.introspection.table_names():
            return None  # no test of this run uses the database, so pytest-django set none up
        seed_migrated_rows()
        return migrated_rows()


def migrated_rows():
    """The rows that migrations seed and `seed_migrated_rows` puts back, in a form to compare."""
    return {
        "locales": sorted(Locale.objects.values_list("language_code", flat=True)),
        "pages": sorted(Page.objects.values_list("depth", "slug", "title")),
        "sites": sorted(Site.objects.values_list("hostname", "port", "is_default_site", "root_page__slug")),
        "collections": sorted(Collection.objects.values_list("depth", "name")),
        "groups": sorted((group.name, group.permissions.count()) for group in Group.objects.all()),
        "page permissions": sorted(GroupPagePermission.objects.values_list("group__name", "permission__codename")),
        "teams": sorted(Team.objects.values_list("code", flat=True)),
    }


def seed_migrated_rows():
    """Put back what migrations seed when a transactional test's flush removed it (nothing when it is there):
    Wagtail's locale, root page, root collection, and default site with its "Welcome" page (which the tests that
    need no home page of their own use); the role groups with their page permissions; the Team and Type terms."""
    if not Site.objects.exists():
        welcome = Page(title="Welcome to your new Wagtail site!", slug="home")  # as wagtailcore's 0002_initial_data
        _root_page().add_child(instance=welcome)
        Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)
    if Collection.get_first_root_node() is not None:
        return
    _root_page()
    Collection.add_root(name="Root")
    Group.objects.filter(name__in=list(ROLES)).delete()
    ensure_after_migrate(sender=None, apps=apps)
    casework_ensure_after_migrate(sender=None, apps=apps)
    terms_seed(apps)


@contextmanager
def held_for_the_module(django_db_blocker):
    """A module fixture's data, held in a transaction open for the module's tests and rolled back after its last:
    each test of an ordinary (not transactional) module runs in a savepoint of its own, rolled back at its end, so
    every test finds the data as it was made, never what an earlier test changed."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The demo content, loaded once for a module's tests instead of once a test (a load takes 10-15 s, and CI runs
    the suite twice), ``held_for_the_module``. For a module of ordinary tests, whose every database test may find the
    demo there; a test that changes a setting the load reads loads the demo itself."""
    with held_for_the_module(django_db_blocker):
        call_command("load_demo_content", stdout=StringIO())
        yield


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """The role matrix's data set (tests/test_role_matrix.py), made once for a module's tests instead of once a test
    (``held_for_the_module``)."""
    from tests.test_role_matrix import matrix_data

    with held_for_the_module(django_db_blocker):
        yield matrix_data(home_page_make(), superuser_make())


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts and ends with every cache empty, as a fresh deploy would: the page cache (wagtail-cache),
    and the shared cache that holds rate-limit counts and Wagtail's renditions. In Redis these outlive the run: an
    earlier test, or an earlier run on the same machine (CI runs where the developer last ran), could otherwise leave
    registrations counted against 127.0.0.1 and renditions of images that the emptied database no longer has.
    Nor does a Redis that an earlier test found not answering stay skipped (cms.circuit_breaker), nor the portal
    settings an earlier test's page read stay in the process for the error pages (cms.site_settings)."""
    circuit_breaker._breakers.clear()
    site_settings_forget()
    for cache in caches.all():
        cache.clear()
    yield
    circuit_breaker._breakers.clear()
    site_settings_forget()
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def requests_commit(db):
    """Each test-client request commits when it ends, as on a server (ATOMIC_REQUESTS is off): what it left for after
    its commit (the emails it put in the outbox) runs then, once. A test runs in a transaction that never commits, so
    without this those callbacks wait for ``django_capture_on_commit_callbacks(execute=True)``."""
    starts = []

    def started(**kwargs):
        starts.append(len(connection.run_on_commit))

    def finished(**kwargs):
        start = starts.pop() if starts else len(connection.run_on_commit)
        while len(connection.run_on_commit) > start:  # a callback may leave callbacks of its own
            callbacks = connection.run_on_commit[start:]
            del connection.run_on_commit[start:]
            for _, callback, _robust in callbacks:
                callback()

    request_started.connect(started, dispatch_uid="tests.requests_commit")
    request_finished.connect(finished, dispatch_uid="tests.requests_commit")
    yield
    request_started.disconnect(dispatch_uid="tests.requests_commit")
    request_finished.disconnect(dispatch_uid="tests.requests_commit")


@pytest.fixture
def schedules_on_time(db):
    """Every schedule as a running worker leaves it: its next run to come, not past. The tests run no worker, and
    the runs the migrations set are long past (with --reuse-db, days), which /readyz reads as a stopped worker."""
    now = timezone.now()
    Schedule.objects.filter(next_run__lt=now).update(next_run=now + timedelta(minutes=1))


@pytest.fixture
def home_page(db):
    return home_page_make()


def home_page_make():
    """The home page and its site, with the portal settings of a deployment (for a fixture of a wider scope too)."""
    root = _root_page()
    for child in root.get_children():
        child.delete()
    home = HomePageFactory(parent=root)
    Site.objects.all().delete()
    # The site and its settings as a deployment leaves them, committed: what waits for the commit (the error pages'
    # list of sites and contacts, cms.site_settings) runs, as the test's own transaction never commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=COUNCIL
        )
        PortalSettings.objects.update_or_create(
            site=site,
            defaults={"council_name": COUNCIL, "support_email": "send@testshire.example.org", "phone": "01632 960 111"},
        )
    return home


@pytest.fixture
def role_groups(home_page):
    """The role groups with their page and collection permissions, and the guidance approval workflow, as migrations
    make them: a transactional test's flush has them made again before the root page and collection are back
    (so without page permissions or a workflow), and a migration test may leave the workflow switched off. The
    flush also gave content types new ids, which Django's cache of them does not know yet."""
    role_groups_make()


def role_groups_make():
    """What ``role_groups`` does, for a fixture of a wider scope too (once the root page is there)."""
    ContentType.objects.clear_cache()
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    Group.objects.filter(name__in=list(ROLES)).delete()
    Workflow.objects.filter(name=GUIDANCE_APPROVAL).delete()
    ensure_after_migrate(sender=None, apps=apps)
    casework_ensure_after_migrate(sender=None, apps=apps)


@pytest.fixture
def site(home_page):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def superuser(db):
    return superuser_make()


def superuser_make():
    user = SuperuserFactory()
    TOTPDeviceFactory(user=user, name="Admin phone")
    return user


@pytest.fixture
def verified_admin_client(client, superuser):
    """A client signed in to the Wagtail admin with password and a verified TOTP device."""
    return verified_login(client, superuser)


# --- Staff roles in the admin, each signed in with a verified second factor ---


@pytest.fixture
def caseworker(db):
    return staff_in_group("SEND caseworker", first_name="Casey", last_name="Worker")


@pytest.fixture
def caseworker_client(client, caseworker):
    return verified_login(client, caseworker)


@pytest.fixture
def form_designer(db):
    return staff_in_group("Form designer")


@pytest.fixture
def designer_client(client, form_designer):
    return verified_login(client, form_designer)


@pytest.fixture
def content_editor(db):
    return staff_in_group("Content editor")


@pytest.fixture
def administrator(db):
    return staff_in_group("Portal administrator")


@pytest.fixture
def administrator_client(client, administrator):
    return verified_login(client, administrator)


# --- A team account of a school, signed in to the portal through the real views ---


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Oakfield Primary School", email_domains="oakfield-primary.example.org")


@pytest.fixture
def professional(organisation):
    user = ProfessionalFactory(
        organisation=organisation, email="senco@oakfield-primary.example.org", display_name="Oakfield Primary SENCO"
    )
    TOTPDeviceFactory(user=user, name="Jo's phone")
    return user


@pytest.fixture
def verified_client(client, professional, home_page):
    """A client signed in as `professional` with password and a verified authenticator code."""
    response = sign_in(client, professional)
    assert response.status_code == 302 and response.url == "/portal/", response
    return client


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    """A real clamd, started once, whose only signatures match the files of tests.clamd.flagged_files()."""
    process, running = start_clamd(tmp_path_factory.mktemp("clamd"), flagged_files())
    yield running
    stop_clamd(process)


@pytest.fixture
def small_form(db):
    """A published four-step form: required long text, date, yes/no with a conditional step, a repeating group."""
    # A version freezes the Teams and Types it offers when published: put back the seeded terms first, which an
    # earlier transactional test may have flushed.
    terms_seed(apps)
    return small_form_version()


@pytest.fixture
def shared_page_cache(settings):
    """A page cache every app server process shares (Redis): here one test process, with the cache in its memory."""
    settings.PORTAL_PAGE_CACHE_URL = "redis://page-cache.example.org:6379/1"
