"""Outcomes: always new, Team and Type required, edits only by the author and never from a stale copy."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from advice_forms.models import Outcome, OutcomeState, RequestState
from advice_forms.selectors import outcomes_for_pdf
from cms.models import AuditEntry
from cms.pdf import render_pdf
from tests.factories.accounts import ProfessionalFactory, verified_login
from tests.factories.advice_forms import ChildRecordFactory, advice_request, submission_make
from tests.govuk import first_in_main


@pytest.fixture
def request_(professional, terms):
    return advice_request(professional, child=ChildRecordFactory(first_name="Ariadne", last_name="Quill"))


def _add(client, ar, terms, text="Ariadne will ask for help using a visual card.", **extra):
    data = {
        "team": terms["slt"].pk,
        "need_type": terms["comms"].pk,
        "outcome": text,
        "provision": "Weekly therapy",
        "timescale": "By July",
        **extra,
    }
    return client.post(f"/portal/requests/{ar.pk}/outcomes/new/", data)


def _edit_form(client, ar, outcome):
    html = client.get(f"/portal/requests/{ar.pk}/outcomes/{outcome.pk}/").content.decode()
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_add_new_outcome_always_creates_and_lists_it_under_its_type(verified_client, request_, terms, professional):
    _add(verified_client, request_, terms, text="First outcome")
    _add(verified_client, request_, terms, text="Second outcome", need_type=terms["semh"].pk, team=terms["ep"].pk)

    assert Outcome.objects.count() == 2
    verified_client.get(f"/portal/requests/{request_.pk}/outcomes/")  # the success message is shown once
    html = verified_client.get(f"/portal/requests/{request_.pk}/outcomes/").content.decode()
    comms = html.index("Communication and interaction")
    semh = html.index("Social, emotional and mental health")
    assert comms < html.index("First outcome") < semh < html.index("Second outcome")
    # The area of need in words, for the eye and for a screen reader ("Change outcome 1 under ..."): never its code.
    assert "Comms" not in html and "SEMH" not in html
    # The Team too: each card is headed "Speech and Language Therapy", not "SLT – Speech and Language Therapy".
    assert "Speech and Language Therapy" in html and "Educational Psychology" in html
    assert "SLT" not in html and "EP –" not in html
    assert str(professional) in html
    assert AuditEntry.objects.filter(action="outcome.added").count() == 2


def test_an_outcome_is_named_for_a_screen_reader_in_the_step_as_on_the_outcomes_page(
    verified_client, professional, terms
):
    """The step said "Change outcome 2" where the Outcomes page said "Change outcome 1 under Social, emotional and
    mental health" for the same outcome: one name for it, wherever its Change and Delete are."""
    from tests.factories.advice_forms import definition, question, section

    version = definition(
        [section("Outcomes", [question("record_outcomes", "Outcomes sought", key="outcomes")], key="outcomes")]
    )
    ar = advice_request(professional, version=version)
    _add(verified_client, ar, terms, text="First outcome")
    _add(verified_client, ar, terms, text="Second outcome", need_type=terms["semh"].pk, team=terms["ep"].pk)

    def hidden(url, tag):
        soup = BeautifulSoup(verified_client.get(url).content, "html.parser")
        return [span.get_text() for span in soup.select(f"main {tag} .govuk-visually-hidden")]

    page = hidden(f"/portal/requests/{ar.pk}/outcomes/", "a")
    step = hidden(reverse("portal:request_step", kwargs={"pk": ar.pk, "step": "outcomes"}), "button")
    names = [
        " outcome 1 under Communication and interaction",
        " outcome 1 under Communication and interaction",
        " outcome 1 under Social, emotional and mental health",
        " outcome 1 under Social, emotional and mental health",
    ]
    assert page == names
    assert [name for name in step if name.startswith(" outcome")] == names


def test_team_and_type_are_required(verified_client, request_, terms):
    response = _add(verified_client, request_, terms, team="", need_type="", text="")

    html = response.content.decode()
    for message in ("Select the team", "Select the type", "Enter the outcome"):
        assert html.count(message) == 2, message
    # Each error in its label's words ("Type": "Select the type"); plain words, not the taxonomies' names with
    # capitals ("Select a Team", "Choose a Type").
    assert "Choose the area of need" in html and "Choose the team" in html
    assert "a Team" not in html and "a Type" not in html
    assert first_in_main(html) == "error summary"
    assert Outcome.objects.count() == 0


def test_an_empty_post_shows_the_required_fields_errors_and_stores_nothing(verified_client, request_, terms):
    html = verified_client.post(f"/portal/requests/{request_.pk}/outcomes/new/", {}).content.decode()

    assert "There is a problem" in html
    for error in ("Enter the outcome", "Select the team", "Select the type"):
        assert html.count(error) == 2, error
    assert not Outcome.objects.exists()


