"""A step saved after the session timed out (JavaScript off: no autosave, no warning dialog): the post is not saved,
but what was typed comes back on that step once the same account has signed in again, once, and to no one else."""

import io
from unittest import mock
from urllib.parse import urlencode

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict, UnreadablePostError
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from advice_forms.models import (
    AdviceRequest,
    Contribution,
    DetailsChangeReport,
    Document,
    Outcome,
    OutcomeState,
    ProfessionalContact,
)
from advice_forms.portal.wizard import CLOSED_MESSAGE
from advice_forms.services.drafts import draft_step_save
from cms.models import AuditEntry
from portal_pages.events import AccountEvent
from portal_pages.kept_typing import KEPT_MAX_CHARACTERS, KEPT_SECONDS, SESSION_KEPT_TYPING, typing_posted
from tests.factories.accounts import ProfessionalFactory, StaffUserFactory, TOTPDeviceFactory
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    advice_request,
    document_types,
    submission_make,
    team,
)
from tests.otp import sign_in
from tests.portal_pages.test_session_timeout import sign_in_again

pytestmark = pytest.mark.django_db

TYPED = "Seen weekly since September; uses short phrases and points to ask for help."
BANNER = "You were signed out before this was saved"


@pytest.fixture
def step(professional, small_form):
    advice_request = AdviceRequestFactory(account=professional, form_version=small_form)
    return reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "about"})


def _save_after_the_idle_limit(client, step, traveller):
    """Open the step, stay away one second longer than the idle limit, then press "Save and continue"; the signed-out
    page it lands on."""
    assert client.get(step).status_code == 200
    traveller.shift(601)
    return client.post(
        step,
        {
            "involvement": TYPED,
            "last_seen-day": "3",
            "action": "continue",
            "report": SimpleUploadedFile("report.pdf", b"%PDF-1.4"),
        },
        HTTP_REFERER=f"http://testserver{step}",
        follow=True,
    )


def _typed_on_page(response, name="involvement"):
    field = BeautifulSoup(response.content, "html.parser").find(attrs={"name": name})
    # A browser drops the newline that Django writes at the start of a textarea.
    return field.get_text().removeprefix("\n") if field.name == "textarea" else field.get("value", "")


def test_what_was_typed_comes_back_after_signing_in_again_unsaved_and_once(verified_client, professional, step):
    """The post was dropped at the time-out: after signing in again the SENCO found the step empty."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        signed_out = _save_after_the_idle_limit(verified_client, step, traveller)
        assert "You have been signed out" in signed_out.content.decode()
        advice_request = AdviceRequest.objects.get()
        assert TYPED not in str(advice_request.answers) and TYPED not in str(advice_request.raw_steps)
        # The signed-out session holding it ends with the wait, not hours later; signing in gives a full session again.
        assert verified_client.session.get_expiry_age() == KEPT_SECONDS

        assert sign_in_again(verified_client, signed_out, professional) == step
        assert verified_client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
        shown = verified_client.get(step)
        assert BANNER in shown.content.decode() and _typed_on_page(shown) == TYPED
        banner = " ".join(BeautifulSoup(shown.content, "html.parser").find(id="advice-kept-typing").get_text().split())
        assert "The file you chose was not uploaded: report.pdf. Choose it again before you save." in banner
        advice_request.refresh_from_db()
        assert TYPED not in str(advice_request.answers) and TYPED not in str(advice_request.raw_steps)

        again = verified_client.get(step)
        assert BANNER not in again.content.decode() and _typed_on_page(again) != TYPED

    timed_out = AuditEntry.objects.get(action="account.timed_out")
    assert timed_out.data == {"why": "idle", "kept_typing": True}


def _signed_out_words(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").find("main").get_text(" ").split())


def test_the_signed_out_page_says_the_typing_was_kept_and_how_to_get_it_back(verified_client, step):
    """The page said only "Anything you saved before that is kept.", as if what was typed after the save was lost."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        words = _signed_out_words(_save_after_the_idle_limit(verified_client, step, traveller))

    assert "Anything you saved before that is kept." in words
    assert (
        "What you typed after you last saved is not saved yet, but it is kept for 1 hour. Sign in again within that"
        " time and go back to the page you were on: it shows what you typed, once, for you to check and save." in words
    )
    assert "Any file you chose was not kept. You will need to choose it again." in words


