"""Record-backed questions: the wizard step shows and changes the same child-record rows as the pages around the form
(one store per fact), a submission freezes them for its PDF, and the child's details are pre-filled and read-only."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse

from advice_forms.models import (
    ChildRecord,
    Contribution,
    DetailsChangeReport,
    FormKind,
    Outcome,
    OutcomeState,
    ProfessionalContact,
)
from advice_forms.services.outcomes import outcome_create, outcome_delete, outcome_delete_own
from advice_forms.services.submissions import submission_pdf_render
from portal_pages.models import Organisation
from tests.factories.accounts import ProfessionalFactory, StaffUserFactory, TOTPDeviceFactory, verified_login
from tests.factories.advice_forms import (
    ChildRecordFactory,
    advice_request,
    definition,
    question,
    section,
)
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db
# What a required contribution question says while nothing is recorded: what is missing, not the button's name.
NOT_RECORDED = "Record how the parent or carer gave their views and how they want to be contacted"


def record_form():
    return definition(
        [
            section(
                "The child",
                [
                    question("child_details", "About the child", key="child"),
                    question("short_text", "What are their strengths?", key="strengths"),
                ],
                key="about",
            ),
            section("Outcomes", [question("record_outcomes", "Outcomes sought", key="outcomes")], key="outcomes"),
            section(
                "Involvement",
                [question("record_contacts", "Professionals involved", key="contacts", required=False)],
                key="involvement",
            ),
            section(
                "Contribution",
                [question("record_contribution", "Parent's contribution", key="contribution", required=False)],
                key="contribution",
            ),
        ],
        title="Record-backed ERSA",
        kind=FormKind.ERSA,
    )


@pytest.fixture
def request_(professional, terms):
    school = Organisation.objects.create(name="Heronsgate Primary", email_domains="heronsgate.example.org")
    child = ChildRecordFactory(
        first_name="Ariadne",
        last_name="Quill",
        address="1 Heron Row\nKestrelford KF1 2AB",
        school=school,
        unique_pupil_number="A123456789012",
        coordinator=StaffUserFactory(email="coordinator@kestrelford.example.org"),
    )
    return advice_request(professional, version=record_form(), child=child)


def step_url(ar, step):
    return reverse("portal:request_step", kwargs={"pk": ar.pk, "step": step})


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def outcome_post(terms, text, **extra):
    return {
        "need_type": terms["comms"].pk,
        "team": terms["slt"].pk,
        "outcome": text,
        "provision": "Weekly therapy",
        "timescale": "By July",
        **extra,
    }


# --- one store: the page and the step show the same rows ---


def test_an_outcome_added_on_the_outcomes_page_is_shown_in_the_step(verified_client, request_, terms):
    verified_client.post(f"/portal/requests/{request_.pk}/outcomes/new/", outcome_post(terms, "Asks for help"))

    html = page(verified_client, step_url(request_, "outcomes"))
    outcome = Outcome.objects.get()
    assert "Asks for help" in html and "Communication and interaction: Speech and Language Therapy" in html
    assert f'value="record:outcome-change:{outcome.pk}"' in html
    assert f'value="record:outcome-delete:{outcome.pk}"' in html


def test_an_outcome_added_from_the_step_is_one_row_shown_on_the_outcomes_page(verified_client, request_, terms):
    response = verified_client.post(step_url(request_, "outcomes"), {"action": "record:outcome-add"})
    add_url = f"/portal/requests/{request_.pk}/outcomes/new/?step=outcomes"
    assert response.status_code == 302 and response.url == add_url
    request_.refresh_from_db()
    assert "outcomes" in request_.started_sections
    # Saved, and in progress while no outcome is recorded (check answers names it missing).
    assert _task_status(page(verified_client, f"/portal/requests/{request_.pk}/"), "outcomes") == "In progress"

    added = verified_client.post(add_url, outcome_post(terms, "Uses a visual timetable"))
    assert added.status_code == 302 and added.url == step_url(request_, "outcomes")
    assert Outcome.objects.get().outcome == "Uses a visual timetable"
    assert "Uses a visual timetable" in page(verified_client, f"/portal/requests/{request_.pk}/outcomes/")
    assert "Uses a visual timetable" in page(verified_client, step_url(request_, "outcomes"))
    request_.refresh_from_db()
    assert "outcomes" not in request_.answers.get("outcomes", {}), "the step keeps no second copy"


def test_the_add_outcome_buttons_words_are_the_heading_and_title_of_the_page_they_open(
    verified_client, request_, terms
):
    """The step's button and the Outcomes page's said "Add an outcome" and "Add new outcome", and both opened a page
    headed "Add new outcome"; the page a button opens is headed (and titled) in the button's words."""
    step = BeautifulSoup(page(verified_client, step_url(request_, "outcomes")), "html.parser")
    assert step.select_one('main button[value="record:outcome-add"]').get_text(strip=True) == "Add an outcome"
    listing = BeautifulSoup(page(verified_client, f"/portal/requests/{request_.pk}/outcomes/"), "html.parser")
    add_url = f"/portal/requests/{request_.pk}/outcomes/new/"
    assert listing.select_one(f'main a[href="{add_url}"]').get_text(strip=True) == "Add an outcome"

    for url in (add_url, f"{add_url}?step=outcomes"):
        opened = BeautifulSoup(page(verified_client, url), "html.parser")
        assert opened.select_one("main h1").get_text(strip=True) == "Add an outcome"
        assert opened.title.get_text(strip=True).startswith("Add an outcome – ")

    verified_client.post(add_url, outcome_post(terms, "Asks for help"))
    edit = BeautifulSoup(page(verified_client, f"{add_url[:-4]}{Outcome.objects.get().pk}/"), "html.parser")
    assert edit.select_one("main h1").get_text(strip=True) == "Change your outcome"
    assert edit.title.get_text(strip=True).startswith("Change your outcome – ")


