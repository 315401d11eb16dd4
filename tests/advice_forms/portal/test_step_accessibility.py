"""What a step's page gives assistive technology and the scripts that serve it: a sentence, its own polite region, that
says a table's row was removed, the hidden-text notice's live region present from the start, a table question's legend
for the error summary, and a saved file marked on its question (tests/browser/test_step_accessibility.py runs them in
Chromium)."""

from bs4 import BeautifulSoup

from advice_forms.models import AdviceRequest
from tests.advice_forms.test_conditions import conditions_sections, when
from tests.advice_forms.test_table_question import (  # noqa: F401
    GOOD,
    advice_request,
    rows_data,
    step_url,
    table_question,
)
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, definition, question, section


def _soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_removing_a_row_says_so_in_a_sentence_that_is_its_own_polite_region_and_adding_one_says_nothing(
    verified_client,
    advice_request,  # noqa: F811
):
    removed = _soup(
        verified_client.post(step_url(advice_request), {**rows_data(*GOOD), "row-action": "remove:schools:1"})
    )
    region = removed.select_one("[data-announce]")
    assert region["role"] == "status" and region["id"] == "id_schools-removed"
    assert region.get_text(strip=True) == "You have removed School 2.", "cms/init.js empties it and fills it again"
    assert removed.find(id="id_schools-0-name").has_attr("autofocus")

    added = _soup(verified_client.post(step_url(advice_request), {**rows_data(GOOD[0]), "row-action": "add:schools"}))
    assert added.select("[data-announce]") == []


def test_removing_a_row_says_so_in_a_sentence_beside_the_table_without_javascript(
    verified_client,
    advice_request,  # noqa: F811
):
    """Without JavaScript a live region that stayed empty left only where focus went to tell that a row had gone: the
    sentence that says so, as a removed file's does, is the live region itself, read like any text where no script
    runs; nothing hides it from screen readers and no second element repeats it (cms/init.js announces it:
    tests/browser/test_step_accessibility.py)."""
    removed = _soup(
        verified_client.post(step_url(advice_request), {**rows_data(*GOOD), "row-action": "remove:schools:1"})
    )
    sentence = removed.find(id="id_schools-removed")
    assert sentence.get_text(strip=True) == "You have removed School 2."
    assert "govuk-visually-hidden" not in sentence["class"] and not sentence.has_attr("aria-hidden")
    table = removed.find(id="id_schools-0-name").find_parent("fieldset", attrs={"data-error-summary-legend": True})
    assert sentence.find_parent("fieldset") is table, "beside the table, under its question"
    assert len(removed.find_all(string=lambda text: "You have removed" in text)) == 1
    assert not any("You have removed" in hidden.get_text() for hidden in removed.select("[aria-hidden]"))

    added = _soup(verified_client.post(step_url(advice_request), {**rows_data(GOOD[0]), "row-action": "add:schools"}))
    assert added.find(id="id_schools-removed") is None


def test_the_hidden_text_notice_is_an_empty_live_region_rendered_from_the_start(verified_client, professional):
    ar = AdviceRequestFactory(
        account=professional, form_version=definition(conditions_sections()), child=ChildRecordFactory()
    )
    page = _soup(verified_client.get(f"/portal/requests/{ar.pk}/steps/about/"))
    notice = page.select_one("[data-advice-clearing-notice]")
    assert notice["aria-live"] == "polite"
    assert not notice.has_attr("hidden") and not notice.find_parent(attrs={"hidden": True})
    assert notice.get_text(strip=True) == ""
    words = page.select_one("template[data-advice-clearing-words]")
    assert words.get_text(" ", strip=True) == (
        "! Warning Your answers now hide questions that hold answers: . When you save, you can choose to remove or keep"
        " those answers."
    )


def test_a_table_questions_fieldset_gives_the_error_summary_its_own_legend(
    verified_client,
    advice_request,  # noqa: F811
):
    page = _soup(verified_client.post(step_url(advice_request), {**rows_data({}), "action": "continue"}))
    link = page.select_one(".govuk-error-summary a")
    first_box = page.find(id=link["href"][1:])
    assert first_box["name"] == "schools-0-name"
    marked = first_box.find_parent(attrs={"data-error-summary-legend": True})
    assert marked.name == "fieldset" and marked.legend.get_text(strip=True) == "Schools attended before"
    assert marked.find(id="id_schools-error") is not None


