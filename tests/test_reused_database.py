"""A second `make test` reuses the database that the first run's browser tests flushed: the seeding in conftest puts
back what migrations made, so every test finds what it would find on a fresh database (a test with no home page of
its own renders through Wagtail's default site)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from wagtail.models import Collection, GroupPagePermission, Locale, Page, Site

from advice_forms.models import Team
from cms.models import PortalSettings
from tests.conftest import seed_migrated_rows


def migrated_rows():
    return {
        "locales": sorted(Locale.objects.values_list("language_code", flat=True)),
        "pages": sorted(Page.objects.values_list("depth", "slug", "title")),
        "sites": sorted(Site.objects.values_list("hostname", "port", "is_default_site", "root_page__slug")),
        "collections": sorted(Collection.objects.values_list("depth", "name")),
        "groups": sorted((group.name, group.permissions.count()) for group in Group.objects.all()),
        "page permissions": sorted(GroupPagePermission.objects.values_list("group__name", "permission__codename")),
        "teams": sorted(Team.objects.values_list("code", flat=True)),
    }


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_seeding_puts_back_what_migrations_made():
    before = migrated_rows()
    assert before["sites"], "the run's database has no site to compare with"

    call_command("flush", interactive=False, verbosity=0)  # as the end of every transactional test does
    seed_migrated_rows()

    assert migrated_rows() == before
    site = Site.find_for_request(RequestFactory().get("/"))
    assert site is not None and PortalSettings.for_site(site).pk


@pytest.mark.django_db
def test_seeding_a_database_that_has_its_rows_changes_nothing():
    before = migrated_rows()

    seed_migrated_rows()

    assert migrated_rows() == before