def test_the_signed_out_page_reloaded_later_says_how_long_the_typing_is_still_kept(verified_client, step):
    """Reloaded 20 minutes on, the page still said "kept for 1 hour"; with less than a minute left it promised typing
    that goes before anyone can sign in again with a code."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        page = _save_after_the_idle_limit(verified_client, step, traveller).redirect_chain[-1][0]
        traveller.shift(20 * 60)
        later = _signed_out_words(verified_client.get(page))
        traveller.shift(39 * 60 + 30)  # 30 seconds left
        last = _signed_out_words(verified_client.get(page))

    assert "it is kept for about 40 more minutes. Sign in again within that time" in later
    assert "1 hour" not in later
    assert "What you typed after you last saved was not saved, and it is no longer kept" in last
    assert "kept for" not in last and "Any file you chose" not in last


def test_the_signed_out_page_promises_no_typing_when_none_was_kept(verified_client, step):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert verified_client.get(step).status_code == 200
        traveller.shift(601)
        words = _signed_out_words(verified_client.get(step, follow=True))

    assert "You have been signed out" in words and "Anything you saved before that is kept." in words
    assert "What you typed" not in words and "file" not in words


def test_another_account_signing_in_in_that_browser_never_sees_it_and_it_is_thrown_away(
    verified_client, professional, organisation, step
):
    colleague = ProfessionalFactory(organisation=organisation, email="head@oakfield-primary.example.org")
    TOTPDeviceFactory(user=colleague)
    colleague_step = reverse(
        "portal:request_step",
        kwargs={
            "pk": AdviceRequestFactory(account=colleague, form_version=AdviceRequest.objects.get().form_version).pk,
            "step": "about",
        },
    )
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        signed_out = _save_after_the_idle_limit(verified_client, step, traveller)
        assert sign_in(verified_client, colleague).status_code == 302
        # Not left in the colleague's session either (a session row in the database).
        assert TYPED not in str(dict(verified_client.session.items()))
        assert verified_client.get(step).status_code == 404
        assert BANNER not in verified_client.get(colleague_step).content.decode()
        verified_client.post("/portal/sign-out/")

        assert sign_in_again(verified_client, signed_out, professional) == step
        shown = verified_client.get(step)
    assert BANNER not in shown.content.decode() and _typed_on_page(shown) != TYPED


def test_typing_kept_longer_than_an_hour_is_forgotten(verified_client, professional, step):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        signed_out = _save_after_the_idle_limit(verified_client, step, traveller)
        traveller.shift(KEPT_SECONDS + 1)
        assert sign_in_again(verified_client, signed_out, professional) == step
        shown = verified_client.get(step)
    assert BANNER not in shown.content.decode() and _typed_on_page(shown) != TYPED


@pytest.mark.parametrize(
    "posted",
    [
        {f"field_{n}": "x" * 100 for n in range(1500)},  # more fields than any portal page posts
        {"involvement": "x" * (KEPT_MAX_CHARACTERS + 1)},  # more text than any page holds
    ],
    ids=["fields", "characters"],
)
def test_a_post_after_a_time_out_larger_than_a_portal_page_sends_is_not_kept(verified_client, step, posted):
    """Read before the field limit's own check, 5,000 fields of 100 characters were all kept in the session row."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert verified_client.get(step).status_code == 200
        traveller.shift(601)
        verified_client.post(step, {**posted, "action": "continue"}, HTTP_REFERER=f"http://testserver{step}")

    assert SESSION_KEPT_TYPING not in verified_client.session
    assert AuditEntry.objects.get(action="account.timed_out").data == {"why": "idle"}


