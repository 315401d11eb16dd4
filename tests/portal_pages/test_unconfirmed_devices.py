"""Authenticator set-up never piles up unconfirmed devices, and the daily task clears those left behind."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_q.models import Schedule

from portal_pages import tasks
from tests.factories.accounts import ProfessionalFactory, StaffUserFactory, TOTPDeviceFactory
from tests.otp import current_code


def _unconfirmed(user):
    return TOTPDevice.objects.filter(user=user, confirmed=False)


def test_ten_visits_to_the_set_up_page_leave_one_unconfirmed_device(organisation):
    """Each visit signs in afresh (a new session), as someone who gives up and comes back does."""
    user = ProfessionalFactory(organisation=organisation, email="office@oakfield-primary.example.org")
    for _ in range(10):
        browser = Client()
        browser.force_login(user)
        assert browser.get("/portal/two-factor/set-up/").status_code == 200

    assert _unconfirmed(user).count() == 1
    device = _unconfirmed(user).get()
    response = browser.post("/portal/two-factor/set-up/", {"name": "Office phone", "code": current_code(device)})
    assert response.url == "/portal/two-factor/backup-codes/"
    assert TOTPDevice.objects.filter(user=user).count() == 1 and not _unconfirmed(user).exists()


def _verified_browser(user):
    """A new session signed in with a code (a code can be used once, so this is set as the code step sets it)."""
    browser = Client()
    browser.force_login(user)
    session = browser.session
    session["otp_device_id"] = user.totpdevice_set.get(confirmed=True).persistent_id
    session.save()
    return browser


def test_ten_visits_to_add_a_device_leave_one_unconfirmed_device(professional):
    for _ in range(10):
        assert _verified_browser(professional).get("/portal/two-factor/add/").status_code == 200

    assert _unconfirmed(professional).count() == 1


def test_a_set_up_left_for_over_a_day_starts_again_with_a_new_device(organisation):
    user = ProfessionalFactory(organisation=organisation, email="office@oakfield-primary.example.org")
    stale = TOTPDeviceFactory(user=user, confirmed=False, name="")
    TOTPDevice.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=25))
    browser = Client()
    browser.force_login(user)

    browser.get("/portal/two-factor/set-up/")

    assert _unconfirmed(user).exclude(pk=stale.pk).count() == 1


def test_the_daily_task_removes_unconfirmed_devices_older_than_a_day(professional):
    staff = StaffUserFactory(email="editor@council.example.org")
    kept_confirmed = professional.totpdevice_set.get()
    old_unconfirmed = TOTPDeviceFactory(user=professional, confirmed=False, name="")
    old_staff_unconfirmed = TOTPDeviceFactory(user=staff, confirmed=False, name="Device #1")
    undated_unconfirmed = TOTPDeviceFactory(user=staff, confirmed=False, name="Device #2")
    fresh_unconfirmed = TOTPDeviceFactory(user=professional, confirmed=False, name="")
    a_day_and_a_bit = timezone.now() - timedelta(days=1, minutes=1)
    TOTPDevice.objects.filter(pk__in=[kept_confirmed.pk, old_unconfirmed.pk, old_staff_unconfirmed.pk]).update(
        created_at=a_day_and_a_bit
    )
    TOTPDevice.objects.filter(pk=undated_unconfirmed.pk).update(created_at=None)
    TOTPDevice.objects.filter(pk=fresh_unconfirmed.pk).update(created_at=timezone.now() - timedelta(hours=23))

    assert tasks.devices_remove_unconfirmed() == 3
    assert tasks.devices_remove_unconfirmed() == 0  # safe to run twice

    assert set(TOTPDevice.objects.values_list("pk", flat=True)) == {kept_confirmed.pk, fresh_unconfirmed.pk}


def test_the_removal_is_scheduled_daily(db):
    schedule = Schedule.objects.get(func="portal_pages.tasks.devices_remove_unconfirmed")
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1


def test_the_admins_own_enrolment_keeps_one_unconfirmed_device(client, db):
    """wagtail-2fa's "new device" page deletes the user's unconfirmed devices before it makes one."""
    staff = StaffUserFactory(email="editor@council.example.org")
    staff.groups.add(Group.objects.get(name="Content editor"))
    for _ in range(10):
        browser = Client()
        browser.force_login(staff)
        assert browser.get(reverse("wagtail_2fa_device_new")).status_code == 200

    assert _unconfirmed(staff).count() == 1
