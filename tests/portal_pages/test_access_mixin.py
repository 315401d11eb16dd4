"""ProfessionalRequiredMixin refuses a class view's visitors as professional_required refuses a function view's."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from portal_pages.access import ProfessionalRequiredMixin
from portal_pages.models import AccountState
from tests.factories.accounts import ProfessionalFactory, StaffUserFactory, TOTPDeviceFactory

pytestmark = pytest.mark.django_db


class Page(ProfessionalRequiredMixin, View):
    def get(self, request):
        return HttpResponse("the page")


def _get(user, verified=False):
    request = RequestFactory().get("/portal/class-view/?tab=2")
    request.session = SessionStore()
    request.user = user
    user.is_verified = lambda: verified  # as django-otp's middleware sets it
    return Page.as_view()(request)


def test_a_verified_team_account_sees_the_page():
    response = _get(ProfessionalFactory(), verified=True)
    assert response.status_code == 200 and response.content == b"the page"


def test_anonymous_is_sent_to_sign_in_and_back():
    response = _get(AnonymousUser())
    assert response.status_code == 302
    assert response.url == "/portal/sign-in/?next=/portal/class-view/%3Ftab%3D2"


def test_staff_are_refused_even_when_verified():
    with pytest.raises(PermissionDenied):
        _get(StaffUserFactory(), verified=True)


def test_a_dormant_account_is_signed_out_and_sent_to_sign_in():
    response = _get(ProfessionalFactory(account_state=AccountState.DORMANT), verified=True)
    assert response.status_code == 302 and response.url.startswith("/portal/sign-in/?next=")


def test_a_password_only_session_is_sent_to_the_code_step_or_to_set_up_an_authenticator():
    with_device = ProfessionalFactory()
    TOTPDeviceFactory(user=with_device)
    assert _get(with_device).url.startswith("/portal/sign-in/code/?next=")
    assert _get(ProfessionalFactory()).url.startswith("/portal/two-factor/set-up/?next=")
