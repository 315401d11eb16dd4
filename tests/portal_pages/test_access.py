"""Every /portal/ page behind sign-in refuses anonymous, password-only and staff sessions on the server."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, reverse
from django.views import View

from advice_forms.portal import urls as advice_portal_urls
from portal_pages import urls as portal_urls
from portal_pages.access import ProfessionalRequiredMixin
from portal_pages.models import AccountState
from tests.factories.accounts import ProfessionalFactory, StaffUserFactory, TOTPDeviceFactory, verified_login
from tests.otp import sign_in_with_password
from tests.refusals import refused_the_admin
from tests.sessions import stored_session

# Pages anyone may open: signing in, registering, confirming, resetting, and the pages about them.
PUBLIC = {
    "sign_in",
    "sign_in_code",
    "sign_out",
    "signed_out",
    "register",
    "register_done",
    "verification_resend",
    "verify",
    "invitation",
    "password_reset",
    "password_reset_sent",
    "password_reset_confirm",
    "two_factor_setup",
}
ARGS = {"two_factor_remove": [1], "inbox_message": [1]}
# Any other page with ids in its path gets 1 for each: the sign-in check comes before any lookup.
ARGS.update(
    {
        p.name: [1] * len(p.pattern.converters)
        for p in portal_urls.urlpatterns
        if isinstance(p, URLPattern) and p.pattern.converters and p.name not in ARGS
    }
)

# The dashboard and the advice requests' pages (advice_forms/portal/urls.py, which composes the "portal" namespace).
REQUEST_KWARGS = {"pk": 1, "step": "about", "number": 1, "document_pk": 1, "outcome_pk": 1, "contact_pk": 1}


def _protected_names():
    # The whole "portal" namespace: portal_pages' doors, then the dashboard and the request pages.
    return [p.name for p in advice_portal_urls.urlpatterns if p.name not in PUBLIC]


def _url(name):
    if name in ARGS:
        return reverse(f"portal:{name}", args=ARGS[name])
    pattern = next(p for p in advice_portal_urls.urlpatterns if p.name == name)
    kwargs = {key: REQUEST_KWARGS[key] for key in pattern.pattern.converters}
    return reverse(f"portal:{name}", kwargs=kwargs)


PROTECTED = _protected_names()


def test_the_list_of_protected_pages_is_not_empty():
    assert {"dashboard", "keep_alive", "two_factor", "two_factor_add", "two_factor_backup_codes"} <= set(PROTECTED)


@pytest.mark.parametrize("name", PROTECTED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in(client, name, method):
    url = _url(name)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url.startswith("/portal/sign-in/?next=")


@pytest.mark.parametrize("name", PROTECTED)
def test_a_password_only_session_is_sent_to_the_code_step(client, professional, name):
    sign_in_with_password(client, professional.email)
    url = _url(name)
    response = client.post(url) if name == "keep_alive" else client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/portal/sign-in/code/?next=")


@pytest.mark.parametrize("name", PROTECTED)
def test_staff_get_403_in_the_portal(client, name):
    staff = StaffUserFactory()
    TOTPDeviceFactory(user=staff)
    verified_login(client, staff)
    url = _url(name)
    response = client.post(url) if name == "keep_alive" else client.get(url)
    assert response.status_code == 403


def test_a_verified_professional_never_reaches_the_wagtail_admin(verified_client):
    for path in ("/admin/", "/admin/pages/"):
        assert refused_the_admin(verified_client.get(path), path), path


def test_pages_behind_sign_in_are_never_cached(verified_client):
    response = verified_client.get("/portal/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_deactivated_account_is_signed_out(verified_client, professional):
    professional.is_active = False
    professional.save()
    assert verified_client.get("/portal/").url.startswith("/portal/sign-in/")


# ProfessionalRequiredMixin refuses a class view's visitors as professional_required refuses a function view's.


class ClassViewPage(ProfessionalRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        return HttpResponse("the page" + (f" {args} {kwargs}" if args or kwargs else ""))


def _class_view(user, verified=False, *args, **kwargs):
    request = RequestFactory().get("/portal/class-view/?tab=2")
    request.session = stored_session()
    request.user = user
    user.is_verified = lambda: verified  # as django-otp's middleware sets it
    return ClassViewPage.as_view()(request, *args, **kwargs)


@pytest.mark.django_db
def test_a_verified_team_account_sees_the_page():
    response = _class_view(ProfessionalFactory(), verified=True)
    assert response.status_code == 200 and response.content == b"the page"


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_and_back():
    response = _class_view(AnonymousUser())
    assert response.status_code == 302
    assert response.url == "/portal/sign-in/?next=/portal/class-view/%3Ftab%3D2"


@pytest.mark.django_db
def test_staff_are_refused_even_when_verified():
    with pytest.raises(PermissionDenied, match="^Council staff use the staff admin, not the portal.$"):
        _class_view(StaffUserFactory(), verified=True)


@pytest.mark.django_db
def test_a_dormant_account_is_signed_out_and_sent_to_sign_in():
    response = _class_view(ProfessionalFactory(account_state=AccountState.DORMANT), verified=True)
    assert response.status_code == 302 and response.url == "/portal/sign-in/?next=/portal/class-view/%3Ftab%3D2"


@pytest.mark.django_db
def test_a_password_only_session_is_sent_to_the_code_step_or_to_set_up_an_authenticator():
    with_device = ProfessionalFactory()
    TOTPDeviceFactory(user=with_device)
    # Back to the page asked for, after the second factor.
    assert _class_view(with_device).url == "/portal/sign-in/code/?next=/portal/class-view/%3Ftab%3D2"
    assert _class_view(ProfessionalFactory()).url == "/portal/two-factor/set-up/?next=/portal/class-view/%3Ftab%3D2"


@pytest.mark.django_db
def test_a_class_view_let_through_gets_the_urls_arguments():
    response = _class_view(ProfessionalFactory(), True, 3, step="about")
    assert response.content == b"the page (3,) {'step': 'about'}"
