import re

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.blocks import StreamBlockValidationError, StreamValue
from wagtail.documents import get_document_model

from faq.blocks import FAQQuestionsBlock
from tests.factories.cms import HelpPageFactory, published
from tests.factories.faq import FAQPageFactory, question

pytestmark = pytest.mark.django_db


def _soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def faq(home_page):
    section = published(HelpPageFactory(parent=home_page, title="Help", slug="help"))
    return published(
        FAQPageFactory(
            parent=section,
            title="Questions for professionals",
            slug="faqs",
            questions=[
                ("group_heading", "Signing in"),
                question("I forgot my password. How do I reset it?", "<p>Choose <b>Forgotten your password?</b></p>"),
                question("I have a new phone", "<p>Use a backup code.</p>", anchor="new-phone"),
                ("group_heading", "Documents"),
                question("How do I upload a document?", "<p>PDFs of 3 MB or less.</p>"),
                question("How do I upload a document?", "<p>The same question twice gets its own anchor.</p>"),
            ],
            related_links=[("link", {"title": "Council SEND pages", "url": "https://www.example.org/send"})],
        )
    )


def test_every_jump_link_lands_on_its_answer_and_every_answer_has_back_to_top(client, faq):
    soup = _soup(client.get(faq.url))

    contents = soup.select("#contents a[href^='#']")
    answers = soup.select(".portal-faq-answer")
    assert [a.get_text(strip=True) for a in contents] == [
        "I forgot my password. How do I reset it?",
        "I have a new phone",
        "How do I upload a document?",
        "How do I upload a document?",
    ]
    targets = [a["href"][1:] for a in contents]
    assert targets == ["i-forgot-my-password-how-do-i-reset-it", "new-phone", "how-do-i-upload-a-document"] + [
        "how-do-i-upload-a-document-2"
    ]
    for link, answer in zip(contents, answers, strict=True):
        heading = soup.find(id=link["href"][1:])
        assert heading is not None and heading.get_text(strip=True) == link.get_text(strip=True)
        assert heading.find_parent(class_="portal-faq-answer") is answer
        back = answer.find("a", string="Back to top")
        assert back is not None and soup.find(id=back["href"][1:]).name == "h1"
    assert len(set(targets)) == len(targets)


def test_questions_are_grouped_under_their_headings(client, faq):
    soup = _soup(client.get(faq.url))

    groups = [h.get_text(strip=True) for h in soup.select("h2.portal-faq-group")]
    assert groups == ["Signing in", "Documents"]
    first_group_questions = soup.select("#contents ul")[0].find_all("a")
    assert [a.get_text(strip=True) for a in first_group_questions][1] == "I have a new phone"


def test_page_shows_related_links_contact_from_settings_and_last_updated(client, faq):
    soup = _soup(client.get(faq.url))

    related = soup.find(id="related").find_next("ul")
    assert related.find("a", href="https://www.example.org/send").get_text() == "Council SEND pages"
    contact = soup.find(id="contact").parent.get_text(" ", strip=True)
    assert "send@testshire.example.org" in contact and "01632 960 111" in contact
    assert soup.select_one(".portal-last-updated time")["datetime"] == faq.last_published_at.isoformat()


