"""The portal's pages read the site's settings and count rate limits in the cache; the tests of their emails follow
the links those emails carry."""

import re

import pytest
from django.core import mail
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _site(home_page):
    """Every page reads the site's portal settings."""
    return home_page


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits and lockouts count in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def link_in_last_email(path_prefix):
    body = mail.outbox[-1].body
    match = re.search(r"https?://[^\s]+(" + re.escape(path_prefix) + r"[^\s]+)", body)
    assert match, body
    return match.group(1)
