"""Wagtail's page, embed and workflow task choosers, open to every admin user there, answered first by
cms/admin_choosers.py for the roles that use them; the role matrix holds every role to each path.

This holds our routes to Wagtail's (so the guard fails here when Wagtail adds, renames or moves a chooser pattern),
the editors' real use of the page chooser (a form designer linking a page from guidance text), and the fact the embed
chooser's refusal rests on: no rich text of the portal has the "embed" feature.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import resolve, reverse
from wagtail import blocks
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.fields import RichTextField, StreamField

from advice_forms.blocks import GUIDANCE_FEATURES
from cms.admin_choosers import GUARDED_NAMES, GUARDS, _upstream_patterns, own_name
from tests.factories.cms import HelpPageFactory
from tests.refusals import refused_by_wagtail
from tests.test_role_matrix import (
    CASEWORKER,
    CONTENT_EDITOR,
    FORM_DESIGNER,
    GUIDANCE_APPROVER,
    PORTAL_ADMIN,
    _staff,
    signed_in_client,
)

pytestmark = pytest.mark.django_db


def test_every_wagtail_chooser_pattern_is_guarded():
    """Wagtail's chooser patterns today, by name: a new one (say a fifth link type) or a renamed one fails here."""
    upstream = {name for _, _, name in _upstream_patterns(wagtailadmin_urls.urlpatterns)}
    guarded = {name for name in upstream if name.startswith(tuple(GUARDS))}
    assert guarded == GUARDED_NAMES


@pytest.mark.parametrize("name", sorted(GUARDED_NAMES))
def test_our_route_is_wagtails_and_answers_first(name):
    kwargs = {"parent_page_id": 7} if name.endswith("_child") else {"task_id": 7} if name.endswith("chosen") else {}
    path = reverse(name, kwargs=kwargs or None)
    assert path == reverse(own_name(name), kwargs=kwargs or None)
    assert resolve(path).url_name == own_name(name)


@pytest.mark.parametrize(
    "role, status",
    [(CASEWORKER, 302), (PORTAL_ADMIN, 302), (FORM_DESIGNER, 200), (CONTENT_EDITOR, 200), (GUIDANCE_APPROVER, 200)],
)
def test_the_page_chooser_is_for_those_who_link_pages(home_page, role, status):
    page = HelpPageFactory(parent=home_page, title="Applying for an EHC needs assessment")
    client = signed_in_client(_staff(role))
    for path in (
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_choose_page_child", args=[home_page.pk]),
        reverse("wagtailadmin_choose_page_search") + "?q=assessment",
        reverse("wagtailadmin_choose_page_external_link"),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        if status == 302:
            assert refused_by_wagtail(response), path
            # The chooser's modal asks by script: a 403 that shows nothing of the pages
            scripted = client.get(path, headers={"x-requested-with": "XMLHttpRequest"})
            assert scripted.status_code == 403 and page.title not in scripted.content.decode(), path


def test_a_form_designer_links_a_page_from_guidance_text(home_page):
    """The guidance text's "link" feature opens the page chooser: browse to a page, search for it, or give an
    address; each answers the editor's modal with what to insert."""
    assert "link" in GUIDANCE_FEATURES
    page = HelpPageFactory(parent=home_page, title="Applying for an EHC needs assessment")
    client = signed_in_client(_staff(FORM_DESIGNER))

    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[home_page.pk]))
    assert browse.json()["step"] == "browse"
    assert page.title in browse.json()["html"]
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "assessment"})
    assert page.title in search.content.decode()

    chosen = client.post(
        reverse("wagtailadmin_choose_page_external_link"),
        {"external-link-chooser-url": "https://www.gov.uk/children-with-special-educational-needs"},
    )
    assert chosen.json()["step"] == "external_link_chosen"
    assert chosen.json()["result"]["url"] == "https://www.gov.uk/children-with-special-educational-needs"


def test_the_embed_chooser_is_the_superusers(home_page, superuser):
    path = reverse("wagtailembeds:chooser")
    assert refused_by_wagtail(signed_in_client(_staff(GUIDANCE_APPROVER)).get(path))
    assert signed_in_client(superuser).get(path).status_code == 200


def _features(block):
    if isinstance(block, blocks.RichTextBlock):
        yield block.features
    for child in getattr(block, "child_blocks", {}).values():
        yield from _features(child)
    if isinstance(block, blocks.ListBlock):
        yield from _features(block.child_block)


def test_no_rich_text_has_the_embed_feature():
    """Were one to gain it, its editors would need the embed chooser, refused to them in cms/admin_choosers.py."""
    feature_lists = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, RichTextField):
                feature_lists.append(field.features)
            elif isinstance(field, StreamField):
                feature_lists.extend(_features(field.stream_block))
    assert feature_lists
    assert None not in feature_lists, "a rich text with Wagtail's default features (which include embed)"
    assert not [features for features in feature_lists if "embed" in features]


def test_the_task_chooser_is_for_those_who_manage_workflows(home_page):
    path = reverse("wagtailadmin_workflows:task_chooser")
    user = _staff(FORM_DESIGNER)
    assert refused_by_wagtail(signed_in_client(user).get(path))
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailcore", codename="change_workflow"))
    assert signed_in_client(user).get(path).status_code == 200
