"""A caseworker shares a published form about a child with a team account, through the real admin views."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advice_forms.models import AdviceRequest, FormDefinitionVersion, RequestState
from cms.models import AuditEntry, EmailNotification
from cms.services import email_notification_send
from portal_pages.models import AccountState, InboxMessage
from portal_pages.roles import CHANGE_USER
from tests.factories.accounts import OrganisationFactory, ProfessionalFactory
from tests.factories.advice_forms import ChildRecordFactory, definition, question, request_page, section

pytestmark = pytest.mark.django_db


def share_url(child):
    return reverse("child_records:share", args=[child.pk])


def share_data(version, account, **overrides):
    data = {
        "form_version": version.pk,
        "account": account.pk,
        "due_date": (timezone.localdate() + datetime.timedelta(days=42)).isoformat(),
        "message": "Please include the latest reading assessment.",
        "shows_child_name": "name",
    }
    data.update(overrides)
    return data


def test_caseworker_shares_a_form_and_the_account_gets_a_message_and_one_email_without_the_child(
    caseworker_client, caseworker, ersa, team_account, django_capture_on_commit_callbacks
):
    child = ChildRecordFactory(first_name="Amelia", last_name="Quillfeather", coordinator=caseworker)

    page = caseworker_client.get(share_url(child))
    assert page.status_code == 200
    html = page.content.decode()
    default_due = timezone.localdate() + datetime.timedelta(days=42)
    typed = f"{default_due.day}/{default_due.month}/{default_due.year}"
    assert re.search(rf'<input[^>]* name="due_date" value="{typed}"', html), "six weeks on"
    assert "Oakfield SENCO" in html and "Test ERSA" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker_client.post(share_url(child), share_data(ersa, team_account))
    assert response.status_code == 302
    assert response.url == reverse("child_records:inspect", args=[child.pk])

    advice_request = AdviceRequest.objects.get()
    assert (advice_request.child, advice_request.form_version, advice_request.account) == (child, ersa, team_account)
    assert advice_request.state == RequestState.TO_DO
    assert advice_request.shared_by == caseworker
    assert advice_request.due_date == default_due

    message = InboxMessage.objects.get(account=team_account)
    assert message.link == request_page(advice_request)
    assert message.event_key == f"request-shared:{advice_request.pk}"
    assert "Amelia Quillfeather" in message.body
    # The message page links to the request ("Go to the request"); the body prints no raw path.
    assert message.link_text == "Go to the request" and "/portal/requests/" not in message.body
    assert "latest reading assessment" in message.body

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [team_account.email]
    for text in (email.subject, email.body):
        assert "Amelia" not in text and "Quillfeather" not in text and "AQ" not in text.split()
        assert "reading assessment" not in text

    shared = AuditEntry.objects.get(action="advice_request.shared")
    assert shared.actor == caseworker and shared.to_state == RequestState.TO_DO
    assert shared.data == {"child_record": child.pk, "form_version": ersa.pk, "account": team_account.pk}
    viewed = AuditEntry.objects.get(action="child_record.viewed")
    assert viewed.target == child and viewed.actor == caseworker and viewed.data == {"view": "share"}


def test_sharing_with_initials_only_names_only_the_initials_in_the_inbox(
    caseworker_client, ersa, team_account, django_capture_on_commit_callbacks
):
    child = ChildRecordFactory(first_name="Bartholomew", last_name="Nettlefield")
    with django_capture_on_commit_callbacks(execute=True):
        caseworker_client.post(share_url(child), share_data(ersa, team_account, shows_child_name="initials"))
    body = InboxMessage.objects.get().body
    assert "Child or young person: B. N." in body and "Bartholomew" not in body and "Nettlefield" not in body
    assert AdviceRequest.objects.get().shows_child_name is False


def test_bad_share_shows_errors_beside_the_fields_and_stores_nothing(caseworker_client, ersa, team_account):
    child = ChildRecordFactory()
    dormant = ProfessionalFactory(organisation=team_account.organisation, account_state="dormant")
    closed = ProfessionalFactory(organisation=OrganisationFactory(is_active=False))
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    response = caseworker_client.post(
        share_url(child), share_data(ersa, dormant, form_version="", due_date=yesterday, shows_child_name="")
    )
    assert response.status_code == 200
    html = response.content.decode()
    for error in (
        "Choose the form to share",
        "Choose an active team account",
        "The due date must be today or in the future",
        "Choose what the team account sees of the child",
    ):
        assert html.count(error) >= 2, error  # in the summary and beside the field
    response = caseworker_client.post(share_url(child), share_data(ersa, closed))
    assert "Choose an active team account" in response.content.decode()
    response = caseworker_client.post(share_url(child), {})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert response.content.decode().count("Choose the form to share") == 2
    assert not AdviceRequest.objects.exists() and not InboxMessage.objects.exists()


def test_only_the_latest_published_version_of_a_form_can_be_shared(caseworker_client, ersa, team_account):
    from advice_forms.services.definitions import form_definition_publish

    ersa.definition.version_label = "T2"  # each published version of a form has its own label
    newer = form_definition_publish(definition=ersa.definition)
    child = ChildRecordFactory()
    response = caseworker_client.post(share_url(child), share_data(ersa, team_account))
    assert "Choose a published form" in response.content.decode()
    response = caseworker_client.post(share_url(child), share_data(newer, team_account))
    assert response.status_code == 302
    assert AdviceRequest.objects.get().form_version == newer


def test_the_share_email_task_run_twice_sends_once(caseworker_client, ersa, team_account):
    child = ChildRecordFactory()
    caseworker_client.post(share_url(child), share_data(ersa, team_account))  # on_commit callbacks not run
    notification = EmailNotification.objects.get(key__startswith="inbox:request-shared:")
    assert email_notification_send(notification_id=notification.pk) is True
    assert email_notification_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_a_form_already_open_with_the_organisation_for_the_child_is_not_shared_again(
    caseworker_client, ersa, appendix_b, team_account
):
    from advice_forms.services.definitions import form_definition_publish

    child = ChildRecordFactory()
    first_due = timezone.localdate() + datetime.timedelta(days=42)
    assert caseworker_client.post(share_url(child), share_data(ersa, team_account)).status_code == 302
    first = AdviceRequest.objects.get()
    AdviceRequest.objects.filter(pk=first.pk).update(state=RequestState.SUBMITTED)
    colleague = ProfessionalFactory(organisation=team_account.organisation, display_name="Oakfield office")
    ersa.definition.version_label = "T2"
    newer = form_definition_publish(definition=ersa.definition)
    shared_on = f"{timezone.localdate():%-d %B %Y}"

    for account in (team_account, colleague):  # the same team, or another account of its organisation
        response = caseworker_client.post(
            share_url(child), share_data(newer, account, due_date=(first_due + datetime.timedelta(days=7)).isoformat())
        )
        assert response.status_code == 200
        refusal = (
            f"Oakfield SENCO already has Test ERSA (T1) about this child, shared on {shared_on}; it is “Submitted”. "
            "Find it under Advice requests on the child's record"
        )
        assert response.context["form"].errors == {"account": [refusal]}
        # In the error summary and beside the team account field.
        assert BeautifulSoup(response.content, "html.parser").get_text().count(refusal) == 2
    assert list(AdviceRequest.objects.all()) == [first]

    # Another form, another organisation, or the same form once the first advice is accepted: shared.
    other_service = ProfessionalFactory(organisation=OrganisationFactory(name="Kestrelford EP Service"))
    assert caseworker_client.post(share_url(child), share_data(appendix_b, team_account)).status_code == 302
    assert caseworker_client.post(share_url(child), share_data(newer, other_service)).status_code == 302
    AdviceRequest.objects.filter(pk=first.pk).update(state=RequestState.ACCEPTED)
    assert caseworker_client.post(share_url(child), share_data(newer, colleague)).status_code == 302
    assert AdviceRequest.objects.count() == 4


def test_the_team_accounts_to_share_with_are_in_the_order_of_their_names(caseworker_client, ersa, team_account):
    """The list was sorted by organisation but shows account names: "Kestrel Vale…", "Children's…", "Speech…"."""
    ProfessionalFactory(display_name="Speech and Language Therapy Service", organisation__name="Albion NHS Trust")
    ProfessionalFactory(display_name="Children's Social Care EHC Team", organisation__name="Zenith Council")

    html = caseworker_client.get(share_url(ChildRecordFactory())).content
    options = BeautifulSoup(html, "html.parser").select("select[name=account] option")
    shown = [option.get_text() for option in options if option["value"]]
    assert len(shown) == 3 and shown == sorted(shown, key=str.casefold)


def test_an_invited_account_is_said_to_be_offered_for_sharing_once_it_has_chosen_its_password(
    caseworker_client, ersa, team_account, organisation
):
    """An invited account is not offered in "Share a form" until it has chosen its password, and nothing said so: the
    invitation said only that the account chooses its password, the share page "Active team accounts of active
    organisations", so a caseworker looked for it in vain."""
    invite = {
        "organisation": organisation.pk,
        "email": "eps@oakfield-primary.example.org",
        "display_name": "Oakfield EP",
    }
    invited = caseworker_client.post("/admin/team_accounts/new/", invite, follow=True)
    assert (
        "eps@oakfield-primary.example.org has been invited. Once the account has chosen its password from the link in "
        "the email, forms can be shared with it."
    ) in " ".join(BeautifulSoup(invited.content, "html.parser").get_text().split())

    page = BeautifulSoup(caseworker_client.get(share_url(ChildRecordFactory())).content, "html.parser")
    offered = [option.get_text() for option in page.select("select[name=account] option") if option["value"]]
    assert offered == ["Oakfield SENCO (senco@oakfield-primary.example.org)"]
    hint = page.find(id=page.select_one("select[name=account]")["aria-describedby"].split()[0])
    assert "Not listed: an invited account until it has chosen its password" in " ".join(hint.get_text().split())