def test_the_step_changes_and_deletes_an_outcome_through_the_outcome_pages(verified_client, request_, terms):
    verified_client.post(f"/portal/requests/{request_.pk}/outcomes/new/", outcome_post(terms, "First words"))
    outcome = Outcome.objects.get()

    going = verified_client.post(step_url(request_, "outcomes"), {"action": f"record:outcome-change:{outcome.pk}"})
    edit_url = f"/portal/requests/{request_.pk}/outcomes/{outcome.pk}/?step=outcomes"
    assert going.url == edit_url
    saved = verified_client.post(edit_url, outcome_post(terms, "Better words", version=outcome.version))
    assert saved.url == step_url(request_, "outcomes")
    assert "Better words" in page(verified_client, step_url(request_, "outcomes"))

    going = verified_client.post(step_url(request_, "outcomes"), {"action": f"record:outcome-delete:{outcome.pk}"})
    assert going.url == f"/portal/requests/{request_.pk}/outcomes/{outcome.pk}/delete/?step=outcomes"
    deleted = verified_client.post(going.url)
    assert deleted.url == step_url(request_, "outcomes")
    assert Outcome.objects.get().state == OutcomeState.DELETED
    assert "Better words" not in page(verified_client, step_url(request_, "outcomes"))


def test_the_step_adds_a_contact_and_records_the_contribution_through_their_pages(verified_client, request_, terms):
    going = verified_client.post(step_url(request_, "involvement"), {"action": "record:contact-add"})
    assert going.url == f"/portal/requests/{request_.pk}/contacts/new/?step=involvement"
    contact = {"name": "Sam Rivers", "role": "Specialist teacher", "team": terms["ep"].pk}
    assert verified_client.post(going.url, contact).url == step_url(request_, "involvement")
    assert "Sam Rivers" in page(verified_client, f"/portal/requests/{request_.pk}/contacts/")
    html = page(verified_client, step_url(request_, "involvement"))
    assert "Sam Rivers" in html and "Educational Psychology" in html
    assert f"record:contact-change:{ProfessionalContact.objects.get().pk}" in html

    going = verified_client.post(step_url(request_, "contribution"), {"action": "record:contribution-change"})
    assert going.url == f"/portal/requests/{request_.pk}/contribution/?step=contribution"
    saved = verified_client.post(
        going.url,
        {"contribution_methods": ["meeting"], "communication_methods": ["email"], "interpreter_needed": "no"},
    )
    assert saved.url == step_url(request_, "contribution")
    assert Contribution.objects.get().communication_methods == ["email"]
    assert "At a meeting" in page(verified_client, step_url(request_, "contribution"))


def test_a_step_button_never_opens_another_accounts_row(verified_client, request_, terms):
    other = ProfessionalFactory()
    theirs = advice_request(other, child=request_.child)
    outcome = outcome_create(
        advice_request=theirs, account=other, team=terms["ep"], need_type=terms["semh"], outcome="Theirs"
    )
    html = page(verified_client, step_url(request_, "outcomes"))
    assert "Theirs" in html, "the request opens the whole record, so the row is listed"
    assert f"record:outcome-change:{outcome.pk}" not in html, "but offers no change to someone else's row"

    going = verified_client.post(step_url(request_, "outcomes"), {"action": f"record:outcome-change:{outcome.pk}"})
    assert verified_client.get(going.url).status_code == 404
    assert verified_client.post(going.url, outcome_post(terms, "Overwritten", version=1)).status_code == 404
    going = verified_client.post(step_url(request_, "outcomes"), {"action": f"record:outcome-delete:{outcome.pk}"})
    assert verified_client.post(going.url).status_code == 404
    assert Outcome.objects.get(pk=outcome.pk).outcome == "Theirs"
    assert Outcome.objects.get(pk=outcome.pk).state == OutcomeState.CURRENT
    # Another account's request: its step is not found either.
    assert verified_client.get(step_url(theirs, "outcomes")).status_code == 404


