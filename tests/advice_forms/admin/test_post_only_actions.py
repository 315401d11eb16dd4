"""The casework actions that only a POST makes (accept, return, send a reminder), asked for with GET: a reload or a
bookmark of the action's address lands on the page whose button makes it, not on the public site's 405 page; nothing
is done, and the checks answer a GET as they answer a POST (403 without the permission, 404 for an id that does not
exist)."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from advice_forms.models import RequestState
from cms.models import AuditEntry
from portal_pages.models import InboxMessage
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.advice_forms import AdviceRequestFactory, submission_make
from tests.refusals import refused_by_wagtail

pytestmark = pytest.mark.django_db

ANSWERS = {"school": {"school_name": "Oakfield Primary"}, "needs": {"needs": "Help with reading every morning"}}


@pytest.fixture
def submitted(ersa):
    advice_request = AdviceRequestFactory(form_version=ersa)
    submission_make(advice_request, ANSWERS)
    return advice_request


def _where(name, advice_request):
    return reverse("review_queue:review", args=[advice_request.pk])


ACTIONS = ["accept", "return", "remind"]


@pytest.mark.parametrize("name", ACTIONS)
def test_a_get_of_a_post_only_action_goes_to_the_page_that_offers_it_and_does_nothing(
    caseworker_client, submitted, name
):
    """A GET of /admin/review_queue/<id>/accept/ (or remind/) was the public site's 405 page."""
    audited, messages = AuditEntry.objects.count(), InboxMessage.objects.count()

    response = caseworker_client.get(reverse(f"review_queue:{name}", args=[submitted.pk]))

    assert (response.status_code, response["Location"]) == (302, _where(name, submitted))
    submitted.refresh_from_db()
    assert submitted.state == RequestState.SUBMITTED
    assert (AuditEntry.objects.count(), InboxMessage.objects.count()) == (audited, messages)


def test_a_get_of_accept_lands_on_the_review_page_without_an_error(caseworker_client, submitted):
    """It went to the confirmation without the version read, which answered 409 "Your decision did not say which
    version of this advice you read."; the review page's Accept button sends the version, and the caseworker reads
    the advice before accepting it."""
    page = caseworker_client.get(reverse("review_queue:accept", args=[submitted.pk]), {"confirmed": "yes"}, follow=True)

    assert page.redirect_chain == [(_where("accept", submitted), 302)]
    assert page.status_code == 200
    assert "error-summary" not in page.content.decode() and "did not say which version" not in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == RequestState.SUBMITTED


def test_a_get_of_remind_goes_back_where_its_button_was(caseworker_client, submitted):
    url = reverse("review_queue:remind", args=[submitted.pk])

    assert caseworker_client.get(url, {"back": "overdue"})["Location"] == reverse("overdue_advice:index")
    assert caseworker_client.get(url, {"back": "record"})["Location"] == reverse(
        "child_records:inspect", args=[submitted.child_id]
    )


@pytest.mark.parametrize("name", ACTIONS)
def test_a_get_of_a_post_only_action_is_refused_as_a_post_is(caseworker_client, submitted, name):
    """Checked before the redirect: a reader of casework who may not decide gets Wagtail's refusal, as for a POST, and
    an id that does not exist 404 (return sent every GET to the review page before it checked anything)."""
    reader = staff_in_group("Casework readers")
    reader.user_permissions.add(
        Permission.objects.get(content_type__app_label="advice_forms", codename="view_advicerequest")
    )
    reader_client = verified_login(Client(), reader)
    url = reverse(f"review_queue:{name}", args=[submitted.pk])

    assert refused_by_wagtail(reader_client.get(url))
    assert refused_by_wagtail(reader_client.post(url))
    missing = reverse(f"review_queue:{name}", args=[submitted.pk + 1000])
    assert caseworker_client.get(missing).status_code == 404
