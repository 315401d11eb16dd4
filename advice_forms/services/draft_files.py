"""A draft's file answers, for drafts.draft_step_save: each new upload of a step filed as one of the child's documents,
and each document a save's answers no longer name withdrawn, as its uploader would on the documents page."""

from advice_forms.models import FORM_EVIDENCE, Document, DocumentState
from advice_forms.services.documents import document_evidence_title, document_upload, document_withdraw


def draft_dropped_files_withdraw(before, after, advice_request, *, builder, actor, request):
    """Withdraw each document a saved file answer named that the draft no longer names, whatever took the answer
    away ("Remove this file", a replacing upload, "Yes, remove them" for a question a change hides, here or in another
    section), as its uploader would on the documents page: softly, audited. A file someone else uploaded, or one
    already withdrawn or deleted, is left as it is. One never sent then reads "removed before it was sent"; one a
    version sent before a return still reads as sent (``sent_with_form``)."""

    def named(answers):
        return {document for *_, document in builder.file_answers(answers)}

    dropped = named(before) - named(after)
    if not dropped:
        return
    olds = Document.objects.filter(
        pk__in=dropped, advice_request=advice_request, uploaded_by=actor, state=DocumentState.CURRENT
    ).order_by("pk")
    for old in olds:
        document_withdraw(document=old, account=actor, request=request)


def draft_removed_files(form, saved) -> dict:
    """{field key: saved answer} of the files this post's "Remove this file" took away."""
    return {key: saved[key] for key in form.removed_uploads() if isinstance(saved.get(key), dict)}


def draft_uploads_file(form, advice_request, *, actor, request):
    """File each new upload of the step as the child's document; {field key: answer naming it}. (The file it replaces
    is withdrawn with the other files the save drops.)"""
    filed = {}
    for key, uploaded in form.new_uploads().items():
        document = document_upload(
            advice_request=advice_request,
            account=actor,
            uploaded=uploaded,
            title=document_evidence_title(uploaded.name),
            document_type=FORM_EVIDENCE,
            request=request,
        )
        filed[key] = {"document": document.pk, "name": document.original_filename, "size": document.size}
    return filed
