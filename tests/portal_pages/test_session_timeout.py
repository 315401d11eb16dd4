import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.models import AuditEntry
from tests.factories.accounts import StaffUserFactory, TOTPDeviceFactory, verified_login


def _after_601_idle_seconds(client, opened, requested):
    """Open ``opened``, do nothing for 601 seconds (one more than the idle limit), then follow ``requested``."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert client.get(opened).status_code == 200
        traveller.shift(601)
        return client.get(requested, follow=True)


def test_a_request_after_601_idle_seconds_lands_on_the_signed_out_page(verified_client):
    response = _after_601_idle_seconds(verified_client, "/portal/", "/portal/two-factor/")
    assert response.redirect_chain[0][0] == "/portal/signed-out/?reason=timeout"
    html = response.content.decode()
    assert "You have been signed out" in html and "protect children" in html and "saved" in html
    assert verified_client.get("/portal/").url.startswith("/portal/sign-in/")
    assert AuditEntry.objects.filter(action="account.timed_out").exists()


def test_activity_and_keep_alive_extend_the_session(verified_client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        traveller.shift(500)
        response = verified_client.post("/portal/keep-alive/")
        assert response.status_code == 200 and response.json() == {"idle_seconds": 600}
        traveller.shift(500)
        assert verified_client.get("/portal/").status_code == 200
        traveller.shift(599)
        assert verified_client.get("/portal/").status_code == 200


def test_the_absolute_limit_of_12_hours(verified_client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(89):  # 712 minutes, never idle for 10
            traveller.shift(8 * 60)
            assert verified_client.post("/portal/keep-alive/").status_code == 200
        traveller.shift(9 * 60)
        response = verified_client.get("/portal/")
    assert response.url == "/portal/signed-out/?reason=timeout"


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