def test_a_deactivated_team_is_not_offered_but_still_shown_on_old_outcomes(verified_client, request_, terms):
    _add(verified_client, request_, terms, text="An old outcome")
    terms["slt"].active = False
    terms["slt"].save()

    new_form = verified_client.get(f"/portal/requests/{request_.pk}/outcomes/new/").content.decode()
    listing = verified_client.get(f"/portal/requests/{request_.pk}/outcomes/").content.decode()
    refused = _add(verified_client, request_, terms, text="A new outcome")

    assert "Speech and Language Therapy" not in new_form and "Educational Psychology" in new_form
    assert "Speech and Language Therapy" in listing
    assert refused.content.decode().count("Select the team") == 2
    assert Outcome.objects.count() == 1
    old = Outcome.objects.get()
    edit_form = verified_client.get(f"/portal/requests/{request_.pk}/outcomes/{old.pk}/").content.decode()
    assert "Speech and Language Therapy" in edit_form  # its own term stays selectable on its edit form


def test_second_stale_save_from_the_same_account_is_refused_showing_the_newer_text(
    verified_client, request_, terms, professional
):
    _add(verified_client, request_, terms, text="Original words")
    outcome = Outcome.objects.get()
    second_browser = verified_login(Client(), professional)  # the same account, a second session
    first_version = _edit_form(verified_client, request_, outcome)
    second_version = _edit_form(second_browser, request_, outcome)
    base = {"team": terms["slt"].pk, "need_type": terms["comms"].pk, "provision": "", "timescale": ""}

    saved = verified_client.post(
        f"/portal/requests/{request_.pk}/outcomes/{outcome.pk}/",
        {**base, "outcome": "Words from the first browser", "version": first_version},
    )
    stale = second_browser.post(
        f"/portal/requests/{request_.pk}/outcomes/{outcome.pk}/",
        {**base, "outcome": "Words from the second browser", "version": second_version},
    )

    assert saved.status_code == 302
    outcome.refresh_from_db()
    assert outcome.outcome == "Words from the first browser" and outcome.version == 2
    html = stale.content.decode()
    assert stale.status_code == 200
    assert "Someone saved this outcome after you opened it" in html
    assert first_in_main(html) == "error summary"
    assert "Words from the first browser" in html  # the newer text, shown
    assert "Words from the second browser" in html  # and what they typed, kept in the form
    assert 'name="version" value="2"' in html
    assert AuditEntry.objects.filter(action="outcome.stale_edit_refused").count() == 1
    # Having seen the newer copy, saving again is a deliberate choice and succeeds.
    again = second_browser.post(
        f"/portal/requests/{request_.pk}/outcomes/{outcome.pk}/",
        {**base, "outcome": "Words from the second browser", "version": "2"},
    )
    assert again.status_code == 302
    outcome.refresh_from_db()
    assert outcome.outcome == "Words from the second browser" and outcome.version == 3


@pytest.fixture
def other_account_outcome(request_, terms):
    other = ProfessionalFactory()
    other_request = advice_request(other, child=request_.child)
    return Outcome.objects.create(
        child=request_.child,
        advice_request=other_request,
        author=other,
        team=terms["ep"],
        need_type=terms["semh"],
        outcome="Words of another team",
    )


def test_another_accounts_outcome_cannot_be_edited_or_deleted(verified_client, request_, terms, other_account_outcome):
    base = f"/portal/requests/{request_.pk}/outcomes/{other_account_outcome.pk}/"
    data = {"team": terms["slt"].pk, "need_type": terms["comms"].pk, "outcome": "Overwritten", "version": "1"}

    assert verified_client.get(base).status_code == 404
    assert verified_client.post(base, data).status_code == 404
    assert verified_client.post(base + "delete/").status_code == 404
    other_account_outcome.refresh_from_db()
    assert other_account_outcome.outcome == "Words of another team"
    assert other_account_outcome.state == OutcomeState.CURRENT
    listing = verified_client.get(f"/portal/requests/{request_.pk}/outcomes/").content.decode()
    assert "Words of another team" in listing  # visible through a request that opens the full record
    assert base not in listing  # without a change link


