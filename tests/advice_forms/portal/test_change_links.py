"""Check answers' "Change" links, and the links of its list of what is missing, open the question's step at the
question: each fragment names an element of that step page, its first input (a record-backed question, which has
none: the question, which takes focus), as GOV.UK's pattern and the step's own error summary do."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories.advice_forms import advice_request, column, definition, question, section

pytestmark = pytest.mark.django_db

OPTIONS = [{"label": "Mainstream", "value": "mainstream"}, {"label": "Special school", "value": "special"}]


def every_kind_form():
    """One question of every kind a designer can add (the retired group kinds too), and a table per kind of first
    column: a step of inputs, a step of "add another" tables, a step of record-backed questions."""
    return definition(
        [
            section(
                "Inputs",
                [
                    question("short_text", "Short text", key="short"),
                    question("long_text", "Long text", key="long"),
                    question("number", "Number", key="number"),
                    question("date", "Date", key="date"),
                    question("email", "Email", key="email"),
                    question("phone", "Phone", key="phone"),
                    question("yes_no", "Yes or no", key="yes_no"),
                    question("single_choice", "Radios", key="radios", options=OPTIONS),
                    question("single_choice", "Select", key="select", options=OPTIONS, display="select"),
                    question("multiple_choice", "Checkboxes", key="checkboxes", options=OPTIONS),
                    question("declaration", "I confirm", key="declaration"),
                    question("address", "Address", key="address"),
                    question("money", "Money", key="money"),
                    question("file", "File", key="file"),
                ],
                key="inputs",
            ),
            section(
                "Tables",
                [
                    question("outcomes", "Outcomes", key="outcomes"),
                    question("professional_contacts", "Contacts", key="contacts"),
                    question("views", "Views", key="views"),
                    *(
                        question(
                            "table",
                            f"Table of {kind}",
                            key=f"table_{kind}",
                            item_name=f"{kind} row",
                            columns=[first, column("Notes", key="notes")],
                        )
                        for kind, first in (
                            ("text", column("Name", key="name")),
                            ("date", column("Started", "date", key="started")),
                            ("choice", column("Setting", "choice", key="setting", options=[("a", "A"), ("b", "B")])),
                            ("yes_no", column("Attends", "yes_no", key="attends")),
                            ("money", column("Cost", "money", key="cost")),
                        )
                    ),
                ],
                key="tables",
            ),
            section(
                "Records",
                [
                    question("child_details", "About the child", key="child"),
                    question("record_outcomes", "Outcomes sought", key="record_outcomes"),
                    question("record_contacts", "Professionals involved", key="record_contacts"),
                    question("record_contribution", "Parent's contribution", key="record_contribution"),
                ],
                key="records",
            ),
        ]
    )


def _targets(verified_client, links):
    """[(label, the element its fragment names on the step page it opens, or None)]."""
    steps, out = {}, []
    for label, href in links:
        address = urlsplit(href)
        path = f"{address.path}?{address.query}"
        if path not in steps:
            response = verified_client.get(path)
            assert response.status_code == 200, path
            steps[path] = BeautifulSoup(response.content, "html.parser")
        out.append((label, steps[path].find(id=address.fragment) if address.fragment else None))
    return out


def _first_input(element):
    """Whether the element is an input a question is answered in, or a record-backed question (no input of its own,
    it takes focus)."""
    if element is None:
        return False
    if element.name in ("input", "select", "textarea"):
        return element.get("type") != "hidden"
    return "advice-record-question" in element.get("class", []) and element.get("tabindex") == "-1"


@pytest.fixture
def check_answers(verified_client, professional):
    """Check answers of a request on every_kind_form, nothing answered yet."""
    request_ = advice_request(professional, version=every_kind_form())
    response = verified_client.get(reverse("portal:request_check_answers", args=[request_.pk]))
    return BeautifulSoup(response.content, "html.parser")


def test_every_change_link_opens_its_step_at_the_questions_first_input(verified_client, check_answers):
    actions = check_answers.select(".govuk-summary-list__actions a")
    links = [
        (link.find(class_="govuk-visually-hidden").get_text(strip=True), link["href"])
        for link in actions
        if link.get_text(strip=True).startswith("Change")
    ]
    # Every question of the form but the child's details, whose action is "Report a change" (they come from the record).
    assert len(links) == 25 and len(actions) == 26

    wrong = [label for label, target in _targets(verified_client, links) if not _first_input(target)]

    assert wrong == []


def test_every_missing_answers_link_opens_its_step_at_the_questions_first_input(verified_client, check_answers):
    links = [(link.get_text(strip=True), link["href"]) for link in check_answers.select(".advice-missing-list a")]
    assert len(links) == 25  # every question but the child's details, which come from the record

    wrong = [label for label, target in _targets(verified_client, links) if not _first_input(target)]

    assert wrong == []


@pytest.mark.parametrize("step", ["inputs", "tables"])
def test_the_steps_error_summary_links_each_question_where_its_change_link_does(verified_client, check_answers, step):
    """One rule for both: a step saved with nothing answered lists every question in its error summary."""
    change_links = [
        link["href"]
        for link in check_answers.select(".govuk-summary-list__actions a")
        if f"/steps/{step}/" in link["href"]
    ]
    response = verified_client.post(change_links[0].split("#")[0], {"action": "continue"})
    page = BeautifulSoup(response.content, "html.parser")

    summary = [link["href"] for link in page.select(".govuk-error-summary a")]

    assert summary == [f"#{urlsplit(href).fragment}" for href in change_links]
