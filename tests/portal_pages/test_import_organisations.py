"""manage.py import_organisations: the council's schools and settings from a GIAS establishment CSV, by URN, for the
chosen local authorities; safe to run again; closed establishments made inactive."""

import io

import pytest
from django.core.management import CommandError, call_command

from portal_pages.demo import GIAS_DEMO_FILE
from portal_pages.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("import_organisations", *args, stdout=out)
    return out.getvalue()


def test_imports_the_chosen_local_authority_with_kind_address_and_status():
    output = run(str(GIAS_DEMO_FILE), "--la", "999")

    assert output.startswith("6 created, 0 updated, 0 unchanged, 1 closed, 1 outside")
    assert not Organisation.objects.filter(name="Fenmarch Primary School").exists()
    brook = Organisation.objects.get(urn=990001)
    assert (brook.name, brook.kind, brook.phase, brook.local_authority) == (
        "Kestrelford Brook Primary School",
        OrganisationKind.SCHOOL,
        "Primary",
        "Kestrelford",
    )
    assert brook.address == "1 Brook Lane, Kestrelford, KF1 1AA" and brook.is_active and brook.email_domains == ""
    assert Organisation.objects.get(urn=990003).kind == OrganisationKind.EARLY_YEARS
    assert Organisation.objects.get(urn=990004).kind == OrganisationKind.POST_16
    assert not Organisation.objects.get(urn=990005).is_active  # closed
    assert Organisation.objects.get(urn=990007).name == "St Ælfric's Church of England Primary School"  # cp1252


def test_a_second_run_changes_nothing_and_updates_by_urn_closing_closed_establishments(tmp_path):
    run(str(GIAS_DEMO_FILE), "--la", "Kestrelford")
    brook = Organisation.objects.get(urn=990001)
    brook.email_domains = "brook.example.org"  # set by an administrator: the import never touches it
    brook.save()

    assert run(str(GIAS_DEMO_FILE), "--la", "kestrelford").startswith("0 created, 0 updated, 6 unchanged, 0 closed")
    assert Organisation.objects.count() == 6

    changed = GIAS_DEMO_FILE.read_bytes().replace(b"Kestrelford Brook Primary School", b"Brook Academy")
    changed = changed.replace(
        b"990002,999,Kestrelford,Heronsgate Academy,Academy converter,Academies,Secondary,Open,",
        b"990002,999,Kestrelford,Heronsgate Academy,Academy converter,Academies,Secondary,Closed,",
    )
    path = tmp_path / "edubasealldata20261201.csv"
    path.write_bytes(changed)
    assert run(str(path), "--la", "999").startswith("0 created, 2 updated, 4 unchanged, 1 closed")
    brook.refresh_from_db()
    assert brook.name == "Brook Academy" and brook.email_domains == "brook.example.org"
    assert not Organisation.objects.get(urn=990002).is_active
    assert Organisation.objects.filter(urn__isnull=False).count() == 6


def test_every_authority_without_la_and_a_clear_error_for_another_file(tmp_path):
    assert run(str(GIAS_DEMO_FILE)).startswith("7 created")
    other = tmp_path / "other.csv"
    other.write_text("name,email\nSomething,a@example.org\n")
    with pytest.raises(CommandError, match="not a GIAS establishment file"):
        run(str(other))


def test_a_local_authority_that_no_row_is_in_stops_the_import_with_nothing_changed():
    """A nightly cron job with a misspelt --la imported nothing and exited 0, saying all was well."""
    with pytest.raises(CommandError, match="No establishment in the file is in the local authority “kestrelfrod”"):
        run(str(GIAS_DEMO_FILE), "--la", "999", "--la", "Kestrelfrod")

    assert not Organisation.objects.exists()