@pytest.mark.parametrize(
    "state", [AccountState.DORMANT, AccountState.PENDING_VERIFICATION, AccountState.AWAITING_APPROVAL]
)
def test_the_share_page_says_why_a_dormant_or_unconfirmed_account_is_missing(
    caseworker, caseworker_client, ersa, team_account, organisation, settings, state
):
    """A dormant account, or one still waiting to confirm its email address, is not offered, and the hint spoke only
    of invited accounts: a caseworker whose SENCO was missing was not told why, nor how to bring them back."""
    settings.PORTAL_DORMANT_DAYS = 40
    ProfessionalFactory(
        organisation=organisation, display_name="Oakfield EP", account_state=state, is_active=state == "dormant"
    )

    page = BeautifulSoup(caseworker_client.get(share_url(ChildRecordFactory())).content, "html.parser")
    offered = [option.get_text() for option in page.select("select[name=account] option") if option["value"]]
    assert offered == ["Oakfield SENCO (senco@oakfield-primary.example.org)"]
    hint = page.find(id=page.select_one("select[name=account]")["aria-describedby"].split()[0])
    words = " ".join(hint.get_text().split())
    assert "Only team accounts that can sign in now, of active organisations." in words
    assert "an account waiting to confirm its email address or for approval to join" in words
    # Reactivate is offered only to those who may change team accounts, which a caseworker may not.
    assert not caseworker.has_perm(CHANGE_USER)
    assert (
        "a dormant account (not signed in for 40 days) until a portal administrator reactivates it (Accounts, then "
        "Team accounts)." in words
    )