def test_an_unknown_step_in_the_return_address_goes_back_to_the_list(verified_client, request_, terms):
    add = f"/portal/requests/{request_.pk}/outcomes/new/?step=https://evil.example.com/"
    response = verified_client.post(add, outcome_post(terms, "Kept"))
    assert response.url == f"/portal/requests/{request_.pk}/outcomes/"


# --- the child's details: pre-filled, read-only, reported ---


def test_the_childs_details_come_from_the_record_and_a_post_cannot_change_them(verified_client, request_):
    html = page(verified_client, step_url(request_, "about"))
    for shown in ("Ariadne Quill", "4 May 2017", "1 Heron Row", "Heronsgate Primary", "A123456789012"):
        assert shown in html
    assert 'name="child"' not in html and 'name="name"' not in html, "nothing to type"

    posted = {"strengths": "Loves drawing", "child": "Someone Else", "name": "Someone Else", "action": "continue"}
    assert verified_client.post(step_url(request_, "about"), posted).status_code == 302
    request_.refresh_from_db()
    assert request_.answers["about"] == {"strengths": "Loves drawing"}
    child = ChildRecord.objects.get(pk=request_.child_id)
    assert (child.first_name, child.last_name) == ("Ariadne", "Quill")

    check = page(verified_client, f"/portal/requests/{request_.pk}/check-answers/")
    assert "Ariadne Quill" in check and "A123456789012" in check and "Someone Else" not in check


def test_an_initials_only_request_shows_the_initials_and_nothing_else(verified_client, request_):
    request_.shows_child_name = False
    request_.save()
    html = page(verified_client, step_url(request_, "about"))
    assert "A. Q." in html and "Not shared with your team" in html
    assert '<dt class="govuk-summary-list__key">Initials</dt><dd class="govuk-summary-list__value">A. Q.</dd>' in html
    assert "Ariadne" not in html and "1 Heron Row" not in html and "A123456789012" not in html


def test_report_a_change_from_the_step_tells_the_coordinator_without_the_childs_details(
    verified_client, request_, django_capture_on_commit_callbacks
):
    typed = {"strengths": "Typed before reporting", "action": "record:details-report"}
    going = verified_client.post(step_url(request_, "about"), typed)
    assert going.url == f"/portal/requests/{request_.pk}/report-a-change/?step=about"
    request_.refresh_from_db()
    assert request_.answers["about"]["strengths"] == "Typed before reporting", "saved before leaving the step"

    with django_capture_on_commit_callbacks(execute=True):
        done = verified_client.post(going.url, {"details": "They moved to 9 Kite Lane"})
    assert done.url == step_url(request_, "about")
    assert DetailsChangeReport.objects.get().details == "They moved to 9 Kite Lane"
    assert len(mail.outbox) == 1
    email = mail.outbox[0].subject + mail.outbox[0].body
    assert "Ariadne" not in email and "Quill" not in email and "Kite Lane" not in email


# --- required rows, and the submission's frozen copy ---


def test_a_required_outcomes_question_with_no_outcome_stops_the_submission(verified_client, request_, terms):
    verified_client.post(step_url(request_, "about"), {"strengths": "Drawing", "action": "continue"})
    check = page(verified_client, f"/portal/requests/{request_.pk}/check-answers/")
    assert "“Outcomes sought” in “Outcomes”: Add at least one outcome" in check
    verified_client.post(f"/portal/requests/{request_.pk}/outcomes/new/", outcome_post(terms, "Asks for help"))
    check = page(verified_client, f"/portal/requests/{request_.pk}/check-answers/")
    assert "“Outcomes sought” in “Outcomes”" not in check and "Asks for help" in check


def _task_status(html, key):
    return BeautifulSoup(html, "html.parser").find(id=f"task-{key}-status").get_text(" ", strip=True)


def _contribution_form():
    return definition(
        [
            section(
                "Contribution and communication method",
                [
                    question("short_text", "Preferred language", key="language"),
                    question("record_contribution", "How the parent or carer took part", key="contribution"),
                ],
                key="contribution",
            ),
            section("Anything else", [question("short_text", "Anything else", key="other")], key="other"),
        ],
        kind=FormKind.ERSA,
    )


def test_a_section_saved_without_its_required_record_rows_is_in_progress_not_completed(
    verified_client, professional, terms
):
    """The task list said "Completed" for a section whose required record-backed question had no rows, while check
    answers said "Not answered yet" and submit was refused."""
    ar = advice_request(professional, version=_contribution_form())
    saved = verified_client.post(step_url(ar, "contribution"), {"language": "English", "action": "continue"})
    assert saved.status_code == 200, "saved, and kept on the step with nothing recorded"

    detail = page(verified_client, f"/portal/requests/{ar.pk}/")
    assert _task_status(detail, "contribution") == "In progress"
    check = page(verified_client, f"/portal/requests/{ar.pk}/check-answers/")
    missing = f"“How the parent or carer took part” in “Contribution and communication method”: {NOT_RECORDED}"
    assert missing in check

    verified_client.post(
        f"/portal/requests/{ar.pk}/contribution/",
        {"contribution_methods": ["meeting"], "communication_methods": ["email"], "interpreter_needed": "no"},
    )
    assert _task_status(page(verified_client, f"/portal/requests/{ar.pk}/"), "contribution") == "Completed"


