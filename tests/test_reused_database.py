"""A second `make test` reuses the database that the first run's browser tests flushed: the seeding in conftest puts
back what migrations made, so every test finds what it would find on a fresh database (a test with no home page of
its own renders through Wagtail's default site)."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from wagtail.models import Site

from cms.models import PortalSettings
from tests.conftest import migrated_rows, pytest_runtest_teardown, seed_migrated_rows


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


@pytest.mark.django_db(transaction=True)
def test_a_transactional_tests_teardown_puts_back_what_its_flush_took(request, rows_at_start):
    # As pytest-django's teardown does after this test, followed on this worker by an ordinary test.
    call_command("flush", interactive=False, verbosity=0)

    teardown = pytest_runtest_teardown(request.node, ORDINARY_TEST)
    next(teardown)  # the other teardowns, the flush among them, run here
    next(teardown, None)

    assert migrated_rows() == rows_at_start


@pytest.mark.django_db(transaction=True)
def test_before_another_transactional_test_the_teardown_seeds_nothing(request, django_assert_num_queries):
    teardown = pytest_runtest_teardown(request.node, request.node)
    next(teardown)
    with django_assert_num_queries(0):
        next(teardown, None)


@pytest.mark.django_db
def test_an_ordinary_tests_teardown_seeds_nothing(request, django_assert_num_queries):
    teardown = pytest_runtest_teardown(request.node, request.node)
    next(teardown)
    with django_assert_num_queries(0):
        next(teardown, None)


# The worker's next item, an ordinary test: no django_db marker asking for transactions, no live server.
ORDINARY_TEST = SimpleNamespace(fixturenames=["db"], get_closest_marker=lambda name: None)