def test_two_published_forms_with_one_name_and_version_read_apart_in_share_a_form(caseworker_client, team_account):
    """A form file imported and published twice gave two options both reading "…, version NOV26 (v1)"."""
    first = definition(
        [section("About", [question("short_text", "Name", key="n")], key="about")], title="ERSA", version_label="NOV26"
    )
    second = definition(
        [section("About", [question("short_text", "Name", key="n")], key="about")], title="ERSA", version_label="NOV26"
    )
    FormDefinitionVersion.objects.filter(pk=first.pk).update(
        published_at=timezone.make_aware(datetime.datetime(2026, 11, 2, 9, 15))
    )
    FormDefinitionVersion.objects.filter(pk=second.pk).update(
        published_at=timezone.make_aware(datetime.datetime(2026, 12, 5, 14, 40))
    )

    page = BeautifulSoup(caseworker_client.get(share_url(ChildRecordFactory())).content, "html.parser")
    options = [option.get_text(strip=True) for option in page.select("select[name=form_version] option")]

    assert options == [
        "Select a form",
        "ERSA, version NOV26 (v1), published 2 November 2026 at 9:15am",
        "ERSA, version NOV26 (v1), published 5 December 2026 at 2:40pm",
    ]


def test_forms_of_one_title_are_offered_in_the_order_they_were_published(caseworker_client, team_account):
    """Ordered by title alone, two forms of one title came in whatever order the database gave (PostgreSQL's CI run
    listed the newer first once): they are offered oldest first, whatever order they were made in."""
    made = [
        definition([section("About", [question("short_text", "Name", key="n")], key="about")], title="ERSA")
        for _ in range(2)
    ]
    for version, published in zip(
        made, [datetime.datetime(2026, 12, 5, 14, 40), datetime.datetime(2026, 11, 2, 9, 15)], strict=True
    ):
        FormDefinitionVersion.objects.filter(pk=version.pk).update(published_at=timezone.make_aware(published))

    page = BeautifulSoup(caseworker_client.get(share_url(ChildRecordFactory())).content, "html.parser")
    options = [option.get_text(strip=True) for option in page.select("select[name=form_version] option")][1:]

    assert [option.rsplit(", published ", 1)[1] for option in options] == [
        "2 November 2026 at 9:15am",
        "5 December 2026 at 2:40pm",
    ]


