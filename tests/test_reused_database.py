"""A second `make test` reuses the database that the first run's browser tests flushed: the seeding in conftest puts
back what migrations made, so every test finds what it would find on a fresh database (a test with no home page of
its own renders through Wagtail's default site)."""

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from wagtail.models import Site

from cms.models import PortalSettings
from tests.conftest import migrated_rows, seed_migrated_rows


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_seeding_puts_back_what_migrations_made(rows_at_start):
    # The rows as this run found them: an earlier transactional test of the run may have flushed them since.
    assert rows_at_start["sites"], "the run's database has no site to compare with"

    call_command("flush", interactive=False, verbosity=0)  # as the end of every transactional test does
    seed_migrated_rows()

    assert migrated_rows() == rows_at_start
    site = Site.find_for_request(RequestFactory().get("/"))
    assert site is not None and PortalSettings.for_site(site).pk


@pytest.mark.django_db
def test_seeding_a_database_that_has_its_rows_changes_nothing():
    seed_migrated_rows()  # as after an earlier transactional test's flush, if there was one
    before = migrated_rows()

    seed_migrated_rows()

    assert migrated_rows() == before
