"""How a visual guide's printable lays out its steps: pictures large enough to read the words in them, and steps that
follow one another down the page rather than one to a page."""

import io

import pytest
import wagtail_factories
from pypdf import PdfReader

from faq.pdf import guide_pdf
from tests.factories.faq import VisualGuidePageFactory, step
from tests.pdfs import picture_widths

pytestmark = pytest.mark.django_db

# The width of the printable's text, in points: A4 inside its margins (16 mm each side) and the body's (8 px, 6 pt).
TEXT_WIDTH = (210 - 2 * 16) / 25.4 * 72 - 2 * 6


def _guide(home_page, *sizes):
    steps = [
        step(f"Step {n}", wagtail_factories.ImageFactory(file__width=w, file__height=h), f"<p>Do thing {n}.</p>")
        for n, (w, h) in enumerate(sizes, start=1)
    ]
    return guide_pdf(VisualGuidePageFactory(parent=home_page, slug="guide", steps=steps))


def test_a_phone_guide_of_four_steps_takes_fewer_than_four_pages_with_its_pictures_near_their_own_size(home_page):
    """Each phone picture was shrunk to 110 mm high (the words in it about 6 pt), one step to a page. A run of phone
    pictures prints in two columns, each picture at about nine tenths of its own size (360 px: 270 pt at 96 dpi)."""
    data = _guide(home_page, *[(360, 720)] * 4)

    assert len(PdfReader(io.BytesIO(data)).pages) < 4
    widths = picture_widths(data)
    assert len(widths) == 4 and all(0.85 * 270 <= width <= 270 for width in widths)


def test_a_screenshot_prints_at_the_pages_width_and_a_small_picture_at_its_own_size(home_page):
    """A desktop screenshot (960 by 640 px) was held to 110 mm high, short of the page's width; a part of a page
    (300 by 100 px, 225 pt wide at 96 dpi) is not stretched."""
    wide, small = picture_widths(_guide(home_page, (960, 640), (300, 100)))

    assert wide == pytest.approx(TEXT_WIDTH, abs=5)  # pdfimages rounds the resolution to whole ppi
    assert small == pytest.approx(225, abs=1)
