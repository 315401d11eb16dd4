"""Every table header cell has words (axe's `empty-table-header`): a column of links gets visually hidden ones.

Two checks, both cheap: every <th> our templates write holds words or a value, and the admin tables built in Python
(Wagtail report columns) or by a panel render with words in each header cell.
"""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from faq.models import PageFeedback
from tests.factories.advice_forms import definition, question, section
from tests.factories.cms import HelpPageFactory
from tests.factories.faq import FAQPageFactory
from tests.factories.faq import question as faq_question

APPS = ("cms", "faq", "advice_forms", "portal_pages")
HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)
TEMPLATE_COMMENT = re.compile(r"{#.*?#}", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def empty_header_cells(html):
    """The header cells of a rendered page that hold no text (visually hidden text counts)."""
    soup = BeautifulSoup(html, "html.parser")
    for template in soup.find_all("template"):  # not rendered until a script copies it (Wagtail's shortcuts dialog)
        template.decompose()
    return [str(th) for th in soup.find_all("th") if not th.get_text(strip=True)]


def test_every_header_cell_our_templates_write_holds_words_or_a_value():
    empty = []
    for app in APPS:
        for template in sorted((Path(settings.BASE_DIR) / app / "templates").rglob("*.html")):
            text = TEMPLATE_COMMENT.sub("", template.read_text())
            for cell in HEADER_CELL.findall(text):
                if not TAG.sub("", cell).strip():
                    empty.append(f"{template.relative_to(settings.BASE_DIR)}: <th>{cell}</th>")
    assert empty == []


@pytest.mark.django_db
def test_the_page_feedback_reports_name_every_column(verified_admin_client, home_page):
    help_section = HelpPageFactory(parent=home_page, title="Help", slug="help")
    faq = FAQPageFactory(parent=help_section, slug="faqs", questions=[faq_question("How do I sign in?")])
    PageFeedback.objects.create(page=faq, rating="no", comment="Too long.")

    for url in (reverse("faq_feedback_report"), reverse("faq_feedback_page", args=[faq.pk])):
        response = verified_admin_client.get(url)
        assert response.status_code == 200
        assert "<th" in response.content.decode()
        assert empty_header_cells(response.content) == [], url


@pytest.mark.django_db
def test_the_form_definitions_versions_panel_names_every_column(verified_admin_client):
    version = definition([section("About", [question("short_text", "Name of the school", key="school")])])

    response = verified_admin_client.get(
        reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[version.definition_id])
    )

    assert response.status_code == 200
    assert "View questions" in response.content.decode()
    assert empty_header_cells(response.content) == []
