"""Forms for accounts. Error messages say what is wrong and what to do, in GOV.UK's words and style."""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from wagtail.admin.forms.auth import PasswordResetForm
from wagtail.users import forms as wagtail_user_forms

from cms.emails import email_text_render
from cms.form_fields import EMAIL_FORMAT_ERROR, GovukTextField, empty_choice_words
from cms.forms import (
    DEVICE_NAME_REQUIRED,
    EMAIL_REQUIRED,
    PASSWORD_REQUIRED,
    SIGN_IN_PASSWORD_REQUIRED,
    WRONG_CODE,
    WRONG_PASSWORD,
    WRONG_SIGN_IN,
    GovukErrorsMixin,
)
from portal_pages.access import SWITCHED_OFF_WORDS
from portal_pages.backends import account_for_address
from portal_pages.models import AccountState, Organisation, OrganisationKind, User
from portal_pages.services.emails import email_queue, service_contact, support_email

INPUT_CLASS = "govuk-input"


def _text(autocomplete, **attrs):
    return forms.TextInput(attrs={"class": INPUT_CLASS, "autocomplete": autocomplete, **attrs})


def _password(autocomplete):
    return forms.PasswordInput(attrs={"class": INPUT_CLASS, "autocomplete": autocomplete, "spellcheck": "false"})


def _email(autocomplete):
    return forms.EmailInput(attrs={"class": INPUT_CLASS, "autocomplete": autocomplete, "spellcheck": "false"})


def _your_email_field(autocomplete):
    """The "Email address" a person types to be found by (signing in, or asking for a link to be sent to it): one label
    and one pair of error messages on every door."""
    return forms.EmailField(
        label="Email address",
        widget=_email(autocomplete),
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_FORMAT_ERROR},
    )


