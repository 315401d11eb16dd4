"""Every page of one request is titled with the same marker as the request page ("<form> – request <n>"), so two
requests for the same form differ in a SENCO's tabs and history, and no title carries a child's name or words a team
account typed about the child (titles stay in the history of shared school laptops)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from advice_forms.form_builder import FormBuilder
from advice_forms.models import Document, FormKind
from tests.factories.accounts import OrganisationFactory, ProfessionalFactory, TOTPDeviceFactory
from tests.factories.advice_forms import (
    ChildRecordFactory,
    advice_request,
    document_types,
    one_section_form,
    pdf_bytes,
    request_page,
    submission_make,
)
from tests.otp import sign_in

pytestmark = pytest.mark.django_db

TYPED_ABOUT_A_CHILD = "EP report for Sam Jones"
NAMES = ["Robin", "Marchwood", "Ariadne", "Quill", "Sam Jones"]


def _title(client, path):
    """The page's own part of its title: without the service's and the council's names that end every title."""
    response = client.get(path)
    assert response.status_code == 200, path
    title = " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split())
    return title.rsplit(" – ", 2)[0]


def _upload(client, ar):
    client.post(
        reverse("portal:request_documents", args=[ar.pk]),
        {
            "title": TYPED_ABOUT_A_CHILD,
            "document_type": "report",
            "file": SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf"),
        },
    )
    return Document.objects.filter(advice_request=ar).latest("pk")


def _titles(client, ar, own, theirs):
    """The titles of one request's pages, by page."""
    step = FormBuilder.for_version(ar.form_version).sections()[0].key
    pages = {
        "request": request_page(ar),
        "step": reverse("portal:request_step", args=[ar.pk, step]),
        "check answers": reverse("portal:request_check_answers", args=[ar.pk]),
        "documents": reverse("portal:request_documents", args=[ar.pk]),
        "outcomes": reverse("portal:request_outcomes", args=[ar.pk]),
        "add an outcome": reverse("portal:request_outcome_add", args=[ar.pk]),
        "contacts": reverse("portal:request_contacts", args=[ar.pk]),
        "add a contact": reverse("portal:request_contact_add", args=[ar.pk]),
        "contribution": reverse("portal:request_contribution", args=[ar.pk]),
        "report a change": reverse("portal:request_details_change", args=[ar.pk]),
        "withdraw": reverse("portal:request_document_withdraw", args=[ar.pk, own.pk]),
        "request access": reverse("portal:request_document", args=[ar.pk, theirs.pk]),
    }
    return {name: _title(client, path) for name, path in pages.items()}


def test_every_page_of_two_requests_for_one_form_carries_its_own_request_marker_and_no_child(
    verified_client, professional
):
    document_types()
    ersa = one_section_form(FormKind.ERSA)
    robin = ChildRecordFactory(first_name="Robin", last_name="Marchwood")
    ariadne = ChildRecordFactory(first_name="Ariadne", last_name="Quill")
    first = advice_request(professional, version=ersa, child=robin)
    second = advice_request(professional, version=ersa, child=ariadne)
    # Another team on both children uploads a document the SENCO may not download yet: the request-access page.
    therapist = ProfessionalFactory(organisation=OrganisationFactory(name="Kestrelford Speech Therapy"))
    TOTPDeviceFactory(user=therapist)
    their_client = Client()
    sign_in(their_client, therapist)
    theirs = {ar.pk: _upload(their_client, advice_request(therapist, child=ar.child)) for ar in (first, second)}

    titles = {
        ar.pk: _titles(verified_client, ar, _upload(verified_client, ar), theirs[ar.pk]) for ar in (first, second)
    }

    marker = {ar.pk: f"{ersa.title} – request {ar.pk}" for ar in (first, second)}
    wrong = [
        (ar.pk, page, title)
        for ar in (first, second)
        for page, title in titles[ar.pk].items()
        # "<page> – <marker>", the request page the marker alone; no name, nothing typed about the child
        if not title.endswith(marker[ar.pk])
        or (page == "request") != (title == marker[ar.pk])
        or any(name in title for name in NAMES)
        or titles[first.pk][page] == titles[second.pk][page]
    ]
    assert wrong == []
    assert titles[first.pk]["withdraw"] == f"Withdraw a document – {marker[first.pk]}"
    assert titles[first.pk]["request access"] == f"Request access to a document – {marker[first.pk]}"


def test_the_confirmation_page_carries_the_request_marker(verified_client, professional):
    """It was "Form submitted – <form>", alike for two requests for the same form."""
    ersa = one_section_form(FormKind.ERSA)
    first, second = (advice_request(professional, version=ersa) for _ in range(2))
    titles = []
    for ar in (first, second):
        submission_make(ar, {})
        titles.append(_title(verified_client, reverse("portal:request_confirmation", args=[ar.pk, 1])))

    assert titles == [f"Form submitted – {ersa.title} – request {ar.pk}" for ar in (first, second)]


def _posted_title(client, path, data):
    response = client.post(path, data)
    assert response.status_code == 200, path
    assert "There is a problem" in response.content.decode()
    return " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split())


def test_a_page_posted_with_errors_is_titled_error_first_then_its_request_marker(
    verified_client, professional, small_form
):
    """A screen reader user hears the title first when the page comes back: "Error: " tells them the save failed."""
    document_types()
    ar = advice_request(professional, version=small_form)
    marker = f"{small_form.title} – request {ar.pk}"
    documents = _posted_title(
        verified_client, reverse("portal:request_documents", args=[ar.pk]), {"title": "", "document_type": "report"}
    )
    step = _posted_title(
        verified_client,
        reverse("portal:request_step", args=[ar.pk, "about"]),
        {"involvement": "Weekly", "last_seen-day": "31", "last_seen-month": "2", "last_seen-year": "2025"}
        | {"action": "continue"},
    )

    assert documents.startswith(f"Error: Documents – {marker} – ")
    assert step.startswith("Error: ") and f" – {marker} – " in step
