"""The SEND service's phone number from Portal settings is a link that dials it (GOV.UK: ``tel:``, the number as the
link's text) wherever a page shows it: the contact details, the search's advice when nothing is found, error pages."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from cms.demo import phone_link as demo_phone_link
from cms.formats import phone_href
from cms.templatetags.portal_tags import phone_link
from tests.factories.cms import HelpPageFactory, published
from tests.factories.faq import FAQPageFactory, question

pytestmark = pytest.mark.django_db

LINK = '<a class="govuk-link" href="tel:+441632960111">01632 960 111</a>'  # the test site's number (tests/conftest.py)


@pytest.mark.parametrize(
    "number, link",
    [
        ("01632 960 111", LINK),
        ("+44 808 157 0192", '<a class="govuk-link" href="tel:+448081570192">+44 808 157 0192</a>'),
        (
            "01632 960 001 ext. 1234",
            '<a class="govuk-link" href="tel:+441632960001;ext=1234">01632 960 001 ext. 1234</a>',
        ),
        ("01632 960 001  x 12", '<a class="govuk-link" href="tel:+441632960001;ext=12">01632 960 001  x 12</a>'),
        ("", ""),
    ],
)
def test_a_number_becomes_a_tel_link_without_spaces_in_its_href(number, link):
    assert phone_link(number) == link


def test_settings_and_the_demo_s_rich_text_dial_a_number_by_one_rule():
    """The number from Portal settings and the same number in the demo's guidance text get one href: the global form,
    brackets and hyphens dropped (it was tel:01632960000 beside the demo's tel:+441632960000)."""
    assert phone_href("(01632) 960-000") == "tel:+441632960000"
    assert demo_phone_link("01632 960 000") == '<a href="tel:+441632960000">01632 960 000</a>'
    assert 'href="tel:+441632960000"' in phone_link("01632 960 000")


def _links_to_the_phone(response):
    assert response.content.decode().count(LINK) == 1
    links = BeautifulSoup(response.content, "html.parser").select('a[href^="tel:"]')
    assert [link.get_text() for link in links] == ["01632 960 111"]


def test_the_faq_page_s_contact_details_link_the_phone_number(client, home_page):
    section = published(HelpPageFactory(parent=home_page, title="Help", slug="help"))
    faq = published(
        FAQPageFactory(parent=section, title="Questions", slug="faqs", questions=[question("Why?", "<p>Because.</p>")])
    )

    response = client.get(faq.url)

    _links_to_the_phone(response)
    assert "Telephone: " + LINK in response.content.decode()


def test_a_search_that_finds_nothing_links_the_phone_number(client, home_page):
    response = client.get("/search/", {"q": "xqzvbnm"})

    assert "No results for" in response.content.decode()
    _links_to_the_phone(response)


def test_the_404_page_links_the_phone_number(client, home_page):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    _links_to_the_phone(response)
    assert f"Call {LINK}." in response.content.decode()


@pytest.mark.urls("tests.cms.error_urls")
def test_the_500_page_links_the_phone_number(home_page):
    response = Client(raise_request_exception=False).get("/test-errors/500/")

    assert response.status_code == 500
    _links_to_the_phone(response)
