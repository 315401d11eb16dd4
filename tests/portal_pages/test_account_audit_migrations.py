"""Account audit entries written before they stopped copying words a person typed: the migrations keep a refusal's
reason on the request to join and name a device by its kind and id, taking the words out of the entries, whose row,
id, actor, time and states stay."""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice

from cms.models import AuditEntry
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState, JoinRequest, JoinRequestState, OrganisationKind
from tests.factories.accounts import TOTPDeviceFactory, UserFactory, staff_in_group
from tests.migrations import leaf_nodes, migrate

BEFORE_REFUSALS = [("portal_pages", "0013_inbox_links_not_requests")]


def _latest():
    migrate(leaf_nodes())


def _entries():
    return {
        e.pk: (e.actor_id, e.action, e.created_at, e.target_id, e.from_state, e.to_state)
        for e in AuditEntry.objects.all()
    }


def _refused(email, reason):
    """An account whose request to join was refused, its request keeping ``reason``."""
    account = UserFactory(email=email, account_state=AccountState.REFUSED, is_active=False)
    JoinRequest.objects.create(
        account=account,
        organisation_name="Kestrelford SLT",
        kind=OrganisationKind.choices[0][0],
        email_domain=email.rsplit("@", 1)[-1],
        state=JoinRequestState.REFUSED,
        reason=reason,
    )
    return account


def _refusal_entry(administrator, account, reason):
    return AuditEntry.objects.create(
        action=AccountEvent.JOIN_REFUSED,
        actor=administrator,
        target=account,
        from_state=AccountState.AWAITING_APPROVAL,
        to_state=AccountState.REFUSED,
        reason=reason,
    )


@pytest.mark.django_db(transaction=True)
def test_refusal_reasons_stay_on_the_request_to_join_and_leave_the_entries():
    administrator = staff_in_group("Portal administrator")
    kept = _refused("slt@kestrelford.example.org", "We could not find this service.")
    lost = _refused("ot@kestrelford.example.org", "")  # only the entry held the words
    deleted = UserFactory(email="gone@kestrelford.example.org")  # its request to join went with it
    entries = {
        "kept": _refusal_entry(administrator, kept, "We could not find this service."),
        "lost": _refusal_entry(administrator, lost, "Ask Jo Bloggs, your manager, to register."),
        "deleted": _refusal_entry(administrator, deleted, "Not a council service."),
    }
    dormant = AuditEntry.objects.create(action=AccountEvent.DORMANT, target=kept, reason="No sign-in for 55 days")
    before = _entries()

    migrate(BEFORE_REFUSALS)
    _latest()

    assert _entries() == before
    reasons = {name: AuditEntry.objects.get(pk=entry.pk).reason for name, entry in entries.items()}
    assert reasons == {"kept": "", "lost": "", "deleted": "Not a council service."}
    assert dict(JoinRequest.objects.values_list("account__email", "reason")) == {
        kept.email: "We could not find this service.",
        lost.email: "Ask Jo Bloggs, your manager, to register.",
    }
    assert AuditEntry.objects.get(pk=dormant.pk).reason == "No sign-in for 55 days"


@pytest.mark.django_db(transaction=True)
def test_going_back_puts_each_refusal_reason_back_in_its_entry():
    administrator = staff_in_group("Portal administrator")
    account = _refused("slt@kestrelford.example.org", "We could not find this service.")
    entry = _refusal_entry(administrator, account, "")

    migrate(BEFORE_REFUSALS)
    try:
        assert AuditEntry.objects.get(pk=entry.pk).reason == "We could not find this service."
    finally:
        _latest()
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""
    assert JoinRequest.objects.get().reason == "We could not find this service."


BEFORE_DEVICES = [("portal_pages", "0014_join_refusal_reasons_off_the_audit_log")]


@pytest.mark.django_db(transaction=True)
def test_device_names_leave_the_entries_which_name_the_device_by_kind_and_id():
    account = UserFactory(email="senco@oakfield.example.org")
    phone = TOTPDeviceFactory(user=account, name="Jane's phone")
    phone_id = phone.persistent_id
    phone.delete()  # the entry still names it by id; its name is gone with it
    codes = StaticDevice.objects.create(user=account, name="Backup codes", confirmed=True)

    def old_entry(action, data):
        return AuditEntry.objects.create(action=action, actor=account, target=account, data=data)

    entries = {
        "added": old_entry(AccountEvent.DEVICE_ADDED, {"device": "Jane's phone", "device_id": phone_id}),
        "admin": old_entry(AccountEvent.SIGNED_IN, {"device": "Jane's phone", "device_id": phone_id, "where": "admin"}),
        "codes": old_entry(
            AccountEvent.BACKUP_CODE_USED,
            {"device": "Backup codes", "device_id": codes.persistent_id, "backup_codes_left": 9},
        ),
        "unknown": old_entry(AccountEvent.SIGNED_IN, {"device": "Jane's key", "device_id": "otp_yubikey.device/1"}),
        "other": old_entry(AccountEvent.DEVICES_RESET, {"devices_removed": 2}),
    }
    before = _entries()

    migrate(BEFORE_DEVICES)
    _latest()

    assert _entries() == before
    assert {name: AuditEntry.objects.get(pk=entry.pk).data for name, entry in entries.items()} == {
        "added": {"device_kind": "authenticator", "device_id": phone_id},
        "admin": {"device_kind": "authenticator", "device_id": phone_id, "where": "admin"},
        "codes": {"device_kind": "backup_codes", "device_id": codes.persistent_id, "backup_codes_left": 9},
        "unknown": {"device_id": "otp_yubikey.device/1"},
        "other": {"devices_removed": 2},
    }

    # Going back puts no name back (nothing reads one, and a deleted device's is gone): the entries stay as they are.
    migrate(BEFORE_DEVICES)
    try:
        assert AuditEntry.objects.get(pk=entries["added"].pk).data == {
            "device_kind": "authenticator",
            "device_id": phone_id,
        }
    finally:
        _latest()
