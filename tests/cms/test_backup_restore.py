"""A backup restores: the procedure of docs/operations.md, run for real on PostgreSQL.

A database holding submissions (each with its PDF filed as one of the child's documents) and an upload is dumped
with pg_dump and its media folder archived with tar; both are restored into a new database and a new media root,
where every submission is found with its document and its PDF's bytes unchanged. Skipped on SQLite (CI's first
pass); CI's PostgreSQL pass runs it, and fails it when pg_dump or pg_restore is missing.
"""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from filer.models import File
from psycopg import sql

from advice_forms.casework_setup import terms_seed
from advice_forms.models import Document, Submission
from advice_forms.services.documents import document_upload
from advice_forms.services.submissions import submission_pdf_store
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    document_types,
    pdf_bytes,
    submission_make,
)

ON_POSTGRES = connection.vendor == "postgresql"
pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="The backup test needs PostgreSQL (DATABASE_URL); CI runs it"),
    pytest.mark.django_db(transaction=True),
]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is not installed: CI must run the backup test")
    pytest.skip(f"{name} is not installed (Debian: postgresql-client)")


def _libpq_env(database: str) -> dict:
    db = connection.settings_dict
    return {
        **os.environ,
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"] or "postgres",
        "PGPASSWORD": db["PASSWORD"] or "",
        "PGDATABASE": database,
    }


def _run(argv, database, cwd=None):
    result = subprocess.run(argv, env=_libpq_env(database), cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{argv[0]} failed:\n{result.stderr}"
    return result


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored"[:63]
    with psycopg.connect(autocommit=True, **_connect_kwargs("postgres")) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(autocommit=True, **_connect_kwargs("postgres")) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _connect_kwargs(database: str) -> dict:
    env = _libpq_env(database)
    return {
        "host": env["PGHOST"],
        "port": env["PGPORT"],
        "user": env["PGUSER"],
        "password": env["PGPASSWORD"],
        "dbname": database,
    }


def _populate(professional, small_form) -> None:
    terms_seed(apps)  # an earlier transactional test may have flushed them
    document_types()
    for first_name in ("Robin", "Ariadne", "Sol"):
        advice_request = AdviceRequestFactory(
            account=professional, form_version=small_form, child=ChildRecordFactory(first_name=first_name)
        )
        submission = submission_make(advice_request, {"about": {"involvement": f"Advice about {first_name}"}})
        submission_pdf_store(submission_id=submission.pk)
    upload = SimpleUploadedFile("report.pdf", pdf_bytes(pages=2), content_type="application/pdf")
    document_upload(
        advice_request=AdviceRequestFactory(account=professional, form_version=small_form),
        account=professional,
        uploaded=upload,
        title="Speech therapy report",
        document_type="report",
    )


def test_a_dump_of_the_database_and_media_restores_every_submission_with_its_pdf(
    professional, small_form, restored_database, tmp_path
):
    pg_dump, pg_restore, tar = _tool("pg_dump"), _tool("pg_restore"), _tool("tar")
    _populate(professional, small_form)
    private_root = Path(settings.MEDIA_ROOT) / "private" / "filer"
    originals = {
        submission.reference: (submission.pdf.file.name, _sha256(private_root / submission.pdf.file.name))
        for submission in Submission.objects.select_related("document__file")
    }
    upload = Document.objects.get(submission__isnull=True)
    originals["upload"] = (upload.file.file.name, _sha256(private_root / upload.file.file.name))
    assert len(originals) == 4 and File.objects.count() == 4

    # Back up: the database in pg_dump's custom format, the media folder as one archive (docs/operations.md).
    source = connection.settings_dict["NAME"]
    _run([pg_dump, "--format=custom", "--no-owner", "--file", str(tmp_path / "portal.dump")], source)
    _run(
        [tar, "--create", "--gzip", "--file", str(tmp_path / "media.tar.gz"), "--directory", settings.MEDIA_ROOT, "."],
        source,
    )

    # Restore into a new, empty database and a new media root.
    _run(
        [pg_restore, "--no-owner", "--exit-on-error", "--dbname", restored_database, str(tmp_path / "portal.dump")],
        restored_database,
    )
    new_root = tmp_path / "restored-media"
    new_root.mkdir()
    _run(
        [tar, "--extract", "--gzip", "--file", str(tmp_path / "media.tar.gz"), "--directory", str(new_root)],
        restored_database,
    )

    tables = {
        "submission": sql.Identifier(Submission._meta.db_table),
        "document": sql.Identifier(Document._meta.db_table),
        "file": sql.Identifier(File._meta.db_table),
    }
    with psycopg.connect(**_connect_kwargs(restored_database)) as restored:
        rows = restored.execute(
            sql.SQL(
                "SELECT s.reference, f.file FROM {submission} s JOIN {document} d ON d.submission_id = s.id "
                "JOIN {file} f ON f.id = d.file_id"
            ).format(**tables)
        ).fetchall()
        found = dict(rows)
        found["upload"] = restored.execute(
            sql.SQL(
                "SELECT f.file FROM {document} d JOIN {file} f ON f.id = d.file_id WHERE d.submission_id IS NULL"
            ).format(**tables)
        ).fetchone()[0]
    assert sorted(found) == sorted(originals), "every submission comes back with its document"
    restored_private = new_root / "private" / "filer"
    for key, (name, digest) in originals.items():
        assert found[key] == name
        assert _sha256(restored_private / name) == digest, f"{key}: the restored PDF's bytes are unchanged"