class SignInForm(GovukErrorsMixin, AuthenticationForm):
    username = _your_email_field("username")
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=_password("current-password"),
        error_messages={"required": SIGN_IN_PASSWORD_REQUIRED},
    )
    error_messages = {
        "invalid_login": WRONG_SIGN_IN,
        "inactive": "This account cannot sign in yet",
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            self.user_cache = authenticate(self.request, username=email, password=password)
            if self.user_cache is None:
                self._explain_refusal(email, password)
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def _explain_refusal(self, email, password):
        """With the right password, say why an account that exists cannot sign in; otherwise say nothing.

        The password is hashed once here whether or not the address is an account's, as Django's ModelBackend does
        for an unknown username: a refusal that took one hash longer for an account's address (a good part of a
        second with PBKDF2) would tell anyone timing the page which addresses have accounts."""
        user = account_for_address(email)
        if user is None:
            User().set_password(password)
            return
        if not user.check_password(password):
            return
        if not user.is_active and user.account_state in (AccountState.ACTIVE, AccountState.DORMANT):
            # Switched off by an administrator: said first, as reactivating a dormant one would not let it sign in.
            raise ValidationError(SWITCHED_OFF_WORDS, code="switched_off")
        if user.account_state == AccountState.DORMANT:
            raise ValidationError(
                "Your account is dormant because nobody has signed in to it for %(days)s days. "
                "Ask the SEND service to reactivate it",
                code="dormant",
                params={"days": settings.PORTAL_DORMANT_DAYS},
            )
        # A request to join waiting or refused: whom to write to, when the portal settings give an address.
        joining = {
            AccountState.AWAITING_APPROVAL: (
                "Your request to join the portal is waiting for a portal administrator at %(council_name)s to "
                "approve it. We will email you when it is approved, and then you can sign in",
                ". If you have a question, email %(support_email)s",
            ),
            AccountState.REFUSED: (
                "Your request to join the portal was not approved, so this account cannot sign in. The email we sent "
                "you says why. If you think this is a mistake, contact the SEND service at %(council_name)s",
                " by emailing %(support_email)s",
            ),
        }
        if user.account_state in joining:
            words, write_to = joining[user.account_state]
            address = support_email()
            raise ValidationError(
                words + (write_to if address else ""),
                code=user.account_state,
                params={"council_name": service_contact()["council_name"], "support_email": address},
            )
        if user.account_state == AccountState.PENDING_VERIFICATION:
            raise ValidationError(
                "You need to confirm your email address before you sign in. Open the link we emailed you, "
                "or ask for a new link",
                code="unverified",
            )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_staff or user.is_superuser:
            raise ValidationError("Council staff sign in to the staff admin at /admin/, not here", code="staff")


# A wrong code at signing in (CodeForm, which also takes a backup code); setting up a device (EnrolForm, which takes
# only the app's code: the device is not confirmed until its code works) says cms.forms.WRONG_CODE, as the admin does.
WRONG_CODE_OR_BACKUP_CODE = f"{WRONG_CODE}, or one of your 8-character backup codes"
# A backup code typed again: each works once (portal_pages.otp.backup_code_used).
BACKUP_CODE_USED = (
    "That backup code has already been used. Enter one of your other backup codes, or the 6-digit code your "
    "authenticator app shows now for this portal"
)


class CodeForm(GovukErrorsMixin, forms.Form):
    error_subjects = {"code": "The code"}

    code = forms.CharField(
        label="Code from your authenticator app, or a backup code",
        help_text="Open the authenticator app on your phone and enter the 6-digit code it shows for this portal, or "
        "enter one of your 8-character backup codes.",
        max_length=20,
        # No numeric keypad: a backup code has letters in it (django-otp's base32, e.g. "k3tq7zma").
        widget=_text("one-time-code", spellcheck="false", autocapitalize="none"),
        error_messages={"required": "Enter the code from your authenticator app, or a backup code"},
    )


class EnrolForm(GovukErrorsMixin, forms.Form):
    error_subjects = {"name": "The device name", "code": "The code"}

    name = GovukTextField(
        label="Name this device",
        help_text="So your team can tell devices apart, like “Jo's phone”.",
        max_length=64,
        widget=_text("off"),
        error_messages={"required": DEVICE_NAME_REQUIRED},
    )
    code = forms.CharField(
        label="Code shown in the app",
        max_length=10,
        widget=_text("one-time-code", inputmode="numeric", spellcheck="false"),
        error_messages={"required": "Enter the 6-digit code shown in your authenticator app"},
    )


class AddDeviceForm(EnrolForm):
    password = forms.CharField(
        label="Your account's password",
        strip=False,
        widget=_password("current-password"),
        error_messages={"required": PASSWORD_REQUIRED},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(WRONG_PASSWORD, code="wrong_password")
        return password


def _personal_domains():
    return {domain.lower() for domain in settings.PORTAL_PERSONAL_EMAIL_DOMAINS}


UNLISTED_KIND_CHOICES = [("", "Choose one")] + [(k.value, k.label) for k in OrganisationKind]


class RegisterForm(GovukErrorsMixin, forms.Form):
    error_subjects = {"organisation_address": "The address", "password": "Your password"}

    organisation = GovukTextField(
        label="Your school, setting or service",
        help_text="Start typing its name and choose it from the list. If it is not there, type its full name and "
        "tell us below what kind of organisation it is and its address: a portal administrator will approve it.",
        max_length=200,
        widget=_text("organization", list="organisation-list"),
        error_messages={"required": "Enter the name of your school, setting or service"},
    )
    email = forms.EmailField(
        label="Your team's work email address",
        help_text="Use the shared address of your team, like the SENCO mailbox or the service's mailbox, "
        "not a personal address. Colleagues sign in with it too.",
        widget=_email("email"),
        error_messages={
            "required": "Enter your team's work email address",
            "invalid": EMAIL_FORMAT_ERROR,
        },
    )
    display_name = GovukTextField(
        label="Account name",
        help_text="How the SEND service will see your account, like “Oakfield Primary SENCO” or "
        "“Educational Psychology Service”.",
        max_length=150,
        widget=_text("off"),
        error_messages={"required": "Enter a name for the account, like Oakfield Primary SENCO"},
    )
    organisation_kind = forms.ChoiceField(
        label="If it is not in the list: what kind of organisation is it?",
        choices=UNLISTED_KIND_CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    organisation_address = GovukTextField(
        label="If it is not in the list: its address",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3, "autocomplete": "off"}),
    )
    password = forms.CharField(
        label="Create a password",
        help_text="At least 12 characters. A few random words are easy to remember and hard to guess. "
        "Your password manager can make one for you.",
        strip=False,
        widget=_password("new-password"),
        error_messages={"required": "Enter a password"},
    )

    # Set by clean(): what the account tells us of an organisation to approve (None: a listed one with its domain).
    joining = None

    def clean_organisation(self):
        """The listed organisation, or the name typed for one that is not listed (a request to join)."""
        name = self.cleaned_data["organisation"].strip()
        return Organisation.objects.filter(is_active=True, name__iexact=name).first() or name

    def _clean_unlisted(self, name):
        kind, address = self.cleaned_data.get("organisation_kind"), self.cleaned_data.get("organisation_address", "")
        if not kind:
            self.add_error(
                "organisation_kind",
                "Select what kind of organisation it is, or choose your organisation from the list",
            )
        if not address.strip():
            self.add_error("organisation_address", "Enter the address of your school, setting or service")
        self.joining = {"name": name, "kind": kind, "address": address}

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        domain = email.rsplit("@", 1)[-1]
        if domain in _personal_domains():
            raise ValidationError(
                "Use your team's work email address, not a personal one: the council shares children's details "
                "only with addresses that belong to a school, setting or service",
                code="personal",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        organisation, email = cleaned.get("organisation"), cleaned.get("email")
        if isinstance(organisation, str):
            self._clean_unlisted(organisation)
            cleaned["organisation"] = organisation = None
        elif organisation and not organisation.domains:
            # Listed (from GIAS) but no address is known to be its own yet: an administrator confirms the domain.
            self.joining = {"name": organisation.name, "kind": organisation.kind, "address": ""}
        elif organisation and email and not organisation.allows_email(email):
            self.add_error(
                "email",
                ValidationError(
                    "Enter an email address that ends with @%(domains)s, the address of %(name)s",
                    code="domain",
                    params={"domains": " or @".join(organisation.domains), "name": organisation.name},
                ),
            )
        password = cleaned.get("password")
        if password:
            candidate = User(email=email or "", display_name=cleaned.get("display_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned


class EmailForm(GovukErrorsMixin, forms.Form):
    email = _your_email_field("email")


class AdminPasswordResetForm(PasswordResetForm):
    """The admin's "Forgotten password?" (WAGTAILADMIN_USER_PASSWORD_RESET_FORM): Django's own email, words and link,
    put in the outbox to be sent by a worker after the request, like every other email of the portal. (Django sends
    it in the request and, when the mail server refuses, logs the failure and loses the email.)

    ``once_for``: the request, when its task sends it (``email_queue``), so a second run of the task sends nothing."""

    def __init__(self, *args, once_for: str = "", **kwargs):
        self.once_for = once_for
        super().__init__(*args, **kwargs)

    def get_users(self, email):
        """Staff alone: a professional's account signs in at the portal, which has a reset of its own (an admin
        link sent to one set a password for a door it cannot use)."""
        return (user for user in super().get_users(email) if user.is_staff or user.is_superuser)

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        context = {**context, "link_lasts": f"{hours // 24} days" if hours >= 48 else f"{hours} hours"}
        subject = "".join(email_text_render(subject_template_name, context).splitlines())  # one line, as Django's
        body = email_text_render(email_template_name, context)
        email_queue(
            to=to_email,
            subject=subject,
            body=body,
            kind="admin_password_reset",
            user=context.get("user"),
            once_for=self.once_for,
        )


class NewPasswordForm(GovukErrorsMixin, forms.Form):
    """One new password (password managers fill it); Django's validators: 12 characters, not a common one."""

    new_password = forms.CharField(
        label="New password",
        help_text="At least 12 characters. A few random words are easy to remember and hard to guess.",
        strip=False,
        widget=_password("new-password"),
        error_messages={"required": "Enter a new password"},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        password_validation.validate_password(password, self.user)
        return password


# The empty choice of each list of organisations staff choose from (a join request's, a team account's).
SELECT_ORGANISATION = "Select an organisation"


class JoinDecisionForm(forms.Form):
    """A portal administrator's decision on a request to join; a refusal needs a reason (the person is told)."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or refuse the request"},
    )
    organisation = forms.ModelChoiceField(
        label="Link to an organisation already listed (optional)",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text="Leave empty to add the organisation as the person named it.",
    )
    reason = GovukTextField(
        label="If you refuse: why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Emailed to the person.",
    )

    def __init__(self, *args, chosen=None, **kwargs):
        """``chosen``: the organisation the person chose from the list, which an approval left empty here links."""
        super().__init__(*args, **kwargs)
        empty_choice_words(self.fields["organisation"], SELECT_ORGANISATION)
        if chosen is not None:
            self.fields[
                "organisation"
            ].help_text = f"Leave empty to link the account to {chosen.name}, which the person chose from the list."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter why the request is refused: the person is told")
        return cleaned


# Settings -> Users (Wagtail's user screens, kept for council staff accounts: portal_pages.admin_views)

# Wagtail's "Administrator" tick is superuser status, not the "Portal administrator" role beside it; its "Groups" are
# the roles (roles.ROLES) that "Assign role" gives and the audit log names.
STAFF_ROLES_LABEL = "Roles"
STAFF_ROLES_HELP = "What the account may do in the staff admin. Tick each role the person needs."
SUPERUSER_LABEL = "Superuser"
SUPERUSER_HELP = (
    "Everything, whatever the roles: every account, role and setting, including these screens. Give it to as few "
    "people as possible."
)
STAFF_FIELD_REQUIRED = {
    "email": "Enter an email address",
    "first_name": "Enter a first name",
    "last_name": "Enter a last name",
}
ACCOUNT_EXISTS = "An account with this address exists already"
NO_ROLE = "Choose at least one role, or make the account a superuser"


class StaffUserFormMixin:
    """Each field of Settings -> Users says what to enter when left empty, where Django says "This field is
    required."; the roles are called roles, and superuser status is not called "Administrator". No password: the
    account chooses its own (WAGTAILUSERS_PASSWORD_ENABLED)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in STAFF_FIELD_REQUIRED.items():
            if name in self.fields:
                self.fields[name].error_messages = {**self.fields[name].error_messages, "required": message}
        self.fields["email"].error_messages["invalid"] = EMAIL_FORMAT_ERROR
        self.fields["first_name"].label, self.fields["last_name"].label = "First name", "Last name"
        if "groups" in self.fields:
            self.fields["groups"].label, self.fields["groups"].help_text = STAFF_ROLES_LABEL, STAFF_ROLES_HELP
        if "is_superuser" in self.fields:
            self.fields["is_superuser"].label, self.fields["is_superuser"].help_text = SUPERUSER_LABEL, SUPERUSER_HELP

    def clean_email(self):
        """Taken whatever its case, as sign-in matches it (backends.account_for_address), where Wagtail's check
        matches it exactly."""
        email = self.address(self.cleaned_data["email"])
        if User.objects.exclude(pk=self.instance.pk).filter(email__iexact=email).exists():
            raise ValidationError(ACCOUNT_EXISTS)
        return email

    def address(self, typed: str) -> str:
        return typed


class StaffUserCreationForm(StaffUserFormMixin, wagtail_user_forms.UserCreationForm):
    """The new account is invited (services.accounts.account_invite), with at least one role: one with none would
    meet Wagtail's "no permission" page once it had chosen its password."""

    def address(self, typed):
        return User.objects.normalize_email(typed).lower()  # as the invitation saves it

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("groups") and not cleaned.get("is_superuser"):
            self.add_error("groups", NO_ROLE)
        return cleaned


class StaffUserEditForm(StaffUserFormMixin, wagtail_user_forms.UserEditForm):
    pass
