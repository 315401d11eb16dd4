"""Professional involvement, the parent or carer's contribution, and reporting a change to a child's details."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client

from advice_forms.models import (
    ChildRecord,
    ContactState,
    Contribution,
    DetailsChangeReport,
    FormKind,
    ProfessionalContact,
    RequestState,
)
from tests.factories.accounts import ProfessionalFactory, TOTPDeviceFactory, staff_in_group
from tests.factories.advice_forms import ChildRecordFactory, advice_request, team
from tests.govuk import first_in_main
from tests.otp import sign_in


@pytest.fixture
def ersa(professional):
    coordinator = staff_in_group("SEND caseworker", email="coordinator@kestrelford.example.org")
    child = ChildRecordFactory(first_name="Ariadne", last_name="Quill", coordinator=coordinator, address="1 Heron Row")
    return advice_request(professional, child=child)


def _contact(**extra):
    return {
        "name": "Sam Rivers",
        "role": "Specialist teacher",
        "team": team().pk,
        "organisation": "Learning Support",
        "email": "sam@support.example.org",
        "phone": "01632 960 200",
        **extra,
    }


def test_any_account_on_the_record_adds_contacts_and_only_the_author_edits(verified_client, ersa, professional):
    verified_client.post(f"/portal/requests/{ersa.pk}/contacts/new/", _contact())
    contact = ProfessionalContact.objects.get()
    other = ProfessionalFactory()
    TOTPDeviceFactory(user=other)
    own = advice_request(other, child=ersa.child, kind=FormKind.APPENDIX_B)
    other_client = Client()
    sign_in(other_client, other)

    listing = other_client.get(f"/portal/requests/{own.pk}/contacts/").content.decode()
    refused = other_client.post(f"/portal/requests/{own.pk}/contacts/{contact.pk}/", _contact(name="Changed"))
    edited = verified_client.post(f"/portal/requests/{ersa.pk}/contacts/{contact.pk}/", _contact(role="Teacher"))

    assert contact.added_by == professional and contact.child == ersa.child
    assert "Sam Rivers" in listing and "sam@support.example.org" in listing
    assert refused.status_code == 404
    assert edited.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Sam Rivers" and contact.role == "Teacher"
    verified_client.post(f"/portal/requests/{ersa.pk}/contacts/{contact.pk}/", {"remove": "1"})
    contact.refresh_from_db()
    assert contact.state == ContactState.REMOVED


def test_contact_errors_are_shown_and_nothing_stored(verified_client, ersa):
    html = verified_client.post(
        f"/portal/requests/{ersa.pk}/contacts/new/",
        _contact(name="", team="", email="not-an-address", phone="phone me after 3pm"),
    ).content.decode()

    for message in (
        "Enter their name",
        "Select the team",
        "Enter an email address in the correct format",
        "Enter a telephone number in the correct format, like 01632 960 001",
    ):
        assert html.count(message) == 2, message
    assert ProfessionalContact.objects.count() == 0


def test_a_contacts_phone_too_long_is_told_in_plain_words(verified_client, ersa):
    """A 42-character number, written with spaces around its dashes, met Django's "Ensure this value has at most 40
    characters (it has 42)"."""
    html = verified_client.post(
        f"/portal/requests/{ersa.pk}/contacts/new/", _contact(phone="+44 (0) 1632  -  960  -  001   ext. 123456")
    ).content.decode()
    assert html.count("Phone number must be 40 characters or fewer") == 2
    assert "Ensure this value" not in html
    assert ProfessionalContact.objects.count() == 0


def test_a_contacts_email_in_the_wrong_format_is_told_in_the_questions_words(verified_client, ersa):
    """The contact page said '… like name@example.org' where an email question says '… like name@example.com'."""
    html = verified_client.post(
        f"/portal/requests/{ersa.pk}/contacts/new/", _contact(email="not-an-address")
    ).content.decode()
    assert html.count("Enter an email address in the correct format, like name@example.com") == 2
    assert ProfessionalContact.objects.count() == 0


