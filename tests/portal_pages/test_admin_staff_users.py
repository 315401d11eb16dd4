"""Wagtail's user screens (Settings -> Users, superusers') deal with council staff accounts only: a team account is not
listed, its id is a 404 there, and the bulk actions leave it alone, so no superuser makes one staff by a tick. A change
of a staff account's role groups or superuser status, by the edit form or the bulk "Assign role", is audited once."""

from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.models import AuditEntry
from portal_pages.events import AccountEvent
from portal_pages.models import JoinRequest, OrganisationKind, User
from tests.factories.accounts import ProfessionalFactory

ASSIGN_ROLE = reverse("wagtail_bulk_action", args=["portal_pages", "user", "assign_role"])


def _role_changes(account):
    return list(AuditEntry.objects.filter(target_id=str(account.pk), action=AccountEvent.ROLES_CHANGED))


def _edit(client, account, **fields):
    """Post the staff edit form as it is drawn for ``account``, with ``fields`` changed."""
    posted = {
        "email": account.email,
        "first_name": account.first_name,
        "last_name": account.last_name,
        "password1": "",
        "password2": "",
        "is_active": "on" if account.is_active else "",
        "groups": list(account.groups.values_list("pk", flat=True)),
    }
    if account.is_superuser:
        posted["is_superuser"] = "on"
    posted.update(fields)
    return client.post(f"/admin/users/edit/{account.pk}/", posted)


def _inspected(client, entry) -> str:
    """The text of ``entry``'s page in the audit log, its spaces as one."""
    page = client.get(reverse("audit_log:inspect", args=[entry.pk]))
    return " ".join(BeautifulSoup(page.content, "html.parser").get_text().split())


def test_a_team_account_is_not_on_the_staff_users_list(verified_admin_client, professional, caseworker):
    html = verified_admin_client.get("/admin/users/").content.decode()

    assert caseworker.email in html
    assert professional.email not in html


def test_a_team_accounts_staff_edit_delete_and_history_urls_are_404(verified_admin_client, professional):
    administrators = Group.objects.get(name="Portal administrator")
    for url in (
        f"/admin/users/edit/{professional.pk}/",
        f"/admin/users/delete/{professional.pk}/",
        f"/admin/users/history/{professional.pk}/",
    ):
        assert verified_admin_client.get(url).status_code == 404, url

    response = _edit(verified_admin_client, professional, groups=[administrators.pk], is_superuser="on")

    assert response.status_code == 404
    professional.refresh_from_db()
    assert not professional.is_superuser and not professional.groups.exists()


def test_the_bulk_assign_role_leaves_a_team_account_alone(verified_admin_client, professional, caseworker):
    administrators = Group.objects.get(name="Portal administrator")

    alone = verified_admin_client.post(f"{ASSIGN_ROLE}?id={professional.pk}", {"role": administrators.pk})
    among = verified_admin_client.post(
        f"{ASSIGN_ROLE}?id={professional.pk}&id={caseworker.pk}", {"role": administrators.pk}
    )

    assert alone.status_code == 404 and among.status_code == 302
    assert not professional.groups.exists()
    assert caseworker.groups.filter(pk=administrators.pk).exists()
    assert _role_changes(professional) == []


def test_the_bulk_delete_and_active_switch_leave_a_team_account_alone(verified_admin_client, professional):
    delete = reverse("wagtail_bulk_action", args=["portal_pages", "user", "delete"])
    switch = reverse("wagtail_bulk_action", args=["portal_pages", "user", "set_active_state"])

    assert verified_admin_client.post(f"{delete}?id={professional.pk}").status_code == 404
    assert verified_admin_client.post(f"{switch}?id={professional.pk}", {"mark_as_active": "False"}).status_code == 404
    professional.refresh_from_db()
    assert professional.is_active


def test_a_staff_account_cannot_be_copied(verified_admin_client, caseworker):
    """A staff account is added by an invitation: Wagtail's "Copy" (in each row's menu and on the edit page) made one
    on a page of its own that sent none and audited none of the roles it gave."""
    pages = [reverse("wagtailusers_users:index"), reverse("wagtailusers_users:edit", args=[caseworker.pk])]
    for page in pages:
        soup = BeautifulSoup(verified_admin_client.get(page).content, "html.parser")
        links = soup.select("main a")
        assert links and not [link for link in links if " ".join(link.get_text().split()) == "Copy"], page
        assert "/admin/users/copy/" not in str(soup)

    assert verified_admin_client.get(f"/admin/users/copy/{caseworker.pk}/").status_code == 404


