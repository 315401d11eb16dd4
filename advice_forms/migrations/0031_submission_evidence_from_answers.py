"""Each submission made before 0030 gets the files it sent (Submission.evidence), read from its frozen answers: a
document of its request that a file answer names, uploaded through the form, and current when it was submitted (a file
withdrawn or deleted as Submit was pressed was dropped from the answers then, so was never sent). Before 0030 a file was
read as sent by times alone, so a file answer removed with "Yes, remove them" read as sent though no answer named it.
A migration cannot work out the form's conditions, so a file kept for a question the answers hide counts as sent here,
as it did before; a submission made from now on records only the answers it shows. Kept apart from 0030: on
PostgreSQL a table's rows and its columns are not changed in one transaction.
"""

from django.db import migrations

# A frozen copy of advice_forms.models.documents.FORM_EVIDENCE: a migration keeps what it was when it was written.
FORM_EVIDENCE = "form_evidence"
SLICE = 500  # SQLite caps the variables of one statement


def _named_documents(answers) -> set:
    """The documents a submission's answers name (a file answer is the one kind of answer naming a document)."""
    given = [answer for part in (answers or {}).values() if isinstance(part, dict) for answer in part.values()]
    return {
        answer["document"] for answer in given if isinstance(answer, dict) and isinstance(answer.get("document"), int)
    }


def evidence_from_answers(apps, schema_editor):
    alias = schema_editor.connection.alias
    Submission = apps.get_model("advice_forms", "Submission")
    Document = apps.get_model("advice_forms", "Document")
    Evidence = Submission.evidence.through
    named = {}
    submissions = Submission.objects.using(alias).order_by("pk")
    for pk, request_id, submitted_at, answers in submissions.values_list(
        "pk", "request_id", "submitted_at", "answers"
    ).iterator(chunk_size=SLICE):
        named[pk] = (request_id, submitted_at, _named_documents(answers))
    ids = sorted({document for _, _, documents in named.values() for document in documents})
    documents = {}
    for start in range(0, len(ids), SLICE):
        rows = Document.objects.using(alias).filter(
            pk__in=ids[start : start + SLICE], document_type=FORM_EVIDENCE, submission__isnull=True
        )
        for row in rows.values("pk", "advice_request_id", "uploaded_at", "state_changed_at"):
            documents[row["pk"]] = row
    links = []
    for submission_id, (request_id, submitted_at, document_ids) in named.items():
        for document_id in sorted(document_ids):
            document = documents.get(document_id)
            if (
                document is not None
                and document["advice_request_id"] == request_id
                and document["uploaded_at"] <= submitted_at
                and (document["state_changed_at"] is None or document["state_changed_at"] >= submitted_at)
            ):
                links.append(Evidence(submission_id=submission_id, document_id=document_id))
    Evidence.objects.using(alias).bulk_create(links, batch_size=SLICE, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("advice_forms", "0030_submission_evidence"),
    ]

    operations = [migrations.RunPython(evidence_from_answers, migrations.RunPython.noop)]
