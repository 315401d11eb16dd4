"""The demo loader for what sits around the form: idempotent, and only on requests that exist."""

from io import StringIO

from advice_forms import demo_records
from advice_forms.models import Document, DropdownList, Outcome, ProfessionalContact
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import advice_request


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