def test_a_file_question_holding_a_saved_file_is_marked_for_the_hidden_text_notice(verified_client, professional):
    questions = [
        question("yes_no", "Is there a report", key="has_report"),
        question("file", "Latest report", key="report", condition=when("all", ("has_report", "is", "yes"))),
    ]
    version = definition([section("Evidence", questions, key="evidence")])
    answers = {"evidence": {"has_report": "yes", "report": {"document": 1, "name": "report.pdf", "size": 2048}}}
    ar = AdviceRequestFactory(account=professional, form_version=version, answers=answers)
    page = _soup(verified_client.get(f"/portal/requests/{ar.pk}/steps/evidence/"))
    group = page.find(id="id_report").find_parent(class_="govuk-form-group")
    assert group.has_attr("data-advice-saved-file")

    AdviceRequest.objects.filter(pk=ar.pk).update(answers={"evidence": {"has_report": "yes"}})
    page = _soup(verified_client.get(f"/portal/requests/{ar.pk}/steps/evidence/"))
    assert page.select("[data-advice-saved-file]") == []


ERROR_CLASSES = ".govuk-input--error, .govuk-textarea--error, .govuk-select--error, .govuk-file-upload--error"


def _in_an_error_group(control):
    return "govuk-form-group--error" in control.find_parent(class_="govuk-form-group")["class"]


def test_every_box_and_option_of_a_question_in_error_is_marked_invalid_and_no_other(verified_client, professional):
    """A screen reader says "invalid entry" on a box that holds an error, as the portal's sign-in has it: every box
    the page marks red (a date's or an address's boxes at fault, not the others), every option of a radio or checkbox
    question in error, and each in a table's row, whatever kind of question it is."""
    options = [{"label": "Often", "value": "often"}, {"label": "Never", "value": "never"}]
    version = definition(
        [
            section(
                "Every kind",
                [
                    question("short_text", "Name", key="name"),
                    question("long_text", "Needs", key="needs"),
                    question("long_text", "Summary", key="summary", max_length=200),
                    question("number", "Hours", key="hours"),
                    question("email", "Email", key="email"),
                    question("money", "Cost", key="cost"),
                    question("date", "Started", key="started"),
                    question("yes_no", "Looked after", key="looked_after"),
                    question("single_choice", "How often", key="often", options=options),
                    question("multiple_choice", "When", key="when", options=options),
                    question("declaration", "I agree", key="agree"),
                    question("address", "Address", key="address"),
                    question("file", "Report", key="report"),
                    table_question(),
                ],
                key="every",
            )
        ]
    )
    ar = AdviceRequestFactory(account=professional, form_version=version, child=ChildRecordFactory())
    data = {**rows_data({"day": "40", "month": "9", "year": "2019"}), "started-day": "4", "action": "continue"}

    page = _soup(verified_client.post(f"/portal/requests/{ar.pk}/steps/every/", data))

    controls = page.select("main form input:not([type=hidden]), main form select, main form textarea")
    marked = set(map(id, page.select(ERROR_CLASSES)))
    in_error = [
        c for c in controls if id(c) in marked or (c.get("type") in ("radio", "checkbox") and _in_an_error_group(c))
    ]
    assert len(page.select(".govuk-error-message")) >= 14
    assert {c["id"] for c in in_error} >= {
        "id_name", "id_needs", "id_summary", "id_hours", "id_email", "id_cost", "id_started-month", "id_started-year",
        "id_looked_after-0", "id_looked_after-1", "id_often-0", "id_when-1", "id_agree", "id_address-line_1",
        "id_report", "id_schools-0-name", "id_schools-0-started-day", "id_schools-0-setting",
    }  # fmt: skip
    assert [c["id"] for c in in_error if c.get("aria-invalid") != "true"] == []
    assert [c["id"] for c in controls if c.get("aria-invalid") and c not in in_error] == []
    assert page.find(id="id_started-day").get("aria-invalid") is None  # the day typed is not at fault