def test_typing_kept_for_a_request_submitted_meanwhile_is_shown_to_copy_not_left_waiting(
    verified_client, professional, step
):
    """A colleague on the same team account submitted the request while the SENCO was signed out: the step refused to
    open, and the typing waited unseen in the session until the hour was up."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        signed_out = _save_after_the_idle_limit(verified_client, step, traveller)
        submission_make(AdviceRequest.objects.get(), {"about": {"involvement": "The colleague's answer"}})
        assert sign_in_again(verified_client, signed_out, professional) == step

        shown = verified_client.get(step)

        assert shown.status_code == 403
        assert CLOSED_MESSAGE in shown.content.decode() and _typed_on_page(shown) == TYPED
        assert "report.pdf" in shown.content.decode()
        assert SESSION_KEPT_TYPING not in verified_client.session
        assert verified_client.get(step).status_code == 302  # once; the step is closed as before
    assert AdviceRequest.objects.get().answers == {"about": {"involvement": "The colleague's answer"}}


# The pages around the form (outcomes, contacts, a change to the child's details) keep typing the same way.


def _outcome(terms):
    return {"team": terms["slt"].pk, "need_type": terms["comms"].pk, "outcome": TYPED, "provision": "Weekly therapy"}


def _contact(terms):
    return {"name": TYPED[:60], "role": "Specialist teacher", "team": team().pk, "organisation": "Learning Support"}


@pytest.mark.parametrize(
    ("page", "posted", "model", "field"),
    [
        ("outcomes/new/", _outcome, Outcome, "outcome"),
        ("contacts/new/", _contact, ProfessionalContact, "name"),
        ("report-a-change/", lambda terms: {"details": TYPED}, DetailsChangeReport, "details"),
        (
            "documents/",
            lambda terms: {"title": "Speech therapy report", "file": SimpleUploadedFile("report.pdf", b"%PDF-1.4")},
            Document,
            "title",
        ),
        (
            "contribution/",
            lambda terms: {"parent_views": TYPED, "interpreter_needed": "no"},
            Contribution,
            "parent_views",
        ),
    ],
)
def test_a_page_around_the_form_keeps_typing_at_a_time_out_too(
    verified_client, professional, terms, page, posted, model, field
):
    url = f"/portal/requests/{advice_request(professional).pk}/{page}"
    data = posted(terms)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert verified_client.get(url).status_code == 200
        traveller.shift(601)
        signed_out = verified_client.post(url, data, HTTP_REFERER=f"http://testserver{url}", follow=True)
        assert not model.objects.exists()

        assert sign_in_again(verified_client, signed_out, professional) == url
        shown = verified_client.get(url)
        assert BANNER in shown.content.decode() and _typed_on_page(shown, field) == data[field]
        assert not model.objects.exists()
        again = verified_client.get(url)
    assert BANNER not in again.content.decode() and _typed_on_page(again, field) != data[field]


def test_an_outcome_edit_kept_at_a_time_out_still_refuses_to_overwrite_a_newer_save(
    verified_client, professional, terms
):
    """The kept edit carries the version it was typed against: saving it after someone else's save is refused, as any
    stale edit is, rather than overwriting their words."""
    request_ = advice_request(professional)
    verified_client.post(
        f"/portal/requests/{request_.pk}/outcomes/new/", {**_outcome(terms), "outcome": "Original words"}
    )
    outcome = Outcome.objects.get()
    url = f"/portal/requests/{request_.pk}/outcomes/{outcome.pk}/"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        version = BeautifulSoup(verified_client.get(url).content, "html.parser").find(attrs={"name": "version"})[
            "value"
        ]
        traveller.shift(601)
        data = {**_outcome(terms), "version": version}
        signed_out = verified_client.post(url, data, HTTP_REFERER=f"http://testserver{url}", follow=True)
        assert Outcome.objects.get().outcome == "Original words"
        Outcome.objects.filter(pk=outcome.pk).update(outcome="A colleague's words", version=int(version) + 1)

        assert sign_in_again(verified_client, signed_out, professional) == url
        shown = verified_client.get(url)
        assert BANNER in shown.content.decode() and _typed_on_page(shown, "outcome") == TYPED
        form = BeautifulSoup(shown.content, "html.parser").find("main").find("form")
        resent = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
        stale = verified_client.post(url, {**data, **resent, "outcome": _typed_on_page(shown, "outcome")})
    assert "Someone saved this outcome after you opened it" in stale.content.decode()
    assert Outcome.objects.get().outcome == "A colleague's words"


def test_a_contact_edit_kept_at_a_time_out_comes_back_unsaved(verified_client, professional, terms):
    request_ = advice_request(professional)
    verified_client.post(f"/portal/requests/{request_.pk}/contacts/new/", _contact(terms))
    url = f"/portal/requests/{request_.pk}/contacts/{ProfessionalContact.objects.get().pk}/"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert verified_client.get(url).status_code == 200
        traveller.shift(601)
        edited = {**_contact(terms), "role": "Class teacher"}
        signed_out = verified_client.post(url, edited, HTTP_REFERER=f"http://testserver{url}", follow=True)
        assert sign_in_again(verified_client, signed_out, professional) == url
        shown = verified_client.get(url)
    assert BANNER in shown.content.decode() and _typed_on_page(shown, "role") == "Class teacher"
    assert ProfessionalContact.objects.get().role == "Specialist teacher"


def test_a_post_that_fails_its_csrf_check_keeps_nothing(verified_client, step):
    """The time-out comes before Django's CSRF check: a form another site posted into a timed-out session would have
    been kept, and shown after signing in again as if the professional had typed it."""
    forged = Client(enforce_csrf_checks=True)
    forged.cookies = verified_client.cookies
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert forged.get(step).status_code == 200
        traveller.shift(601)
        response = forged.post(step, {"involvement": "Written by another site", "action": "continue"})

    assert response.status_code == 302  # signed out, as any late post is
    assert SESSION_KEPT_TYPING not in forged.session
    assert AuditEntry.objects.get(action=AccountEvent.TIMED_OUT).data == {"why": "idle"}


def _drawn(page, name):
    return BeautifulSoup(page.content, "html.parser").find(attrs={"name": name})["value"]


def test_typing_kept_over_a_save_made_meanwhile_shows_saved_elsewhere_not_overwrite_it(
    verified_client, professional, step
):
    """A colleague on the same team account saved the section while this person was signed out: the kept typing was
    drawn with the section's new revision, so saving it replaced the colleague's answers without a word."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        page = verified_client.get(step)
        copy = {name: _drawn(page, name) for name in ("step-revision", "step-page")}
        traveller.shift(601)
        typed = {"involvement": TYPED, "last_seen-day": "3", "last_seen-month": "9", "last_seen-year": "2026"}
        signed_out = verified_client.post(
            step, {**typed, "diagnosis": "no", "action": "continue", **copy}, HTTP_REFERER=f"http://testserver{step}"
        )
        signed_out = verified_client.get(signed_out.url)
        advice_request = AdviceRequest.objects.get()
        colleague = QueryDict(mutable=True)
        colleague.update({**typed, "involvement": "Ours", "diagnosis": "yes"})
        draft_step_save(
            advice_request=advice_request,
            section_key="about",
            data=colleague,
            actor=professional,
            revision=copy["step-revision"],
            page="another-computer",
        )
        assert sign_in_again(verified_client, signed_out, professional) == step
        shown = verified_client.get(step)
        assert BANNER in shown.content.decode() and _drawn(shown, "step-revision") == copy["step-revision"]

        response = verified_client.post(step, {**typed, "diagnosis": "no", "action": "continue", **copy})

    assert response.status_code == 409
    assert AdviceRequest.objects.get().answers["about"]["involvement"] == "Ours"


