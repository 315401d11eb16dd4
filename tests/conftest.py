import pytest
from django.conf import settings
from django.core.cache import caches
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from cms.models import PortalSettings
from tests.factories.accounts import PASSWORD, SuperuserFactory, TOTPDeviceFactory
from tests.factories.cms import HomePageFactory

COUNCIL = "Testshire County Council"


def _root_page():
    """The tree's root; transactional tests flush the one Wagtail's migrations made, so remake it."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.add_root(title="Root", slug="root")
    return root


@pytest.fixture(scope="session", autouse=True)
def _seed_rows_after_flush(django_db_setup, django_db_blocker):
    """Transactional (browser) tests flush every table, and --reuse-db keeps that flushed database for the
    next run: put back the rows that migrations seed (Wagtail's locale, root page and root collection, and
    the role groups with their page permissions), so a second `make test` starts where a fresh one does."""
    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.db import connection

    from portal_pages.roles import ROLES, ensure_after_migrate

    with django_db_blocker.unblock():
        if "wagtailcore_page" not in connection.introspection.table_names():
            return  # no test of this run uses the database, so pytest-django set none up
        if Page.get_first_root_node() is not None:
            return
        _root_page()
        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")
        Group.objects.filter(name__in=list(ROLES)).delete()
        ensure_after_migrate(sender=None, apps=apps)
        from advice_forms.casework_setup import ensure_after_migrate as casework_ensure_after_migrate

        casework_ensure_after_migrate(sender=None, apps=apps)


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty page cache (wagtail-cache), as a fresh deploy would."""
    caches[settings.WAGTAIL_CACHE_BACKEND].clear()


@pytest.fixture
def home_page(db):
    root = _root_page()
    for child in root.get_children():
        child.delete()
    home = HomePageFactory(parent=root)
    Site.objects.all().delete()
    site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=COUNCIL)
    PortalSettings.objects.update_or_create(
        site=site,
        defaults={"council_name": COUNCIL, "support_email": "send@testshire.example.org", "phone": "01632 960 111"},
    )
    return home


@pytest.fixture
def site(home_page):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def superuser(db):
    user = SuperuserFactory()
    TOTPDeviceFactory(user=user, name="Admin phone")
    return user


@pytest.fixture
def verified_admin_client(client, superuser):
    """A client signed in to the Wagtail admin with password and a verified TOTP device."""

    client.force_login(superuser)
    session = client.session
    device = superuser.totpdevice_set.get()
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


# --- The advice loop's professional side: a verified team account and a small published form ---


@pytest.fixture
def professional(db):
    from tests.factories.accounts import OrganisationFactory, ProfessionalFactory

    organisation = OrganisationFactory(name="Oakfield Primary School", email_domains="oakfield-primary.example.org")
    user = ProfessionalFactory(
        organisation=organisation, email="senco@oakfield-primary.example.org", display_name="Oakfield Primary SENCO"
    )
    TOTPDeviceFactory(user=user, name="Jo's phone")
    return user


def professional_sign_in(client, user, offset=0):
    """Password, then an authenticator code, through the real sign-in views; returns the code step's response."""
    from tests.otp import current_code

    response = client.post("/portal/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    device = user.totpdevice_set.filter(confirmed=True).first()
    return client.post("/portal/sign-in/code/", {"code": current_code(device, offset)})


@pytest.fixture
def professional_client(client, professional, home_page):
    """A client signed in as `professional` through the real views, with a verified authenticator code."""
    response = professional_sign_in(client, professional)
    assert response.status_code == 302 and response.url == "/portal/", response
    return client


@pytest.fixture
def small_form(db):
    """A published four-step form: required long text, date, yes/no with a conditional step, a repeating group."""
    from tests.factories.advice import small_form_version

    return small_form_version()
