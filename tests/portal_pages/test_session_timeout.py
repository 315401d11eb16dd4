import time_machine
from django.utils import timezone

from cms.models import AuditEntry


def test_a_request_after_601_idle_seconds_lands_on_the_signed_out_page(verified_client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert verified_client.get("/portal/").status_code == 200
        traveller.shift(601)
        response = verified_client.get("/portal/two-factor/", follow=True)
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
