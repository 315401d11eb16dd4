"""Conditions in the wizard without JavaScript: a step re-draws by the saved answer, opened questions are shown
before going on, and answers a change would hide are removed only when the professional says so."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from advice_forms.models import AdviceRequest
from tests.advice_forms.test_conditions import conditions_sections
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def advice_request(professional):
    version = definition(conditions_sections())
    return AdviceRequestFactory(account=professional, form_version=version, child=ChildRecordFactory())


def step_url(advice_request, step):
    return reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": step})


def drawn(page, name):
    return re.search(rf'name="{name}" value="([^"]*)"', page.content.decode()).group(1)


def post_step(client, advice_request, step, data, page=None):
    """Posts the step as a browser does, with what the page it was typed into said was shown and kept."""
    page = page or client.get(step_url(advice_request, step))
    state = {name: drawn(page, name) for name in ("shown-at-render", "kept-at-render")}
    return client.post(step_url(advice_request, step), {**data, **state})


def answers(advice_request):
    return AdviceRequest.objects.get(pk=advice_request.pk).answers


def test_a_revealed_question_is_drawn_by_the_saved_answer(verified_client, advice_request):
    page = verified_client.get(step_url(advice_request, "about"))
    html = page.content.decode()
    assert 'data-aria-controls="conditional-id_support-0"' in html
    assert 'id="conditional-id_support-0" data-advice-reveal hidden>' in html
    advice_request.answers = {"about": {"support": "yes"}}
    advice_request.save()
    html = verified_client.get(step_url(advice_request, "about")).content.decode()
    assert '<div class="govuk-radios__conditional" id="conditional-id_support-0" data-advice-reveal>' in html


def test_a_save_that_opens_questions_shows_the_step_again(verified_client, advice_request):
    data = {"support": "yes", "support_details": "Small-group literacy, daily", "areas": ["cl"], "action": "continue"}
    response = post_step(verified_client, advice_request, "about", data)
    # The optional "Cognition detail" was opened by this save: shown before going on, not skipped.
    assert response.status_code == 200
    assert "Your answers open more questions on this page: “Cognition detail”." in response.content.decode()
    assert answers(advice_request)["about"]["support_details"] == "Small-group literacy, daily"
    response = post_step(verified_client, advice_request, "about", data, page=response)
    assert response.status_code == 302 and response.url == step_url(advice_request, "family")


def test_hiding_answers_asks_first_then_removes_or_keeps_them(verified_client, advice_request):
    advice_request.answers = {
        "about": {"support": "yes", "support_details": "Weekly speech therapy", "areas": ["cl"], "cl_detail": ""},
        "family": {"interpreter": "none", "family_notes": "Grandmother helps"},
        "health": {"health_notes": "Asthma plan"},
    }
    advice_request.save()
    page = verified_client.get(step_url(advice_request, "about"))
    data = {"support": "no", "support_details": "Weekly speech therapy", "areas": ["cl"], "cl_detail": ""}
    data["other_detail"] = ""
    response = post_step(verified_client, advice_request, "about", {**data, "action": "continue"}, page=page)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your answers mean these questions are no longer asked. Remove what you wrote?" in html
    listed = re.search(r'<ul class="govuk-list govuk-list--bullet">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", listed) == [
        "Describe the support",
        "Family notes (in “Family”)",
        "Health notes (in “Health”)",
    ]
    # Nothing is lost yet: the new answer is saved and the hidden text kept.
    saved = answers(advice_request)
    assert saved["about"]["support"] == "no" and saved["about"]["support_details"] == "Weekly speech therapy"
    assert saved["health"] == {"health_notes": "Asthma plan"}

    keys = re.search(r'name="clear-keys" value="([^"]*)"', html).group(1)
    kept = post_step(
        verified_client, advice_request, "about", {**data, "clear": "keep", "clear-keys": keys}, page=response
    )
    assert kept.status_code == 302
    check = verified_client.get(reverse("portal:request_check_answers", kwargs={"pk": advice_request.pk}))
    text = check.content.decode()
    assert "Not included, because your other answers mean this question is no longer asked" in text
    assert "Family notes" in text and "Grandmother helps" not in text
    pdf = verified_client.get(reverse("portal:request_preview_pdf", kwargs={"pk": advice_request.pk}))
    pdf_text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Not included: answers to “Describe the support”, which other answers mean is no longer asked." in pdf_text
    assert "Weekly speech therapy" not in pdf_text

    # Asked again only once the question has been shown again and hidden again; then removed everywhere.
    post_step(verified_client, advice_request, "about", {**data, "support": "yes", "action": "continue"})
    response = post_step(verified_client, advice_request, "about", {**data, "action": "continue"})
    keys = re.search(r'name="clear-keys" value="([^"]*)"', response.content.decode()).group(1)
    removed = post_step(
        verified_client, advice_request, "about", {**data, "clear": "remove", "clear-keys": keys}, page=response
    )
    assert removed.status_code == 302
    saved = answers(advice_request)
    assert saved["about"]["support_details"] is None
    assert "family_notes" not in saved["family"] and "health_notes" not in saved["health"]
    assert saved["family"]["interpreter"] == "none"