def test_a_contacts_phone_in_the_wrong_format_is_told_in_the_questions_words(verified_client, ersa):
    """The contact page said 'Enter a telephone number, like …' where a phone question says '… in the correct format,
    like …'."""
    html = verified_client.post(
        f"/portal/requests/{ersa.pk}/contacts/new/", _contact(phone="phone me after 3pm")
    ).content.decode()
    message = "Enter a telephone number in the correct format, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
    assert html.count(message) == 2
    assert ProfessionalContact.objects.count() == 0


@pytest.mark.parametrize("phone", ["01632 960 001\tx 12", "01632 960 001\r\next 12"])
def test_a_contacts_phone_with_a_character_that_cannot_be_seen_is_refused_and_nothing_stored(
    verified_client, ersa, phone
):
    """A tab or a line break before an extension was taken for the spaces allowed there, and stored."""
    html = verified_client.post(f"/portal/requests/{ersa.pk}/contacts/new/", _contact(phone=phone)).content.decode()

    assert html.count("Enter a telephone number in the correct format, like 01632 960 001") == 2
    assert ProfessionalContact.objects.count() == 0


def test_the_senco_records_the_contribution_on_an_ersa(verified_client, ersa):
    page = verified_client.get(f"/portal/requests/{ersa.pk}/contribution/").content.decode()
    response = verified_client.post(
        f"/portal/requests/{ersa.pk}/contribution/",
        {
            "contribution_methods": ["meeting", "written"],
            "communication_methods": ["parent_portal"],
            "interpreter_needed": "yes",
            "interpreter_language": "Polish",
            "parent_views": "They would like more help with reading.",
        },
    )

    assert "Ariadne Quill" in page and "1 Heron Row" in page and "Report a change to these details" in page
    assert 'name="address"' not in page  # read-only
    assert response.status_code == 302
    contribution = Contribution.objects.get(advice_request=ersa)
    assert contribution.contribution_methods == ["meeting", "written"]
    assert contribution.communication_methods == ["parent_portal"]
    assert contribution.interpreter_needed and contribution.interpreter_language == "Polish"


def test_contribution_errors(verified_client, ersa):
    html = verified_client.post(
        f"/portal/requests/{ersa.pk}/contribution/", {"interpreter_needed": "yes"}
    ).content.decode()

    for message in (
        "Select how the parent or carer gave their views",
        "Select how the parent or carer wants to be contacted",
        "Enter the language they need an interpreter for",
    ):
        assert html.count(message) == 2, message
    assert 'href="#id_contribution_methods_0"' in html
    assert not Contribution.objects.exists()


def test_contribution_is_only_on_ersa_requests_and_fixed_after_submission(verified_client, ersa, professional):
    appendix = advice_request(professional, child=ersa.child, kind=FormKind.APPENDIX_B)
    assert verified_client.get(f"/portal/requests/{appendix.pk}/contribution/").status_code == 404
    ersa.state = RequestState.SUBMITTED
    ersa.save()
    verified_client.post(f"/portal/requests/{ersa.pk}/contribution/", {"contribution_methods": ["phone"]})
    assert not Contribution.objects.exists()


def test_initials_only_request_shows_no_personal_details(verified_client, ersa):
    ersa.shows_child_name = False
    ersa.save()
    page = verified_client.get(f"/portal/requests/{ersa.pk}/contribution/").content.decode()
    initials = 'A. Q.<span class="govuk-visually-hidden"> (the child\'s initials)</span>'
    assert (
        f'<dt class="govuk-summary-list__key">Initials</dt><dd class="govuk-summary-list__value">{initials}</dd>'
        in page
    )
    assert "Ariadne" not in page and "1 Heron Row" not in page


