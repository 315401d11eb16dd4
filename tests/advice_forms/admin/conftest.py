import pytest
from django.contrib.auth.models import Permission

from advice_forms.models import FormKind
from tests.factories.accounts import ProfessionalFactory, staff_in_group
from tests.factories.advice_forms import LANGUAGES, definition, dropdown_list, question, section


@pytest.fixture(autouse=True)
def _site(home_page):
    """Emails and pages read the site's portal settings."""
    return home_page


@pytest.fixture
def languages(db):
    """A dropdown list of two options, (value, label) as in LANGUAGES."""
    return dropdown_list("Languages", LANGUAGES)


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
def team_account(organisation):
    """Oakfield's team account without an authenticator: the caseworker shares with it, it does not sign in here."""
    return ProfessionalFactory(
        organisation=organisation, email="senco@oakfield-primary.example.org", display_name="Oakfield SENCO"
    )


@pytest.fixture
def records_caseworker(db):
    """A SEND caseworker who may view and change child records (the root conftest's caseworker has neither)."""
    user = staff_in_group("SEND caseworker")
    for codename in ("view_childrecord", "change_childrecord"):
        user.user_permissions.add(Permission.objects.get(content_type__app_label="advice_forms", codename=codename))
    return user
