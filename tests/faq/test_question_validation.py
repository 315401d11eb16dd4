"""An FAQ question is checked with care: a long question is refused (never cut), anchors break between words,
the same question twice on a page is flagged, and a reserved anchor is called reserved."""

import pytest
from wagtail.blocks import StreamBlockValidationError
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from faq.blocks import ANCHOR_MAX_LENGTH, FAQQuestionsBlock, anchor_from
from tests.factories.faq import FAQPageFactory, question

pytestmark = pytest.mark.django_db

LONG_QUESTION = (
    "When the school has already asked the educational psychology service for advice and the family has moved to "
    "another council during the assessment, which council's portal should the SENCO use to send the advice now?"
)


def _errors(questions):
    block = FAQQuestionsBlock()
    value = block.to_python(
        [
            {"type": "question", "value": {"question": text, "answer": "<p>a</p>", "anchor": anchor}}
            for text, anchor in questions
        ]
    )
    with pytest.raises(StreamBlockValidationError) as error:
        block.clean(value)
    return {
        position: {name: " ".join(e.messages) for name, e in child.block_errors.items()}
        for position, child in error.value.block_errors.items()
    }


def test_a_question_over_the_limit_is_refused_naming_the_limit():
    assert len(LONG_QUESTION) > 200

    errors = _errors([(LONG_QUESTION, "")])

    assert errors[0]["question"] == (
        f"The question must be 200 characters or fewer (it has {len(LONG_QUESTION)}): "
        "shorten it, or move detail into the answer"
    )


def test_the_admin_refuses_a_long_question_and_never_cuts_it_in_the_browser(verified_admin_client, home_page):
    page = FAQPageFactory(parent=home_page, slug="faqs", questions=[question("How do I sign in?")])
    page.save_revision().publish()

    editor = verified_admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    response = verified_admin_client.post(
        f"/admin/pages/{page.pk}/edit/",
        nested_form_data(
            {
                "title": page.title,
                "slug": page.slug,
                "intro": "",
                "questions": streamfield(
                    [("question", {"question": LONG_QUESTION, "answer": rich_text("<p>a</p>"), "anchor": ""})]
                ),
                "related_links": streamfield([]),
                "hidden_related": streamfield([]),
                "audience": "everyone",
                "downloads": streamfield([]),
                "action-publish": "Publish",
            }
        ),
    )

    # The block definition the editor's script builds its inputs from sets no maxlength: the browser cuts nothing.
    assert r"maxlength=\&quot;80" in editor  # the group heading's limit: the definitions are where we look
    assert r"maxlength=\&quot;200" not in editor
    assert response.status_code == 200
    assert "The question must be 200 characters or fewer" in response.content.decode()
    page.refresh_from_db()
    assert [q.value["question"] for q in page.questions] == ["How do I sign in?"]


def test_a_long_question_makes_an_anchor_cut_between_words():
    anchor = anchor_from(LONG_QUESTION)

    assert len(anchor) <= ANCHOR_MAX_LENGTH
    assert anchor == "when-the-school-has-already-asked-the-educational-psychology-service-for-advice"
    assert LONG_QUESTION.lower().replace("'", "").replace(" ", "-").startswith(anchor + "-")


def test_the_same_question_twice_on_a_page_is_flagged_on_the_second():
    errors = _errors([("How do I sign in?", ""), ("Where is my inbox?", ""), ("how do I  sign in", "")])

    assert list(errors) == [2]
    assert errors[2]["question"] == "Question 1 on this page asks the same: remove one, or reword it"


def test_a_reserved_anchor_is_called_reserved_not_taken_by_another_question():
    errors = _errors([("How do I sign in?", "contents")])

    assert (
        errors[0]["anchor"]
        == "“contents” is reserved for the page itself (its list of questions): choose another anchor"
    )
    assert "Another question" not in errors[0]["anchor"]


def test_a_kept_anchor_made_from_its_question_before_the_page_reserved_it_is_made_again_not_refused():
    """A question "History" was given the anchor "history" before the page used that id itself: saving the page
    again gives it "history-2", with no error for an editor who never typed it. A typed reserved anchor is refused."""
    block = FAQQuestionsBlock()
    value = block.to_python(
        [{"type": "question", "value": {"question": "History", "answer": "<p>a</p>", "anchor": "history"}}]
    )

    cleaned = block.clean(value)

    assert [child.value["anchor"] for child in cleaned] == ["history-2"]
    assert _errors([("Our history", "history")])[0]["anchor"].startswith("“history” is reserved")
