"""Two copies of one step (two tabs, or two people signed in to one team account): a save from the older copy that
would change the section is refused, nothing is written, and what was typed comes back on the page; a save from the
copy now shown saves. A page's own saves (autosave after autosave, autosave then Save) never refuse each other."""

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from advice_forms.models import AdviceRequest, Document
from advice_forms.services.drafts import DraftStale, draft_step_save
from cms.formats import govuk_time
from tests.advice_forms.portal.test_record_questions import record_form
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    definition,
    question,
    section,
    step_data,
)
from tests.factories.advice_forms import (
    advice_request as make_request,
)

pytestmark = pytest.mark.django_db

A_WORDS = "Tab A: I have seen the child weekly for speech therapy since September."
B_WORDS = "Tab B: a paragraph written after tab A opened this step."


@pytest.fixture
def advice_request(professional, small_form):
    return AdviceRequestFactory(
        account=professional, form_version=small_form, child=ChildRecordFactory(first_name="Robin")
    )


def step_url(advice_request, step="about", query=""):
    return reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": step}) + query


def autosave_url(advice_request, step="about"):
    return reverse("portal:request_step_autosave", kwargs={"pk": advice_request.pk, "step": step})


def copy_of(html):
    """The hidden inputs a step's page posts back: the revision it was drawn from and its own id."""
    revision = re.search(r'name="step-revision" value="(\d+)"', html).group(1)
    page = re.search(r'name="step-page" value="([0-9a-f]{32})"', html).group(1)
    return {"step-revision": revision, "step-page": page}


def opened(client, advice_request, step="about", query=""):
    response = client.get(step_url(advice_request, step, query))
    assert response.status_code == 200
    return copy_of(response.content.decode())


def about(words, **extra):
    return {**step_data()["about"], "involvement": words, **extra}


def saved_state(advice_request):
    row = AdviceRequest.objects.get(pk=advice_request.pk)
    return (
        row.answers,
        row.raw_steps,
        row.section_saves,
        row.started_sections,
        row.completed_sections,
        row.draft_saved_at,
        row.state,
    )


def test_a_save_from_an_older_copy_is_refused_keeps_the_typing_and_a_second_save_saves(verified_client, advice_request):
    tab_a = opened(verified_client, advice_request)
    tab_b = opened(verified_client, advice_request)
    with time_machine.travel(timezone.now(), tick=False):
        saved_b = verified_client.post(step_url(advice_request), {**about(B_WORDS), **tab_b, "action": "continue"})
        b_time = govuk_time(timezone.now())
    assert saved_b.status_code == 302
    before = saved_state(advice_request)

    refused = verified_client.post(step_url(advice_request), {**about(A_WORDS), **tab_a, "action": "continue"})

    assert refused.status_code == 409
    assert saved_state(advice_request) == before  # nothing written
    html = refused.content.decode()
    assert A_WORDS in html and B_WORDS not in html
    assert "Your changes to this section have not been saved" in html
    assert f"This section was saved somewhere else at {b_time}, after you opened this page" in html
    assert "in another tab or window, or by someone else signed in to your team account" in html
    assert "What you typed is below. It is not saved yet." in html
    assert f'href="{step_url(advice_request)}" target="_blank"' in html
    assert "What you typed on this page is not saved yet." in html and "Last saved at" not in html
    assert 'data-unsaved="true"' in html and "There is a problem" not in html
    task_list = verified_client.get(reverse("portal:request_detail", kwargs={"pk": advice_request.pk}))
    assert "You have completed 1 of 4 sections." in task_list.content.decode()

    # The page shown again holds the section's revision now: saving it again is a choice, and it saves.
    again = verified_client.post(step_url(advice_request), {**about(A_WORDS), **copy_of(html), "action": "continue"})
    assert again.status_code == 302
    advice_request.refresh_from_db()
    assert advice_request.answers["about"]["involvement"] == A_WORDS


def test_autosave_from_an_older_copy_is_refused_with_a_409_and_writes_nothing(verified_client, advice_request):
    tab_a = opened(verified_client, advice_request)
    tab_b = opened(verified_client, advice_request)
    with time_machine.travel(timezone.now(), tick=False):
        saved_b = verified_client.post(autosave_url(advice_request), {**about(B_WORDS), **tab_b})
        b_time = govuk_time(timezone.now())
    assert saved_b.status_code == 200 and saved_b.json()["saved"] is True
    before = saved_state(advice_request)

    refused = verified_client.post(autosave_url(advice_request), {**about(A_WORDS), **tab_a})

    assert refused.status_code == 409
    assert refused.json() == {
        "saved": False,
        "saved_elsewhere": True,
        "message": f"Not saved. This section was saved somewhere else at {b_time}: in another tab, or by someone "
        "else signed in to your team account. What you typed is still on this page. Save it to see your choices.",
    }
    assert saved_state(advice_request) == before
    # The page's own Save, still from its old copy, shows the choices rather than saving.
    shown = verified_client.post(step_url(advice_request), {**about(A_WORDS), **tab_a, "action": "later"})
    assert shown.status_code == 409 and A_WORDS in shown.content.decode()
    assert saved_state(advice_request) == before


