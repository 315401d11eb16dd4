"""Reads around the form: a team account's request, and the documents, outcomes and contacts it opens."""

from itertools import groupby

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.shortcuts import get_object_or_404

from portal_pages.models import ContactState, Document, DocumentState, Outcome, OutcomeState, ProfessionalContact


def request_for_account(account, pk):
    """The account's own advice request, or 404: another account's id is not found, never forbidden."""
    from advice_forms.selectors import requests_for_account

    return get_object_or_404(
        requests_for_account(account).select_related("child", "child__coordinator", "form_version"), pk=pk
    )


def opens_others_writing(advice_request) -> bool:
    """The one rule for what other team accounts wrote about the child (outcomes, contacts, document titles): it
    is shown through a request that opens the child's record in full, and through an initials-only request not at
    all, since it may name the child. An account always sees its own entries."""
    return advice_request.shows_child_name


def documents_for_request(advice_request):
    """The child's current documents as this request shows them, each with ``downloadable`` (the account's own
    upload, or made available to it). Through an initials-only request, another account's upload is listed only
    once a caseworker made it available to this account; the SEND service's own documents are always listed."""
    account_id = advice_request.account_id
    through = Document.available_to.through
    documents = (
        Document.objects.filter(child_id=advice_request.child_id, state=DocumentState.CURRENT)
        .annotate(
            made_available=Exists(through.objects.filter(document_id=OuterRef("pk"), user_id=account_id)),
        )
        .annotate(
            downloadable=ExpressionWrapper(
                Q(uploaded_by_id=account_id) | Q(made_available=True), output_field=BooleanField()
            )
        )
        .select_related("uploaded_by")
    )
    if not opens_others_writing(advice_request):
        documents = documents.filter(
            Q(uploaded_by_id=account_id) | Q(made_available=True) | Q(advice_request__isnull=True)
        )
    return documents


def document_for_request(advice_request, pk):
    """A document the request shows (see documents_for_request), or 404: another child's, a withdrawn one, or
    another account's that the request does not open."""
    return get_object_or_404(documents_for_request(advice_request), pk=pk)


def current_outcomes(child):
    return Outcome.objects.filter(child=child, state=OutcomeState.CURRENT).select_related(
        "team", "need_type", "author", "author__organisation", "advice_request"
    )


def outcomes_for_request(advice_request):
    """The child's current outcomes as this request shows them: every account's through a full-record request,
    only the account's own through an initials-only one."""
    outcomes = current_outcomes(advice_request.child)
    if not opens_others_writing(advice_request):
        outcomes = outcomes.filter(author_id=advice_request.account_id)
    return outcomes


def outcomes_by_type(advice_request):
    """[(Type, [outcomes])] of the outcomes this request shows, in the Types' order."""
    return [
        (need_type, list(items))
        for need_type, items in groupby(outcomes_for_request(advice_request), key=lambda o: o.need_type)
    ]


def outcomes_for_pdf(child, *, advice_request=None):
    """[(Type, [(Team, [outcomes])])] for a PDF: grouped by Type, then Team. Only the outcomes written on
    ``advice_request`` when it is given (e.g. a submission's PDF), else the child's (for staff)."""
    if advice_request is not None:
        outcomes = outcomes_for_request(advice_request).filter(advice_request=advice_request)
    else:
        outcomes = current_outcomes(child)
    grouped = []
    for need_type, by_type in groupby(outcomes, key=lambda o: o.need_type):
        teams = sorted(
            ((team, list(items)) for team, items in groupby(by_type, key=lambda o: o.team)),
            key=lambda pair: (pair[0].sort_order, pair[0].code),
        )
        grouped.append((need_type, teams))
    return grouped


def current_contacts(child):
    return ProfessionalContact.objects.filter(child=child, state=ContactState.CURRENT).select_related(
        "team", "added_by"
    )


def contacts_for_request(advice_request):
    """The child's current professional contacts as this request shows them: every account's through a
    full-record request, only the account's own through an initials-only one."""
    contacts = current_contacts(advice_request.child)
    if not opens_others_writing(advice_request):
        contacts = contacts.filter(added_by_id=advice_request.account_id)
    return contacts


def request_extras_counts(advice_request):
    """The counts the request page shows beside the links to documents, outcomes and contacts: of what the
    request shows, so a count never reveals entries the pages do not list."""
    return {
        "documents": documents_for_request(advice_request).count(),
        "outcomes": outcomes_for_request(advice_request).count(),
        "contacts": contacts_for_request(advice_request).count(),
    }