def _submit(client, ar):
    import re

    html = page(client, f"/portal/requests/{ar.pk}/check-answers/")
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html).group(1)
    response = client.post(f"/portal/requests/{ar.pk}/submit/", {"idempotency_key": key})
    assert response.status_code == 302 and "/submissions/" in response.url, response
    return ar.submissions.get()


def test_the_caseworkers_review_shows_the_record_rows_as_labelled_answers(verified_client, request_, terms, caseworker):
    """The review page printed the frozen rows as Python lists ("[[('Name', 'Ariadne Quill'), ...]]")."""
    verified_client.post(step_url(request_, "about"), {"strengths": "Drawing", "action": "continue"})
    verified_client.post(f"/portal/requests/{request_.pk}/outcomes/new/", outcome_post(terms, "Asks for help"))
    _submit(verified_client, request_)

    html = page(verified_login(Client(), caseworker), reverse("review_queue:review", args=[request_.pk]))
    answers = BeautifulSoup(html, "html.parser").select(".advice-review__answers dt")

    pairs = [(dt.get_text(strip=True), dt.find_next_sibling("dd").get_text(" ", strip=True)) for dt in answers]
    assert ("Name", "Ariadne Quill") in pairs
    assert ("School or setting", "Heronsgate Primary") in pairs
    assert ("Outcome", "Asks for help") in pairs, pairs
    assert not [text for _, text in pairs if "[(" in text or "('" in text]


def test_a_submissions_pdf_is_the_same_bytes_after_the_record_rows_change(
    verified_client, request_, terms, professional, caseworker
):
    verified_client.post(step_url(request_, "about"), {"strengths": "Drawing", "action": "continue"})
    for text in ("Asks for help", "Joins group games"):
        verified_client.post(f"/portal/requests/{request_.pk}/outcomes/new/", outcome_post(terms, text))
    verified_client.post(
        f"/portal/requests/{request_.pk}/contacts/new/",
        {"name": "Sam Rivers", "role": "Teacher", "team": terms["ep"].pk},
    )
    submission = _submit(verified_client, request_)
    assert [row["outcome"] for row in submission.records["outcomes"]] == ["Asks for help", "Joins group games"]
    assert "pk" not in submission.records["outcomes"][0], "the frozen copy keeps words, not live ids"
    before = submission_pdf_render(submission)
    text = pdf_text(before)
    assert "Asks for help" in text and "Sam Rivers" in text and "Ariadne Quill" in text

    first, second = Outcome.objects.order_by("pk")
    Outcome.objects.filter(pk=first.pk).update(outcome="Rewritten later")
    outcome_delete(outcome=second, by=caseworker, reason="Duplicate")
    ProfessionalContact.objects.update(name="Someone New")
    terms["comms"].name = "Renamed Type"
    terms["comms"].save()
    ChildRecord.objects.filter(pk=request_.child_id).update(first_name="Changed", address="Elsewhere")

    submission.refresh_from_db()
    after = submission_pdf_render(submission)
    assert after == before
    # The draft's preview, by contrast, reads the rows as they are now.
    assert submission.request.submissions.count() == 1
    live = pdf_text(verified_client.get(f"/portal/requests/{request_.pk}/preview.pdf").content)
    assert "Rewritten later" in live and "Joins group games" not in live


def back_and_cancel(html):
    """The page's back link (href, words) and its Cancel's href (None without one)."""
    soup = BeautifulSoup(html, "html.parser")
    back = soup.find("a", class_="govuk-back-link")
    cancel = soup.find("a", string="Cancel")
    return (back["href"], back.get_text()), cancel and cancel["href"]


def own_outcome_and_contact(client, ar, terms):
    """The account's own outcome and contact on ``ar``'s child, added through their pages."""
    client.post(f"/portal/requests/{ar.pk}/outcomes/new/", outcome_post(terms, "First words"))
    client.post(
        f"/portal/requests/{ar.pk}/contacts/new/", {"name": "Sam Rivers", "role": "Teacher", "team": terms["ep"].pk}
    )
    return Outcome.objects.get(), ProfessionalContact.objects.get()


