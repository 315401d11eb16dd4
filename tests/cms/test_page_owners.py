"""A guidance page's owner (Settings tab) is chosen among those who may edit pages, so its review reminders reach
someone who can act on them; a page whose owner lost that right still opens and saves, and says to choose another."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group

from cms.models import HelpPage
from tests.cms.guidance_admin import help_page_form
from tests.factories.accounts import staff_in_group
from tests.factories.cms import HelpPageFactory

pytestmark = pytest.mark.django_db


def _options(response, name):
    select = BeautifulSoup(response.content, "html.parser").find("select", attrs={"name": name})
    return {option.get_text(strip=True) for option in select.find_all("option") if option.get("value")}


def test_only_teams_and_people_who_edit_pages_are_offered_as_owners(verified_admin_client, superuser, home_page):
    editor = staff_in_group("Content editor", first_name="Eddie", last_name="Editor")
    approver = staff_in_group("Guidance approvers", first_name="Abi", last_name="Approver")
    others = [
        staff_in_group(role, first_name="Not", last_name=role)
        for role in ("SEND caseworker", "Form designer", "Portal administrator")
    ]
    page = HelpPageFactory(parent=home_page)

    response = verified_admin_client.get(f"/admin/pages/{page.pk}/edit/")

    assert _options(response, "owner_team") == {"Content editor", "Guidance approvers"}
    people = _options(response, "owner_person")
    assert {str(editor), str(approver), str(superuser)} <= people
    assert not {str(other) for other in others} & people
    refused = verified_admin_client.post(
        f"/admin/pages/{page.pk}/edit/", help_page_form(page, owner_person=others[0].pk)
    )
    assert refused.status_code == 200
    assert HelpPage.objects.get(pk=page.pk).owner_person is None


@pytest.mark.parametrize("kind", ["person", "team"])
def test_a_page_whose_owner_cannot_edit_pages_opens_saves_and_says_to_choose_another(
    verified_admin_client, home_page, kind
):
    caseworker = staff_in_group("SEND caseworker", first_name="Casey", last_name="Worker")
    owner = {"person": {"owner_person": caseworker}, "team": {"owner_team": Group.objects.get(name="SEND caseworker")}}
    page = HelpPageFactory(parent=home_page, **owner[kind])
    field = f"owner_{kind}"
    shown_as = str(caseworker) if kind == "person" else "SEND caseworker"

    opened = verified_admin_client.get(f"/admin/pages/{page.pk}/edit/")

    assert f"{shown_as} (cannot edit pages)" in _options(opened, field)
    assert "cannot edit pages now, so review reminders reach no one who can act on them" in opened.content.decode()
    saved = verified_admin_client.post(
        f"/admin/pages/{page.pk}/edit/", help_page_form(page, **{field: getattr(page, f"{field}_id")})
    )
    assert saved.status_code == 302
    assert getattr(HelpPage.objects.get(pk=page.pk), f"{field}_id") == getattr(page, f"{field}_id")
