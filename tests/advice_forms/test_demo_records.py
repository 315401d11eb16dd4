"""The demo loader for what sits around the form: idempotent, and only on requests that exist."""

from io import StringIO

from advice_forms import demo_records
from advice_forms.models import Document, DropdownList, Outcome, ProfessionalContact, Team
from tests.factories.accounts import OrganisationFactory, ProfessionalFactory
from tests.factories.advice_forms import advice_request, team
from tests.pdfs import pdf_ua_problems, pdftotext


def test_demo_records_load_twice_gives_one_of_each_per_open_request(db):
    demo_records.load(StringIO())
    assert DropdownList.objects.get(name="Document types").options.count() == len(demo_records.DOCUMENT_TYPES)
    assert not Document.objects.exists()  # no requests yet: nothing made

    ar = advice_request(ProfessionalFactory())
    demo_records.load(StringIO())
    demo_records.load(StringIO())

    assert Document.objects.filter(advice_request=ar).count() == 1
    assert Outcome.objects.filter(advice_request=ar).count() == 1
    assert ProfessionalContact.objects.filter(advice_request=ar).count() == 1
    assert DropdownList.objects.get(name="Document types").options.count() == len(demo_records.DOCUMENT_TYPES)


def test_each_demo_outcome_is_labelled_with_the_team_of_the_account_that_wrote_it(db):
    """Every demo outcome took the first Team in the list, so the educational psychology and social care services
    each had one labelled "Team: Speech and Language Therapy". Each takes its organisation's Team, where it names one,
    and the first active Team still where it does not (an "Other" organisation's)."""
    team()
    team("EP", "Educational Psychology")
    team("Social Care", "Social Care")
    first = Team.objects.filter(active=True).first()
    requests = {
        kind: advice_request(ProfessionalFactory(organisation=OrganisationFactory(kind=kind)))
        for kind in ("educational_psychology", "social_care", "other")
    }

    demo_records.load(StringIO())

    labelled = {kind: Outcome.objects.get(advice_request=ar).team.code for kind, ar in requests.items()}
    assert labelled == {"educational_psychology": "EP", "social_care": "Social Care", "other": first.code}
    assert first.code not in ("EP", "Social Care")


def test_the_demo_support_plan_is_a_tagged_pdf_with_a_few_lines_about_the_child(db):
    """The demo's document was a blank page, untagged: opened, it showed nothing of what a document looks like. It is
    a page of made-up lines for the request's child, rendered and tagged as the portal's own PDFs are."""
    ar = advice_request(ProfessionalFactory())

    demo_records.load(StringIO())

    document = Document.objects.get(advice_request=ar)
    with document.file.file.open("rb") as handle:
        data = handle.read()
    assert pdf_ua_problems(data) == []
    text = " ".join(pdftotext(data).split())
    assert "Support plan, autumn term" in text and f"For {ar.child.first_name}." in text
    assert "What we are working on" in text
