"""On a phone, check answers' "Change" opens a long step at the question: its first input has focus and the
question that asks it (a radio's legend, a table's legend, a text box's label) is on screen, not scrolled off the top.
"""

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from advice_forms.casework_setup import terms_seed
from tests.browser.test_advice_wizard import sign_in
from tests.factories.advice_forms import (
    column,
    definition,
    question,
    request_to_do,
    section,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def long_step_version():
    """One step of a yes/no, a date, a table, a text box and a file between long text boxes: each a screen or more
    down."""

    def filler(prefix):
        return [question("long_text", f"{prefix} {n}", key=f"{prefix.lower()}_{n}", required=False) for n in range(4)]

    return definition(
        [
            section(
                "About the child",
                [
                    *filler("Before"),
                    question("yes_no", "Is the child looked after?", key="looked_after"),
                    *filler("Then"),
                    question("date", "When did the child start at the school?", key="started"),
                    *filler("Next"),
                    question(
                        "table",
                        "Schools attended before",
                        key="schools",
                        item_name="school",
                        columns=[column("Name of the school", key="name"), column("Left", "date", key="left")],
                    ),
                    *filler("Later"),
                    question("short_text", "Name of the class teacher", key="teacher"),
                    *filler("More"),
                    question("file", "Latest report", key="report"),
                    *filler("After"),
                ],
                key="about",
            )
        ]
    )


@pytest.mark.parametrize(
    ("question_label", "focused", "shown"),
    [
        ("Is the child looked after?", "id_looked_after-0", ("legend", "Is the child looked after?")),
        ("When did the child start at the school?", "id_started-day", ("legend", "When did the child start")),
        ("Schools attended before", "id_schools-0-name", ("legend", "Schools attended before")),
        ("Name of the class teacher", "id_teacher", ("label", "Name of the class teacher")),
        ("Latest report", "id_report", ("label", "Latest report")),  # GOV.UK's "Choose file" button takes the id
    ],
)
def test_change_on_a_phone_focuses_the_question_and_shows_what_it_asks(
    live_server, page, professional, home_page, question_label, focused, shown
):
    terms_seed(apps)
    request_ = request_to_do(professional, long_step_version())
    sign_in(page, live_server.url, professional)
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(live_server.url + reverse("portal:request_check_answers", kwargs={"pk": request_.pk}))

    page.get_by_role("link", name=f"Change {question_label}").click()
    page.wait_for_load_state("load")

    expect(page.locator(f"#{focused}")).to_be_focused()
    expect(page.locator(f"#{focused}")).to_be_in_viewport()
    tag, words = shown
    expect(page.locator(f"main {tag}", has_text=words).first).to_be_in_viewport(ratio=1)


def test_change_for_an_answered_radio_question_focuses_the_chosen_option(live_server, page, professional, home_page):
    """The link leads to the question's first option, "Yes": where "No" was chosen, "No" takes the focus, as the arrow
    keys and a screen reader expect, not the unchosen "Yes"."""
    terms_seed(apps)
    request_ = request_to_do(professional, long_step_version())
    request_.answers = {"about": {"looked_after": "no"}}
    request_.save()
    sign_in(page, live_server.url, professional)
    page.goto(live_server.url + reverse("portal:request_check_answers", kwargs={"pk": request_.pk}))

    page.get_by_role("link", name="Change Is the child looked after?").click()
    page.wait_for_load_state("load")

    expect(page.get_by_role("radio", name="No")).to_be_focused()
    expect(page.get_by_role("radio", name="No")).to_be_checked()
    expect(page.locator("main legend", has_text="Is the child looked after?").first).to_be_in_viewport(ratio=1)