def test_a_page_opened_from_a_step_goes_back_to_that_step_and_says_so(verified_client, request_, terms):
    """ "Back to the request" on "Add an outcome" went to the request page while its Cancel went back to the step; on
    the contribution page the same words went back to the step."""
    outcome, contact = own_outcome_and_contact(verified_client, request_, terms)
    pages = {
        "outcomes": ["outcomes/new/", f"outcomes/{outcome.pk}/", f"outcomes/{outcome.pk}/delete/"],
        "involvement": ["contacts/new/", f"contacts/{contact.pk}/"],
        "contribution": ["contribution/"],
        "about": ["report-a-change/"],
    }
    titles = {
        "outcomes": "Outcomes",
        "involvement": "Involvement",
        "contribution": "Contribution",
        "about": "The child",
    }
    for step, paths in pages.items():
        for path in paths:
            html = page(verified_client, f"/portal/requests/{request_.pk}/{path}?step={step}")
            back, cancel = back_and_cancel(html)
            assert back == (step_url(request_, step), f"Back to “{titles[step]}”"), path
            assert cancel in (None, back[0]), path

            if step in ("contribution", "about"):  # the others go back to their list (the test below)
                html = page(verified_client, f"/portal/requests/{request_.pk}/{path}")
                assert back_and_cancel(html)[0] == (f"/portal/requests/{request_.pk}/", "Back to the request"), path


def test_report_a_change_from_a_contribution_page_opened_from_a_step_goes_back_to_that_step(verified_client, request_):
    """The contribution page's "Report a change" lost the ``?step=`` it was opened with, so after reporting a change
    the professional landed on the request page instead of the step they came from."""
    html = page(verified_client, f"/portal/requests/{request_.pk}/contribution/?step=contribution")
    report = BeautifulSoup(html, "html.parser").find("a", string="Report a change to these details")["href"]
    assert report == f"/portal/requests/{request_.pk}/report-a-change/?step=contribution"
    assert back_and_cancel(page(verified_client, report))[0] == (
        step_url(request_, "contribution"),
        "Back to “Contribution”",
    )
    reported = verified_client.post(report, {"details": "The family have moved house."})
    assert reported.status_code == 302 and reported.url == step_url(request_, "contribution")

    html = page(verified_client, f"/portal/requests/{request_.pk}/contribution/")
    report = BeautifulSoup(html, "html.parser").find("a", string="Report a change to these details")["href"]
    assert report == f"/portal/requests/{request_.pk}/report-a-change/"


def test_an_outcome_or_contact_page_opened_from_its_list_goes_back_to_the_list_and_says_so(
    verified_client, request_, terms
):
    """Opened not from a step, "Back to the request" went to the request page while Cancel went to the list."""
    outcome, contact = own_outcome_and_contact(verified_client, request_, terms)
    lists = {
        "outcomes/": (
            "Back to outcomes",
            ["outcomes/new/", f"outcomes/{outcome.pk}/", f"outcomes/{outcome.pk}/delete/"],
        ),
        "contacts/": ("Back to professional involvement", ["contacts/new/", f"contacts/{contact.pk}/"]),
    }
    for list_path, (words, paths) in lists.items():
        list_url = f"/portal/requests/{request_.pk}/{list_path}"
        for path in paths:
            back, cancel = back_and_cancel(page(verified_client, f"/portal/requests/{request_.pk}/{path}"))
            assert back == (list_url, words), path
            assert cancel == list_url, path


def _shown_errors(html):
    """(the error summary's [(href, words)], the record question's error beside it, whether it is marked in error)."""
    soup = BeautifulSoup(html, "html.parser")
    summary = [(a["href"], a.get_text(strip=True)) for a in soup.select(".govuk-error-summary__list a")]
    question = soup.find(id="id_contribution")
    beside = question.find(class_="govuk-error-message")
    marked = "govuk-form-group--error" in question["class"]
    return summary, beside and beside.get_text(" ", strip=True), marked


def _summary_targets_take_focus(html):
    """Whether each error summary link's target can take focus, so following the link moves focus to the question."""
    soup = BeautifulSoup(html, "html.parser")
    targets = [soup.find(id=a["href"].removeprefix("#")) for a in soup.select(".govuk-error-summary__list a")]
    focusable = ("a", "button", "input", "select", "textarea")
    return bool(targets) and all(t is not None and (t.name in focusable or t.has_attr("tabindex")) for t in targets)


