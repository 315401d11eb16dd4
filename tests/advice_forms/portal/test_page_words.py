"""The small things a school notices: the dashboard's summary reads as a sentence, a message page prints no raw
path, and a request page's title (kept in browser history on shared computers) names no child."""

import re

import pytest
from django.urls import reverse

from advice_forms.services.requests import advice_request_share
from portal_pages.models import InboxMessage
from tests.factories.accounts import staff_in_group
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, request_page

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
