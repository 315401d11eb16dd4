"""The client's address: X-Forwarded-For counts only when it comes from a proxy named in PORTAL_TRUSTED_PROXIES."""

import pytest

from cms.client_addresses import client_ip


def _request(rf, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_trusted_proxies_a_forwarded_header_is_ignored(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = []

    assert client_ip(_request(rf, "192.0.2.10", "203.0.113.5")) == "192.0.2.10"


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]

    assert client_ip(_request(rf, "192.0.2.10", "203.0.113.5")) == "192.0.2.10"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.5", "203.0.113.5"),
        # The client wrote the left-most entry itself; the proxy appended the address it saw.
        ("198.51.100.66, 203.0.113.5", "203.0.113.5"),
        # A second trusted proxy in the chain is skipped.
        ("203.0.113.5, 10.0.0.7", "203.0.113.5"),
        ("not-an-address, 203.0.113.5", "203.0.113.5"),
        (" 2001:db8::1 ", "2001:db8::1"),
        # Nothing usable from the proxy: its own address, never a guess.
        ("", "10.0.0.9"),
        ("203.0.113.5, garbage", "10.0.0.9"),
        ("10.0.0.7", "10.0.0.9"),
    ],
)
def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(rf, settings, forwarded, expected):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8:ffff::1"]

    assert client_ip(_request(rf, "10.0.0.9", forwarded)) == expected


def test_a_single_proxy_address_without_a_prefix_is_trusted(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.9"]

    assert client_ip(_request(rf, "10.0.0.9", "203.0.113.5")) == "203.0.113.5"
    assert client_ip(_request(rf, "10.0.0.8", "203.0.113.5")) == "10.0.0.8"


def test_django_axes_asks_the_same_function(rf, settings):
    from axes.helpers import get_client_ip_address

    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]

    assert get_client_ip_address(_request(rf, "10.0.0.9", "198.51.100.66, 203.0.113.5")) == "203.0.113.5"
    assert get_client_ip_address(_request(rf, "192.0.2.10", "203.0.113.5")) == "192.0.2.10"
