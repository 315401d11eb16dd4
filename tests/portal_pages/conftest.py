"""The portal's pages read the site's settings (rate limits count in a cache that tests/conftest.py empties for each
test); the tests of their emails follow the links those emails carry."""

import re

import pytest
from django.core import mail


@pytest.fixture(autouse=True)
def _site(home_page):
    """Every page reads the site's portal settings."""
    return home_page


def link_in_last_email(path_prefix):
    body = mail.outbox[-1].body
    match = re.search(r"https?://[^\s]+(" + re.escape(path_prefix) + r"[^\s]+)", body)
    assert match, body
    return match.group(1)
