"""Wagtail's content checker (the editor's Checks panel, the userbar's "Checks") found nothing in a draft whose link
said "click here" ("Issues found 0"). It now has a rule for link text that says nothing of where the link goes,
evaluated by cms/static/cms/userbar/link-text-check.js (tests/browser/test_editor_checks.py runs it)."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories.cms import HelpPageFactory, published

pytestmark = pytest.mark.django_db

RULE = "link-text-says-where"
SCRIPT = "/static/cms/userbar/link-text-check.js"


def _axe_configuration(html):
    return json.loads(BeautifulSoup(html, "html.parser").find(id="checker-axe-configuration").string)


def test_the_editors_checks_panel_has_the_link_text_rule_with_its_words_and_message(verified_admin_client, home_page):
    page = HelpPageFactory(parent=home_page, title="School transport")
    response = verified_admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    configuration = _axe_configuration(response.content)

    assert RULE in configuration["options"]["runOnly"]
    assert "link-name" in configuration["options"]["runOnly"]  # Wagtail's own rules kept
    rule = next(rule for rule in configuration["spec"]["rules"] if rule["id"] == RULE)
    assert rule["selector"] == "main a[href]" and rule["enabled"]
    check = next(check for check in configuration["spec"]["checks"] if check["id"] == rule["any"][0])
    assert check["options"]["words"] == ["click here", "here", "read more", "more", "link", "this page"]
    assert configuration["messages"][RULE]["error_name"] == "Link text should say where the link goes, not 'click here'"


def test_the_page_s_userbar_loads_the_check_after_wagtails_script(verified_admin_client, home_page):
    page = published(HelpPageFactory(parent=home_page, title="School transport", slug="school-transport"))
    html = verified_admin_client.get(page.url).content.decode()

    assert RULE in _axe_configuration(html)["options"]["runOnly"]
    assert html.count(SCRIPT) == 1
    assert html.index("wagtailadmin/js/userbar.js") < html.index(SCRIPT)
