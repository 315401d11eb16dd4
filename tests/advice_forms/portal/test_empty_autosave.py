"""A post that holds only the CSRF token and the page's hidden fields, to a completed step's autosave or to the step
itself, saves nothing: the section stays completed and its answers and kept typing stay as they were. An autosave
without the section's revision (autosave.js always sends it) is refused the same way. A step of checkboxes alone,
all unticked, posts nothing else: that is saved."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from advice_forms.models import AdviceRequest
from advice_forms.services.drafts import draft_step_revision
from tests.autosave import autosave_data
from tests.factories.advice_forms import AdviceRequestFactory, definition, question, section, step_data

pytestmark = pytest.mark.django_db

HIDDEN = {"shown-at-render": "", "kept-at-render": "", "step-page": "a" * 32}


@pytest.fixture
def completed(verified_client, professional, small_form):
    """A request whose "about" section was saved with "Save and continue": completed."""
    advice_request = AdviceRequestFactory(account=professional, form_version=small_form)
    step = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "about"})
    assert verified_client.post(step, {**step_data()["about"], "action": "continue"}).status_code == 302
    advice_request.refresh_from_db()
    assert "about" in advice_request.completed_sections
    return advice_request


def _draft(advice_request):
    row = AdviceRequest.objects.get(pk=advice_request.pk)
    return row.answers, row.raw_steps, row.completed_sections, row.section_saves


def _autosave(client, advice_request, data):
    url = reverse("portal:request_step_autosave", kwargs={"pk": advice_request.pk, "step": "about"})
    return client.post(url, data)


@pytest.mark.parametrize(
    "posted",
    [
        {"csrfmiddlewaretoken": "x" * 64},
        {"csrfmiddlewaretoken": "x" * 64, "step-revision": "1", **HIDDEN},
        {"csrfmiddlewaretoken": "x" * 64, "step-revision": "1", **HIDDEN, "action": "continue", "clear": "remove"},
        {"csrfmiddlewaretoken": "x" * 64, "step-revision": "1", "next": "/portal/", "involvement2": "x"},
    ],
    ids=["token-only", "token-and-hidden-fields", "with-buttons", "names-of-no-question"],
)
def test_an_autosave_with_nothing_typed_keeps_a_completed_section(verified_client, completed, posted):
    before = _draft(completed)

    response = _autosave(verified_client, completed, posted)

    assert response.status_code == 400 and response.json()["saved"] is False
    assert _draft(completed) == before
    check = reverse("portal:request_check_answers", kwargs={"pk": completed.pk})
    assert (
        "I have seen the child weekly for speech therapy since September."
        in verified_client.get(check).content.decode()
    )


def test_an_autosave_without_the_sections_revision_is_refused(verified_client, completed):
    before = _draft(completed)
    changed = {**step_data()["about"], "involvement": "Changed without a revision"}

    refused = _autosave(verified_client, completed, changed)
    saved = _autosave(verified_client, completed, {**changed, "step-revision": draft_step_revision(completed, "about")})

    assert refused.status_code == 400 and refused.json()["saved"] is False
    assert saved.status_code == 200 and saved.json()["saved"] is True
    assert before[0]["about"]["involvement"] != "Changed without a revision"
    assert AdviceRequest.objects.get(pk=completed.pk).answers["about"]["involvement"] == "Changed without a revision"


def test_a_step_post_of_only_the_token_and_hidden_fields_keeps_a_completed_section(verified_client, completed):
    before = _draft(completed)
    step = reverse("portal:request_step", kwargs={"pk": completed.pk, "step": "about"})

    for posted in [{**HIDDEN}, {"next": "/portal/", "involvement2": "x"}]:
        response = verified_client.post(
            step, {"csrfmiddlewaretoken": "x" * 64, "step-revision": "1", **posted}, follow=True
        )

        assert "Nothing was received from the page, so nothing was saved." in response.content.decode()
        assert _draft(completed) == before


def test_unticking_every_box_of_a_step_of_checkboxes_alone_is_autosaved(verified_client, professional):
    """A browser posts nothing for boxes all unticked: on a step of checkboxes alone, that is the answer, saved."""
    options = [{"label": "Cognition and learning", "value": "cl"}, {"label": "Communication", "value": "comms"}]
    areas = question("multiple_choice", "Areas of need", key="areas", options=options, required=False)
    advice_request = AdviceRequestFactory(
        account=professional, form_version=definition([section("Needs", [areas], key="needs")])
    )
    step = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "needs"})
    verified_client.post(step, {"areas": ["cl"], "action": "continue"})
    autosave = reverse("portal:request_step_autosave", kwargs={"pk": advice_request.pk, "step": "needs"})

    response = verified_client.post(
        autosave, autosave_data(advice_request, "needs", {"csrfmiddlewaretoken": "x", **HIDDEN})
    )

    assert response.status_code == 200 and response.json()["saved"] is True
    assert AdviceRequest.objects.get(pk=advice_request.pk).answers["needs"] == {"areas": []}


def _browser_post(html):
    """What a browser posts from the step page's form with nothing changed: every named field it draws, less unticked
    boxes and radios, file inputs (autosave.js leaves chosen files out) and buttons."""
    form = BeautifulSoup(html, "html.parser").find("form", id="advice-step-form")
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name, kind = field.get("name"), field.get("type", "text")
        if not name or field.has_attr("disabled") or kind in ("submit", "button", "file", "image", "reset"):
            continue
        if kind in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        if field.name == "textarea":
            value = field.string or ""
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            value = chosen.get("value", chosen.get_text()) if chosen else ""
        else:
            value = field.get("value", "on" if kind in ("checkbox", "radio") else "")
        data.setdefault(name, []).append(value)
    return data


def test_unticking_every_box_when_another_sections_answer_hides_the_text_box_is_autosaved(
    verified_client, professional
):
    """A step of optional boxes and a text box shown only for a "Yes" in another section: with "No" there, the page
    draws the boxes alone, so unticking them all posts nothing but the token and hidden fields. That is the answer."""
    options = [{"label": "Cognition and learning", "value": "cl"}, {"label": "Communication", "value": "comms"}]
    worried = {"match": "all", "rules": [{"field_key": "worried", "operator": "is", "value": "yes"}]}
    advice_request = AdviceRequestFactory(
        account=professional,
        form_version=definition(
            [
                section("Home", [question("yes_no", "Are you worried about home?", key="worried")], key="home"),
                section(
                    "Needs",
                    [
                        question("multiple_choice", "Areas of need", key="areas", options=options, required=False),
                        question("long_text", "What worries you?", key="worry", required=False, condition=worried),
                    ],
                    key="needs",
                ),
            ]
        ),
    )
    home = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "home"})
    needs = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "needs"})
    assert verified_client.post(home, {"worried": "no", "action": "continue"}).status_code == 302
    assert verified_client.post(needs, {"areas": ["cl"], "action": "continue"}).status_code == 302
    posted = _browser_post(verified_client.get(needs).content.decode())
    assert "worry" not in posted and posted["areas"] == ["cl"]
    del posted["areas"]  # every box unticked
    autosave = reverse("portal:request_step_autosave", kwargs={"pk": advice_request.pk, "step": "needs"})

    response = verified_client.post(autosave, posted)

    assert response.status_code == 200 and response.json()["saved"] is True
    assert AdviceRequest.objects.get(pk=advice_request.pk).answers["needs"]["areas"] == []

    # The step's own post, sent without a button (a script's form.submit()), is saved too: it is not "Nothing was
    # received from the page".
    posted = _browser_post(verified_client.get(needs).content.decode())
    saved = verified_client.post(needs, posted, follow=True)
    assert "Nothing was received from the page" not in saved.content.decode()
    assert "needs" in AdviceRequest.objects.get(pk=advice_request.pk).completed_sections
