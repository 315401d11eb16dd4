"""A step's headings run in order (axe's heading-order): a guidance block's heading sits one level below the
section's own heading, in the professional's wizard and in the designer's preview of every step."""

import itertools

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories.advice_forms import AdviceRequestFactory, definition, question, section

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
