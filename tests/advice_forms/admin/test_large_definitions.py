"""No ceiling: a real council's form (250 questions in 12 sections) goes through the admin's own edit view, publishes,
and is filled, submitted and printed by a professional; a save over even the raised limit loses nothing."""

import io
import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from advice_forms.models import FormDefinition, Submission
from bench.definition_post import (
    LARGE_OPTIONS,
    LARGE_QUESTIONS,
    LARGE_SECTIONS,
    large_layout,
    large_sections,
)
from tests.advice_forms.admin.form_data import choice, definition_post, field, section
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, dropdown_list
from tests.otp import sign_in

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_advice_forms_formdefinition"


def step_post(questions):
    data = {"action": "continue"}
    for kind, key, _label in questions:
        if kind in ("short_text", "long_text"):
            data[key] = f"Answer to {key}"
        elif kind == "number":
            data[key] = "7"
        elif kind == "date":
            data.update({f"{key}-day": "3", f"{key}-month": "11", f"{key}-year": "2025"})
        elif kind == "yes_no":
            data[key] = "no"
        elif kind == "single_choice":
            data[key] = "sometimes"
        else:
            data[key] = ["often", "rarely"]
    return data


def test_a_250_question_definition_saves_publishes_fills_submits_and_prints(
    designer_client, professional, django_capture_on_commit_callbacks
):
    layout = large_layout()
    assert sum(len(q) for _s, q in layout) == LARGE_QUESTIONS
    draft = FormDefinition.objects.create(title="Kestrelford ERSA, full size", version_label="V0")
    data = definition_post(title="Kestrelford ERSA, full size", version_label="FULL", sections=large_sections(layout))
    assert len(data) > 3000  # three times Django's usual limit

    # The admin's live preview takes it, then the real edit view saves and publishes it.
    preview = designer_client.post(reverse(f"{URLS}:preview_on_edit", args=[draft.pk]), data)
    assert preview.json() == {"is_valid": True, "is_available": True}
    response = designer_client.post(reverse(f"{URLS}:edit", args=[draft.pk]), {**data, "action-publish": "publish"})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    draft.refresh_from_db()
    version = draft.latest_version()
    assert draft.live and version is not None
    assert len(version.content) == LARGE_SECTIONS
    assert sum(len(s["value"]["fields"]) for s in version.content) == LARGE_QUESTIONS
    # The editor opens again, every section collapsed so the page stays responsive.
    editor = designer_client.get(reverse(f"{URLS}:edit", args=[draft.pk]))
    assert editor.status_code == 200
    assert 'data-max-fields="20000"' in editor.content.decode()

    # A professional opens, fills and submits every step; the PDF prints the last question's answer.
    child = ChildRecordFactory(first_name="Robin", last_name="Marchwood")
    advice_request = AdviceRequestFactory(account=professional, form_version=version, child=child)
    client = Client()
    sign_in(client, professional)
    for section_key, questions in layout:
        step = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": section_key})
        page = client.get(step)
        assert page.status_code == 200 and questions[-1][2] in page.content.decode()
        response = client.post(step, step_post(questions))
        assert response.status_code == 302, response.content.decode()[:2000]
    check = client.get(reverse("portal:request_check_answers", kwargs={"pk": advice_request.pk})).content.decode()
    assert "Answer to q246" in check
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', check).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:request_submit", kwargs={"pk": advice_request.pk}), {"idempotency_key": key}
        )
    assert response.status_code == 302
    submission = Submission.objects.get(request=advice_request)
    assert submission.answers["part_12"]["q246"] == "Answer to q246"
    assert submission.pdf is not None
    pdf = submission.pdf.file.read()
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) > 0
    assert "Question 250 of the big form" in text and "Answer to q246" in text


@override_settings(PORTAL_LARGE_FORM_MAX_FIELDS=2000, DATA_UPLOAD_MAX_NUMBER_FIELDS=2000)
def test_a_save_over_the_raised_limit_is_answered_with_a_page_and_saves_nothing(designer_client):
    layout = large_layout()
    draft = FormDefinition.objects.create(title="Too big", version_label="V0")
    data = definition_post(title="Renamed", version_label="V1", sections=large_sections(layout))
    response = designer_client.post(reverse(f"{URLS}:edit", args=[draft.pk]), data)
    assert response.status_code == 413
    html = response.content.decode()
    assert "This form is too large to save at once" in html and "nothing was saved" in html
    draft.refresh_from_db()
    assert draft.title == "Too big" and draft.revisions.count() == 0


