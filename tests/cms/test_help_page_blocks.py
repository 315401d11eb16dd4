import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from wagtail.blocks import StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from cms.blocks import CallToActionBlock, ImageBlock
from tests.factories.cms import HelpPageFactory

pytestmark = pytest.mark.django_db


def test_a_help_page_renders_every_block_with_gov_uk_markup(client, home_page):
    image = wagtail_factories.ImageFactory(title="Dashboard")
    data = b"%PDF-1.4 guide"
    document = get_document_model().objects.create(
        title="SENCO guide", file=ContentFile(data, name="senco.pdf"), file_size=len(data)
    )
    target = HelpPageFactory(parent=home_page, title="How to register", slug="register")
    page = HelpPageFactory(
        parent=home_page,
        title="A guide for SENCOs",
        body=[
            ("heading", "Timescales"),
            ("text", RichText("<p>Advice is due within 6 weeks.</p>")),
            ("inset_text", RichText("<p>Include the family's views.</p>")),
            ("warning_text", "Never share your backup codes."),
            ("details", {"summary": "Who can use the account?", "text": RichText("<p>Your SENCO team.</p>")}),
            ("call_to_action", {"text": "Register your team", "page": target, "url": "", "start": True}),
            ("image", {"image": image, "alt_text": "The SENCO dashboard", "caption": "Your dashboard"}),
            ("document_link", {"document": document, "title": ""}),
        ],
    )
    page.save_revision().publish()

    soup = BeautifulSoup(client.get(page.url).content, "html.parser")

    main = soup.select_one("main")
    assert main.select_one("h2.govuk-heading-l").get_text() == "Timescales"
    assert main.select_one(".govuk-inset-text").get_text(strip=True) == "Include the family's views."
    assert main.select_one(".govuk-warning-text__text").get_text(" ", strip=True) == (
        "Warning Never share your backup codes."
    )
    details = main.select_one("details.govuk-details")
    assert details.summary.get_text(strip=True) == "Who can use the account?"
    button = main.select_one("a.govuk-button--start")
    assert button["href"] == target.url and button.get_text(strip=True) == "Register your team"
    assert main.select_one("figure img")["alt"] == "The SENCO dashboard"
    assert main.select_one("figcaption").get_text() == "Your dashboard"
    assert main.select_one(".portal-document-link a")["href"] == document.url
    # Sizes read as everywhere in the portal (cms.formats.file_size): "1 KB" at the least, not Django's "14 bytes".
    # The file's type and size are the link's words, read with it (GOV.UK), not words after it.
    assert main.select_one(".portal-document-link a").get_text(" ", strip=True).endswith("(PDF, 1 KB)")
    assert main.select_one(".portal-last-updated") is not None
    assert main.select_one("#feedback") is not None


def test_an_image_needs_alt_text():
    image = wagtail_factories.ImageFactory()
    block = ImageBlock()

    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))

    # Beside the field: what to enter, not Django's bare "This field is required."
    assert error.value.block_errors["alt_text"].messages == [
        "Enter alt text: describe what the image shows for someone who cannot see it"
    ]


@pytest.mark.parametrize("page, url", [(False, ""), (True, "/portal/register/")])
def test_a_call_to_action_needs_a_page_or_an_address_but_not_both(home_page, page, url):
    block = CallToActionBlock()
    value = block.to_python({"text": "Go", "page": home_page.pk if page else None, "url": url, "start": False})

    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)

    assert "Choose a page or enter an address, but not both" in str(error.value.block_errors["page"])


def test_a_help_section_lists_its_live_pages(client, home_page):
    section = HelpPageFactory(parent=home_page, title="Help and guidance", slug="help")
    HelpPageFactory(parent=section, title="How to access the portal", intro="Who can register.")
    HelpPageFactory(parent=section, title="Draft page", live=False)
    section.save_revision().publish()

    soup = BeautifulSoup(client.get(section.url).content, "html.parser")

    titles = [a.get_text() for a in soup.select(".portal-section-list a")]
    assert titles == ["How to access the portal"]
    crumbs = [(a.get_text(), a["href"]) for a in soup.select(".govuk-breadcrumbs a")]
    assert crumbs == [("Home", "/")]


@pytest.mark.parametrize("url", ["/portal/sign-in/", "https://www.example.org/send"])
def test_a_call_to_action_takes_a_path_on_this_site_or_a_full_address(url):
    block = CallToActionBlock()

    assert block.clean(block.to_python({"text": "Go", "page": None, "url": url, "start": False}))["url"] == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example.com/", "portal/sign-in"])
def test_a_call_to_action_refuses_other_addresses(url):
    block = CallToActionBlock()

    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"text": "Go", "page": None, "url": url, "start": False}))

    assert "url" in error.value.block_errors
