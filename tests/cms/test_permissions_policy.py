"""Every response tells the browser that no page and no frame of the portal may use the camera, microphone,
location, payment or devices: the public pages, the portal, the admin, error pages and page-cache hits alike."""

import pytest
from django.test import Client


def _policy(response) -> dict[str, str]:
    policy = {}
    for item in response["Permissions-Policy"].split(","):
        feature, origins = item.strip().split("=", 1)
        policy[feature] = origins
    return policy


def _assert_denies_what_the_portal_never_uses(response):
    policy = _policy(response)
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "display-capture"):
        assert policy[feature] == "()", feature
    # The admin's copy buttons write to the clipboard, and the browser's PDF viewer offers full screen: both keep
    # the browser's default (this site only).
    assert "clipboard-write" not in policy
    assert "fullscreen" not in policy


def test_a_public_page_and_its_cached_copy_carry_the_permissions_policy(client, home_page):
    first = client.get("/")
    again = Client().get("/")

    assert first.status_code == again.status_code == 200
    _assert_denies_what_the_portal_never_uses(first)
    _assert_denies_what_the_portal_never_uses(again)


def test_a_portal_page_carries_the_permissions_policy(verified_client):
    response = verified_client.get("/portal/")

    assert response.status_code == 200
    _assert_denies_what_the_portal_never_uses(response)


def test_admin_pages_carry_the_permissions_policy(verified_admin_client):
    signed_in = verified_admin_client.get("/admin/")
    sign_in = Client().get("/admin/login/")

    assert signed_in.status_code == sign_in.status_code == 200
    _assert_denies_what_the_portal_never_uses(signed_in)
    _assert_denies_what_the_portal_never_uses(sign_in)


def test_a_404_carries_the_permissions_policy(client, home_page):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    _assert_denies_what_the_portal_never_uses(response)


@pytest.mark.urls("tests.cms.error_urls")
def test_a_500_carries_the_permissions_policy(home_page):
    response = Client(raise_request_exception=False).get("/test-errors/500/")

    assert response.status_code == 500
    _assert_denies_what_the_portal_never_uses(response)


def test_the_liveness_probe_carries_the_permissions_policy(db):
    response = Client().get("/healthz")

    assert response.status_code == 200
    _assert_denies_what_the_portal_never_uses(response)
