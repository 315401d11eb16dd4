"""Search finds the private guidance the person searching may read (Wagtail's view restrictions): pages private to
signed-in users for someone signed in with their authenticator code, pages private to groups for those groups'
members, pages behind a shared password for no one; anyone signed out finds the public pages alone, as before."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories.accounts import ProfessionalFactory, TOTPDeviceFactory, verified_login
from tests.factories.cms import HelpPageFactory, published
from tests.otp import sign_in_with_password

pytestmark = pytest.mark.django_db


def restricted_page(parent, title, slug, kind, **fields):
    page = published(HelpPageFactory(parent=parent, title=title, slug=slug))
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, **fields)
    return page, restriction


@pytest.fixture
def pages(home_page):
    """A public page, one for signed-in users (with a page under it), one for a group, one behind a password: every
    title holds the word "moderation"."""
    published(HelpPageFactory(parent=home_page, title="Moderation for everyone", slug="public"))
    signed_in_only, _ = restricted_page(home_page, "Moderation for team accounts", "team", PageViewRestriction.LOGIN)
    published(HelpPageFactory(parent=signed_in_only, title="Moderation notes under it", slug="under"))
    _, restriction = restricted_page(home_page, "Moderation for psychologists", "eps", PageViewRestriction.GROUPS)
    psychologists = Group.objects.create(name="Educational psychologists")
    restriction.groups.add(psychologists)
    restricted_page(home_page, "Moderation behind a password", "shared", PageViewRestriction.PASSWORD, password="x")
    call_command("update_index", verbosity=0)
    return psychologists


def found(client, query="moderation", **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return sorted(a.get_text(strip=True) for a in soup.select(".portal-search-results__item h3 a"))


def signed_in(user):
    TOTPDeviceFactory(user=user)
    return verified_login(Client(), user)


def test_anyone_signed_out_finds_the_public_page_alone(pages):
    assert found(Client()) == ["Moderation for everyone"]


def test_a_professional_signed_in_finds_the_pages_for_signed_in_users_and_under_them(pages):
    assert found(signed_in(ProfessionalFactory())) == [
        "Moderation for everyone",
        "Moderation for team accounts",
        "Moderation notes under it",
    ]


def test_a_password_without_the_authenticator_code_finds_the_public_page_alone(pages, professional, password):
    client = Client()
    sign_in_with_password(client, professional.email, password)
    assert found(client) == ["Moderation for everyone"]


def test_a_groups_page_is_found_by_the_groups_members_and_superusers_alone(pages):
    member = ProfessionalFactory()
    member.groups.add(pages)
    superuser = ProfessionalFactory(is_superuser=True)

    assert "Moderation for psychologists" in found(signed_in(member))
    assert "Moderation for psychologists" in found(signed_in(superuser))
    assert "Moderation for psychologists" not in found(signed_in(ProfessionalFactory()))
    assert "Moderation for psychologists" not in found(Client())


def test_a_page_behind_a_shared_password_is_found_by_no_one(pages):
    member = ProfessionalFactory()
    member.groups.add(pages)
    for client in (Client(), signed_in(member), signed_in(ProfessionalFactory(is_superuser=True))):
        assert "Moderation behind a password" not in found(client)


def test_counts_and_pages_of_results_count_what_the_person_may_read(pages, home_page):
    for n in range(1, 10):  # with the public page, 10 public results: one page signed out, two signed in
        published(HelpPageFactory(parent=home_page, title=f"Moderation help {n}", slug=f"help-{n}"))
    call_command("update_index", verbosity=0)

    def summary(client, **params):
        soup = BeautifulSoup(client.get("/search/", {"q": "moderation", **params}).content, "html.parser")
        pages = [a.get_text() for a in soup.select("nav.govuk-pagination .govuk-pagination__item a")]
        return soup.select_one("main h2").get_text(strip=True), len(soup.select(".portal-search-results__item")), pages

    assert summary(Client()) == ("10 results for “moderation”", 10, [])
    professional = signed_in(ProfessionalFactory())
    assert summary(professional) == ("12 results for “moderation”", 10, ["1", "2"])
    assert summary(professional, page=2) == ("12 results for “moderation”", 2, ["1", "2"])


def test_the_restrictions_are_read_once_however_many_pages_are_restricted_and_found(pages, home_page):
    client = signed_in(ProfessionalFactory())

    def restriction_reads():
        with CaptureQueriesContext(connection) as queries:
            titles = found(client)
        return len(titles), len([q for q in queries if "wagtailcore_pageviewrestriction" in q["sql"]])

    hits, reads = restriction_reads()
    for n in range(5):
        restricted_page(home_page, f"Moderation private {n}", f"private-{n}", PageViewRestriction.LOGIN)
    call_command("update_index", verbosity=0)

    assert restriction_reads() == (hits + 5, reads)


def test_a_signed_in_search_is_never_kept_by_the_page_cache_or_shown_to_the_next_person(pages):
    professional = signed_in(ProfessionalFactory())
    response = professional.get("/search/", {"q": "moderation"})

    assert response.get("X-Wagtail-Cache") in (None, "skip")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert found(Client()) == ["Moderation for everyone"]