def test_a_required_record_question_with_nothing_recorded_stops_the_step_with_its_error_beside_it(
    verified_client, professional
):
    """Saving the step with nothing recorded moved on without complaint, and check answers' "not answered" link opened
    the step with "Nothing is recorded yet." and no error anywhere."""
    ar = advice_request(professional, version=_contribution_form())
    url = step_url(ar, "contribution")

    saved = verified_client.post(url, {"language": "English", "action": "continue"})
    assert saved.status_code == 200, "the step stays, as for any unanswered required question"
    assert _shown_errors(saved.content.decode()) == (
        [("#id_contribution", NOT_RECORDED)],
        f"Error: {NOT_RECORDED}",
        True,
    )
    assert _summary_targets_take_focus(saved.content.decode())
    ar.refresh_from_db()
    assert ar.answers["contribution"] == {"language": "English"}, "what was typed is saved all the same"

    check = page(verified_client, f"/portal/requests/{ar.pk}/check-answers/")
    link = BeautifulSoup(check, "html.parser").find("a", string=re.compile(NOT_RECORDED))["href"]
    assert link == f"{url}?return=check&attention=1#id_contribution"
    assert _shown_errors(page(verified_client, link)) == (
        [("#id_contribution", NOT_RECORDED)],
        f"Error: {NOT_RECORDED}",
        True,
    )
    # Opened from the task list, the step waits for a save before it shows the error.
    assert _shown_errors(page(verified_client, url)) == ([], None, False)

    # "Record the contribution" saves the step and goes to record it, without stopping.
    going = verified_client.post(url, {"language": "English", "action": "record:contribution-change"})
    assert going.status_code == 302 and going.url.startswith(f"/portal/requests/{ar.pk}/contribution/")
    verified_client.post(
        f"/portal/requests/{ar.pk}/contribution/",
        {"contribution_methods": ["meeting"], "communication_methods": ["email"], "interpreter_needed": "no"},
    )
    moved_on = verified_client.post(url, {"language": "English", "action": "continue"})
    assert moved_on.status_code == 302 and moved_on.url == step_url(ar, "other")
    assert _shown_errors(page(verified_client, f"{url}?return=check&attention=1")) == ([], None, False)


def test_a_record_page_opened_on_the_way_from_check_answers_keeps_the_way_back(verified_client, request_, terms):
    """From check answers to a step, then "Record the contribution" (or "Add an outcome") and save: the step came back
    without ``?return=check``, so "Save and continue" walked on through the next steps instead of back to check
    answers."""
    check = f"/portal/requests/{request_.pk}/check-answers/"
    for step, action, path, posted, anchor in [
        (
            "contribution",
            "record:contribution-change",
            "contribution/",
            {"contribution_methods": ["meeting"], "communication_methods": ["email"], "interpreter_needed": "no"},
            "section-contribution",
        ),
        ("outcomes", "record:outcome-add", "outcomes/new/", outcome_post(terms, "Asks for help"), "section-outcomes"),
    ]:
        from_check = f"{step_url(request_, step)}?return=check"
        going = verified_client.post(from_check, {"action": action})
        assert going.url == f"/portal/requests/{request_.pk}/{path}?step={step}&return=check"
        assert back_and_cancel(page(verified_client, going.url))[0][0] == from_check
        saved = verified_client.post(going.url, posted)
        assert saved.status_code == 302 and saved.url == from_check
        onward = verified_client.post(saved.url, {"action": "continue"})
        assert onward.status_code == 302 and onward.url == f"{check}#{anchor}"

    # The contribution page's "Report a change" keeps the way back too.
    html = page(verified_client, f"/portal/requests/{request_.pk}/contribution/?step=contribution&return=check")
    report = BeautifulSoup(html, "html.parser").find("a", string="Report a change to these details")["href"]
    assert report == f"/portal/requests/{request_.pk}/report-a-change/?step=contribution&return=check"
    reported = verified_client.post(report, {"details": "The family have moved house."})
    assert reported.url == f"{step_url(request_, 'contribution')}?return=check"


def test_save_later_names_a_required_record_question_with_nothing_recorded(verified_client, professional):
    """Save and come back later said the answers were saved, nothing more, while the step's own "Save and continue"
    stopped on "Record the contribution"."""
    ar = advice_request(professional, version=_contribution_form())
    left = verified_client.post(step_url(ar, "contribution"), {"language": "English", "action": "later"}, follow=True)
    text = BeautifulSoup(left.content.decode(), "html.parser").get_text(" ", strip=True)
    assert (
        "What you typed in “Contribution and communication method” is saved, but this answer needs correcting before "
        f"you can submit: {NOT_RECORDED[0].lower()}{NOT_RECORDED[1:]}." in text
    )
    assert "You can come back to them at any time" not in text
    ar.refresh_from_db()
    assert ar.answers["contribution"] == {"language": "English"}


# --- the task list after a return, and check answers' words for what is not finished ---


