"""A faster flush for the tests' transactional tests (the browser tests among them), which empty the database as each
ends with Django's ``flush``: on PostgreSQL one TRUNCATE of every table (about 0.35 s for this project's 106), then
post_migrate makes every content type and permission again (about 0.5 s), some 230 times a run.

Here a flush of the whole database (not an ``available_apps`` one, which cascades) deletes the rows instead, in one
transaction: Django makes every foreign key DEFERRABLE INITIALLY DEFERRED on PostgreSQL, so the order of the
DELETEs does not matter, and SQLite's flush already deletes. Content types and permissions are kept: post_migrate
would make the same rows again (with new ids), and finds them there. About 0.1 s a flush.

The tests' only patch of Django; tests/test_fast_flush.py fails when Django's flush no longer works this way."""

from django.db.backends.postgresql.base import DatabaseOperations as PostgreSQLOperations
from django.db.backends.sqlite3.base import DatabaseOperations as SQLiteOperations

# What post_migrate makes again after a flush, the same each time: kept, so it finds them there.
KEPT_TABLES = frozenset({"django_content_type", "auth_permission"})

_upstream = {}


def _flushed(tables, allow_cascade):
    return tables if allow_cascade else [table for table in tables if table not in KEPT_TABLES]


def _sqlite_sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    tables = _flushed(tables, allow_cascade)
    return _upstream["sqlite"](self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)


def _postgresql_sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if allow_cascade or reset_sequences:
        upstream = _upstream["postgresql"]
        return upstream(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    tables = _flushed(tables, allow_cascade)
    if not tables:
        return []
    return ["SET CONSTRAINTS ALL DEFERRED;"] + [
        f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
    ]


def install():
    """Patch the flush's SQL (once; tests/conftest.py calls it as the tests start)."""
    if _upstream:
        return
    _upstream["sqlite"] = SQLiteOperations.sql_flush
    _upstream["postgresql"] = PostgreSQLOperations.sql_flush
    SQLiteOperations.sql_flush = _sqlite_sql_flush
    PostgreSQLOperations.sql_flush = _postgresql_sql_flush


def upstream_sql_flush(vendor):
    """Django's own ``sql_flush`` of ``vendor`` ("sqlite" or "postgresql"), for the test that watches it."""
    return _upstream[vendor]
