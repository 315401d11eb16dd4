"""What a form designer's "Publish" and "Save draft" cost in queries and in walks of the whole form, pinned: a
250-question form took 3.4 s to publish, with the published versions read twice, the revision built again into a
definition, and Wagtail's reference index walking every block of the form after each save of the revision's
bookkeeping. The Usage pages of what a form links to still list it."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ReferenceIndex
from wagtail.test.utils.form_data import rich_text

from advice_forms.models import FormDefinition
from advice_forms.services.definitions import form_definition_publish
from tests.advice_forms.admin.form_data import choice, definition_post, field, section
from tests.factories.advice_forms import definition, dropdown_list, small_form_sections

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_advice_forms_formdefinition"

# The whole "Publish" POST of a definition already live, from the session's read to its save: the view's reads, the
# checks, the revision, Wagtail's publish, the frozen version and its audit entry; and the "Save draft" POST of the
# same. A read made twice comes back as a failure here. Publish was 98 on SQLite and 96 on PostgreSQL, Save draft 43
# and 42: the published versions read twice, the revision built again into a definition, and the definition read back
# for the reference index after the revision's bookkeeping save (and its links looked up again). The search backends
# differ in queries, hence one figure each. Then 90 and 88, until audit entries left Wagtail's reference index (their
# write was 7 queries, now 1); then 85 and 83 (Save draft 37 and 36), until the session's save read it again, locked,
# in a savepoint of its own before writing it (cms/session_backends/: 3 statements more).
PUBLISH_QUERIES = {"sqlite": 88, "postgresql": 86}
SAVE_DRAFT_QUERIES = {"sqlite": 40, "postgresql": 39}


def _post(home_page, lists, version_label, *, link=True):
    """A definition whose section guidance links to the home page and whose question picks a dropdown list."""
    guidance = f'<p>Read <a linktype="page" id="{home_page.pk}">the help pages</a> first.</p>' if link else "<p></p>"
    # The blocks keep their ids from save to save, as the editor posts them once saved.
    fields = [
        ("short_text", field("School name", key="school", max_length="200"), "9d3c4f1e-0000-4000-8000-000000000001"),
        (
            "single_choice",
            choice("Attendance", key="attendance", dropdown_list=str(lists[0].pk), display="radios"),
            "9d3c4f1e-0000-4000-8000-000000000002",
        ),
    ]
    part = {**section("About the child", fields, key="about"), "guidance": rich_text(guidance)}
    sections = [("section", part, "9d3c4f1e-0000-4000-8000-000000000003")]
    return definition_post(title="Linked form", version_label=version_label, sections=sections)


@pytest.fixture
def walks(monkeypatch):
    """The definitions Wagtail's reference index walked for their links, one entry a walk."""
    walked = []
    original = ReferenceIndex.create_or_update_for_object

    def counted(instance):
        if isinstance(instance, FormDefinition):
            walked.append(instance.pk)
        return original(instance)

    monkeypatch.setattr(ReferenceIndex, "create_or_update_for_object", staticmethod(counted))
    return walked


def _linked(model_instance):
    return set(
        ReferenceIndex.get_references_to(model_instance)
        .filter(base_content_type=ReferenceIndex._get_base_content_type(FormDefinition))
        .values_list("object_id", flat=True)
    )


def test_publish_and_save_draft_make_a_pinned_number_of_queries_and_walk_the_form_for_its_links_once(
    designer_client, home_page, walks
):
    lists = [dropdown_list("Attendance", [("often", "Often"), ("rarely", "Rarely")])]
    draft = FormDefinition.objects.create(title="Linked form", version_label="V0")
    edit = reverse(f"{URLS}:edit", args=[draft.pk])
    assert designer_client.post(edit, {**_post(home_page, lists, "V1"), "action-publish": "p"}).status_code == 302
    walks.clear()

    data = _post(home_page, lists, "V2")
    with CaptureQueriesContext(connection) as saving:
        assert designer_client.post(edit, data).status_code == 302
    # A draft of a live definition changes none of its stored links: no walk (one before, of the live form).
    assert walks == []

    with CaptureQueriesContext(connection) as publishing:
        response = designer_client.post(edit, {**data, "action-publish": "publish"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.latest_version().version_label == "V2"
    # One walk, of the form as now live (two before: one of the form about to be replaced).
    assert walks == [draft.pk]
    contents = 'SELECT "advice_forms_formdefinitionversion"."content"'
    assert len([q for q in publishing if q["sql"].startswith(contents)]) == 1  # the published versions, read once
    assert len(publishing) == PUBLISH_QUERIES[connection.vendor], "\n".join(q["sql"][:150] for q in publishing)
    assert len(saving) == SAVE_DRAFT_QUERIES[connection.vendor], "\n".join(q["sql"][:150] for q in saving)


def test_the_usage_of_a_page_and_a_dropdown_list_a_form_uses_follows_what_is_published(designer_client, home_page):
    lists = [dropdown_list("Attendance", [("often", "Often")]), dropdown_list("Other", [("yes", "Yes")])]
    draft = FormDefinition.objects.create(title="Linked form", version_label="V0")
    edit = reverse(f"{URLS}:edit", args=[draft.pk])
    assert designer_client.post(edit, {**_post(home_page, lists, "V1"), "action-publish": "p"}).status_code == 302
    assert _linked(home_page) == {str(draft.pk)} and _linked(lists[0]) == {str(draft.pk)}

    # A draft without the link and on the other list: the live form still uses both, and Usage says so.
    unlinked = _post(home_page, lists[::-1], "V2", link=False)
    assert designer_client.post(edit, unlinked).status_code == 302
    assert _linked(home_page) == {str(draft.pk)} and _linked(lists[0]) == {str(draft.pk)}
    usage = designer_client.get(reverse("wagtailsnippets_advice_forms_dropdownlist:usage", args=[lists[0].pk]))
    assert usage.status_code == 200 and "Linked form" in usage.content.decode()

    # Published, the form no longer uses the page or the first list, and uses the second.
    assert designer_client.post(edit, {**unlinked, "action-publish": "publish"}).status_code == 302
    assert _linked(home_page) == set() and _linked(lists[0]) == set() and _linked(lists[1]) == {str(draft.pk)}


def test_publishing_through_the_service_checks_the_whole_form_once():
    """An imported definition file publishes through the service, which cleaned the definition and then had Wagtail's
    revision clean it again: every block of the form validated twice."""
    draft = definition(small_form_sections(), publish=False)
    with mock.patch.object(FormDefinition, "full_clean", autospec=True, side_effect=FormDefinition.full_clean) as clean:
        version = form_definition_publish(definition=draft)
    assert version.number == 1 and clean.call_count == 1
