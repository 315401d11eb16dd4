"""Moving a child's documents, outcomes, contacts, contributions and reported changes from portal_pages to advice_forms
loses nothing: rows, ids, permissions held by groups, and audit entries pointing at the moved rows. The PDFs submitted
before submissions were documents become documents."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from filer.models import File
from wagtail.models import ModelLogEntry

from advice_forms.filing import file_private_pdf
from advice_forms.models import (
    FORM_EVIDENCE,
    SUBMITTED_ADVICE,
    AccessRequest,
    AdviceRequest,
    ChildRecord,
    Contribution,
    DetailsChangeReport,
    Document,
    FormKind,
    Outcome,
    ProfessionalContact,
    RequestState,
    Submission,
)
from advice_forms.services.submissions import submission_pdf_store
from cms.models import AuditEntry
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import advice_request, need_type, one_section_form, submission_make, team
from tests.migrations import leaf_nodes, migrate

BEFORE = [
    ("advice_forms", "0001_squashed_0005_forms_and_casework"),
    ("portal_pages", "0005_squashed_0007_inbox_casework_and_devices"),
]


@pytest.fixture
def pinned_version(transactional_db):
    """A published form version, made at today's schema before a test goes back to an older one (a version row has
    gained columns since, e.g. its frozen lookups)."""
    return one_section_form(FormKind.ERSA)


@pytest.fixture
def account_and_request(pinned_version):
    """A team account and its request, made at today's schema (an organisation has gained columns since the move,
    e.g. its GIAS details) before a test goes back to an older one."""
    account = ProfessionalFactory()
    return account, advice_request(account, version=pinned_version)


@pytest.fixture
def at_the_previous_schema(pinned_version, account_and_request):
    """The database as it was before the move; fully migrated again afterwards, for the tests that follow."""
    old_apps = migrate(BEFORE)
    yield old_apps
    migrate(leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_every_moved_row_permission_and_audit_entry_survives_the_move(at_the_previous_schema, account_and_request):
    old = at_the_previous_schema
    account, request_ = account_and_request
    child = request_.child
    a_team, a_type = team(), need_type()
    filed = File.objects.create(original_filename="report.pdf", owner=account)
    when = timezone.now() - datetime.timedelta(days=3)

    document = old.get_model("portal_pages", "Document").objects.create(
        child_id=child.pk,
        advice_request_id=request_.pk,
        title="Speech and language report",
        document_type="report",
        file_id=filed.pk,
        original_filename="report.pdf",
        size=2048,
        uploaded_by_id=account.pk,
        uploaded_by_name="Oakfield Primary SENCO",
    )
    document.available_to.add(account.pk)
    access = old.get_model("portal_pages", "AccessRequest").objects.create(
        document=document, account_id=account.pk, advice_request_id=request_.pk, resolved_at=when
    )
    outcome = old.get_model("portal_pages", "Outcome").objects.create(
        child_id=child.pk,
        advice_request_id=request_.pk,
        author_id=account.pk,
        team_id=a_team.pk,
        need_type_id=a_type.pk,
        outcome="Reads a short book aloud",
        provision="Daily reading with an adult",
        timescale="By summer",
        version=3,
    )
    contact = old.get_model("portal_pages", "ProfessionalContact").objects.create(
        child_id=child.pk,
        advice_request_id=request_.pk,
        added_by_id=account.pk,
        name="Sam Rivers",
        role="Specialist teacher",
        team_id=a_team.pk,
        email="sam.rivers@example.org",
    )
    contribution = old.get_model("portal_pages", "Contribution").objects.create(
        advice_request_id=request_.pk,
        contribution_methods=["written", "meeting"],
        communication_methods=["email"],
        interpreter_needed=True,
        interpreter_language="Polish",
        parent_views="Wants more help with reading",
        updated_by_id=account.pk,
    )
    report = old.get_model("portal_pages", "DetailsChangeReport").objects.create(
        child_id=child.pk, advice_request_id=request_.pk, account_id=account.pk, details="The address has changed"
    )
    document_type = ContentType.objects.get(app_label="portal_pages", model="document")
    entry = AuditEntry.objects.create(action="document.uploaded", target_type=document_type, target_id=str(document.pk))
    group = Group.objects.create(name="Document readers")
    group.permissions.add(Permission.objects.get(content_type=document_type, codename="view_document"))
    account.groups.add(group)

    # To the latest schema, the one the models below read (the move is advice_forms 0006 and portal_pages 0008).
    migrate(leaf_nodes())

    moved = Document.objects.get(pk=document.pk)
    assert (moved.title, moved.document_type, moved.file_id, moved.size, moved.uploaded_by_id) == (
        "Speech and language report",
        "report",
        filed.pk,
        2048,
        account.pk,
    )
    assert moved.child == child and moved.advice_request == request_
    assert list(moved.available_to.values_list("pk", flat=True)) == [account.pk]
    moved_access = AccessRequest.objects.get(pk=access.pk)
    assert (moved_access.document, moved_access.account_id, moved_access.resolved_at) == (moved, account.pk, when)
    assert moved_access.state == "granted"  # decided before refusals were: by granting it
    moved_outcome = Outcome.objects.get(pk=outcome.pk)
    assert (moved_outcome.outcome, moved_outcome.team, moved_outcome.need_type, moved_outcome.version) == (
        "Reads a short book aloud",
        a_team,
        a_type,
        3,
    )
    assert list(child.outcomes.all()) == [moved_outcome]
    moved_contact = ProfessionalContact.objects.get(pk=contact.pk)
    assert (moved_contact.name, moved_contact.email, moved_contact.team) == (
        "Sam Rivers",
        "sam.rivers@example.org",
        a_team,
    )
    moved_contribution = Contribution.objects.get(pk=contribution.pk)
    assert moved_contribution.advice_request == request_
    assert (moved_contribution.contribution_methods, moved_contribution.interpreter_language) == (
        ["written", "meeting"],
        "Polish",
    )
    assert DetailsChangeReport.objects.get(pk=report.pk).details == "The address has changed"

    entry.refresh_from_db()
    assert entry.target_type == ContentType.objects.get_for_model(Document)
    assert (entry.target_type.app_label, entry.target) == ("advice_forms", moved)
    assert not ContentType.objects.filter(app_label="portal_pages", model="document").exists()
    assert group.permissions.filter(content_type__app_label="advice_forms", codename="view_document").exists()
    account = type(account).objects.get(pk=account.pk)
    assert account.has_perm("advice_forms.view_document")


@pytest.fixture
def before_submitted_pdfs_were_documents(pinned_version):
    """Rows made at today's schema (a submission has gained columns since 0007, e.g. its frozen records), then the
    database taken back to Document.submission (0007), before 0008 filed the existing PDFs; fully migrated again
    afterwards."""
    yield lambda: migrate([("advice_forms", "0007_document_submission")])
    migrate(leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_every_submitted_pdf_becomes_a_document_and_going_back_removes_only_those(
    before_submitted_pdfs_were_documents, account_and_request
):
    account, request_ = account_and_request
    when = timezone.now() - datetime.timedelta(days=3)
    filed = submission_make(request_, {}, when=when)
    pdf = file_private_pdf(child=request_.child, data=b"%PDF-1.7 " + b"x" * 4312, title="Advice", owner=account)
    request_.state = "returned"
    request_.save()
    unfiled = submission_make(request_, {})  # its task has not run: it gets its Document when it does
    upload = Document.objects.create(
        child=request_.child,
        advice_request=request_,
        title="Speech and language report",
        file=File.objects.create(original_filename="report.pdf", owner=account),
        uploaded_by=account,
    )
    old = before_submitted_pdfs_were_documents()
    old.get_model("advice_forms", "Submission").objects.filter(pk=filed.pk).update(pdf_id=pdf.pk)

    migrate([("advice_forms", "0008_submission_documents")])

    document = Document.objects.get(submission=filed.pk)
    version = request_.form_version
    assert document.title == f"{version.title} ({version.version_label}) – {filed.reference}"
    # Ids, not rows: the database is at 0008 here, and today's AdviceRequest reads columns added since.
    assert (document.child_id, document.advice_request_id, document.file_id, document.size) == (
        request_.child_id,
        request_.pk,
        pdf.pk,
        4321,
    )
    assert (document.uploaded_by_id, document.uploaded_by_name, document.uploaded_at) == (
        account.pk,
        account.display_name,
        when,
    )
    assert (document.document_type, document.original_filename) == (SUBMITTED_ADVICE, f"{filed.reference}.pdf")
    assert not Document.objects.filter(submission=unfiled.pk).exists()
    assert Document.objects.count() == 2

    old = migrate([("advice_forms", "0007_document_submission")])
    assert list(Document.objects.values_list("pk", flat=True)) == [upload.pk]
    assert (
        old.get_model("advice_forms", "Submission").objects.filter(pk=filed.pk).values_list("pdf_id", flat=True).get()
        == pdf.pk
    )


@pytest.mark.django_db(transaction=True)
def test_a_submission_keeps_its_pdf_only_in_its_document_and_going_back_gives_the_key_again(account_and_request):
    """0016 and 0017: a PDF filed without its Document (none should be, but the key held it) gets one before the key
    goes; going back, each submission points at its Document's file again."""
    account, request_ = account_and_request
    with_document = submission_make(request_, {})
    document = submission_pdf_store(submission_id=with_document.pk)
    request_.state = "returned"
    request_.save()
    without_document = submission_make(request_, {})
    straggler = file_private_pdf(child=request_.child, data=b"%PDF-1.7 filed", title="Advice", owner=account)
    try:
        old = migrate([("advice_forms", "0015_section_quick_add")])
        submissions = old.get_model("advice_forms", "Submission").objects
        assert submissions.get(pk=with_document.pk).pdf_id == document.file_id
        submissions.filter(pk=without_document.pk).update(pdf_id=straggler.pk)

        migrate(leaf_nodes())

        assert Submission.objects.get(pk=with_document.pk).pdf == document.file
        filed_late = Document.objects.get(submission=without_document.pk)
        assert (filed_late.file_id, filed_late.size, filed_late.uploaded_by_id) == (straggler.pk, 14, account.pk)
        assert Document.objects.count() == 2
    finally:
        migrate(leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_files_uploaded_through_a_forms_file_question_get_the_form_evidence_type(account_and_request):
    """0019: a document that a draft's or a submitted version's file answer names was uploaded through the form; the
    documents page's uploads, named by no answer, keep their type."""

    def upload(title, document_type=""):
        return Document.objects.create(
            child=request_.child,
            advice_request=request_,
            title=title,
            document_type=document_type,
            file=File.objects.create(original_filename="report.pdf", owner=account),
            uploaded_by=account,
        )

    account, request_ = account_and_request
    in_draft, in_submission = upload("Latest plan"), upload("Plan reviews")
    from_documents_page, typed = upload("A letter"), upload("A report", "report")
    # Returned, so its draft (answering with another file) may still send it.
    submission_make(
        request_,
        {"evidence": {"reviews": {"document": in_submission.pk, "name": "r.pdf", "size": 9}}},
        state=RequestState.RETURNED,
    )
    AdviceRequest.objects.filter(pk=request_.pk).update(
        answers={"evidence": {"plan": {"document": in_draft.pk, "name": "p.pdf", "size": 9}, "note": "Sent"}}
    )
    try:
        migrate([("advice_forms", "0018_child_record_checks")])
        migrate(leaf_nodes())
        types = dict(Document.objects.values_list("pk", "document_type"))
        assert types == {
            in_draft.pk: FORM_EVIDENCE,
            in_submission.pk: FORM_EVIDENCE,
            from_documents_page.pk: "",
            typed.pk: "report",
        }
        # 0031: the submitted version sent the file its answers name; the draft's own file is not sent yet.
        assert Document.objects.get(pk=in_submission.pk).document_type_label() == "Evidence sent with the form"
        assert Document.objects.get(pk=in_draft.pk).document_type_label() == "Uploaded with the form, not sent yet"
    finally:
        migrate(leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_each_submission_made_before_0030_gets_the_files_its_answers_sent(account_and_request):
    """0031: a submitted version sent the files of its request that its file answers name and that were current when
    it was submitted; not a file its answers do not name (removed with "Yes, remove them", say), though uploaded
    before it, nor one withdrawn before it, nor another request's."""
    account, request_ = account_and_request
    other_request = advice_request(ProfessionalFactory(), child=request_.child)
    now = timezone.now()

    def upload(title, *, on=request_, ago=3, withdrawn_ago=None):
        return Document.objects.create(
            child=request_.child,
            advice_request=on,
            title=title,
            document_type=FORM_EVIDENCE,
            file=File.objects.create(original_filename=f"{title}.pdf", owner=account),
            uploaded_by=account,
            uploaded_at=now - datetime.timedelta(days=ago),
            state="current" if withdrawn_ago is None else "withdrawn",
            state_changed_at=None if withdrawn_ago is None else now - datetime.timedelta(days=withdrawn_ago),
        )

    def answer(document):
        return {"document": document.pk, "name": document.title, "size": 9}

    sent, removed = upload("Therapy report"), upload("Covering letter")
    sent_then_replaced = upload("Autumn report", withdrawn_ago=1)
    withdrawn_before, others = upload("Old report", withdrawn_ago=2.5), upload("Their report", on=other_request)
    first = submission_make(
        request_,
        {
            "about": {"report": answer(sent), "other": answer(others), "old": answer(withdrawn_before)},
            "evidence": {"autumn": answer(sent_then_replaced), "letter": None},
        },
        when=now - datetime.timedelta(days=2),
    )
    second = submission_make(request_, {"about": {"report": answer(sent)}}, when=now - datetime.timedelta(days=1))
    try:
        migrate([("advice_forms", "0029_child_records_out_of_the_reference_index")])
        migrate(leaf_nodes())
        assert set(Submission.objects.get(pk=first.pk).evidence.all()) == {sent, sent_then_replaced}
        assert set(Submission.objects.get(pk=second.pk).evidence.all()) == {sent}
        labels = {document.title: document.document_type_label() for document in Document.objects.all()}
        assert labels == {
            "Therapy report": "Evidence sent with the form",
            "Autumn report": "Evidence sent with the form",
            "Covering letter": "Uploaded with the form, not sent",  # the request was sent without it
            "Old report": "Uploaded with the form, removed before it was sent",
            "Their report": "Uploaded with the form, not sent yet",
        }
        assert removed.pk not in Submission.evidence.through.objects.values_list("document_id", flat=True)
    finally:
        migrate(leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_wagtails_history_of_casework_is_relabelled_by_id(account_and_request):
    """0033: an entry Wagtail's log wrote with a casework row's str() (the child's name) is labelled by kind and id;
    an entry about another model keeps its label."""
    account, request_ = account_and_request
    child = request_.child
    migrate([("advice_forms", "0032_one_line_texts")])
    try:
        # bulk_create, as the log wrote them before 0033: no pre_save relabels them.
        old = ModelLogEntry.objects.bulk_create(
            ModelLogEntry(
                content_type=ContentType.objects.get_for_model(row),
                object_id=str(row.pk),
                label=str(row),
                action="wagtail.edit",
                timestamp=timezone.now(),
            )
            for row in (child, request_, account)
        )
        assert child.last_name in old[0].label and child.last_name in old[1].label
        migrate(leaf_nodes())
        labels = ModelLogEntry.objects.filter(pk__in=[entry.pk for entry in old]).order_by("pk")
        assert list(labels.values_list("label", flat=True)) == [
            f"Child record {child.pk}",
            f"Advice request {request_.pk}",
            str(account),
        ]
    finally:
        migrate(leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_0037_titles_each_file_answer_by_its_file_name_not_by_its_question(account_and_request):
    """A file answer was titled by its question's label ("Your full report"), which read as every reader's own."""
    account, request_ = account_and_request

    def upload(title, filename, document_type):
        return Document.objects.create(
            child=request_.child,
            advice_request=request_,
            title=title,
            document_type=document_type,
            file=File.objects.create(original_filename=filename, owner=account),
            original_filename=filename,
            uploaded_by=account,
        )

    try:
        migrate([("advice_forms", "0036_rules_label_quick_add_class")])
        answer = upload("Your full report", "EP report, autumn.pdf", FORM_EVIDENCE)
        typed = upload("Support plan", "plan.pdf", "report")
        migrate(leaf_nodes())
        titles = dict(Document.objects.values_list("pk", "title"))
        assert titles == {answer.pk: "EP report, autumn", typed.pk: "Support plan"}
    finally:
        migrate(leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_records_kept_before_their_folded_names_are_found_by_a_search_without_accents():
    """0039: the names a search matches (ChildRecord.search_name) are filled for the records already kept, so "Zoe"
    finds the Zoë recorded before it, and a record with one name has no space after it."""
    try:
        old = migrate([("advice_forms", "0038_child_last_name_optional")])
        children = old.get_model("advice_forms", "ChildRecord").objects
        born = datetime.date(2016, 6, 14)
        zoe = children.create(first_name="Zoë", last_name="Ní Bhriain", date_of_birth=born)
        aarav = children.create(first_name="Aarav", last_name="", date_of_birth=born)

        migrate(leaf_nodes())

        names = dict(ChildRecord.objects.values_list("pk", "search_name"))
        assert (names[zoe.pk], names[aarav.pk]) == ("zoe ni bhriain", "aarav")
        assert list(ChildRecord.objects.filter(search_name__contains="zoe")) == [ChildRecord.objects.get(pk=zoe.pk)]
    finally:
        migrate(leaf_nodes())