def _choice_form_post(lists, questions, version_label):
    """A definition of one section: `questions` choice questions, each on one of `lists`, and a yes/no."""
    fields = [("yes_no", field("Has the child a plan?", key="has_plan"), "")]
    for n in range(questions):
        kind = "single_choice" if n % 2 else "multiple_choice"
        chosen = choice(f"Choice {n}", key=f"choice_{n}", dropdown_list=str(lists[n % len(lists)].pk), display="radios")
        fields.append((kind, {**chosen, "error_message": f"Select an answer to choice {n}"}, ""))
    return definition_post(
        title="Lists form", version_label=version_label, sections=[("section", section("Part 1", fields), "")]
    )


def _option_reads(client, method, url, data=None):
    """The response, and how many queries read dropdown options for it."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    return response, sum('FROM "advice_forms_dropdownoption"' in query["sql"] for query in queries)


def test_saving_publishing_and_previewing_read_each_dropdown_list_once_whatever_the_number_of_questions(
    designer_client,
):
    """Each choice question on a dropdown list read the list's options on its own, up to four times a save (the
    checks of conditions and of "not answered" messages, the preview's forms): a 250-question form made hundreds of
    queries. The options of the lists a definition uses are now read in one query per check or preview."""
    lists = [dropdown_list(f"List {n}", LARGE_OPTIONS) for n in range(3)]
    reads = {}
    for questions in (3, 24):
        draft = FormDefinition.objects.create(title="Lists form", version_label="V0")
        edit = reverse(f"{URLS}:edit", args=[draft.pk])
        data = _choice_form_post(lists, questions, f"Q{questions}")
        saved, save_reads = _option_reads(designer_client, "post", edit, data)
        assert saved.status_code == 302
        preview_url = reverse(f"{URLS}:preview_on_edit", args=[draft.pk])
        previewed, preview_post_reads = _option_reads(designer_client, "post", preview_url, data)
        assert previewed.json() == {"is_valid": True, "is_available": True}
        shown, preview_reads = _option_reads(designer_client, "get", preview_url)
        assert f"Choice {questions - 1}" in shown.content.decode()
        published, publish_reads = _option_reads(designer_client, "post", edit, {**data, "action-publish": "publish"})
        assert published.status_code == 302 and draft.versions.count() == 1
        reads[questions] = (save_reads, preview_post_reads, preview_reads, publish_reads)
    assert reads[3] == reads[24]
    # Each check (conditions, "not answered" messages), the preview's forms and the freeze at publish read them once.
    assert max(reads[24]) <= 3, reads


def test_the_editor_opens_in_the_same_number_of_queries_for_3_and_24_dropdown_list_questions(designer_client):
    lists = [dropdown_list(f"List {n}", LARGE_OPTIONS) for n in range(3)]
    counts = []
    for questions in (3, 24):
        draft = FormDefinition.objects.create(title="Lists form", version_label="V0")
        edit = reverse(f"{URLS}:edit", args=[draft.pk])
        assert designer_client.post(edit, _choice_form_post(lists, questions, "V1")).status_code == 302
        with CaptureQueriesContext(connection) as queries:
            assert designer_client.get(edit).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_saving_and_previewing_make_the_same_queries_for_3_and_24_dropdown_list_questions(
    designer_client, form_designer
):
    """Wagtail's chooser read a question's dropdown list when the form was read and again when it was cleaned: each
    save, preview and redraw of the preview made two queries a question on a list (48 more for a 250-question form).
    Each list is now read once for the form's values and once for its checks, however many questions pick it."""
    lists = [dropdown_list(f"List {n}", LARGE_OPTIONS) for n in range(3)]
    UserProfile.get_for_user(form_designer)  # made by the first preview otherwise, a query more in one of the two
    counts = {}
    for questions in (3, 24):
        draft = FormDefinition.objects.create(title="Lists form", version_label="V0")
        edit = reverse(f"{URLS}:edit", args=[draft.pk])
        preview_url = reverse(f"{URLS}:preview_on_edit", args=[draft.pk])
        data = _choice_form_post(lists, questions, f"Q{questions}")
        assert designer_client.post(edit, data).status_code == 302  # the first save makes the first revision
        with CaptureQueriesContext(connection) as saving:
            assert designer_client.post(edit, data).status_code == 302
        with CaptureQueriesContext(connection) as posting:
            assert designer_client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
        with CaptureQueriesContext(connection) as showing:
            shown = designer_client.get(preview_url)
        assert f"Choice {questions - 1}" in shown.content.decode()
        lists_read = sum('FROM "advice_forms_dropdownlist"' in q["sql"] for q in [*posting, *showing])
        counts[questions] = (len(saving), len(posting), len(showing), lists_read)
    assert counts[3] == counts[24], counts
    assert counts[24][3] <= 2 * 2 * len(lists), counts  # each list: once for the values, once for the checks
