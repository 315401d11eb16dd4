"""The portal's pages around the form are tested as the portal's other pages are: with the site's settings and a
signed-in team account with a verified authenticator."""

import pytest

from tests.factories.advice_forms import need_type, team
from tests.portal_pages.conftest import _site  # noqa: F401


@pytest.fixture
def terms(db):
    """Two Teams and two Types to tag outcomes and contacts with, by a short name."""
    return {
        "slt": team("SLT", "Speech and Language Therapy"),
        "ep": team("EP", "Educational Psychology"),
        "comms": need_type("Comms", "Communication and interaction"),
        "semh": need_type("SEMH", "Social, emotional and mental health"),
    }
