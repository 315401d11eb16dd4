"""The admin's sign-in pages say "sign in" and "sign out", as the portal and GOV.UK do, never "log in" or "login":
Wagtail's own words showed "You have been successfully logged out." on the sign-in page after signing out, and a
"Login" button once a new password was set."""

import json
import re

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

LOG_IN = re.compile(r"\blog(?:ged)?[ -]?(?:in|out)\b|\blogin\b", re.IGNORECASE)


def words_seen(response):
    """The text a user sees or hears: the page's text, its title, and the labels read out for buttons and images."""
    soup = BeautifulSoup(response.content, "html.parser")
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    said = [" ".join(soup.get_text().split())]
    for attribute in ("aria-label", "title", "alt", "placeholder", "data-w-progress-active-value"):
        said += [element[attribute] for element in soup.find_all(attrs={attribute: True})]
    return " ".join(said)


def test_the_admin_sign_in_page_says_sign_in(client):
    page = client.get("/admin/login/")

    assert page.status_code == 200
    seen = words_seen(page)
    assert "Sign in to the SEND Professional Portal staff admin" in seen
    assert not LOG_IN.findall(seen)


def test_after_signing_out_the_admin_sign_in_page_says_signed_out(verified_admin_client):
    page = verified_admin_client.post("/admin/logout/", follow=True)

    assert page.redirect_chain == [("/admin/login/", 302)]
    seen = words_seen(page)
    assert "You have been signed out." in seen
    assert not LOG_IN.findall(seen)


def test_the_page_after_a_new_admin_password_offers_sign_in(client):
    page = client.get("/admin/password_reset/complete/")

    assert page.status_code == 200
    seen = words_seen(page)
    assert "Your password has been changed" in seen and "Sign in" in seen
    assert not LOG_IN.findall(seen)


def sidebar_items(response):
    """Every menu item of the admin's sidebar, as (name, label): the sidebar is drawn from JSON props in the page."""
    soup = BeautifulSoup(response.content, "html.parser")
    props = json.loads(soup.find("script", id="wagtail-sidebar-props").string)
    items = []

    def walk(value):
        if isinstance(value, dict):
            if "name" in value and "label" in value:
                items.append((value["name"], value["label"]))
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(props)
    return items


def test_the_admin_account_menu_says_sign_out(verified_admin_client):
    """The account menu at the foot of the sidebar (cms/wagtail_sidebar_compat.py): this fails when Wagtail builds
    that menu another way, or names its sign-out item other than "logout"."""
    page = verified_admin_client.get("/admin/")

    assert page.status_code == 200
    items = sidebar_items(page)
    assert ("account", "Account") in items
    assert ("logout", "Sign out") in items
    assert not [label for _name, label in items if LOG_IN.search(label)]
