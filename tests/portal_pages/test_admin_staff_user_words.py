"""Settings -> Users (Wagtail's user screens, kept for council staff accounts) in the portal's words: each account's
state ("Active", "Switched off") where the list said True or False, "Add a staff account" where the add page said "Add
user: User", each empty field saying what to enter where Django said "This field is required.", and one field of roles
called Roles, with superuser status called that, not "Administrator" beside the "Portal administrator" role; the
address each signs in with called "Email address", not "Username"."""

from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from tests.factories.accounts import StaffUserFactory, staff_in_group

ADD = reverse("wagtailusers_users:add")
INDEX = reverse("wagtailusers_users:index")


def _soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def _words(node):
    return " ".join(node.get_text(" ").split())


def _cell_of(soup, email, heading):
    """The ``heading`` cell of the list's row of ``email``."""
    (row,) = [row for row in soup.select("tbody tr") if email in row.get_text()]
    headings = [_words(th) for th in soup.select("thead th")]
    return _words(row.find_all("td")[headings.index(heading)])


def _state_of(soup, email):
    return _cell_of(soup, email, "State")


def test_the_staff_list_says_each_accounts_state_in_words(verified_admin_client, superuser, caseworker):
    caseworker.is_active = False
    caseworker.save(update_fields=["is_active"])

    soup = _soup(verified_admin_client.get(INDEX))

    assert _state_of(soup, caseworker.email) == "Switched off"
    assert _state_of(soup, superuser.email) == "Active"
    cells = [_words(td) for td in soup.select("tbody td")]
    assert "True" not in cells and "False" not in cells
    assert "Active" not in [_words(th) for th in soup.select("thead th")]


def test_the_staff_list_filters_by_state_in_the_same_words(verified_admin_client, superuser, caseworker):
    caseworker.is_active = False
    caseworker.save(update_fields=["is_active"])

    switched_off = _words(
        _soup(verified_admin_client.get(INDEX, {"account_state": "switched_off"})).select_one("tbody")
    )
    active = _words(_soup(verified_admin_client.get(INDEX, {"account_state": "active"})).select_one("tbody"))

    assert caseworker.email in switched_off and superuser.email not in switched_off
    assert superuser.email in active and caseworker.email not in active


def test_the_add_page_is_called_add_a_staff_account(verified_admin_client):
    soup = _soup(verified_admin_client.get(ADD))

    assert _words(soup.title).startswith("Add a staff account - ")
    assert _words(soup.select_one("main h1")) == "Add a staff account"
    assert "Add user" not in _words(soup) and "New: User" not in _words(soup)
    assert "Add a staff account" in _words(_soup(verified_admin_client.get(INDEX)).select_one("main"))


def _error_of(soup, name):
    """The error message shown beside the field ``name``."""
    field = soup.select_one(f"#id_{name}").find_parent(class_="w-field__wrapper")
    return _words(field.select_one(".error-message"))


def test_each_empty_field_of_the_add_page_says_what_to_enter(verified_admin_client):
    soup = _soup(verified_admin_client.post(ADD, {}))

    assert {name: _error_of(soup, name) for name in ("email", "first_name", "last_name")} == {
        "email": "Enter an email address",
        "first_name": "Enter a first name",
        "last_name": "Enter a last name",
    }
    assert "This field is required" not in _words(soup)
    assert "The staff account was not added: correct what the form says below." in _words(soup)


def test_each_empty_field_of_the_edit_page_says_what_to_enter(verified_admin_client, caseworker):
    soup = _soup(verified_admin_client.post(f"/admin/users/edit/{caseworker.pk}/", {}))

    assert [_error_of(soup, name) for name in ("email", "first_name", "last_name")] == [
        "Enter an email address",
        "Enter a first name",
        "Enter a last name",
    ]
    assert "This field is required" not in _words(soup)


