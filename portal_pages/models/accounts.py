from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Concat, Trim
from django.utils import timezone


class PortalUserManager(UserManager):
    """Users sign in with their email address; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class AccountState(models.TextChoices):
    """Where an account is in its life; services in portal_pages.services make every transition."""

    PENDING_VERIFICATION = "pending_verification", "Waiting for email confirmation"
    INVITED = "invited", "Invited, no password chosen yet"
    ACTIVE = "active", "Active"
    DORMANT = "dormant", "Dormant (not signed in for too long)"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval (request to join)"
    REFUSED = "refused", "Request to join refused"


# The states whose accounts may sign in; in them, ``is_active`` is an administrator's switch.
SIGN_IN_STATES = (AccountState.ACTIVE, AccountState.DORMANT)
# What an administrator reads for an account in one of those states with Active unticked: no workflow state of its
# own (the switch is kept once, in ``is_active``), only a label shown and filtered on.
SWITCHED_OFF = "switched_off", "Switched off"
SHOWN_STATES = [SWITCHED_OFF, *AccountState.choices]
# Why an account cannot sign in, in a word or two, for the mark beside its name where a caseworker sees who holds a
# request ("Oakfield Primary SENCO (dormant)"): by shown state, every one but Active.
CANNOT_SIGN_IN_MARKS = {
    SWITCHED_OFF[0]: "switched off",
    AccountState.PENDING_VERIFICATION: "not confirmed",
    AccountState.INVITED: "invited",
    AccountState.DORMANT: "dormant",
    AccountState.AWAITING_APPROVAL: "not approved",
    AccountState.REFUSED: "refused",
}


def shown_state_q(value: str) -> models.Q:
    """The accounts whose ``shown_state`` is ``value``: switched off, or in that state and not switched off."""
    switched_off = models.Q(is_active=False, account_state__in=SIGN_IN_STATES)
    return switched_off if value == SWITCHED_OFF[0] else models.Q(account_state=value) & ~switched_off


def signs_in_q(prefix: str = "") -> models.Q:
    """The accounts that can sign in now (``User.can_sign_in``, as a filter; ``prefix`` e.g. "account__" from a
    request): Active ticked and the workflow state Active. Only they can be reached: a message's email or a reminder
    to any other would ask someone to open a portal they cannot open."""
    return models.Q(**{f"{prefix}is_active": True, f"{prefix}account_state": AccountState.ACTIVE})


class User(AbstractUser):
    """Staff and team accounts alike; a team account signs in with its organisation's generic address.

    ``account_state`` is the one workflow field. ``is_active`` stays Django's switch: it is False while an
    account waits for email confirmation or an invitation, and an administrator may clear it to disable one.
    """

    username = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="How the account is shown to others, e.g. 'Oakfield Primary SENCO'.",
    )
    organisation = models.ForeignKey(
        "portal_pages.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
        help_text="The school, setting or service of a team account; empty for council staff.",
    )
    account_state = models.CharField(
        max_length=32, choices=AccountState.choices, default=AccountState.ACTIVE, db_index=True
    )
    state_changed_at = models.DateTimeField(
        default=timezone.now,
        help_text="When the account state last changed; dormancy counts from this or the last sign-in, the later.",
    )
    email_verified_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = PortalUserManager()

    def __str__(self):
        return self.display_name or self.get_full_name() or self.email

    @property
    def person_name(self) -> str:
        """Who did something or holds a child's case, as every page, list, PDF and download names them (the casework
        pages, the audit log's Who, the outcomes report's maker): a member of staff by first and last names, as the
        staff's Users page asks for them, else the account's name or address; a team account by its name
        (``__str__``), not by whoever fills in its names. ``person_name_sql`` is the same rule for a query."""
        return (self.is_staff and self.get_full_name()) or str(self)

    @staticmethod
    def person_name_sql(through: str = ""):
        """``person_name`` as a database expression over the user's own columns (a filter by the name shown), or, with
        ``through`` ("actor__"), over those of the user a relation leads to (a list sorted by the name it shows)."""

        def column(name):
            return f"{through}{name}"

        def has_a_name():
            return ~Q(**{column("first_name"): "", column("last_name"): ""})

        full_name = Trim(Concat(column("first_name"), Value(" "), column("last_name")))
        return Case(
            When(Q(**{column("is_staff"): True}) & has_a_name(), then=full_name),
            When(~Q(**{column("display_name"): ""}), then=F(column("display_name"))),
            When(has_a_name(), then=full_name),
            default=F(column("email")),
            output_field=models.CharField(),
        )

    @property
    def shown_state(self) -> str:
        """The account's state as lists and pages show it: "Switched off" while an administrator has unticked Active
        on an account that could otherwise sign in, whatever its workflow state (kept, so ticking it restores it)."""
        return SWITCHED_OFF[1] if self.shown_state_key == SWITCHED_OFF[0] else self.get_account_state_display()

    @property
    def shown_state_key(self) -> str:
        """``shown_state``'s value in SHOWN_STATES: "switched_off", or the workflow state."""
        return SWITCHED_OFF[0] if not self.is_active and self.account_state in SIGN_IN_STATES else self.account_state

    @property
    def can_sign_in(self) -> bool:
        """Whether the account can sign in now (``signs_in_q``'s rule): the sign-in backend, the portal's access gate
        and who is sent emails and reminders all ask this."""
        return self.is_active and self.account_state == AccountState.ACTIVE

    @property
    def cannot_sign_in_because(self) -> str:
        """Why the account cannot sign in, in a word or two (CANNOT_SIGN_IN_MARKS), as shown beside its name where a
        caseworker sees who holds a request ("switched off", "dormant"); "" when it can."""
        return "" if self.can_sign_in else CANNOT_SIGN_IN_MARKS[self.shown_state_key]
