"""A step's headings run in order (axe's heading-order): a guidance block's heading sits one level below the
section's own heading, and the headings of a designer's rich text one below that (or in its place when the block has
no heading), in the professional's wizard, the designer's preview of every step and the advice PDF."""

import itertools

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from advice_forms.pdf import advice_pdf
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    definition,
    designers_headings_form,
    question,
    section,
)
from tests.pdfs import structure_types

pytestmark = pytest.mark.django_db


def guided_form():
    return definition(
        [
            section(
                "Section 4: support",
                [
                    question("guidance", "", heading="About section 4", body="<p>Say what support is given.</p>"),
                    question("short_text", "Who gives the support?", key="who"),
                ],
                key="support",
            )
        ]
    )


def heading_levels(html):
    """(level, text) of each heading in the page's main content, in order."""
    main = BeautifulSoup(html, "html.parser").find("main")
    return [(int(h.name[1]), h.get_text(strip=True)) for h in main.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]


def assert_no_skipped_level(levels):
    for (before, _), (after, text) in itertools.pairwise(levels):
        assert after <= before + 1, f"{text!r} is an h{after} straight after an h{before}: {levels}"


def test_a_guidance_heading_in_a_step_is_an_h2_under_the_sections_h1(verified_client, professional):
    advice_request = AdviceRequestFactory(account=professional, form_version=guided_form())
    page = verified_client.get(reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "support"}))
    levels = heading_levels(page.content.decode())
    assert levels[:2] == [(1, "Section 4: support"), (2, "About section 4")]
    assert_no_skipped_level(levels)


def test_a_guidance_heading_in_the_designers_preview_is_an_h3_under_the_steps_h2(designer_client):
    version = guided_form()
    url = reverse("wagtailsnippets_advice_forms_formdefinition:version", args=[version.pk])
    levels = heading_levels(designer_client.get(url).content.decode())
    assert (2, "Section 4: support") in levels and (3, "About section 4") in levels
    assert_no_skipped_level(levels)


def test_a_designers_rich_text_headings_follow_the_steps_h1_with_and_without_a_block_heading(
    verified_client, professional
):
    advice_request = AdviceRequestFactory(account=professional, form_version=designers_headings_form())
    page = verified_client.get(reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "views"}))
    levels = heading_levels(page.content.decode())
    assert levels[:6] == [
        (1, "Section 5: views"),
        (2, "Who to ask"),
        (3, "If there is none"),
        (2, "Before you start"),
        (3, "Who to ask"),
        (4, "If there is none"),
    ]
    assert_no_skipped_level(levels)


def test_a_designers_rich_text_headings_follow_the_steps_h2_in_the_designers_preview(designer_client):
    url = reverse("wagtailsnippets_advice_forms_formdefinition:version", args=[designers_headings_form().pk])
    levels = heading_levels(designer_client.get(url).content.decode())
    step = levels.index((2, "Section 5: views"))
    assert levels[step : step + 6] == [
        (2, "Section 5: views"),
        (3, "Who to ask"),
        (4, "If there is none"),
        (3, "Before you start"),
        (4, "Who to ask"),
        (5, "If there is none"),
    ]
    assert_no_skipped_level(levels)


def test_a_designers_rich_text_headings_sit_under_the_sections_h2_in_the_advice_pdf():
    data = advice_pdf(version=designers_headings_form(), answers={}, preview=True)
    headings = [int(kind[1]) for kind in structure_types(data) if kind in {"H1", "H2", "H3", "H4", "H5", "H6"}]
    # The form's h1, the section's h2; guidance without a heading (h3, h4); guidance with one (h3, h4, h5); the
    # question (h3), a sibling of the guidance's heading.
    assert headings == [1, 2, 3, 4, 3, 4, 5, 3]