def test_a_taken_address_says_so_in_words(verified_admin_client, caseworker, superuser):
    taken = _soup(verified_admin_client.post(ADD, {"email": caseworker.email, "first_name": "A", "last_name": "B"}))
    edited = _soup(
        verified_admin_client.post(
            f"/admin/users/edit/{caseworker.pk}/", {"email": superuser.email, "first_name": "A", "last_name": "B"}
        )
    )

    assert _error_of(taken, "email") == "An account with this address exists already"
    assert _error_of(edited, "email") == "An account with this address exists already"


def test_the_roles_are_one_field_called_roles_and_superuser_status_is_called_superuser(
    verified_admin_client, caseworker
):
    for soup in (
        _soup(verified_admin_client.get(ADD)),
        _soup(verified_admin_client.get(f"/admin/users/edit/{caseworker.pk}/")),
    ):
        labels = [_words(label) for label in soup.select("#tab-roles label.w-field__label")]
        assert labels == ["Superuser", "Roles"], labels
        # One "Roles" to choose, the tab's: no second "Roles" button at the foot of the Account tab of the add page.
        tabs = [_words(tab).removesuffix(" ( )") for tab in soup.select("main [role=tab]")]
        assert tabs == ["Account", "Roles"], tabs
        assert not soup.select("[role=tab]:not([role=tablist] [role=tab])")


def test_the_staff_list_says_each_accounts_roles_read_once_for_them_all(
    verified_admin_client, superuser, caseworker, administrator
):
    """The "Access level" column said "Admin" for a superuser and nothing for any other account, so no one's roles
    showed. A Roles column says them, read in one query for the page, however many accounts it lists."""
    superuser.groups.add(administrator.groups.get())
    with CaptureQueriesContext(connection) as three:
        _soup(verified_admin_client.get(INDEX))
    both = staff_in_group("Content editor")
    both.groups.add(caseworker.groups.get())
    for _ in range(3):
        staff_in_group("Form designer")

    with CaptureQueriesContext(connection) as seven:
        soup = _soup(verified_admin_client.get(INDEX))

    assert _cell_of(soup, caseworker.email, "Roles") == "SEND caseworker"
    assert _cell_of(soup, administrator.email, "Roles") == "Portal administrator"
    assert _cell_of(soup, both.email, "Roles") == "Content editor, SEND caseworker"
    assert _cell_of(soup, superuser.email, "Roles") == "Superuser, Portal administrator"
    assert "Access level" not in [_words(th) for th in soup.select("thead th")]
    assert len(seven) == len(three)


def _buttons_of(soup, email):
    (row,) = [row for row in soup.select("tbody tr") if email in row.get_text()]
    return [_words(link) for link in row.select("a, button")]


def test_the_staff_list_offers_reset_2fa_only_for_an_account_with_a_device(verified_admin_client, caseworker):
    """An invited account, which has set up no authenticator yet, was offered "Reset 2FA", which had nothing to
    remove. Whether each account has a device is read in the list's own query."""
    invited = StaffUserFactory(email="invited@council.example.org")
    invited.set_unusable_password()
    invited.save()
    codes_only = StaffUserFactory(email="codes@council.example.org")
    StaticDevice.objects.create(user=codes_only, name="Backup codes")

    soup = _soup(verified_admin_client.get(INDEX))

    assert "Reset 2FA" not in _buttons_of(soup, invited.email)
    assert "Reset 2FA" in _buttons_of(soup, caseworker.email)
    assert "Reset 2FA" in _buttons_of(soup, codes_only.email)


def test_the_staff_list_calls_each_sign_in_address_an_email_address_not_a_username(verified_admin_client, caseworker):
    """Wagtail headed the column "Username"; the portal has none: an account signs in with its email address."""
    soup = _soup(verified_admin_client.get(INDEX))

    assert "Username" not in [_words(th) for th in soup.select("thead th")]
    assert _cell_of(soup, caseworker.email, "Email address") == caseworker.email
    by_address = _soup(verified_admin_client.get(INDEX, {"ordering": "-email"}))
    assert _cell_of(by_address, caseworker.email, "Email address") == caseworker.email
