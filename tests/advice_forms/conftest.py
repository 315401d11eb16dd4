import pytest

from tests.factories.advice_forms import staff_in_group, verified_client


@pytest.fixture
def form_designer(db):
    return staff_in_group("Form designer")


@pytest.fixture
def designer_client(client, form_designer):
    """A form designer signed in to the admin with a verified second factor."""
    return verified_client(client, form_designer)


@pytest.fixture
def content_editor(db):
    return staff_in_group("Content editor")