def test_a_section_sent_with_a_returned_submission_is_completed_not_in_progress(
    verified_client, request_, terms, caseworker, django_capture_on_commit_callbacks
):
    """A contact added from "Professional contacts" without pressing "Save and continue" there left the section "In
    progress" (2 of 4 completed): check answers let the form be submitted, and after the caseworker returned it the
    task list still said "In progress" for a section that went with the advice."""
    from advice_forms.services.requests import submission_return

    detail = f"/portal/requests/{request_.pk}/"
    verified_client.post(step_url(request_, "about"), {"strengths": "Drawing", "action": "continue"})
    verified_client.post(f"/portal/requests/{request_.pk}/outcomes/new/", outcome_post(terms, "Asks for help"))
    verified_client.post(step_url(request_, "outcomes"), {"action": "continue"})
    going = verified_client.post(step_url(request_, "involvement"), {"action": "record:contact-add"})
    verified_client.post(going.url, {"name": "Sam Rivers", "role": "Specialist teacher", "team": terms["ep"].pk})
    html = page(verified_client, detail)
    # Saved on the way to the contact, with nothing missing in it: completed, as check answers finds it.
    assert _task_status(html, "involvement") == "Completed"
    assert _task_status(html, "contribution") == "Not yet started"
    assert "You have completed 3 of 4 sections." in html

    # Check answers says so before "Accept and submit", with a link to each, and that it can be sent as it is.
    check = BeautifulSoup(page(verified_client, f"/portal/requests/{request_.pk}/check-answers/"), "html.parser")
    note = check.select_one(".advice-unfinished")
    assert note.p.get_text(" ", strip=True) == "You have not finished this section:"
    assert [li.get_text(" ", strip=True) for li in note.select("li")] == ["Contribution (not yet started)"]
    assert note.select("li a")[0]["href"] == f"{step_url(request_, 'contribution')}?return=check"
    assert "so you can submit the form as it is, or finish it first" in note.get_text(" ", strip=True)
    with django_capture_on_commit_callbacks(execute=True):
        submission = _submit(verified_client, request_)

    request_.refresh_from_db()
    submission_return(advice_request=request_, actor=caseworker, reason="Please add the speech therapist.")
    html = page(verified_client, detail)
    assert "You have completed 4 of 4 sections." in html
    assert [_task_status(html, key) for key in ("about", "outcomes", "involvement", "contribution")] == [
        "Completed"
    ] * 4
    assert submission.answers == request_.answers


def test_a_section_left_by_add_an_outcome_reads_as_check_answers_finds_it(verified_client, request_, terms):
    """ "Add an outcome" saved the step and came back to it; the task list then said "In progress" for the section
    though check answers found nothing missing in it. One rule: both read it completed, until something in it is
    missing (the outcome deleted), when both name it."""
    detail = f"/portal/requests/{request_.pk}/"
    check_url = f"/portal/requests/{request_.pk}/check-answers/"
    going = verified_client.post(step_url(request_, "outcomes"), {"action": "record:outcome-add"})
    added = verified_client.post(going.url, outcome_post(terms, "Asks for help"))
    assert added.status_code == 302 and step_url(request_, "outcomes") in added.url

    assert _task_status(page(verified_client, detail), "outcomes") == "Completed"
    check = BeautifulSoup(page(verified_client, check_url), "html.parser")
    assert not check.select(".govuk-error-summary")
    assert "Outcomes" not in [
        li.get_text(" ", strip=True).split(" (")[0] for li in check.select(".advice-unfinished li")
    ]

    outcome_delete_own(outcome=Outcome.objects.get(), account=request_.account)
    assert _task_status(page(verified_client, detail), "outcomes") == "In progress"
    assert "Outcomes" in page(verified_client, check_url).split("Accept and submit")[0]


def test_check_answers_offers_report_a_change_for_the_childs_details_not_change(verified_client, request_):
    """Check answers offered "Change" for the child's details, which a professional cannot change: the row's action is
    "Report a change", the page that tells the EHC co-ordinator, and it comes back the way it went."""
    verified_client.post(step_url(request_, "about"), {"strengths": "Drawing", "action": "continue"})
    check = BeautifulSoup(page(verified_client, f"/portal/requests/{request_.pk}/check-answers/"), "html.parser")
    actions = {
        row.dt.get_text(strip=True): row.select_one(".govuk-summary-list__actions a")
        for row in check.select("#section-about ~ dl > .govuk-summary-list__row")[:2]
    }
    child, strengths = actions["About the child"], actions["What are their strengths?"]
    # Said in a sentence's words, not the question's label ("Report a change to The child or young person").
    assert child.get_text(" ", strip=True) == "Report a change to the child's details"
    assert child["href"] == f"/portal/requests/{request_.pk}/report-a-change/?step=about&return=check"
    assert strengths.get_text(" ", strip=True) == "Change What are their strengths?"

    reported = verified_client.post(child["href"], {"details": "The family have moved house."})
    assert reported.url == f"{step_url(request_, 'about')}?return=check"
    assert DetailsChangeReport.objects.get().details == "The family have moved house."


