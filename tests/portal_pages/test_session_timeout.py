import time
from urllib.parse import urlencode

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advice_forms.portal import dashboard
from cms.models import AuditEntry
from portal_pages.access import SESSION_LAST_ACTIVITY
from tests.factories.accounts import PASSWORD, StaffUserFactory, TOTPDeviceFactory, verified_login
from tests.factories.advice_forms import advice_request
from tests.otp import current_code
from tests.sessions import stored_session


def _after_601_idle_seconds(client, opened, requested):
    """Open ``opened``, do nothing for 601 seconds (one more than the idle limit), then follow ``requested``."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert client.get(opened).status_code == 200
        traveller.shift(601)
        return client.get(requested, follow=True)


def test_a_request_after_601_idle_seconds_lands_on_the_signed_out_page(verified_client):
    response = _after_601_idle_seconds(verified_client, "/portal/", "/portal/two-factor/")
    assert response.redirect_chain[0][0] == "/portal/signed-out/?reason=timeout&next=%2Fportal%2Ftwo-factor%2F"
    html = response.content.decode()
    assert "You have been signed out" in html and "protect children" in html and "saved" in html
    assert verified_client.get("/portal/").url.startswith("/portal/sign-in/")
    assert AuditEntry.objects.filter(action="account.timed_out").exists()


def sign_in_again(client, signed_out_page, user):
    """Follow the signed-out page's "Sign in again" through the password and the code; the address it ends on."""
    link = BeautifulSoup(signed_out_page.content, "html.parser").find("a", string="Sign in again")["href"]
    sign_in_page = client.get(link)
    code_page = client.post(
        link, {"username": user.email, "password": PASSWORD, "next": sign_in_page.context["next"]}, follow=True
    )
    code = current_code(user.totpdevice_set.get(), offset=1)  # the fixture's sign-in used this step's code
    return client.post(code_page.redirect_chain[-1][0], {"code": code, "next": code_page.context["next"]}).url


def test_signing_in_again_after_a_time_out_comes_back_to_the_step(verified_client, professional):
    """ "Sign in again" went to the sign-in page with no next, so after the code the SENCO was on the dashboard, not the
    step they had been filling in."""
    step = reverse("portal:request_step", args=[advice_request(professional).pk, "about"])
    signed_out = _after_601_idle_seconds(verified_client, "/portal/", step)
    assert signed_out.redirect_chain[0][0] == f"/portal/signed-out/?{urlencode({'reason': 'timeout', 'next': step})}"
    assert sign_in_again(verified_client, signed_out, professional) == step


def test_a_save_posted_after_a_time_out_comes_back_to_the_page_it_was_sent_from(verified_client, professional):
    step = reverse("portal:request_step", args=[advice_request(professional).pk, "about"])
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        traveller.shift(601)
        response = verified_client.post(
            step, {"action": "continue"}, HTTP_REFERER=f"http://testserver{step}?return=check"
        )
    assert response.url == f"/portal/signed-out/?{urlencode({'reason': 'timeout', 'next': f'{step}?return=check'})}"


def test_the_countdowns_sign_out_comes_back_to_the_page_the_dialog_was_on(verified_client, professional):
    html = verified_client.get("/portal/two-factor/").content.decode()
    sign_out_form = BeautifulSoup(html, "html.parser").find("form", attrs={"data-sign-out": True})
    assert sign_out_form.find("input", attrs={"name": "next"})["value"] == "/portal/two-factor/"
    response = verified_client.post("/portal/sign-out/", {"timed_out": "1", "next": "/portal/two-factor/"}, follow=True)
    assert response.redirect_chain[0][0] == "/portal/signed-out/?reason=timeout&next=%2Fportal%2Ftwo-factor%2F"
    assert sign_in_again(verified_client, response, professional) == "/portal/two-factor/"


