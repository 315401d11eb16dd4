"""Conditions in the wizard without JavaScript: every follow-up question is on the page under what it follows, saying
when to answer it, and answers a change would hide are removed only when the professional says so."""

import io
import re

import pytest
from bs4 import BeautifulSoup
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


def _conditionals(html):
    return BeautifulSoup(html, "html.parser").select("[data-advice-reveal], [data-advice-condition]")


def test_without_javascript_every_follow_up_question_is_on_the_page_saying_when_to_answer_it(
    verified_client, advice_request
):
    """Closed follow-up questions were drawn with `hidden`, so without JavaScript they appeared only after a save,
    as errors about questions never seen."""
    html = verified_client.get(step_url(advice_request, "about")).content.decode()
    conditionals = _conditionals(html)
    assert len(conditionals) == 3  # under "Yes", under "Cognition and learning", and one with two rules
    assert not [container for container in conditionals if container.has_attr("hidden")]
    # The closed reveals are hidden only by GOV.UK's class, which applies only where GOV.UK Frontend's script runs.
    closed = [
        c
        for c in conditionals
        if {"govuk-radios__conditional--hidden", "govuk-checkboxes__conditional--hidden"} & set(c["class"])
    ]
    assert len(closed) == 2
    reveal = BeautifulSoup(html, "html.parser").find(id="conditional-id_support-0")
    assert reveal.find(class_="advice-no-js-only").get_text() == "Answer if you chose “Yes”."
    assert reveal.find("label", string=re.compile("Describe the support"))
    condition = BeautifulSoup(html, "html.parser").select_one("[data-advice-condition]")
    assert condition.find(class_="advice-no-js-only").get_text(" ", strip=True) == (
        "Answer if your answer to “Areas of need” is one of “Communication”, “Social, emotional and mental health”"
        " or your answer to “Is support in place?” is not “Yes”."
    )

    advice_request.answers = {"about": {"support": "yes"}}
    advice_request.save()
    html = verified_client.get(step_url(advice_request, "about")).content.decode()
    assert '<div class="govuk-radios__conditional" id="conditional-id_support-0" data-advice-reveal>' in html


def test_a_save_that_opens_a_question_seen_on_the_page_goes_on(verified_client, advice_request):
    data = {"support": "yes", "support_details": "Small-group literacy, daily", "areas": ["cl"], "action": "continue"}
    response = post_step(verified_client, advice_request, "about", data)
    assert response.status_code == 302 and response.url == step_url(advice_request, "family")
    assert answers(advice_request)["about"]["support_details"] == "Small-group literacy, daily"


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
