"""The 400 page for a Host header the site does not serve carries the portal's security headers (cms.csp)."""

import pytest


@pytest.mark.django_db
def test_the_400_page_for_a_bad_host_carries_the_csp_and_refuses_framing(client, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]

    response = client.get("/portal/sign-in/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "default-src" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