def test_a_pages_own_autosaves_and_its_save_never_refuse_each_other(verified_client, advice_request):
    copy = opened(verified_client, advice_request)
    first = verified_client.post(autosave_url(advice_request), {**about("First words"), **copy})
    assert first.status_code == 200 and first.json()["revision"] == "1"
    # autosave.js posts the revision each answer gives it.
    second = verified_client.post(autosave_url(advice_request), {**about("Second words"), **copy, "step-revision": "1"})
    assert second.status_code == 200 and second.json()["revision"] == "2"
    # An autosave still on its way when the page's Save is pressed: the Save carries the revision before it.
    save = verified_client.post(step_url(advice_request), {**about("Third words"), **copy, "action": "continue"})
    assert save.status_code == 302
    advice_request.refresh_from_db()
    assert advice_request.answers["about"]["involvement"] == "Third words"
    assert advice_request.section_saves["about"]["revision"] == 3


def test_an_older_copy_that_changes_nothing_is_saved_as_usual(verified_client, advice_request):
    tab_a = opened(verified_client, advice_request)
    tab_b = opened(verified_client, advice_request)
    verified_client.post(step_url(advice_request), {**about(B_WORDS), **tab_b, "action": "continue"})
    revision = AdviceRequest.objects.get(pk=advice_request.pk).section_saves["about"]["revision"]

    same = verified_client.post(step_url(advice_request), {**about(B_WORDS), **tab_a, "action": "continue"})
    autosaved = verified_client.post(autosave_url(advice_request), {**about(B_WORDS), **tab_a})

    assert same.status_code == 302 and same.url == step_url(advice_request, "health")
    assert autosaved.status_code == 200 and autosaved.json()["saved"] is True
    advice_request.refresh_from_db()
    assert advice_request.answers["about"]["involvement"] == B_WORDS
    assert advice_request.section_saves["about"]["revision"] == revision  # nothing changed, nothing counted


def test_the_copy_now_saved_saves_and_a_save_without_a_revision_behaves_as_before(verified_client, advice_request):
    copy = opened(verified_client, advice_request)
    assert copy["step-revision"] == "0"
    assert verified_client.post(step_url(advice_request), {**about("Mine"), **copy, "action": "continue"}).status_code
    copy = opened(verified_client, advice_request)
    assert copy["step-revision"] == "1"
    assert verified_client.post(step_url(advice_request), {**about("Newer"), **copy, "action": "continue"}).url
    assert verified_client.post(step_url(advice_request), {**about("No revision posted"), "action": "continue"}).url
    advice_request.refresh_from_db()
    assert advice_request.answers["about"]["involvement"] == "No revision posted"


@pytest.mark.parametrize(
    ("extra", "query"),
    [
        ({"action": "later"}, ""),
        ({"action": "back"}, ""),
        ({"action": "continue"}, "?return=check"),
        ({"row-action": "add:outcomes"}, ""),
        ({"row-action": "remove:outcomes:0"}, ""),
    ],
)
def test_every_button_of_an_older_copy_is_refused_and_shows_the_step_again(
    verified_client, advice_request, extra, query
):
    outcomes = step_data()["outcomes"]
    tab_a = opened(verified_client, advice_request, "outcomes", query)
    tab_b = opened(verified_client, advice_request, "outcomes")
    changed = {**outcomes, "outcomes-0-outcome": "Tab B outcome", **tab_b, "action": "continue"}
    assert verified_client.post(step_url(advice_request, "outcomes"), changed).status_code == 302
    before = saved_state(advice_request)

    second = {k.replace("-0-", "-1-"): v for k, v in outcomes.items() if "-0-" in k}
    typed = {**outcomes, **second, "outcomes-rows": "2", "outcomes-1-outcome": "Tab A second outcome"}
    typed = {**typed, "outcomes-0-outcome": "Tab A outcome", **tab_a, **extra}
    refused = verified_client.post(step_url(advice_request, "outcomes", query), typed)

    assert refused.status_code == 409
    assert saved_state(advice_request) == before
    html = refused.content.decode()
    assert "Tab A second outcome" in html and "Your changes to this section have not been saved" in html
    assert f'action="{step_url(advice_request, "outcomes", query)}"' in html
    assert f'href="{step_url(advice_request, "outcomes", query)}" target="_blank"' in html
    if query:
        assert "Save and return to check answers" in html


