"""The client's address as the portal reads it (behind trusted proxies), and the settings that list addresses or
networks: read by the audit log, the rate limits, django-axes, the logs, /metrics and the deploy checks."""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@functools.lru_cache(maxsize=8)
def _networks(setting: str, values: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip())
    except ValueError as error:
        raise ImproperlyConfigured(f"{setting}: {error}") from error


def setting_networks(setting: str) -> tuple:
    """The addresses or networks the setting named ``setting`` lists, as ``ipaddress`` networks (ImproperlyConfigured,
    naming the setting, for one that is neither)."""
    return _networks(setting, tuple(getattr(settings, setting)))


def address_in_setting(address: str | None, setting: str) -> bool:
    """Whether ``address`` lies in one of the addresses or networks listed by the setting named ``setting``."""
    parsed = _address(address or "")
    return parsed is not None and any(parsed in net for net in setting_networks(setting))


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request):
    """The client's address, for the audit log, the rate limits and django-axes (``cms.ratelimit.client_network``).

    REMOTE_ADDR, unless it is one of PORTAL_TRUSTED_PROXIES: then the right-most X-Forwarded-For address that is
    not itself a trusted proxy, i.e. the address the outermost trusted proxy saw. Entries further left are
    written by the client and could be forged, so they are never used.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    networks = setting_networks("PORTAL_TRUSTED_PROXIES")
    remote_address = _address(remote or "")
    if not networks or remote_address is None or not any(remote_address in net for net in networks):
        return remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            return remote  # a trusted proxy wrote something that is not an address: trust nothing further
        if not any(address in net for net in networks):
            return str(address)
    return remote
