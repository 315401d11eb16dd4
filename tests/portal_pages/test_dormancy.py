from datetime import timedelta

import pytest
from django.core import mail
from django.db.models.signals import post_save
from django.utils import timezone
from django_q.models import Schedule

from cms.models import AuditEntry
from portal_pages import tasks
from portal_pages.models import AccountState, User
from portal_pages.services.accounts import account_reactivate
from tests.factories.accounts import ProfessionalFactory, SuperuserFactory

# Each request commits when it ends, as on a server, and sends what it put in the outbox (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("requests_commit")


def _days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_the_daily_task_marks_accounts_unused_for_55_days_dormant(db, organisation):
    idle = ProfessionalFactory(organisation=organisation, last_login=_days_ago(56), state_changed_at=_days_ago(300))
    recent = ProfessionalFactory(organisation=organisation, last_login=_days_ago(54), state_changed_at=_days_ago(300))
    never = ProfessionalFactory(organisation=organisation, last_login=None, state_changed_at=_days_ago(56))
    new = ProfessionalFactory(organisation=organisation, last_login=None, state_changed_at=_days_ago(3))
    superuser = SuperuserFactory(last_login=_days_ago(100), state_changed_at=_days_ago(300))

    assert tasks.accounts_mark_dormant() == 2
    assert tasks.accounts_mark_dormant() == 0  # safe to run twice

    states = dict(User.objects.values_list("pk", "account_state"))
    assert states[idle.pk] == states[never.pk] == AccountState.DORMANT
    assert states[recent.pk] == states[new.pk] == states[superuser.pk] == AccountState.ACTIVE
    assert AuditEntry.objects.filter(action="account.dormant").count() == 2


def test_an_account_switched_off_stays_off_when_it_would_have_gone_dormant(db, organisation):
    """Unticking Active leaves the account's state as it was: the daily task must not take it for an active account
    and, by moving it to dormant (which may sign in), switch it on again."""
    switched_off = ProfessionalFactory(
        organisation=organisation, last_login=_days_ago(56), state_changed_at=_days_ago(300), is_active=False
    )

    assert tasks.accounts_mark_dormant() == 0

    switched_off.refresh_from_db()
    assert (switched_off.is_active, switched_off.account_state) == (False, AccountState.ACTIVE)
    assert not AuditEntry.objects.filter(action__in=["account.dormant", "account.reactivated"]).exists()


def test_the_task_is_scheduled_daily(db):
    schedule = Schedule.objects.get(func="portal_pages.tasks.accounts_mark_dormant")
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1


def test_an_administrator_reactivates_a_dormant_account(verified_admin_client, professional, superuser):
    User.objects.filter(pk=professional.pk).update(account_state=AccountState.DORMANT, last_login=_days_ago(80))
    url = f"/admin/accounts/{professional.pk}/reactivate/"
    assert verified_admin_client.get(url).status_code == 200
    response = verified_admin_client.post(url)
    assert response.status_code == 302
    professional.refresh_from_db()
    assert professional.account_state == AccountState.ACTIVE
    entry = AuditEntry.objects.get(action="account.reactivated")
    assert entry.actor == superuser and entry.from_state == "dormant" and entry.to_state == "active"
    assert professional.is_active and entry.data == {"is_active": True}
    assert mail.outbox[-1].to == [professional.email]
    # Reactivation restarts the clock: the nightly task leaves it alone.
    assert tasks.accounts_mark_dormant() == 0


def test_reactivating_a_dormant_account_an_administrator_switched_off_lifts_only_the_dormancy(
    verified_admin_client, professional, superuser
):
    """Unticking Active is an administrator's decision, undone only by ticking it again: "Reactivate" on the same
    account, dormant as well, ends the dormancy and says the account is still switched off."""
    User.objects.filter(pk=professional.pk).update(
        account_state=AccountState.DORMANT, is_active=False, last_login=_days_ago(80)
    )
    url = f"/admin/accounts/{professional.pk}/reactivate/"
    asked = verified_admin_client.get(url).content.decode()
    assert "Reactivating lifts only the dormancy: the account stays switched off" in asked
    sent = len(mail.outbox)

    response = verified_admin_client.post(url, follow=True)

    professional.refresh_from_db()
    assert (professional.account_state, professional.is_active) == (AccountState.ACTIVE, False)
    assert "is no longer dormant, but it is still switched off" in response.content.decode()
    assert len(mail.outbox) == sent  # "you may sign in again" would not be true
    entry = AuditEntry.objects.get(action="account.reactivated")
    assert (entry.actor, entry.from_state, entry.to_state, entry.data) == (
        superuser,
        "dormant",
        "active",
        {"is_active": False},
    )
    # Ticking Active is what lets it sign in again.
    verified_admin_client.post(
        f"/admin/team_accounts/edit/{professional.pk}/",
        {"display_name": professional.display_name, "organisation": professional.organisation_id, "is_active": "on"},
    )
    professional.refresh_from_db()
    assert professional.is_active
    assert AuditEntry.objects.filter(action="account.reactivated", data__is_active=True).exists()


def test_an_account_switched_off_while_the_daily_task_runs_stays_off(db, organisation):
    """The task reads every account unused for too long, then moves each: one an administrator switches off in the
    meantime (here, as the task saves the account before it) must not be saved back as it was read, switched on."""
    first, second = (
        ProfessionalFactory(organisation=organisation, last_login=_days_ago(56), state_changed_at=_days_ago(300))
        for _ in range(2)
    )

    def switch_off_the_second(sender, instance, **kwargs):
        if instance.pk == first.pk:
            User.objects.filter(pk=second.pk).update(is_active=False)

    post_save.connect(switch_off_the_second, sender=User, dispatch_uid="test-switch-off")
    try:
        assert tasks.accounts_mark_dormant() == 1
    finally:
        post_save.disconnect(dispatch_uid="test-switch-off", sender=User)

    second.refresh_from_db()
    assert (second.is_active, second.account_state) == (False, AccountState.ACTIVE)


def test_reactivating_an_account_switched_off_since_it_was_read_keeps_it_off(db, professional, superuser):
    User.objects.filter(pk=professional.pk).update(account_state=AccountState.DORMANT, last_login=_days_ago(80))
    read = User.objects.get(pk=professional.pk)  # as the Reactivate page read it
    User.objects.filter(pk=professional.pk).update(is_active=False)  # an administrator switches it off meanwhile
    sent = len(mail.outbox)

    account_reactivate(user=read, reactivated_by=superuser)

    professional.refresh_from_db()
    assert (professional.account_state, professional.is_active) == (AccountState.ACTIVE, False)
    assert len(mail.outbox) == sent
    assert AuditEntry.objects.get(action="account.reactivated").data == {"is_active": False}


def test_reactivating_twice_at_once_emails_and_audits_once(
    db, professional, superuser, django_capture_on_commit_callbacks
):
    """Two administrators, or a double click, each read the account dormant on the Reactivate page before either
    saved: the second finds it active and changes nothing."""
    User.objects.filter(pk=professional.pk).update(account_state=AccountState.DORMANT, last_login=_days_ago(80))
    first, second = User.objects.get(pk=professional.pk), User.objects.get(pk=professional.pk)
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        account_reactivate(user=first, reactivated_by=superuser)
        account_reactivate(user=second, reactivated_by=superuser)

    assert [message.subject for message in mail.outbox[sent:]] == ["Your SEND portal account is active again"]
    assert AuditEntry.objects.filter(action="account.reactivated").count() == 1
