"""A draft's preview PDF is laid out once for each draft: a second click on the same draft sends the bytes kept in the
cache (for 10 minutes at most), any change to what the PDF shows makes it afresh, and the cache never answers for a
request the account may not open."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client

from advice_forms import pdf
from advice_forms.services import outcomes
from tests.advice_forms.portal.test_wizard import step_url, url
from tests.factories.accounts import ProfessionalFactory, TOTPDeviceFactory, verified_login
from tests.factories.advice_forms import ChildRecordFactory, advice_request, need_type, step_data, team
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(professional, small_form):
    """A request on the small form, shared with the signed-in account."""
    return advice_request(professional, version=small_form, child=ChildRecordFactory(first_name="Robin"))


@pytest.fixture
def renders():
    """The PDF layout (WeasyPrint) still runs; the mock counts each time it does."""
    with mock.patch.object(pdf, "render_pdf", wraps=pdf.render_pdf) as counted:
        yield counted


def _preview(client, request_):
    return client.get(url("request_preview_pdf", request_))


def _save_about(client, request_, **changed):
    data = {**step_data()["about"], **changed, "action": "continue"}
    assert client.post(step_url(request_, "about"), data).status_code == 302


def test_a_second_click_on_the_same_draft_sends_the_same_pdf_without_laying_it_out_again(
    verified_client, draft, renders
):
    _save_about(verified_client, draft)
    with mock.patch.object(cache, "set", wraps=cache.set) as kept:
        first = _preview(verified_client, draft)
    second = _preview(verified_client, draft)

    assert first.status_code == second.status_code == 200
    assert second.content == first.content and second["Content-Type"] == "application/pdf"
    assert "no-store" in second["Cache-Control"]
    assert renders.call_count == 1
    # Kept for 10 minutes at most, under a key that names no child.
    (key, _data), options = kept.call_args
    assert options == {"timeout": 600}
    assert "Robin" not in key and "Marchwood" not in key


def test_a_changed_draft_or_a_new_outcome_on_the_record_is_laid_out_afresh(verified_client, draft, renders):
    _save_about(verified_client, draft)
    _preview(verified_client, draft)

    _save_about(verified_client, draft, involvement="I have seen the child twice at the school.")
    changed = _preview(verified_client, draft)
    assert renders.call_count == 2 and "twice at the school" in pdf_text(changed.content)

    # Written on the request's "Outcomes" page, not in the draft: the PDF shows it all the same.
    outcomes.outcome_create(
        advice_request=draft,
        account=draft.account,
        team=team("SLT", "Speech and Language Therapy"),
        need_type=need_type("Comms", "Communication and interaction"),
        outcome="Asks an adult for help in class",
    )
    with_outcome = _preview(verified_client, draft)
    assert renders.call_count == 3 and "Asks an adult for help in class" in pdf_text(with_outcome.content)

    _preview(verified_client, draft)
    assert renders.call_count == 3


def test_another_accounts_request_is_a_404_while_its_pdf_is_in_the_cache(verified_client, draft, renders):
    _save_about(verified_client, draft)
    assert _preview(verified_client, draft).status_code == 200

    stranger = ProfessionalFactory()
    TOTPDeviceFactory(user=stranger)
    other = verified_login(Client(), stranger)
    with mock.patch.object(cache, "get", wraps=cache.get) as read:
        refused = _preview(other, draft)

    assert refused.status_code == 404 and b"%PDF" not in refused.content
    assert renders.call_count == 1
    assert not [call for call in read.call_args_list if str(call.args[0]).startswith("advice-preview-pdf")]


def test_with_no_time_to_keep_it_every_click_lays_the_pdf_out(verified_client, draft, renders, settings):
    settings.PORTAL_PREVIEW_PDF_CACHE_SECONDS = 0
    _save_about(verified_client, draft)

    _preview(verified_client, draft)
    _preview(verified_client, draft)

    assert renders.call_count == 2
