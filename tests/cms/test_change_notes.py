"""Change notes, GOV.UK's pattern: publishing asks whether a change is major (with a public note) or minor, and
"Last updated" and the page's change history move only for major changes."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from cms.models import HelpPage, PageChangeNote
from tests.cms.guidance_admin import help_page_form
from tests.factories.cms import HelpPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(home_page):
    return HelpPageFactory(parent=home_page, title="Signing in", slug="signing-in")


def _edit(client, page, **fields):
    return client.post(f"/admin/pages/{page.pk}/edit/", help_page_form(page, **fields))


def _reload(page):
    return HelpPage.objects.get(pk=page.pk)


def _public(page):
    soup = BeautifulSoup(Client().get(page.url).content, "html.parser")
    updated = soup.select_one(".portal-last-updated time")["datetime"]
    history = [li.get_text(" ", strip=True) for li in soup.select(".portal-change-history li")]
    return updated, history


def test_first_publication_starts_the_history_and_last_updated(verified_admin_client, page):
    assert _edit(verified_admin_client, page).status_code == 302

    page = _reload(page)
    assert page.last_major_update_at == page.last_published_at
    updated, history = _public(page)
    assert updated == page.last_published_at.isoformat()
    assert len(history) == 1 and history[0].endswith(": First published.")


def test_a_minor_change_moves_neither_last_updated_nor_the_history(verified_admin_client, page):
    _edit(verified_admin_client, page)
    first = _reload(page)

    assert _edit(verified_admin_client, page, intro="Fixed a typo.", change_kind="minor").status_code == 302

    page = _reload(page)
    assert page.intro == "Fixed a typo." and page.last_published_at > first.last_published_at
    assert page.last_major_update_at == first.last_major_update_at
    updated, history = _public(page)
    assert updated == first.last_major_update_at.isoformat() and len(history) == 1


def test_a_major_change_needs_a_note_which_the_public_reads_in_the_history(verified_admin_client, page):
    _edit(verified_admin_client, page)
    first = _reload(page)

    refused = _edit(verified_admin_client, page, intro="New sign-in steps.", change_kind="major", change_note="")
    assert refused.status_code == 200
    assert "Enter a change note" in refused.content.decode()
    assert _reload(page).intro == first.intro

    note = "Signing in now needs a code from an authenticator app."
    published = _edit(verified_admin_client, page, intro="New sign-in steps.", change_kind="major", change_note=note)

    assert published.status_code == 302
    page = _reload(page)
    assert page.last_major_update_at == page.last_published_at > first.last_major_update_at
    updated, history = _public(page)
    assert updated == page.last_major_update_at.isoformat()
    assert len(history) == 2 and history[0].endswith(f": {note}") and history[1].endswith(": First published.")


def test_the_next_edit_starts_as_a_minor_change_with_no_note(verified_admin_client, page):
    _edit(verified_admin_client, page)
    _edit(verified_admin_client, page, change_kind="major", change_note="The phone number changed.")

    editor = BeautifulSoup(verified_admin_client.get(f"/admin/pages/{page.pk}/edit/").content, "html.parser")

    assert editor.find("input", attrs={"name": "change_kind", "value": "minor"}).has_attr("checked")
    assert not editor.find("input", attrs={"name": "change_kind", "value": "major"}).has_attr("checked")
    assert editor.find("textarea", attrs={"name": "change_note"}).get_text(strip=True) == ""


def test_publishing_the_same_revision_again_adds_no_second_entry(page):
    revision = page.save_revision()
    revision.publish()
    revision.publish()

    assert PageChangeNote.objects.filter(page=page).count() == 1