def test_a_record_questions_button_on_an_older_copy_stays_on_the_step(verified_client, professional):
    request_ = make_request(professional, version=record_form(), child=ChildRecordFactory())
    tab_a = opened(verified_client, request_)
    tab_b = opened(verified_client, request_)
    verified_client.post(step_url(request_), {"strengths": "Tab B strengths", **tab_b, "action": "later"})
    before = saved_state(request_)

    refused = verified_client.post(
        step_url(request_), {"strengths": "Tab A strengths", **tab_a, "action": "record:details-report"}
    )

    assert refused.status_code == 409 and "Tab A strengths" in refused.content.decode()
    assert saved_state(request_) == before
    leaves = verified_client.post(
        step_url(request_),
        {"strengths": "Tab A strengths", **copy_of(refused.content.decode()), "action": "record:details-report"},
    )
    assert leaves.status_code == 302 and leaves.url.endswith("?step=about")


def evidence_request(professional):
    """A request on a one-step form: a required "Summary" and an optional file question, "Latest school report"."""
    version = definition(
        [
            section(
                "Evidence",
                [
                    question("short_text", "Summary", key="summary"),
                    question("file", "Latest school report", key="report", required=False),
                ],
                key="evidence",
            )
        ]
    )
    return make_request(professional, version=version, child=ChildRecordFactory())


def test_a_file_chosen_on_an_older_copy_is_not_filed_and_the_page_asks_for_it_again(verified_client, professional):
    from tests.factories.advice_forms import pdf_bytes

    request_ = evidence_request(professional)
    tab_a = opened(verified_client, request_, "evidence")
    tab_b = opened(verified_client, request_, "evidence")
    verified_client.post(step_url(request_, "evidence"), {"summary": "Tab B summary", **tab_b, "action": "later"})
    before = saved_state(request_)

    upload = SimpleUploadedFile("Summer report.pdf", pdf_bytes(), content_type="application/pdf")
    refused = verified_client.post(
        step_url(request_, "evidence"), {"summary": "Tab B summary", "report": upload, **tab_a, "action": "later"}
    )

    assert refused.status_code == 409
    assert "The file you chose was not uploaded: Summer report.pdf. Choose it again" in refused.content.decode()
    assert saved_state(request_) == before and not Document.objects.filter(advice_request=request_).exists()


def test_the_service_refuses_an_older_copy_and_names_when_the_section_was_saved(professional, advice_request):
    with time_machine.travel(timezone.now(), tick=False):
        draft_step_save(
            advice_request=advice_request, section_key="about", data=_post(about(B_WORDS)), actor=professional
        )
        b_saved = timezone.now()
    with pytest.raises(DraftStale) as stale:
        draft_step_save(
            advice_request=advice_request,
            section_key="about",
            data=_post(about(A_WORDS)),
            actor=professional,
            revision="0",
            page="a" * 32,
        )
    assert stale.value.saved_at == b_saved and stale.value.revision == "1"
    assert stale.value.form["involvement"].value() == A_WORDS
    assert AdviceRequest.objects.get(pk=advice_request.pk).answers["about"]["involvement"] == B_WORDS


def _post(data):
    from django.http import QueryDict

    post = QueryDict(mutable=True)
    for name, value in data.items():
        post[name] = value
    return post


def test_a_step_shown_again_by_its_own_post_carries_on_its_page_whatever_autosave_lands_late(
    verified_client, advice_request
):
    outcomes = step_data()["outcomes"]
    copy = opened(verified_client, advice_request, "outcomes")
    added = verified_client.post(
        step_url(advice_request, "outcomes"), {**outcomes, **copy, "row-action": "add:outcomes"}
    )
    assert added.status_code == 200
    shown = copy_of(added.content.decode())
    assert shown == {"step-revision": "1", "step-page": copy["step-page"]}
    # An autosave the page sent before "Add another" reaches the server after it.
    late = verified_client.post(autosave_url(advice_request, "outcomes"), {**outcomes, **copy})
    assert late.status_code == 200

    typed = {**outcomes, "outcomes-0-outcome": "Typed after adding a row", **shown, "action": "continue"}
    assert verified_client.post(step_url(advice_request, "outcomes"), typed).status_code == 302
    advice_request.refresh_from_db()
    assert advice_request.answers["outcomes"]["outcomes"][0]["outcome"] == "Typed after adding a row"
