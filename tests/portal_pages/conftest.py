import re

import pytest
from django.core import mail

from tests.factories.accounts import PASSWORD, OrganisationFactory, ProfessionalFactory, TOTPDeviceFactory
from tests.otp import current_code


@pytest.fixture(autouse=True)
def _site(home_page):
    """Every page reads the site's portal settings."""
    return home_page


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits and lockouts count in the cache; each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Oakfield Primary School", email_domains="oakfield-primary.example.org")


@pytest.fixture
def professional(organisation):
    user = ProfessionalFactory(organisation=organisation, email="senco@oakfield-primary.example.org")
    TOTPDeviceFactory(user=user, name="Jo's phone")
    return user


def sign_in_with_password(client, email, password=PASSWORD, **extra):
    return client.post("/portal/sign-in/", {"username": email, "password": password}, **extra)


def sign_in(client, user, device=None, password=PASSWORD):
    """Both steps through the real views; returns the code step's response."""
    response = sign_in_with_password(client, user.email, password)
    assert response.status_code == 302, response.content.decode()[:2000]
    device = device or user.totpdevice_set.filter(confirmed=True).first()
    return client.post("/portal/sign-in/code/", {"code": current_code(device)})


@pytest.fixture
def verified_client(client, professional, home_page):
    response = sign_in(client, professional)
    assert response.status_code == 302 and response.url == "/portal/"
    return client


def link_in_last_email(path_prefix):
    body = mail.outbox[-1].body
    match = re.search(r"https?://[^\s]+(" + re.escape(path_prefix) + r"[^\s]+)", body)
    assert match, body
    return match.group(1)


def enrol(client, name="Jo's phone", first=True):
    """Set up an authenticator through the enrolment page: read the secret from the page, as a person would."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    url = "/portal/two-factor/set-up/" if first else "/portal/two-factor/add/"
    page = client.get(url)
    assert page.status_code == 200, page
    html = page.content.decode()
    assert "<svg" in html
    secret = re.search(r'id="secret-key">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(pk=client.session["portal_enrol_device_id"])
    import base64

    assert base64.b32encode(device.bin_key).decode().rstrip("=") == secret
    return url, device
