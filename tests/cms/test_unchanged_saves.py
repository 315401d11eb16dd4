"""Saving an edit page unchanged, on every staff screen of ours that keeps a History (cms.admin_views.
UnchangedSaveMixin): Wagtail logged an "edit" for every save, changed or not, so the History showed edits nobody
made. Each page says there was nothing to save, in the same words, and writes no entry; a real change is logged
once. Form definitions are left out: saving one unchanged saves a draft or publishes, which means something."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import ModelLogEntry

from advice_forms.models import NeedType, Team
from cms.admin_views import NO_CHANGES
from tests.factories.accounts import OrganisationFactory, ProfessionalFactory, staff_in_group
from tests.factories.advice_forms import ChildRecordFactory, dropdown_list

pytestmark = pytest.mark.django_db


def _organisation():
    return OrganisationFactory(name="Oakfield Primary School", address="1 School Lane")


def _team_account():
    organisation = OrganisationFactory(email_domains="oakfield-primary.example.org")
    return ProfessionalFactory(organisation=organisation, email="senco@oakfield-primary.example.org")


def _staff_user():
    return staff_in_group("SEND caseworker", first_name="Casey", last_name="Worker")


def _dropdown_list():
    return dropdown_list("Languages", [("english", "English"), ("welsh", "Welsh")])


# (who edits, the row, its edit page's URL name, a field to change and its new value)
SCREENS = {
    "organisations": ("administrator_client", _organisation, "organisation:edit", "name", "Oakfield Academy"),
    "team-accounts": ("administrator_client", _team_account, "team_accounts:edit", "display_name", "Oakfield SENCO"),
    "staff-users": ("verified_admin_client", _staff_user, "wagtailusers_users:edit", "first_name", "Cassie"),
    "dropdown-lists": (
        "designer_client",
        _dropdown_list,
        "wagtailsnippets_advice_forms_dropdownlist:edit",
        "description",
        "Languages spoken at home",
    ),
    "teams": (
        "designer_client",
        lambda: Team.objects.create(code="ZZT", name="Test team"),
        "wagtailsnippets_advice_forms_team:edit",
        "name",
        "Test team two",
    ),
    "types": (
        "designer_client",
        lambda: NeedType.objects.create(code="ZZN", name="Test need"),
        "wagtailsnippets_advice_forms_needtype:edit",
        "name",
        "Test need two",
    ),
    "role-groups": (
        "verified_admin_client",
        lambda: Group.objects.create(name="Reviewers"),
        "wagtailusers_groups:edit",
        "name",
        "Senior reviewers",
    ),
    "child-records": (
        "caseworker_client",
        lambda: ChildRecordFactory(address="8 Test Street"),
        "child_records:edit",
        "address",
        "9 Test Street",
    ),
}


def _form_data(page, url):
    """What the browser posts from the edit page's form as drawn: every field as it is."""
    form = BeautifulSoup(page, "html.parser").select_one(f'form[method=post][action="{url}"]')
    data = {}
    for field in form.select("input[name]"):
        if field.get("type") in ("submit", "button", "file"):
            continue
        if field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(field["name"], []).append(field.get("value", "on"))
            continue
        data[field["name"]] = field.get("value", "")
    for field in form.select("textarea[name]"):
        data[field["name"]] = field.get_text().removeprefix("\n")  # the line break HTML drops after <textarea>
    for field in form.select("select[name]"):
        chosen = [option.get("value", option.get_text()) for option in field.select("option[selected]")]
        data[field["name"]] = chosen if field.has_attr("multiple") else (chosen[0] if chosen else "")
    return data


def _edits(instance):
    return ModelLogEntry.objects.filter(
        content_type__model=instance._meta.model_name, object_id=str(instance.pk), action="wagtail.edit"
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_saving_unchanged_logs_no_edit_and_says_there_was_nothing_to_save(request, screen):
    client_fixture, make, url_name, field, new_value = SCREENS[screen]
    client = request.getfixturevalue(client_fixture)
    instance = make()
    edit_url = reverse(url_name, args=[instance.pk])
    data = _form_data(client.get(edit_url).content.decode(), edit_url)

    response = client.post(edit_url, data, follow=True)

    assert response.status_code == 200, response.context["form"].errors
    assert [str(message) for message in response.context["messages"]] == [NO_CHANGES]
    assert not _edits(instance).exists()

    changed = client.post(edit_url, {**data, field: new_value})
    assert changed.status_code == 302
    assert _edits(instance).count() == 1


@pytest.mark.parametrize("screen", SCREENS)
def test_saving_unchanged_for_a_script_answers_in_json_and_logs_no_edit(request, screen):
    """Wagtail's scripts post asking for JSON: an unchanged save was sent on to Wagtail's, which logged an edit nobody
    made (and before that it was answered with a redirect to a page, which a script cannot read). It gets the answer
    Wagtail gives a save, and nothing is logged."""
    client_fixture, make, url_name, _, _ = SCREENS[screen]
    client = request.getfixturevalue(client_fixture)
    instance = make()
    edit_url = reverse(url_name, args=[instance.pk])
    data = _form_data(client.get(edit_url).content.decode(), edit_url)

    response = client.post(edit_url, data, headers={"Accept": "application/json"})

    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    answer = response.json()
    assert (answer["success"], answer["pk"]) == (True, instance.pk)
    assert not _edits(instance).exists()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda data, group: {**data, "groups": [*data.get("groups", []), str(group.pk)]}, id="a-group-added"
        ),
        pytest.param(lambda data, group: {**data, "groups": []}, id="its-groups-taken-away"),
    ],
)
def test_a_staff_users_groups_changed_alone_are_saved_and_logged(verified_admin_client, change):
    """The staff user screen's form has groups ticked: left so they are unchanged (above); a change to them alone is a
    change, saved and logged once as before. (It has no password fields: tests/portal_pages/test_staff_invitations.)"""
    user = _staff_user()
    group = Group.objects.create(name="Test group")
    edit_url = reverse("wagtailusers_users:edit", args=[user.pk])
    data = _form_data(verified_admin_client.get(edit_url).content.decode(), edit_url)
    assert data.get("groups")

    response = verified_admin_client.post(edit_url, change(data, group))

    assert response.status_code == 302, response.context["form"].errors
    assert _edits(user).count() == 1
    groups = {str(pk) for pk in user.groups.values_list("pk", flat=True)}
    assert groups == set(change(data, group)["groups"])