@pytest.mark.parametrize(
    "next_path",
    [
        "https://elsewhere.example.com/portal/inbox/",
        "//elsewhere.example.com/portal/inbox/",
        "/admin/",
        "/portal/",
        "/portal/sign-in/code/",
        "/portal/sign-out/",
        # A browser resolves dot segments before it asks: these are /admin/ and /portal/sign-out/.
        "/portal/../admin/",
        "/portal/%2e%2E/admin/",
        "/portal/requests/1/.%2E/..\\sign-out/",
        "/portal/./sign-out/",
    ],
)
def test_sign_in_again_goes_back_only_to_a_page_of_the_portal(client, home_page, next_path):
    page = client.get("/portal/signed-out/", {"reason": "timeout", "next": next_path}).content
    assert BeautifulSoup(page, "html.parser").find("a", string="Sign in again")["href"] == "/portal/sign-in/"


def test_a_referer_from_another_site_is_not_carried(verified_client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        traveller.shift(601)
        response = verified_client.post(
            "/portal/keep-alive/", HTTP_REFERER="https://elsewhere.example.com/portal/inbox/"
        )
    assert response.url == "/portal/signed-out/?reason=timeout"


def test_activity_and_keep_alive_extend_the_session(verified_client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        traveller.shift(500)
        response = verified_client.post("/portal/keep-alive/")
        assert response.status_code == 200 and response.json() == {"idle_seconds": 600}
        traveller.shift(500)
        assert verified_client.get("/portal/").status_code == 200
        traveller.shift(599)
        assert verified_client.get("/portal/").status_code == 200


def test_idle_time_counts_from_the_end_of_the_request_that_ended_last(verified_client, monkeypatch):
    """A dashboard that took 30 seconds to answer, with another page asked and answered meanwhile. The idle clock
    counted from the start of each request, and the session kept the value of the one that ended last: the slow
    one's start, 30 seconds before its page arrived, and before the other page too. Ten minutes less a second
    after the slow page arrived, the page's countdown (which starts when it arrives) had a second to go, but the
    server had signed the SENCO out."""
    other_tab = Client()
    other_tab.cookies["sessionid"] = verified_client.cookies["sessionid"].value
    rows = dashboard.dashboard_rows

    with time_machine.travel(timezone.now(), tick=False) as traveller:

        def slow_rows(*args):
            traveller.shift(5)
            assert other_tab.get("/portal/inbox/").status_code == 200
            traveller.shift(25)
            return rows(*args)

        monkeypatch.setattr(dashboard, "dashboard_rows", slow_rows)
        assert verified_client.get("/portal/").status_code == 200
        arrived = time.time()
        monkeypatch.undo()

        assert stored_session(verified_client.cookies["sessionid"].value)[SESSION_LAST_ACTIVITY] == arrived
        traveller.shift(599)
        assert verified_client.get("/portal/two-factor/").status_code == 200


def test_a_head_request_is_not_activity(verified_client):
    """A HEAD restarts no idle clock, whether it is answered as HEAD or, without a session, as GET."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert verified_client.get("/portal/").status_code == 200
        before = verified_client.session[SESSION_LAST_ACTIVITY]
        traveller.shift(300)
        verified_client.head("/portal/")
        verified_client.head("/portal/inbox/")

        assert verified_client.session[SESSION_LAST_ACTIVITY] == before
        traveller.shift(301)
        response = verified_client.get("/portal/", follow=True)
    assert response.redirect_chain[0][0].startswith("/portal/signed-out/?reason=timeout")


def test_the_absolute_limit_of_12_hours(verified_client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(89):  # 712 minutes, never idle for 10
            traveller.shift(8 * 60)
            assert verified_client.post("/portal/keep-alive/").status_code == 200
        traveller.shift(9 * 60)
        response = verified_client.get("/portal/", follow=True)
    # It says why: not "you had not done anything for 10 minutes", which was not so.
    assert response.redirect_chain[0][0] == "/portal/signed-out/?reason=limit"
    text = " ".join(BeautifulSoup(response.content, "html.parser").find("main").get_text().split())
    assert "You were signed out because you had been signed in for 12 hours." in text


def test_the_dialog_is_on_every_page_behind_sign_in(verified_client):
    html = verified_client.get("/portal/").content.decode()
    assert 'id="portal-timeout"' in html and 'data-idle-seconds="600"' in html and 'data-warning-seconds="120"' in html
    assert "session-timeout.js" in html
    assert "onclick" not in html


# Staff in the Wagtail admin: the same idle and absolute limits, the same dialog.


@pytest.fixture
def staff_client(client, db, home_page):
    """A content editor signed in to the admin with a verified authenticator, as after the real sign-in."""
    editor = StaffUserFactory(email="editor@council.example.org")
    editor.groups.add(Group.objects.get(name="Content editor"))
    TOTPDeviceFactory(user=editor, name="Work phone")
    return verified_login(client, editor)


def test_a_staff_session_idle_for_601_seconds_is_signed_out_of_the_admin(staff_client):
    response = _after_601_idle_seconds(staff_client, "/admin/", "/admin/pages/")
    assert response.redirect_chain[0][0] == "/admin/login/?next=/admin/pages/"
    html = response.content.decode()
    assert "You were signed out because you had not done anything for 10 minutes" in html
    assert staff_client.get("/admin/").url.startswith("/admin/login/")
    assert AuditEntry.objects.filter(action="account.timed_out", data__why="idle").exists()


def test_staff_activity_within_the_limit_keeps_the_admin_session(staff_client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(3):
            traveller.shift(599)
            assert staff_client.get("/admin/").status_code == 200
        traveller.shift(500)
        response = staff_client.post("/admin/keep-alive/")
        assert response.status_code == 200 and response.json() == {"idle_seconds": 600}
        traveller.shift(599)
        assert staff_client.get("/admin/").status_code == 200


def test_the_editors_timed_ping_is_not_activity(staff_client):
    """Wagtail's editor pings the server every few seconds while a page is open; an open tab is not a person."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert staff_client.get("/admin/").status_code == 200
        traveller.shift(300)
        staff_client.post("/admin/editing-sessions/ping/wagtailcore/page/1/1/")
        traveller.shift(301)
        response = staff_client.get("/admin/")
    assert response.url.startswith("/admin/login/")


def test_the_absolute_limit_of_12_hours_holds_in_the_admin(staff_client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert staff_client.get("/admin/").status_code == 200
        for _ in range(89):  # 712 minutes, never idle for 10
            traveller.shift(8 * 60)
            assert staff_client.post("/admin/keep-alive/").status_code == 200
        traveller.shift(9 * 60)
        response = staff_client.get("/admin/", follow=True)
    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert "You were signed out because you had been signed in for 12 hours" in response.content.decode()


def test_the_dialog_is_on_admin_pages_with_scripts_the_admin_policy_allows(staff_client):
    response = staff_client.get("/admin/")
    html = response.content.decode()
    assert 'id="portal-timeout"' in html and 'data-idle-seconds="600"' in html and 'data-warning-seconds="120"' in html
    assert 'action="/admin/keep-alive/"' in html and 'action="/admin/logout/"' in html
    assert 'src="/static/portal_pages/admin-session-timeout.js"' in html
    assert 'src="/static/portal_pages/session-timeout.js"' in html
    script_src = next(d for d in response["Content-Security-Policy"].split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src


@pytest.mark.parametrize("next_path", ["/portal/../admin/", "/portal/%2e%2e/admin/", "/portal/..\\admin/"])
def test_the_sign_in_page_s_own_next_takes_no_dot_segments(client, professional, next_path):
    """The next a sign-in link carries is refused as "Sign in again"'s is: a browser would resolve it elsewhere."""
    response = client.post(
        "/portal/sign-in/", {"username": professional.email, "password": PASSWORD, "next": next_path}
    )
    assert response.status_code == 302 and response.url == "/portal/sign-in/code/"
    device = professional.totpdevice_set.get(confirmed=True)
    response = client.post("/portal/sign-in/code/", {"code": current_code(device), "next": next_path})
    assert response.url == "/portal/"
