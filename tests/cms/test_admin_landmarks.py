"""A listing's search form in Wagtail's slim header is named by its page's title
(cms/templates/wagtailadmin/shared/headers/slim_header.html, its search_form block copied from Wagtail 7.4): beside
the sidebar's search, also a search landmark, two unnamed "search" landmarks read alike (axe landmark-unique)."""

import hashlib
from pathlib import Path

import pytest
import wagtail.admin
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories.accounts import verified_login

# The digest of Wagtail's slim_header.html that the search_form block was copied from.
UPSTREAM_SLIM_HEADER_SHA256 = "4c6743cc3a57b0dcf8b691ff4cceb7151c78406cd65ac57be5d8fc1cbb20fa1d"


def test_wagtails_slim_header_is_the_one_the_copy_was_made_from():
    upstream = Path(wagtail.admin.__file__).parent / "templates" / "wagtailadmin" / "shared" / "headers"
    assert hashlib.sha256((upstream / "slim_header.html").read_bytes()).hexdigest() == UPSTREAM_SLIM_HEADER_SHA256, (
        "Wagtail's wagtailadmin/shared/headers/slim_header.html changed: copy its search_form block into "
        "cms/templates/wagtailadmin/shared/headers/slim_header.html again, keeping the form's name, and update "
        "UPSTREAM_SLIM_HEADER_SHA256"
    )


@pytest.mark.parametrize(
    ("url_name", "title"), [("child_records:index", "Child records"), ("audit_log:index", "Audit entries")]
)
def test_a_listings_search_landmark_is_named_by_its_title(client, superuser, url_name, title):
    admin = verified_login(client, superuser)
    page = BeautifulSoup(admin.get(reverse(url_name)).content, "html.parser")

    search = page.select("[role=search]")
    assert [form.get("aria-label") for form in search] == [title]
    assert search[0].select_one("input[name=q]")  # still Wagtail's search form, with its box
