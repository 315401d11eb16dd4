"""The small things a school notices: the dashboard's summary reads as a sentence, a message page prints no raw
path, and a request page's title (kept in browser history on shared computers) names no child."""

import re

import pytest
from django.urls import reverse

from advice_forms.models import FormKind
from advice_forms.services.requests import advice_request_share
from portal_pages.models import InboxMessage
from tests.factories.accounts import staff_in_group
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, request_page, small_form_version

pytestmark = pytest.mark.django_db


def test_the_dashboard_summary_lists_only_the_states_it_has(verified_client, professional, small_form):
    AdviceRequestFactory(account=professional, form_version=small_form)
    html = verified_client.get(reverse("portal:dashboard")).content.decode()
    summary = " ".join(re.search(r"1 request:(.*?)</p>", html, re.S).group(1).split())
    assert summary == "to do 1."


def test_a_shared_request_message_links_to_it_without_printing_a_path(verified_client, professional, small_form):
    caseworker = staff_in_group("SEND caseworker")
    child = ChildRecordFactory(first_name="Robin", last_name="Marchwood")
    advice_request = advice_request_share(
        child=child, form_version=small_form, account=professional, shared_by=caseworker
    )
    message = InboxMessage.objects.get(link=request_page(advice_request))
    html = verified_client.get(reverse("portal:inbox_message", args=[message.pk])).content.decode()
    assert "Open the request:" not in html and "/portal/requests/" not in message.body
    detail = request_page(advice_request)
    assert f'href="{detail}">Go to the request</a>' in html


def test_the_request_page_title_names_the_form_and_request_not_the_child(verified_client, professional, small_form):
    child = ChildRecordFactory(first_name="Robin", last_name="Marchwood")
    advice_request = AdviceRequestFactory(account=professional, form_version=small_form, child=child)
    html = verified_client.get(request_page(advice_request)).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert f"request {advice_request.pk}" in title and small_form.title in title
    assert "Robin" not in title and "Marchwood" not in title
    assert "Robin Marchwood" in html  # the page itself still shows who it is about
    assert f"Version {small_form.version_label}" not in html


def _title(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split())


@pytest.mark.parametrize(
    ("name", "page"),
    [
        ("request_documents", "Documents"),
        ("request_outcomes", "Outcomes"),
        ("request_contacts", "Professional involvement"),
        ("request_contribution", "Contribution and communication method"),
    ],
)
def test_the_pages_around_the_form_are_titled_with_the_form_as_the_step_pages_are(
    verified_client, professional, small_form, name, page
):
    """They were titled "Documents – SEND Professional Portal – ...": two requests in two tabs looked the same."""
    ersa = small_form_version(title="EHC request for statutory assessment", version_label="NOV22", kind=FormKind.ERSA)
    child = ChildRecordFactory(first_name="Robin", last_name="Marchwood")
    advice_request = AdviceRequestFactory(account=professional, form_version=ersa, child=child)
    step = _title(verified_client, reverse("portal:request_step", args=[advice_request.pk, "about"]))
    assert step.startswith("About your involvement – EHC request for statutory assessment – ")

    title = _title(verified_client, reverse(f"portal:{name}", args=[advice_request.pk]))

    assert title == step.replace("About your involvement", page, 1)
    assert "Robin" not in title and "Marchwood" not in title