def test_report_a_change_tells_the_coordinator_without_child_details(
    verified_client, ersa, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    empty = verified_client.post(f"/portal/requests/{ersa.pk}/report-a-change/", {"details": ""})
    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client.post(
            f"/portal/requests/{ersa.pk}/report-a-change/", {"details": "They moved to 5 Kite Lane."}
        )

    assert empty.content.decode().count("Enter what has changed") == 2
    assert response.status_code == 302
    report = DetailsChangeReport.objects.get()
    assert report.child == ersa.child and report.details == "They moved to 5 Kite Lane."
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["coordinator@kestrelford.example.org"]
    for secret in ("Ariadne", "Quill", "Kite Lane", "Heron"):
        assert secret not in email.subject + email.body


@pytest.mark.parametrize(
    ("suffix", "errors"),
    [
        ("contacts/new/", ["Enter their name", "Enter their role", "Select the team"]),
        ("report-a-change/", ["Enter what has changed"]),
    ],
)
def test_an_empty_post_shows_the_required_fields_errors_and_stores_nothing(verified_client, ersa, suffix, errors):
    """A post with no fields at all was taken for a fresh page: no error, and nothing said why nothing happened."""
    response = verified_client.post(f"/portal/requests/{ersa.pk}/{suffix}", {})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    for error in errors:
        assert html.count(error) == 2, error  # beside the field and in the error summary
    assert not ProfessionalContact.objects.exists() and not DetailsChangeReport.objects.exists()


def test_another_accounts_request_is_not_found_on_every_page(verified_client, ersa):
    other = advice_request(ProfessionalFactory())
    for suffix in ("contacts/", "contacts/new/", "contribution/", "report-a-change/", "documents/", "outcomes/"):
        assert verified_client.get(f"/portal/requests/{other.pk}/{suffix}").status_code == 404, suffix


def test_staff_and_anonymous_are_kept_out(ersa, verified_admin_client):
    assert Client().get(f"/portal/requests/{ersa.pk}/contacts/").status_code == 302
    assert verified_admin_client.get(f"/portal/requests/{ersa.pk}/contacts/").status_code == 403


def test_request_extras_include_links_with_counts(verified_client, ersa, rf, professional):
    from django.template.loader import render_to_string

    verified_client.post(f"/portal/requests/{ersa.pk}/contacts/new/", _contact())
    request = rf.get("/")
    request.user = professional
    html = render_to_string("advice_forms/includes/request_extras.html", {"advice_request": ersa, "request": request})
    assert f"/portal/requests/{ersa.pk}/documents/" in html
    assert "Professional involvement for this child's record (1)" in " ".join(
        BeautifulSoup(html, "html.parser").text.split()
    )
    assert f"/portal/requests/{ersa.pk}/contribution/" in html


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("contribution/", {"interpreter_needed": "yes"}),
        ("contacts/new/", {"name": ""}),
        ("report-a-change/", {"details": ""}),
    ],
)
def test_the_error_summary_comes_before_the_caption_and_the_heading(verified_client, ersa, path, data):
    response = verified_client.post(f"/portal/requests/{ersa.pk}/{path}", data)  # each refused with an error

    assert "There is a problem" in response.content.decode()
    assert first_in_main(response.content.decode()) == "error summary"


def _child_rows(html):
    """The (label, words) rows of the page's child's details."""
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.find(["h2", "h1"], string=re.compile("child"))
    rows = heading.find_next("dl", class_="govuk-summary-list").select(".govuk-summary-list__row")
    return [(row.dt.get_text(strip=True), " ".join(row.dd.get_text(" ", strip=True).split())) for row in rows]


def test_the_request_page_shows_the_childs_details_as_report_a_change_and_the_contribution_page_do(
    verified_client, ersa
):
    """The request page showed the name, date of birth, pupil number and school; Report a change and the
    contribution page also the address and the parent or carer's name and contact."""
    ChildRecord.objects.filter(pk=ersa.child_id).update(
        parent_carer_name="Morwenna Quill", parent_carer_contact="07700 900123"
    )
    pages = [
        verified_client.get(f"/portal/requests/{ersa.pk}/{path}").content.decode()
        for path in ("", "report-a-change/", "contribution/")
    ]

    request_page, *others = [_child_rows(html) for html in pages]
    assert ("Address", "1 Heron Row") in request_page
    assert ("Parent or carer", "Morwenna Quill") in request_page
    assert ("Parent or carer's contact details", "07700 900123") in request_page
    assert all(rows == request_page for rows in others), others

    ersa.shows_child_name = False
    ersa.save()
    html = verified_client.get(f"/portal/requests/{ersa.pk}/").content.decode()
    assert _child_rows(html) == [("Initials", "A. Q. (the child's initials)")]
    for hidden in ("Ariadne", "1 Heron Row", "Morwenna", "07700"):
        assert hidden not in html, hidden
