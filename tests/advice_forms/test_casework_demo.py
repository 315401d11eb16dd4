"""The demo casework: fictional children and requests in every state, loaded idempotently, usable in the admin."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from advice_forms import demo
from advice_forms.casework_demo import APPENDIX_B, CASEWORKER
from advice_forms.events import CaseworkEvent
from advice_forms.form_builder import FormBuilder
from advice_forms.models import AdviceRequest, ChildRecord, Document, ProfessionalContact, RequestState, Submission
from advice_forms.selectors import documents_for_request, submission_history
from cms.models import AuditEntry
from portal_pages.models import User
from tests.factories.accounts import verified_login

pytestmark = pytest.mark.django_db


def test_demo_casework_loads_every_state_once_with_complete_submissions(demo_content, client):
    counts = (ChildRecord.objects.count(), AdviceRequest.objects.count(), Submission.objects.count())
    call_command("load_demo_content", stdout=StringIO())
    assert (ChildRecord.objects.count(), AdviceRequest.objects.count(), Submission.objects.count()) == counts
    assert counts == (5, 8, 4)

    states = set(AdviceRequest.objects.values_list("state", flat=True))
    assert states == {choice.value for choice in RequestState}
    titles = set(AdviceRequest.objects.values_list("form_version__title", flat=True))
    assert titles == {json.loads(demo.form_file(name))["title"] for name in demo.FORM_FILES}, "every demo form is used"
    for child in ChildRecord.objects.all():
        assert child.unique_pupil_number.startswith("DEMO")
        assert child.coordinator.email == CASEWORKER
        assert "@" not in child.parent_carer_contact or "example.org" in child.parent_carer_contact
    for submission in Submission.objects.select_related("form_version"):
        assert re.fullmatch(r"KBC-(APPB|ADV)-\d{4}-\d{6}", submission.reference)
        assert FormBuilder(submission.form_version).missing_required(submission.answers) == []
    returned = AdviceRequest.objects.get(state=RequestState.RETURNED)
    assert returned.return_reason and returned.answers == returned.submissions.get().answers
    assert all(started.answers for started in AdviceRequest.objects.filter(state=RequestState.IN_PROGRESS))

    verified_login(client, ChildRecord.objects.first().coordinator)
    queue = client.get(reverse("review_queue:index")).content.decode()
    assert "Rowan Ashdown" in queue and "Maisie" not in queue
    submitted = AdviceRequest.objects.get(state=RequestState.SUBMITTED, form_version__title=APPENDIX_B)
    review = client.get(reverse("review_queue:review", args=[submitted.pk])).content.decode()
    assert "visual task plans" in review.lower()
    overdue = client.get(reverse("overdue_advice:index")).content.decode()
    assert "Idris Fenwick" in overdue and "Ezra" not in overdue


def test_demo_submissions_are_filed_reviewed_and_audited_as_the_real_services_leave_them(demo_content, client):

    submitted = AdviceRequest.objects.filter(
        state__in=[RequestState.SUBMITTED, RequestState.RETURNED, RequestState.ACCEPTED]
    ).select_related("account", "child")
    assert submitted.count() == 4
    caseworker = User.objects.get(email=CASEWORKER)
    for advice_request in submitted:
        latest = advice_request.submissions.order_by("-number").first()
        document = Document.objects.get(submission=latest)
        assert document.submission == latest
        assert document.uploaded_by == latest.submitted_by == advice_request.account
        assert document.uploaded_at == latest.submitted_at
        assert document.file.file.read(5) == b"%PDF-"
        assert document in documents_for_request(advice_request)
        verified_login(client, caseworker)
        admin_list = client.get(reverse("casework_documents", args=[advice_request.child_id])).content.decode()
        assert escape(document.title) in admin_list
        verified_login(client, advice_request.account)
        portal_list = client.get(reverse("portal:request_documents", args=[advice_request.pk])).content.decode()
        assert escape(document.title) in portal_list

        audited = set(
            AuditEntry.objects.filter(target_type__model="advicerequest", target_id=str(advice_request.pk)).values_list(
                "action", flat=True
            )
        )
        decision = {
            RequestState.SUBMITTED: set(),
            RequestState.RETURNED: {CaseworkEvent.REQUEST_RETURNED},
            RequestState.ACCEPTED: {CaseworkEvent.REQUEST_ACCEPTED},
        }[advice_request.state]
        assert audited >= {
            CaseworkEvent.REQUEST_SHARED,
            CaseworkEvent.REQUEST_STARTED,
            CaseworkEvent.REQUEST_SUBMITTED,
            *decision,
        }

    returned = AdviceRequest.objects.get(state=RequestState.RETURNED)
    [row] = submission_history(returned)
    assert row["outcome"] == "Returned for more information"
    assert row["reason"] == returned.return_reason
    accepted = AdviceRequest.objects.get(state=RequestState.ACCEPTED)
    assert [row["outcome"] for row in submission_history(accepted)] == ["Accepted"]
    for reviewed in AdviceRequest.objects.filter(state=RequestState.SUBMITTED):
        assert [row["outcome"] for row in submission_history(reviewed)] == ["Being reviewed"]
    verified_login(client, returned.account)
    page = client.get(reverse("portal:request_detail", args=[returned.pk])).content.decode()
    assert "Returned for more information" in page and escape(returned.return_reason) in page


def test_each_service_is_asked_for_its_own_advice_and_the_schools_for_the_educational_advice(demo_content):
    """A walk as the demo's services found each could only be sent the school's Appendix B ("Name of the school or
    setting", "Year group"): each service now gets its own appendix, named by its title on its dashboard and inbox."""
    own_form = {
        "eps@eps.kestrelford.example.org": {"Psychological advice (Appendix C)"},
        "referrals@slt.kestrelford-health.example.org": {"Health advice (Appendix D)"},
        "ehc@socialcare.kestrelford.example.org": {"Social care advice (Appendix E)"},
        "senco@oakfield-primary.example.org": {"Request for an EHC needs assessment (ERSA)", APPENDIX_B},
        "senco@kestrelvale-academy.example.org": {"Request for an EHC needs assessment (ERSA)", APPENDIX_B},
    }
    sent = {}
    for email, title in AdviceRequest.objects.values_list("account__email", "form_version__title"):
        sent.setdefault(email, set()).add(title)
    assert sent == own_form

    client = Client()
    for email, (title,) in list(own_form.items())[:3]:
        account = User.objects.get(email=email)
        verified_login(client, account)
        for listing in (reverse("portal:dashboard"), reverse("portal:inbox")):
            page = client.get(listing).content.decode()
            assert title in page and APPENDIX_B not in page, listing
        advice_request = AdviceRequest.objects.get(account=account)
        if advice_request.is_editable:  # the therapists' advice is submitted: its pages are read-only
            first_step = reverse("portal:request_step", args=[advice_request.pk, "about_advice"])
            page = client.get(first_step).content.decode()
            assert "About you and your work with the child" in page
            assert "Name of the school or setting" not in page and "Year group" not in page
        else:
            assert advice_request.submissions.get().reference.startswith("KBC-ADV-")


def test_no_demo_child_lists_one_professional_twice(demo_content):
    """Maisie Thornbury's contacts were two identical "Sam Rivers" rows, one from Oakfield and one from the
    educational psychology service: each kind of account now names a professional of its own, and a person already
    listed for the child is not added again."""
    call_command("load_demo_content", stdout=StringIO())  # a second load (the first is the module's)

    contacts = {}
    for child, name, organisation, email in ProfessionalContact.objects.values_list(
        "child__first_name", "name", "organisation", "email"
    ):
        contacts.setdefault(child, []).append((name, organisation))
        assert email.endswith(".example.org"), email
    assert sorted(contacts["Maisie"]) == [
        ("Priya Lomax", "Kestrelford Children's Speech and Language Therapy"),
        ("Sam Rivers", "Kestrelford Learning Support Service"),
    ]
    for child, listed in contacts.items():
        assert len({name for name, _organisation in listed}) == len(listed), child