def test_a_sign_in_to_the_admin_in_that_browser_throws_it_away(verified_client, step):
    """Only the portal's sign-in threw kept typing away: a member of staff signing in to the admin in that browser
    kept the professional's typing in their own session row (and its one-hour life)."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _save_after_the_idle_limit(verified_client, step, traveller)
        assert SESSION_KEPT_TYPING in verified_client.session
        verified_client.force_login(StaffUserFactory())

    assert SESSION_KEPT_TYPING not in verified_client.session
    assert verified_client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_typing_its_account_never_takes_is_not_kept_for_the_rest_of_the_session(verified_client, professional, step):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        signed_out = _save_after_the_idle_limit(verified_client, step, traveller)
        sign_in_again(verified_client, signed_out, professional)
        verified_client.get("/portal/")  # signed in again, but busy elsewhere
        assert SESSION_KEPT_TYPING in verified_client.session
        for _ in range(7):  # active all along: an hour and more
            traveller.shift(590)
            assert verified_client.get("/portal/").status_code == 200

    assert SESSION_KEPT_TYPING not in verified_client.session


def test_a_body_cut_off_on_its_way_keeps_nothing_instead_of_failing(rf, step):
    """A save whose body stopped arriving (the connection dropped at the time-out) raised while its fields were read,
    and the person saw a server error page instead of the signed-out page."""

    class CutOff(io.BytesIO):
        def read(self, *args):
            raise UnreadablePostError("the connection was reset")

    request = rf.post(step, {"involvement": TYPED})
    request._stream = CutOff()
    request._read_started = False
    request._dont_enforce_csrf_checks = True  # as the test client's requests: the body is what is tried here
    assert typing_posted(request) is None


# The warning dialog's countdown ends on a page holding typing no save has kept (session-timeout.js): it posts the
# page's own form to its own address with ?timed_out=1, where it only signed out before, and the typing went with it.


def test_the_countdowns_post_signs_out_and_keeps_the_typing_though_the_server_heard_from_the_page(
    verified_client, professional, step
):
    """The server's clock has not run out (the page was heard from while the dialog was open): the post is still the
    time-out the dialog announced, never a save."""
    assert verified_client.get(step).status_code == 200
    signed_out = verified_client.post(
        f"{step}?timed_out=1",
        {"involvement": TYPED, "last_seen-day": "3"},
        HTTP_REFERER=f"http://testserver{step}",
        follow=True,
    )

    assert signed_out.redirect_chain[0][0] == f"/portal/signed-out/?{urlencode({'reason': 'timeout', 'next': step})}"
    assert "it is kept for 1 hour" in _signed_out_words(signed_out)
    advice_request = AdviceRequest.objects.get()
    assert TYPED not in str(advice_request.answers) and TYPED not in str(advice_request.raw_steps)
    timed_out = AuditEntry.objects.get(action=AccountEvent.TIMED_OUT)
    assert timed_out.data == {"why": "idle", "kept_typing": True}

    assert sign_in_again(verified_client, signed_out, professional) == step
    shown = verified_client.get(step)
    assert BANNER in shown.content.decode() and _typed_on_page(shown) == TYPED


def test_the_countdowns_post_from_another_site_signs_no_one_out(verified_client, step):
    forged = Client(enforce_csrf_checks=True)
    forged.cookies = verified_client.cookies
    assert forged.get(step).status_code == 200
    response = forged.post(f"{step}?timed_out=1", {"involvement": "Written by another site", "action": "continue"})

    assert response.status_code == 403
    assert forged.get(step).status_code == 200  # still signed in
    assert SESSION_KEPT_TYPING not in forged.session
    assert not AuditEntry.objects.filter(action=AccountEvent.TIMED_OUT).exists()
    assert "Written by another site" not in str(AdviceRequest.objects.get().raw_steps)


def test_the_countdowns_post_to_a_page_that_keeps_nothing_is_not_done(verified_client, professional, terms):
    """Only a page's own form is posted at the countdown's end; any other post so marked is the time-out, not the
    action: here a delete, which the view would have done."""
    request_ = advice_request(professional)
    verified_client.post(f"/portal/requests/{request_.pk}/outcomes/new/", _outcome(terms))
    outcome = Outcome.objects.get()
    delete = f"/portal/requests/{request_.pk}/outcomes/{outcome.pk}/delete/"

    response = verified_client.post(f"{delete}?timed_out=1", {"reason": "Not needed"})

    outcome.refresh_from_db()
    assert outcome.state != OutcomeState.DELETED and outcome.deleted_at is None
    assert response.status_code == 302 and response.url.startswith("/portal/signed-out/?reason=timeout")
    assert SESSION_KEPT_TYPING not in verified_client.session
    assert AuditEntry.objects.get(action=AccountEvent.TIMED_OUT).data == {"why": "idle"}


def _keeps_typing(response):
    dialog = BeautifulSoup(response.content, "html.parser").find(id="portal-timeout")
    return dialog.get("data-keeps-typing")


def test_the_dialog_says_whether_its_page_keeps_typing_and_whether_it_shows_typing_unsaved(
    verified_client, professional, terms, step
):
    """ "changed": only a change made on the page is posted at the countdown's end; "unsaved" and "kept": the page
    itself shows typing no save has kept (a form redrawn with its errors; typing kept at a time-out, whose page also
    asks before it is left), posted whatever is changed."""
    request_ = advice_request(professional)
    add = f"/portal/requests/{request_.pk}/outcomes/new/"
    assert _keeps_typing(verified_client.get("/portal/")) is None
    assert _keeps_typing(verified_client.get(f"/portal/requests/{request_.pk}/outcomes/")) is None
    assert _keeps_typing(verified_client.get(step)) == "changed"
    assert _keeps_typing(verified_client.get(add)) == "changed"
    assert _keeps_typing(verified_client.post(add, {**_outcome(terms), "team": ""})) == "unsaved"

    signed_out = verified_client.post(f"{add}?timed_out=1", _outcome(terms), HTTP_REFERER=f"http://testserver{add}")
    sign_in_again(verified_client, verified_client.get(signed_out.url), professional)
    shown = verified_client.get(add)
    assert BANNER in shown.content.decode() and _keeps_typing(shown) == "kept"


def test_the_dialogs_mark_reads_the_view_django_chose_without_resolving_the_address_again(verified_client, step):
    with mock.patch("portal_pages.kept_typing.resolve", wraps=resolve) as resolving:
        shown = verified_client.get(step)

    assert _keeps_typing(shown) == "changed"
    assert resolving.call_count == 0


def test_a_document_kept_at_a_time_out_comes_back_without_errors_nobody_has_made_yet(
    verified_client, professional, terms
):
    """A chosen file is never kept, so the documents page, bound to what was kept, greeted the returning professional
    with "There is a problem: Select a PDF file to upload" before they had pressed anything (the banner above it
    already asks for the file again)."""
    url = f"/portal/requests/{advice_request(professional).pk}/documents/"
    document_types()
    posted = {"title": "Speech therapy report", "document_type": "plan", "file": SimpleUploadedFile("report.pdf", b"%")}
    signed_out = verified_client.post(f"{url}?timed_out=1", posted, HTTP_REFERER=f"http://testserver{url}")
    sign_in_again(verified_client, verified_client.get(signed_out.url), professional)

    shown = verified_client.get(url)

    page = BeautifulSoup(shown.content, "html.parser")
    assert BANNER in shown.content.decode() and "report.pdf" in page.find(id="advice-kept-typing").get_text()
    assert page.find(class_="govuk-error-summary") is None and page.find(class_="govuk-error-message") is None
    assert _typed_on_page(shown, "title") == "Speech therapy report"
    assert page.find("select", attrs={"name": "document_type"}).find("option", selected=True)["value"] == "plan"
    assert _keeps_typing(shown) == "kept"
