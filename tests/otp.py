"""Authenticator codes computed from a device's key, as a phone app would, and the portal's two-step sign-in and
authenticator enrolment through its real views."""

import base64
import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.accounts import PASSWORD


def current_code(device, offset=0):
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{code:0{device.digits}d}"


def sign_in_with_password(client, email, password=PASSWORD, **extra):
    return client.post("/portal/sign-in/", {"username": email, "password": password}, **extra)


def sign_in(client, user, device=None, password=PASSWORD, offset=0):
    """Password, then an authenticator code, through the real views; returns the code step's response."""
    response = sign_in_with_password(client, user.email, password)
    assert response.status_code == 302, response.content.decode()[:2000]
    device = device or user.totpdevice_set.filter(confirmed=True).first()
    return client.post("/portal/sign-in/code/", {"code": current_code(device, offset)})


def enrol(client, name="Jo's phone", first=True):
    """Set up an authenticator through the enrolment page: read the secret from the page, as a person would."""
    url = "/portal/two-factor/set-up/" if first else "/portal/two-factor/add/"
    page = client.get(url)
    assert page.status_code == 200, page
    html = page.content.decode()
    assert "<svg" in html
    secret = re.search(r'id="secret-key">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(pk=client.session["portal_enrol_device_id"])
    assert base64.b32encode(device.bin_key).decode().rstrip("=") == secret
    return url, device
