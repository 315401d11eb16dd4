"""The client as the rate limits and django-axes count it (cms.ratelimit.client_network): one host usually holds a
whole IPv6 /64, so a script could take a new address of it for every request and never reach a limit. An IPv6
address is counted by its /64; an IPv4 address, or an IPv4-mapped IPv6 one, by itself. The audit log keeps the
address itself."""

import pytest

from cms.client_addresses import client_ip
from cms.ratelimit import client_network


@pytest.mark.parametrize(
    ("remote", "counted"),
    [
        ("192.0.2.10", "192.0.2.10"),
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("2001:0DB8:0001:0002:abcd::7", "2001:db8:1:2::"),
        ("2001:db8:1:3::1", "2001:db8:1:3::"),
        ("::ffff:192.0.2.10", "192.0.2.10"),
        ("::1", "::"),
        ("", None),
    ],
)
def test_an_ipv6_client_is_counted_by_its_64(rf, settings, remote, counted):
    settings.PORTAL_TRUSTED_PROXIES = []

    assert client_network(rf.get("/", REMOTE_ADDR=remote)) == counted


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted_by_its_64_and_kept_whole(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="2001:db8:1:2:aaaa::5")

    assert client_network(request) == "2001:db8:1:2::"
    assert client_ip(request) == "2001:db8:1:2:aaaa::5", "the audit log's address is the client's own"


def test_without_a_request_there_is_no_client(settings):
    assert client_network(None) is None
