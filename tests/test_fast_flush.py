"""The tests' faster flush (tests/fast_flush.py): it empties every table but the content types and permissions, and
Django's own flush still works as that module assumes (when it changes, this fails: look again at the patch)."""

import inspect

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.commands import flush
from django.db import connection

from advice_forms.models import ChildRecord
from portal_pages.models import Organisation, User
from tests import fast_flush


def test_upstreams_flush_still_asks_the_backend_for_its_sql_and_truncates_on_postgresql():
    assert "sql_flush(" in inspect.getsource(flush.Command.handle)
    truncate = fast_flush.upstream_sql_flush("postgresql")(connection.ops, no_style(), ["a_table", "b_table"])
    assert truncate == ['TRUNCATE "a_table", "b_table";']


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_every_table_but_the_content_types_and_permissions():
    content_types, permissions = ContentType.objects.count(), Permission.objects.count()
    organisation = Organisation.objects.create(name="Flushed School")
    User.objects.create_user(email="flushed@example.org", password="x", organisation=organisation)
    Group.objects.create(name="Flushed group")
    assert content_types and permissions

    # As a transactional test's end flushes (django.test.TransactionTestCase._fixture_teardown).
    call_command("flush", interactive=False, reset_sequences=False, inhibit_post_migrate=True, verbosity=0)

    assert not User.objects.exists() and not Organisation.objects.exists() and not Group.objects.exists()
    assert not ChildRecord.objects.exists()
    assert (ContentType.objects.count(), Permission.objects.count()) == (content_types, permissions)
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        for table in set(tables) - fast_flush.KEPT_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            assert cursor.fetchone() == (0,), table
