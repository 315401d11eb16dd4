import io
import re

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader
from wagtail.blocks import StructBlockValidationError
from wagtail.models import Site

from faq.blocks import GuideStepBlock
from tests.factories.cms import published
from tests.factories.faq import VisualGuidePageFactory, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides(home_page, django_capture_on_commit_callbacks):
    """Two published guides, their printables rendered by the task each publish queued (run as the publish commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        return _two_guides(home_page)


def _two_guides(home_page):
    image = wagtail_factories.ImageFactory(title="Sign-in screen")
    first = published(
        VisualGuidePageFactory(
            parent=home_page,
            title="Signing in",
            slug="signing-in",
            steps=[
                step("Install an app", image, "<p>Install an authenticator app.</p>", alt_text="An app store"),
                step("Scan the code", image, "<p>Scan the QR code.</p>", alt_text="A QR code on the screen"),
            ],
        )
    )
    second = published(
        VisualGuidePageFactory(
            parent=home_page,
            title="Submitting a form",
            slug="submitting",
            steps=[step("Open the request", image, alt_text="The dashboard")],
        )
    )
    return first, second


def test_steps_are_numbered_with_heading_text_and_image_with_alt_text(client, guides):
    response = client.get(guides[0].url)
    soup = BeautifulSoup(response.content, "html.parser")

    steps = soup.select("ol.portal-steps > li")
    assert [s.h2.get_text(" ", strip=True) for s in steps] == [
        "1 Step 1: Install an app",
        "2 Step 2: Scan the code",
    ]
    assert steps[1].find("p").get_text() == "Scan the QR code."
    assert [s.img["alt"] for s in steps] == ["An app store", "A QR code on the screen"]
    # Shrunk to a phone's width a screenshot's words are too small to read: each picture opens full size.
    full_size = steps[0].figure.figcaption.a
    assert full_size.get_text(" ", strip=True) == "Open the picture full size (step 1)"
    assert full_size["href"] != steps[0].img["src"] and client.get(full_size["href"]).status_code == 200
    assert soup.select_one(".portal-last-updated") is not None
    assert soup.select_one("#feedback form") is not None


def test_previous_and_next_guides_link_to_each_other(client, guides):
    first, second = guides

    first_soup = BeautifulSoup(client.get(first.url).content, "html.parser")
    second_soup = BeautifulSoup(client.get(second.url).content, "html.parser")

    assert first_soup.select_one("a[rel=next]")["href"] == second.url
    assert first_soup.select_one("a[rel=prev]") is None
    assert second_soup.select_one("a[rel=prev]")["href"] == first.url
    assert second_soup.select_one("a[rel=next]") is None


def test_the_printable_version_is_a_real_pdf_with_every_step(client, guides):
    response = client.get(guides[0].url + "printable/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Signing in" in text and "Install an app" in text and "Scan the QR code." in text
    assert any(page.images for page in reader.pages)


def test_a_step_without_alt_text_is_refused():
    block = GuideStepBlock()
    image = wagtail_factories.ImageFactory()
    value = block.to_python({"heading": "Scan", "text": "<p>Scan it.</p>", "image": image.pk, "alt_text": ""})

    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)

    # Beside the field: what to enter, not Django's bare "This field is required."
    assert error.value.block_errors["alt_text"].messages == [
        "Enter alt text: say what the picture shows, for someone who cannot see it"
    ]


def _guide_with(parent, count):
    steps = [step(f"Step heading {n}", wagtail_factories.ImageFactory(title=f"Image {n}")) for n in range(count)]
    return published(VisualGuidePageFactory(parent=parent, slug=f"guide-{count}", steps=steps))


def test_query_count_does_not_grow_with_the_number_of_steps(client, home_page, django_assert_num_queries):
    small = _guide_with(home_page, 14)
    large = _guide_with(home_page, 140)
    # The first view of each makes its renditions (written once). Then the page cache and Wagtail's own
    # rendition cache are emptied, so the count is of a fresh render that looks renditions up.
    client.get(small.url), client.get(large.url)
    caches[settings.WAGTAIL_CACHE_BACKEND].clear()
    caches["default"].clear()
    Site.get_site_root_paths()  # refills Wagtail's site-root cache, which the first page link of a process does

    with CaptureQueriesContext(connection) as small_queries:
        small_response = client.get(small.url)
    with django_assert_num_queries(len(small_queries)):
        large_response = client.get(large.url)

    assert len(re.findall(rb'class="portal-steps__step"', small_response.content)) == 14
    assert len(re.findall(rb'class="portal-steps__step"', large_response.content)) == 140