def test_a_reported_change_is_shown_beside_the_childs_details_until_the_send_service_deals_with_it(
    verified_client, request_, caseworker
):
    """After "Report a change" the request page said nothing of it, so a professional coming back reported it again:
    the request page and the step showing the child's details say when it was reported and that it is waiting, until
    a caseworker marks it dealt with. Another account's report is not this account's to be told of."""
    from advice_forms.services.involvement import details_change_report_resolve
    from cms.formats import govuk_date

    detail = f"/portal/requests/{request_.pk}/"
    other = advice_request(ProfessionalFactory(), child=request_.child, shows_child_name=True)
    TOTPDeviceFactory(user=other.account)
    assert "advice-change-reported" not in page(verified_client, detail)

    reported = verified_client.post(
        f"/portal/requests/{request_.pk}/report-a-change/", {"details": "The family have moved house."}
    )
    assert reported.status_code == 302
    report = DetailsChangeReport.objects.get()
    said = f"You reported a change to these details on {govuk_date(report.created_at)}."

    for html in (page(verified_client, detail), page(verified_client, step_url(request_, "about"))):
        note = BeautifulSoup(html, "html.parser").select_one(".advice-change-reported")
        assert note is not None and said in note.get_text(" ", strip=True)
        assert "has not dealt with it yet" in note.get_text(" ", strip=True)
        assert "moved house" not in note.get_text()
    others = verified_login(Client(), other.account)
    assert "advice-change-reported" not in page(others, f"/portal/requests/{other.pk}/")

    details_change_report_resolve(report=report, by=caseworker)
    assert "advice-change-reported" not in page(verified_client, detail)
    assert "advice-change-reported" not in page(verified_client, step_url(request_, "about"))


def _provision_shown(html):
    rows = BeautifulSoup(html, "html.parser").select(".govuk-summary-list__row")
    return [row.select_one("dd").get_text(strip=True) for row in rows if row.dt.get_text(strip=True) == "Provision"]


def test_an_outcomes_empty_provision_reads_the_same_on_its_step_and_on_check_answers(verified_client, request_, terms):
    """The step said "Not given" and check answers "–" for the same empty provision: both say what check answers
    says of any other optional question left empty."""
    verified_client.post(
        f"/portal/requests/{request_.pk}/outcomes/new/", outcome_post(terms, "Asks for help", provision="")
    )
    assert Outcome.objects.get().provision == ""

    step = page(verified_client, step_url(request_, "outcomes"))
    check = page(verified_client, f"/portal/requests/{request_.pk}/check-answers/")

    assert _provision_shown(step) == ["Not answered"]
    assert _provision_shown(check) == ["Not answered"]
    assert "Not given" not in step and "–</dd>" not in check


def test_a_part_left_empty_reads_not_answered_on_the_review_page_the_pdfs_and_the_record_pages(
    verified_client, request_, terms, caseworker
):
    """The same empty provision read "Not answered" in the wizard, "–" on the caseworker's review page and in the
    submitted PDF, and "Not given" on the Outcomes page and in the outcomes report; a contact's organisation and the
    parent's views left empty likewise. Every screen now says what check answers says."""
    verified_client.post(step_url(request_, "about"), {"strengths": "Drawing", "action": "continue"})
    verified_client.post(
        f"/portal/requests/{request_.pk}/outcomes/new/",
        outcome_post(terms, "Asks for help", provision="", timescale=""),
    )
    verified_client.post(
        f"/portal/requests/{request_.pk}/contacts/new/",
        {"name": "Sam Rivers", "role": "Teacher", "team": terms["ep"].pk},
    )
    verified_client.post(
        f"/portal/requests/{request_.pk}/contribution/",
        {"contribution_methods": ["meeting"], "communication_methods": ["email"], "interpreter_needed": "no"},
    )
    outcomes_page = page(verified_client, f"/portal/requests/{request_.pk}/outcomes/")
    contacts_page = page(verified_client, f"/portal/requests/{request_.pk}/contacts/")
    submission = _submit(verified_client, request_)
    staff = verified_login(Client(), caseworker)
    review = BeautifulSoup(page(staff, reverse("review_queue:review", args=[request_.pk])), "html.parser")
    contribution = page(staff, reverse("casework_contribution", args=[request_.child_id]))
    report = staff.get(reverse("casework_outcomes_report", args=[request_.child_id])).content

    assert _provision_shown(outcomes_page) == ["Not answered"]
    assert "Not answered" in outcomes_page and "Not given" not in outcomes_page
    assert BeautifulSoup(contacts_page, "html.parser").select_one('td[data-label="Organisation"]').get_text() == (
        "Not answered"
    )
    pairs = [(dt.get_text(strip=True), dt.find_next_sibling("dd").get_text(strip=True)) for dt in review.select("dt")]
    for label in ("Provision", "Timescale", "Organisation", "Phone number", "The parent or carer's views"):
        assert (label, "Not answered") in pairs, label
    assert not [text for _, text in pairs if text == "–"]
    assert "<dd>Not answered</dd>" in contribution and "Not given" not in contribution
    for text in (pdf_text(submission_pdf_render(submission)), pdf_text(report)):
        flat = " ".join(text.split())
        assert "Provision Not answered" in flat and "Timescale Not answered" in flat, flat
        assert "Provision –" not in flat and "Not given" not in flat


def test_a_record_button_naming_its_row_in_other_digits_goes_nowhere(verified_client, request_):
    """A "²" passes str.isdigit(), and int() refused it: the step's post ended in a server error."""
    response = verified_client.post(step_url(request_, "outcomes"), {"action": "record:outcome-change:²"})
    assert response.status_code == 200  # the step again, going nowhere