def test_own_outcome_is_deleted_only_until_the_advice_is_accepted(verified_client, request_, terms):
    _add(verified_client, request_, terms, text="One")
    _add(verified_client, request_, terms, text="Two")
    one, two = Outcome.objects.order_by("pk")

    verified_client.post(f"/portal/requests/{request_.pk}/outcomes/{one.pk}/delete/")
    request_.state = RequestState.ACCEPTED
    request_.save()
    verified_client.post(f"/portal/requests/{request_.pk}/outcomes/{two.pk}/delete/")
    edit = verified_client.post(
        f"/portal/requests/{request_.pk}/outcomes/{two.pk}/",
        {"team": terms["slt"].pk, "need_type": terms["comms"].pk, "outcome": "Changed", "version": "1"},
    )

    one.refresh_from_db()
    two.refresh_from_db()
    assert one.state == OutcomeState.DELETED and AuditEntry.objects.filter(action="outcome.deleted").count() == 1
    assert two.state == OutcomeState.CURRENT and two.outcome == "Two"
    assert edit.status_code == 302


def test_another_accounts_request_id_is_not_found(verified_client, request_):
    other = advice_request(ProfessionalFactory())
    assert verified_client.get(f"/portal/requests/{other.pk}/outcomes/").status_code == 404
    assert verified_client.get(f"/portal/requests/{other.pk}/outcomes/new/").status_code == 404


def test_outcomes_for_pdf_group_by_type_then_team_and_render_in_a_pdf(request_, terms, professional):
    from advice_forms.services import outcomes as outcome_services

    for team_key, type_key, text in [("slt", "semh", "C"), ("ep", "comms", "B"), ("slt", "comms", "A")]:
        outcome_services.outcome_create(
            advice_request=request_, account=professional, team=terms[team_key], need_type=terms[type_key], outcome=text
        )

    groups = outcomes_for_pdf(request_.child)

    assert [(t.code, [(team.code, [o.outcome for o in items]) for team, items in teams]) for t, teams in groups] == [
        ("Comms", [("SLT", ["A"]), ("EP", ["B"])]),
        ("SEMH", [("SLT", ["C"])]),
    ]
    data = render_pdf(
        "advice_forms/pdf/outcomes_report.html",
        {"child": request_.child, "outcome_groups": groups, "made_by": "Test", "now": None},
    )
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    assert text.index("Communication and interaction") < text.index("Social, emotional and mental health")
    assert "Comms" not in text and "SEMH" not in text
    assert "Outcomes for Ariadne Quill" in text


def test_outcomes_page_query_count_does_not_grow_with_outcomes(
    verified_client, request_, terms, professional, django_assert_max_num_queries
):
    from advice_forms.services import outcomes as outcome_services

    for n in range(12):
        outcome_services.outcome_create(
            advice_request=request_, account=professional, team=terms["slt"], need_type=terms["comms"], outcome=f"O{n}"
        )
    with django_assert_max_num_queries(20):
        assert verified_client.get(f"/portal/requests/{request_.pk}/outcomes/").status_code == 200


def test_a_submissions_pdf_carries_the_outcomes_written_on_its_request(request_, terms, professional):
    from advice_forms.services import outcomes as outcome_services
    from advice_forms.services.submissions import submission_pdf_render

    outcome_services.outcome_create(
        advice_request=request_, account=professional, team=terms["slt"], need_type=terms["comms"], outcome="Asks"
    )
    submission = submission_make(request_, {})

    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(submission_pdf_render(submission))).pages)

    assert "Outcomes" in text
    assert "Communication and interaction" in text and "Speech and Language Therapy" in text and "Asks" in text
    assert "Comms" not in text and "SLT" not in text


def test_the_request_page_links_documents_outcomes_and_contacts(verified_client, request_):
    html = verified_client.get(f"/portal/requests/{request_.pk}/").content.decode()

    for name in ("request_documents", "request_outcomes", "request_contacts", "request_details_change"):
        assert f'href="{reverse(f"portal:{name}", args=[request_.pk])}"' in html


def test_an_outcome_added_after_submission_is_marked_and_the_coordinator_told(
    verified_client, request_, terms, django_capture_on_commit_callbacks
):
    from django.core import mail

    _add(verified_client, request_, terms, text="Written before submitting")
    submission_make(request_, {})
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(verified_client, request_, terms, text="Written after submitting")

    assert response.status_code == 302
    assert Outcome.objects.filter(outcome="Written after submitting", state=OutcomeState.CURRENT).exists()
    cards = (
        verified_client.get(f"/portal/requests/{request_.pk}/outcomes/").content.decode().split("summary-card__title")
    )
    assert "Added after submission" in next(c for c in cards if "Written after submitting" in c)
    assert "Added after submission" not in next(c for c in cards if "Written before submitting" in c)
    assert len(mail.outbox) == 1 and "added to advice it has submitted" in mail.outbox[0].subject
    assert "Written after" not in mail.outbox[0].body


