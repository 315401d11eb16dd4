"""An editor adds a question through the Wagtail admin and sees it on the live page after publishing."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.factories.accounts import verified_login
from tests.factories.faq import FAQPageFactory, VisualGuidePageFactory, question

pytestmark = pytest.mark.django_db


def _form_data(page, questions, *, publish):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": page.intro,
            "questions": streamfield(questions),
            "related_links": streamfield([]),
            "hidden_related": streamfield([]),
            "audience": "everyone",
            "downloads": streamfield([]),
        }
    )
    if publish:
        data["action-publish"] = "Publish"
    return data


def test_an_editor_adds_a_question_in_the_admin_and_it_is_live_after_publishing(
    verified_admin_client, home_page, django_capture_on_commit_callbacks
):
    page = FAQPageFactory(parent=home_page, slug="faqs", questions=[question("How do I sign in?")])
    page.save_revision().publish()
    visitor = Client()
    assert "Where do I add professional contacts?" not in visitor.get(page.url).content.decode()
    assert verified_admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200

    existing = {"question": "How do I sign in?", "answer": rich_text("<p>With a code.</p>"), "anchor": ""}
    new = {
        "question": "Where do I add professional contacts?",
        "answer": rich_text("<p>In <b>Professional involvement</b>.</p>"),
        "anchor": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        saved = verified_admin_client.post(
            f"/admin/pages/{page.pk}/edit/",
            _form_data(page, [("question", existing), ("question", new)], publish=False),
        )
    assert saved.status_code == 302
    assert "Where do I add professional contacts?" not in visitor.get(page.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        published = verified_admin_client.post(
            f"/admin/pages/{page.pk}/edit/",
            _form_data(page, [("group_heading", "Documents"), ("question", new), ("question", existing)], publish=True),
        )

    assert published.status_code == 302
    soup = BeautifulSoup(visitor.get(page.url).content, "html.parser")
    contents = [a.get_text(strip=True) for a in soup.select("#contents a")]
    assert contents == ["Where do I add professional contacts?", "How do I sign in?"]
    answer = soup.find(id="where-do-i-add-professional-contacts")
    assert answer.find_next("div").get_text(" ", strip=True) == "In Professional involvement ."


def test_a_duplicate_anchor_in_the_admin_is_shown_as_an_error_and_nothing_is_saved(verified_admin_client, home_page):
    page = FAQPageFactory(parent=home_page, slug="faqs", questions=[question("How do I sign in?")])
    page.save_revision().publish()
    one = {"question": "One?", "answer": rich_text("<p>a</p>"), "anchor": "same"}
    two = {"question": "Two?", "answer": rich_text("<p>b</p>"), "anchor": "same"}

    response = verified_admin_client.post(
        f"/admin/pages/{page.pk}/edit/", _form_data(page, [("question", one), ("question", two)], publish=True)
    )

    assert response.status_code == 200
    assert "Another question on this page uses this anchor" in response.content.decode()
    page.refresh_from_db()
    assert [q.value["question"] for q in page.questions] == ["How do I sign in?"]


def test_an_editor_can_create_faq_pages_and_guides_in_the_help_section(verified_admin_client, home_page):
    for model in ("faqpage", "visualguidepage"):
        assert verified_admin_client.get(f"/admin/pages/add/faq/{model}/{home_page.pk}/").status_code == 200


def _strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def test_a_guide_steps_capture_help_shows_its_placeholders_and_says_who_takes_the_picture(
    client, home_page, content_editor
):
    """Wagtail puts a block's help into the page as HTML: "go to <path>" showed as "go to ", the path read as a tag."""
    guide = VisualGuidePageFactory(parent=home_page, slug="signing-in")
    editor = verified_login(client, content_editor)

    page = BeautifulSoup(editor.get(f"/admin/pages/{guide.pk}/edit/").content, "html.parser")
    blocks = [
        json.loads(value)
        for tag in page.find_all(attrs={"data-w-block-data-value": True})
        for value in [tag["data-w-block-data-value"]]
    ]
    (help_html,) = {text for data in blocks for text in _strings(data) if text.startswith("Optional. Leave blank")}
    shown = BeautifulSoup(help_html, "html.parser").get_text()  # what the browser's innerHTML shows

    for usage in (
        "go to [path]",
        "sign in as [demo account]",
        "open the link emailed to [address]",
        "fill [label] with",
    ):
        assert usage in shown
    assert "manage.py" not in shown
    assert "ask them" in shown and "takes no picture" in shown
