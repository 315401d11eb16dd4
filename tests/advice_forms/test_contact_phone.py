"""A professional contact's phone is held to the phone field's rule by the model too, so a row written without the
form (an import, the shell, a future admin screen) cannot keep what the form refuses."""

import pytest
from django.core.exceptions import ValidationError

from advice_forms.models import ProfessionalContact
from cms.form_fields import PHONE_FORMAT_ERROR, PhoneField
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import AdviceRequestFactory, team

pytestmark = pytest.mark.django_db


def _contact(phone):
    advice_request = AdviceRequestFactory(account=ProfessionalFactory())
    return ProfessionalContact(
        child=advice_request.child,
        advice_request=advice_request,
        added_by=advice_request.account,
        name="Sam Tester",
        role="Speech and language therapist",
        team=team(),
        phone=phone,
    )


@pytest.mark.parametrize("phone", ["ring the office", "123", "01632 960\u200b001", "01632 960 001; drop"])
def test_a_contact_whose_phone_the_form_refuses_is_refused_by_the_model(phone):
    with pytest.raises(ValidationError):
        PhoneField(required=False, max_length=40).clean(phone)

    with pytest.raises(ValidationError) as refused:
        _contact(phone).full_clean()

    assert refused.value.message_dict == {"phone": [PHONE_FORMAT_ERROR]}


@pytest.mark.parametrize("phone", ["", "01632 960 001", "+44 808 157 0192", "01632 960 001 ext 12"])
def test_a_contact_whose_phone_the_form_takes_is_taken_by_the_model(phone):
    _contact(phone).full_clean()
