"""Every email the portal sends signs off the same way (cms/emails/sign_off.txt); the words of the verification,
"someone tried to register" and two-factor reset messages point to what exists and read as sentences."""

import pathlib

import pytest
from django.conf import settings
from django.core import mail
from django_otp.plugins.otp_static.models import StaticDevice

from cms.emails import email_text_render
from tests.portal_pages.test_join_requests import UNLISTED

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(settings.BASE_DIR)
SIGN_OFF = '{% include "cms/emails/sign_off.txt" %}'


def test_every_email_template_ends_with_the_one_sign_off():
    templates = [p for p in ROOT.glob("*/templates/*/emails/*.txt") if p.name != "sign_off.txt"]
    assert len(templates) > 15
    ends = {p.relative_to(ROOT).as_posix(): p.read_text().rstrip("\n").rsplit("\n", 1)[-1] for p in templates}
    assert {path for path, end in ends.items() if end != SIGN_OFF} == set()


def test_the_sign_off_names_the_councils_send_service():
    body = email_text_render("portal_pages/emails/new_message.txt", {"council_name": "Kestrelford Borough Council"})
    assert body.rstrip().endswith("\n\nKestrelford Borough Council SEND service")


def test_the_verify_email_points_to_the_page_that_sends_a_new_link(
    client, home_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/register/", UNLISTED)
    body = mail.outbox[-1].body
    assert "on the sign-in page" not in body
    assert "If it has expired, ask for a new one here:\nhttp" in body and "/portal/register/new-link/" in body


def test_someone_tried_to_register_a_refused_address_reads_without_a_break_mid_sentence():
    body = email_text_render("portal_pages/emails/already_refused.txt", {"support_email": "send@example.org"})
    assert "so it cannot register again. If you think that decision is a mistake" in body


def test_resetting_two_factor_counts_the_phone_not_its_backup_codes(administrator_client, professional):
    StaticDevice.objects.create(user=professional, name="Backup codes")
    response = administrator_client.post(f"/admin/accounts/{professional.pk}/reset-two-factor/", follow=True)
    assert f"Two-factor sign-in of {professional.email} has been reset (1 device removed)." in response.content.decode()
