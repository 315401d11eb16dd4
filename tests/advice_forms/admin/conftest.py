import pytest
from django.contrib.auth.models import Group

from advice_forms.models import FormKind
from tests.factories.accounts import OrganisationFactory, ProfessionalFactory, StaffUserFactory, TOTPDeviceFactory
from tests.factories.advice_forms import definition, question, section, verified_client


@pytest.fixture(autouse=True)
def _site(home_page):
    """Emails and pages read the site's portal settings."""
    return home_page


def caseworker_make(**kwargs):
    """A staff user in the real "SEND caseworker" group, with the permissions its migration gave it."""
    user = StaffUserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="SEND caseworker"))
    TOTPDeviceFactory(user=user)
    return user


@pytest.fixture
def caseworker(db):
    return caseworker_make(first_name="Casey", last_name="Worker")


@pytest.fixture
def caseworker_client(client, caseworker):
    return verified_client(client, caseworker)


@pytest.fixture
def ersa(db):
    return definition(
        [
            section(
                "About the school",
                [question("short_text", "Name of the school", key="school_name")],
                key="school",
            ),
            section("Needs", [question("long_text", "What the child needs", key="needs")], key="needs"),
        ],
        title="Test ERSA",
        version_label="T1",
        kind=FormKind.ERSA,
    )


@pytest.fixture
def appendix_b(db):
    return definition(
        [section("Advice", [question("long_text", "Educational advice", key="advice")], key="advice")],
        title="Test Appendix B",
        version_label="T1",
        kind=FormKind.APPENDIX_B,
    )


@pytest.fixture
def team_account(db):
    organisation = OrganisationFactory(name="Oakfield Primary School", email_domains="oakfield-primary.example.org")
    return ProfessionalFactory(
        organisation=organisation, email="senco@oakfield-primary.example.org", display_name="Oakfield SENCO"
    )