def test_sharing_with_a_school_account_not_at_the_childs_school_asks_to_confirm_first(
    caseworker_client, ersa, team_account
):
    """Rowan at Kestrel Vale, shared by a slip with Oakfield's SENCO in full: a warning, nothing shared, until the
    caseworker ticks the box; a service's account (an EP service) advises on children of every school: no warning."""
    kestrel_vale = OrganisationFactory(name="Kestrel Vale Primary School")
    child = ChildRecordFactory(first_name="Rowan", last_name="Ashdown", school=kestrel_vale)

    response = caseworker_client.post(share_url(child), share_data(ersa, team_account))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    warning = page.find(id="share-other-school").parent
    said = warning.get_text(" ", strip=True)
    # It takes the focus as the page loads, as the error summary does: the page came back with it on the body.
    assert warning.has_attr("autofocus") and warning["tabindex"] == "-1" and warning["role"] == "alert"
    assert page.select("[autofocus]") == [warning]
    assert "Oakfield SENCO is at" in said and "record names Kestrel Vale Primary School" in said
    assert "Nothing has been shared" in said
    assert not AdviceRequest.objects.exists()
    assert "Please include the latest reading assessment." in response.content.decode()  # nothing typed lost

    response = caseworker_client.post(share_url(child), share_data(ersa, team_account, other_school="on"))
    assert response.status_code == 302
    assert AdviceRequest.objects.get().account == team_account

    eps = ProfessionalFactory(
        organisation=OrganisationFactory(name="Educational Psychology Service", kind="educational_psychology")
    )
    response = caseworker_client.post(share_url(ChildRecordFactory(school=kestrel_vale)), share_data(ersa, eps))
    assert response.status_code == 302


def test_the_due_date_hint_gives_the_date_the_box_is_filled_with(caseworker_client, team_account):
    page = BeautifulSoup(caseworker_client.get(share_url(ChildRecordFactory())).content, "html.parser")
    box = page.find("input", attrs={"name": "due_date"})
    hint = page.find(id=box["aria-describedby"].split()[0]).get_text(" ", strip=True)
    assert f"For example, {box['value']}" in hint