def test_the_add_user_screen_cannot_make_a_team_account(verified_admin_client):
    response = verified_admin_client.get(reverse("wagtailusers_users:add"))

    assert response.status_code == 200
    assert "organisation" not in response.context["form"].fields


def test_a_role_added_and_one_removed_by_the_edit_form_are_audited_once_with_both_names(
    verified_admin_client, superuser, caseworker
):
    administrators = Group.objects.get(name="Portal administrator")

    response = _edit(verified_admin_client, caseworker, groups=[administrators.pk])

    assert response.status_code == 302, response.content.decode()[:2000]
    (entry,) = _role_changes(caseworker)
    assert entry.actor == superuser
    assert entry.data == {"roles_added": ["Portal administrator"], "roles_removed": ["SEND caseworker"]}
    # The audit log names the event and both roles in words, not as lists.
    inspect = _inspected(verified_admin_client, entry)
    assert "Staff roles or superuser status changed" in inspect
    assert "Roles added: Portal administrator; removed: SEND caseworker" in inspect, inspect
    assert "[" not in inspect.split("Staff roles or superuser status changed")[-1]


def test_superuser_ticked_is_audited(verified_admin_client, superuser, caseworker):
    response = _edit(verified_admin_client, caseworker, is_superuser="on")

    assert response.status_code == 302, response.content.decode()[:2000]
    caseworker.refresh_from_db()
    assert caseworker.is_superuser
    (entry,) = _role_changes(caseworker)
    assert entry.actor == superuser
    assert entry.data == {"roles_added": [], "roles_removed": [], "is_superuser": True}
    inspect = _inspected(verified_admin_client, entry)
    assert "Superuser: yes" in inspect and "Roles added: none; removed: none" in inspect, inspect


def test_the_bulk_assign_roles_change_is_audited(verified_admin_client, superuser, caseworker):
    administrators = Group.objects.get(name="Portal administrator")

    response = verified_admin_client.post(f"{ASSIGN_ROLE}?id={caseworker.pk}", {"role": administrators.pk})

    assert response.status_code == 302
    (entry,) = _role_changes(caseworker)
    assert entry.actor == superuser
    assert entry.data == {"roles_added": ["Portal administrator"], "roles_removed": []}


def test_an_unchanged_save_writes_no_role_change(verified_admin_client, caseworker):
    response = _edit(verified_admin_client, caseworker)

    assert response.status_code == 302
    assert _role_changes(caseworker) == []


def test_a_name_change_alone_writes_no_role_change(verified_admin_client, caseworker):
    response = _edit(verified_admin_client, caseworker, first_name="Cassie")

    assert response.status_code == 302, response.content.decode()[:2000]
    caseworker.refresh_from_db()
    assert caseworker.first_name == "Cassie"
    assert _role_changes(caseworker) == []


def test_a_team_account_asking_to_join_is_no_staff_account_either(verified_admin_client):
    asking = ProfessionalFactory(organisation=None, email="senco@new-school.example.org")
    JoinRequest.objects.create(
        account=asking,
        organisation_name="New School",
        kind=OrganisationKind.choices[0][0],
        email_domain="new-school.example.org",
    )

    assert verified_admin_client.get(f"/admin/users/edit/{asking.pk}/").status_code == 404


def test_a_staff_account_added_with_a_role_is_audited(verified_admin_client, superuser):
    caseworkers = Group.objects.get(name="SEND caseworker")

    response = verified_admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "new.caseworker@council.example.org",
            "first_name": "New",
            "last_name": "Caseworker",
            "password1": "a long enough Passphrase 42!",
            "password2": "a long enough Passphrase 42!",
            "is_active": "on",
            "groups": [caseworkers.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    added = User.objects.get(email="new.caseworker@council.example.org")
    assert added.organisation is None
    (entry,) = _role_changes(added)
    assert entry.actor == superuser
    assert entry.data == {"roles_added": ["SEND caseworker"], "roles_removed": []}
