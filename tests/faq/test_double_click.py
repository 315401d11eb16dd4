"""The feedback pages' own buttons ignore a second click (GOV.UK Frontend's button with ``data-prevent-double-click``):
a first vote's two posts, both sent before the first answer set the session's cookie, were stored as two votes, and a
comment sent with its vote twice as two. The box on a guidance page sends with feedback.js, which ignores a press while
its send is on its way (tests/browser/test_double_click.py)."""

import pytest
from django.test import Client

from tests.factories.cms import published
from tests.factories.faq import FAQPageFactory, question
from tests.govuk import button_named, ignores_a_second_click

pytestmark = pytest.mark.django_db


@pytest.fixture
def faq(home_page):
    return published(FAQPageFactory(parent=home_page, slug="faqs", questions=[question("How do I sign in?")]))


def test_the_feedback_pages_own_buttons_ignore_a_second_click(faq):
    """Without JavaScript: the question asked on a page of its own, and a comment whose vote this browser no longer has
    (its session ended), which asks the question again beside it."""
    visitor = Client()
    vote_page = visitor.get(f"/feedback/{faq.pk}/").content.decode()
    comment_page = visitor.post(f"/feedback/{faq.pk}/", {"action": "comment", "comment": "Clearer, please."})

    assert comment_page.status_code == 400  # refused: the question asked first
    assert ignores_a_second_click(button_named(vote_page, "Send your answer"))
    assert ignores_a_second_click(button_named(comment_page.content.decode(), "Send comment"))