def test_another_accounts_outcome_added_after_its_submission_is_not_marked_here(
    verified_client, request_, terms, other_account_outcome
):
    """The tag is about the submission of the request the outcome was written on: not this account's to be told."""
    submission_make(other_account_outcome.advice_request, {})
    Outcome.objects.filter(pk=other_account_outcome.pk).update(created_at=timezone.now() + timedelta(minutes=1))

    page = verified_client.get(f"/portal/requests/{request_.pk}/outcomes/").content.decode()
    cards = page.split("summary-card__title")
    assert "Added after submission" not in next(c for c in cards if "Words of another team" in c)


def test_an_outcome_card_says_who_wrote_it_apart_from_the_team_it_is_tagged_with(
    verified_client, request_, terms, professional, other_account_outcome
):
    """A school's outcome tagged SLT read "Speech and Language Therapy: your team", as if the school were the
    therapy team: the card is headed by the Team it is tagged with, and says on a row of its own who wrote it."""
    _add(verified_client, request_, terms, text="Uses a visual timetable")
    html = verified_client.get(f"/portal/requests/{request_.pk}/outcomes/").content.decode()
    main = BeautifulSoup(html, "html.parser").select_one("main")
    titles = [h.get_text(" ", strip=True) for h in main.select(".govuk-summary-card__title")]
    assert titles == ["Speech and Language Therapy", "Educational Psychology"]
    authors = [
        row.dd.get_text(strip=True) for row in main.select(".govuk-summary-list__row") if row.dt.text == "Written by"
    ]
    assert authors == [f"{professional} (your team)", str(other_account_outcome.author)]


def test_an_outcome_cards_change_and_delete_links_are_left_off_paper(verified_client, request_, terms):
    """Printed, GOV.UK's print styles wrote each link's address after "Change" and "Delete", which mean nothing on
    paper: the card's actions are not printed (GOV.UK's display-none-print); its outcome is."""
    _add(verified_client, request_, terms, text="Uses a visual timetable")
    html = verified_client.get(f"/portal/requests/{request_.pk}/outcomes/").content.decode()
    card = BeautifulSoup(html, "html.parser").select_one("main .govuk-summary-card")
    actions = card.select_one(".govuk-summary-card__actions")
    assert [a.get_text(" ", strip=True).split(" ")[0] for a in actions.select("a")] == ["Change", "Delete"]
    assert "govuk-!-display-none-print" in actions["class"]
    assert not card.select_one(".govuk-summary-card__content").find_parent(class_="govuk-!-display-none-print")


def _team_chosen(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    chosen = soup.select_one('select[name="team"] option[selected]')
    return chosen.get_text(strip=True) if chosen is not None and chosen["value"] else None


def test_a_new_outcome_or_contact_starts_with_the_accounts_own_team_when_it_has_one(terms):
    """An educational psychology service's account chose "Educational Psychology" from twelve Teams each time: a new
    outcome or contact starts with its own Team, when its organisation names exactly one in the list. It may still
    choose another, and a row it changes keeps the Team it has."""
    from tests.factories.accounts import OrganisationFactory, TOTPDeviceFactory
    from tests.factories.advice_forms import team

    def account(kind):
        made = ProfessionalFactory(organisation=OrganisationFactory(kind=kind))
        TOTPDeviceFactory(user=made)
        return made, verified_login(Client(), made)

    eps, client = account("educational_psychology")
    ar = advice_request(eps, child=ChildRecordFactory())
    assert _team_chosen(client, f"/portal/requests/{ar.pk}/outcomes/new/") == "Educational Psychology"
    assert _team_chosen(client, f"/portal/requests/{ar.pk}/contacts/new/") == "Educational Psychology"

    _add(client, ar, terms, text="Uses a visual timetable")  # Speech and Language Therapy chosen instead
    outcome = Outcome.objects.get()
    assert outcome.team == terms["slt"]
    assert _team_chosen(client, f"/portal/requests/{ar.pk}/outcomes/{outcome.pk}/") == "Speech and Language Therapy"

    # An OT or physiotherapy service may be either: no Team is chosen for it, as for a kind naming none in the list.
    team("OT", "Occupational Therapy")
    team("Physio", "Physiotherapy")
    therapies, therapies_client = account("ot_physiotherapy")
    other = advice_request(therapies, child=ChildRecordFactory())
    assert _team_chosen(therapies_client, f"/portal/requests/{other.pk}/outcomes/new/") is None
    unnamed, unnamed_client = account("other")
    theirs = advice_request(unnamed, child=ChildRecordFactory())
    assert _team_chosen(unnamed_client, f"/portal/requests/{theirs.pk}/contacts/new/") is None