def test_the_printable_is_offered_before_the_questions_in_the_words_of_a_visual_guide(client, faq):
    """It was only under "Downloads", after every answer on a phone (12,900 px down the demo FAQ page)."""
    html = client.get(faq.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")

    links = soup.find_all("a", href=f"{faq.url}printable/")
    assert [a.get_text(strip=True) for a in links] == ["Download a printable version of these questions (PDF)"]
    printable = html.index(f'href="{faq.url}printable/"')
    assert printable < html.index('id="contents"') < html.index('class="portal-faq-answer"')
    assert soup.find(id="downloads") is None  # nothing else to download, so no empty "Downloads"


def test_downloads_list_documents_with_type_and_size(client, faq):
    data = b"%PDF-1.4 a small file"
    # The admin's upload form records the size; so does the demo loader.
    document = get_document_model().objects.create(
        title="Printable FAQs", file=ContentFile(data, name="faqs.pdf"), file_size=len(data)
    )
    faq.downloads = [("document", {"document": document, "title": ""})]
    published(faq)

    soup = _soup(client.get(faq.url))

    link = soup.find(id="downloads").find_next("a")  # the page's own printable is offered at the top instead
    assert link["href"] == document.url
    assert "Printable FAQs" in link.get_text()
    assert link.get_text(" ", strip=True) == "Printable FAQs (PDF, 1 KB)"  # 21 bytes, in the link's words


def test_a_typed_anchor_used_twice_is_refused_with_a_message_on_the_question():
    block = FAQQuestionsBlock()
    value = block.to_python(
        [
            {"type": "question", "value": {"question": "One", "answer": "<p>a</p>", "anchor": "same"}},
            {"type": "question", "value": {"question": "Two", "answer": "<p>b</p>", "anchor": "same"}},
        ]
    )

    with pytest.raises(StreamBlockValidationError) as error:
        block.clean(value)

    assert 1 in error.value.block_errors
    assert "Another question on this page uses this anchor" in str(error.value.block_errors[1].block_errors["anchor"])


def test_an_anchor_must_be_lower_case_words_and_hyphens():
    block = FAQQuestionsBlock()
    value = block.to_python([{"type": "question", "value": {"question": "One", "answer": "<p>a</p>", "anchor": "No!"}}])

    with pytest.raises(ValidationError):
        block.clean(value)


def test_anchors_made_once_stay_when_the_question_is_reworded(client, faq):
    faq.questions[1].value["question"] = "Forgotten your password?"
    published(faq)

    soup = _soup(client.get(faq.url))

    heading = soup.find(id="i-forgot-my-password-how-do-i-reset-it")
    assert heading.get_text(strip=True) == "Forgotten your password?"


def _faq_with(parent, count, linked_page):
    questions = []
    for n in range(count):
        if n % 7 == 0:
            questions.append(("group_heading", f"Group {n}"))
        answer = f'<p>Answer {n}, see <a linktype="page" id="{linked_page.pk}">the guide</a>.</p>'
        questions.append(question(f"Question number {n}?", answer))
    return published(FAQPageFactory(parent=parent, slug=f"faq-{count}", questions=questions))


def _queries_to_render(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_query_count_does_not_grow_with_the_number_of_questions(client, home_page, django_assert_num_queries):
    guide = published(HelpPageFactory(parent=home_page, slug="linked"))
    small = _faq_with(home_page, 14, guide)
    large = _faq_with(home_page, 140, guide)

    client.get("/")  # warms Wagtail's site-root cache, which the first request of a process fills
    small_count, small_response = _queries_to_render(client, small.url)
    with django_assert_num_queries(small_count):
        large_response = client.get(large.url)

    assert len(re.findall(rb'class="portal-faq-answer"', small_response.content)) == 14
    assert len(re.findall(rb'class="portal-faq-answer"', large_response.content)) == 140
    assert large_response.content.count(f'href="{guide.url}"'.encode()) == 140


def test_stream_value_keeps_generated_anchors_when_saved(home_page):
    page = FAQPageFactory(parent=home_page, questions=[question("Why does the portal sign me out?")])

    page.refresh_from_db()

    assert isinstance(page.questions, StreamValue)
    assert page.questions[0].value["anchor"] == "why-does-the-portal-sign-me-out"


def test_a_search_snippet_matches_an_answers_words_not_its_markup(home_page):
    """A search for "href" (or "linktype", "embed") named the first question whose answer held a link or picture."""
    faq = FAQPageFactory(
        parent=home_page,
        questions=[
            question("Where is the guide?", '<p>See <a href="https://www.example.org/guide">the guide</a>.</p>'),
            question("I have a new phone", "<p>Use a backup code.</p>"),
        ],
    )

    assert faq.matching_question("href") is None and faq.matching_question("example.org") is None
    assert faq.matching_question("backup")["question"] == "I have a new phone"
    assert faq.matching_question("the guide")["question"] == "Where is the guide?"
