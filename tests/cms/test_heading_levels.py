"""An editor's rich text takes its heading levels from where it is shown (axe heading-order, WCAG 1.3.1): its
highest heading one below the heading it sits under, none skipping a level on the way down."""

import itertools

import pytest
from bs4 import BeautifulSoup
from wagtail.rich_text import RichText

from cms.rich_text import headings_under
from tests.factories.cms import HelpPageFactory


def test_the_highest_heading_moves_to_the_level_given_and_the_others_keep_their_places_under_it():
    html = '<h3 data-block-key="a1">Who</h3><p>Text</p><h4>When</h4><h3>Where</h3>'
    assert headings_under(html, 2) == '<h2 data-block-key="a1">Who</h2><p>Text</p><h3>When</h3><h2>Where</h2>'
    assert headings_under(html, 4) == '<h4 data-block-key="a1">Who</h4><p>Text</p><h5>When</h5><h4>Where</h4>'


def test_a_level_the_editor_skipped_closes_up_and_none_goes_below_h6_or_above_the_level_given():
    assert headings_under("<h2>A</h2><h4>B</h4><h4>C</h4>", 3) == "<h3>A</h3><h4>B</h4><h4>C</h4>"
    assert headings_under("<h3>A</h3><h2>B</h2>", 2) == "<h2>A</h2><h2>B</h2>"
    assert headings_under("<h2>A</h2><h3>B</h3><h4>C</h4>", 5) == "<h5>A</h5><h6>B</h6><h6>C</h6>"


def test_text_without_headings_and_other_tags_starting_with_h_are_left_alone():
    html = "<p>Plain</p><hr><header>x</header>"
    assert headings_under(html, 2) == html
    assert headings_under("</h3><p>Stray</p>", 2) == "</h3><p>Stray</p>"
    assert headings_under("<header><h4>A</h4></header><hr>", 2) == "<header><h2>A</h2></header><hr>"


def heading_levels(html):
    main = BeautifulSoup(html, "html.parser").find("main")
    return [(int(h.name[1]), h.get_text(strip=True)) for h in main.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]


@pytest.mark.django_db
def test_a_help_pages_text_headings_sit_under_the_h1_and_under_each_heading_block(client, home_page):
    text = RichText("<h3>Before you ask</h3><p>Read this.</p><h4>Deadlines</h4><p>Six weeks.</p>")
    page = HelpPageFactory(
        parent=home_page, title="Asking for advice", body=[("text", text), ("heading", "Timescales"), ("text", text)]
    )
    page.save_revision().publish()

    levels = heading_levels(client.get(page.url).content.decode())

    assert levels[:6] == [
        (1, "Asking for advice"),
        (2, "Before you ask"),
        (3, "Deadlines"),
        (2, "Timescales"),
        (3, "Before you ask"),
        (4, "Deadlines"),
    ]
    for (before, _), (after, heading) in itertools.pairwise(levels):
        assert after <= before + 1, f"{heading!r} is an h{after} straight after an h{before}: {levels}"
