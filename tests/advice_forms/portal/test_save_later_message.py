"""'Save and come back later' on a step with problems names the answers to correct, in the words of their errors, so
a professional leaving a long form knows what to come back to without pressing "Save and continue" to find out."""

import pytest
from django.urls import reverse

from tests.factories.advice_forms import AdviceRequestFactory, column, definition, question, section

pytestmark = pytest.mark.django_db


def support_table():
    return question(
        "table", "Support given", key="supports", item_name="support", columns=[column("What support", key="what")]
    )


def saved_later(client, professional, questions, posted):
    version = definition([section("Section 2", questions, key="two")])
    advice_request = AdviceRequestFactory(account=professional, form_version=version)
    step = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "two"})
    return client.post(step, {**posted, "action": "later"}, follow=True).content.decode()


def test_save_later_names_the_answer_to_correct(verified_client, professional):
    page = saved_later(verified_client, professional, [support_table()], {"supports-rows": "1"})
    assert (
        "What you typed in “Section 2” is saved, but this answer needs correcting before you can submit: "
        "add at least one support." in page
    )


def test_save_later_names_the_first_three_answers_to_correct_and_counts_the_rest(verified_client, professional):
    questions = [
        support_table(),
        *(question("short_text", f"Name of contact {n}", key=f"contact_{n}") for n in range(1, 5)),
    ]
    page = saved_later(verified_client, professional, questions, {"supports-rows": "1", "contact_1": "Ann Lee"})
    assert (
        "these answers need correcting before you can submit: add at least one support; "
        "enter the name of contact 2; enter the name of contact 3; and 1 more." in page
    )
