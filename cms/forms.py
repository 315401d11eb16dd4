"""Form helpers of the site core shared by the apps: the data a view binds its form to, GOV.UK error markup for the
portal's forms, the words of a code step (a wrong code, a wait), the admin's sign-in form, and the checked upload
forms of the admin's documents and images. Forms here write nothing: the end of a code step's waits is
cms.two_factor.code_waits_reset."""

from functools import partial

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name
from wagtail.admin.forms.auth import LoginForm
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from cms.document_checks import document_problem
from cms.formats import govuk_wait
from cms.pdf_checks import UploadProblem, pdf_bytes_problem, size_limit, too_large_message
from cms.upload_names import has_unsafe_name
from cms.virus_scan import upload_virus_problem

# GOV.UK Frontend's error class for each kind of widget that has one (text, email and password inputs take
# govuk-input--error); radios and checkboxes take none: their form group shows the error.
ERROR_CLASSES = {
    forms.Select: "govuk-select--error",
    forms.Textarea: "govuk-textarea--error",
    forms.FileInput: "govuk-file-upload--error",
    forms.TextInput: "govuk-input--error",
    forms.EmailInput: "govuk-input--error",
    forms.PasswordInput: "govuk-input--error",
}


def posted(request):
    """What a view binds its form to: the POST data of a POST, even an empty one, which must show its errors like
    any other bad post (``request.POST or None`` took it for a fresh page); None otherwise, for an unbound form."""
    return request.POST if request.method == "POST" else None


def field_subject(label: str) -> str:
    """What an error message names a field by, from its label: 'Account name'; a label's last clause after a colon
    ('If it is not in the list: its address' -> 'Its address'), without a question mark or '(optional)'."""
    subject = str(label).rsplit(": ", 1)[-1].strip().removesuffix(" (optional)").rstrip("?")
    return subject[:1].upper() + subject[1:]


def too_long_and_hidden_characters(field, subject: str) -> dict[str, str]:
    """GOV.UK's words for a text that is too long or holds a null character (Django's own say "Ensure this value has
    at most 150 characters (it has 300)." and "Null characters are not allowed."), in the wizard's wording."""
    subject = subject.replace("%", "%%")  # the validator's params are put into the message with %
    messages = {"null_characters_not_allowed": f"{subject} must not contain hidden characters"}
    # The limit the field's validator checks (AuthenticationForm lowers the username's max_length, not its validator).
    limits = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
    if limits:
        messages["max_length"] = f"{subject} must be {min(limits):,} characters or fewer"
    return messages


# A wrong authenticator code, in one set of words for the portal's code steps and the admin's: the portal's sign-in,
# which also takes a backup code, adds its words for one (portal_pages.forms).
WRONG_CODE = "The code is not right. Enter the 6-digit code your authenticator app shows now for this portal"
# Adding an authenticator, in the portal's words on its page and on the admin's (wagtail-2fa's, cms.wagtail_2fa_compat).
DEVICE_NAME_REQUIRED = "Enter a name for this device, like Jo's phone"
PASSWORD_REQUIRED = "Enter your account's password"  # noqa: S105 - words, not a password
WRONG_PASSWORD = "The password is not right"  # noqa: S105 - words, not a password
# A sign-in with a box left empty, and a refused one, on the portal's page and the admin's.
EMAIL_REQUIRED = "Enter your email address"
SIGN_IN_PASSWORD_REQUIRED = "Enter your password"  # noqa: S105 - words, not a password
WRONG_SIGN_IN = "The email address or password is not right. Check them and try again, or reset your password"


def code_wait_error(devices) -> str:
    """What a code step (the portal's or the admin's) says while django-otp makes any of ``devices`` wait after wrong
    codes (1, 2, 4… seconds, doubling), with the longest wait; "" when a code may be tried on them now.

    Any one waiting makes them all wait: the codes are matched against every device before one is verified, so a
    guess would otherwise be tried against the devices that recorded no failure."""
    waits = [data or {} for allowed, data in (device.verify_is_allowed() for device in devices) if not allowed]
    if not waits:
        return ""
    until = max((data["locked_until"] for data in waits if "locked_until" in data), default=None)
    wait = govuk_wait(until) if until is not None else "a minute"
    return f"You have entered too many wrong codes. Wait {wait} and try again"


class GovukErrorsMixin:
    """Links hints (help_text) and errors to their inputs, gives a field with errors its widget's GOV.UK error
    class, and lists the errors for the error summary in the words shown beside each field.

    Every text field says in GOV.UK's words when what was typed is too long or holds a null character, naming the
    field by its label, or by ``error_subjects[name]`` where the label is a question or an instruction ("Create a
    password"); a field's own error_messages for either keep their words."""

    error_subjects: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{name}-hint"
            if isinstance(field, forms.CharField):
                subject = self.error_subjects.get(name) or field_subject(field.label or pretty_name(name))
                for code, message in too_long_and_hidden_characters(field, subject).items():
                    field.error_messages.setdefault(code, message)

    def add_error(self, field, error):
        """Marks each field that gets an error, during validation or after it: a view that adds one once the form
        is valid (a wrong authenticator code) links it to its input like any other."""
        super().add_error(field, error)
        for name in list(self.errors):
            if name in self.fields:
                self._mark_error(name)

    def _mark_error(self, name):
        widget = self.fields[name].widget
        error_class = next((cls for kind, cls in ERROR_CLASSES.items() if isinstance(widget, kind)), "")
        classes = widget.attrs.get("class", "").split()
        if error_class and error_class not in classes:
            widget.attrs["class"] = " ".join([*classes, error_class])
        described = widget.attrs.get("aria-describedby", "").split()
        if f"{name}-error" not in described:
            widget.attrs["aria-describedby"] = " ".join([*described, f"{name}-error"])

    def error_summary(self):
        """(link, message) pairs, in field order, for the error summary (cms/includes/error_summary.html); a group
        of checkboxes or radios is reached through its first option."""
        items = [("#id_" + next(iter(self.fields)), e) for e in self.non_field_errors()]
        for name, field in self.fields.items():
            grouped = isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)
            href = f"#id_{name}_0" if grouped else f"#id_{name}"
            items.extend((href, message) for message in self.errors.get(name, []))
        return items


class SummaryTakesFocusMixin:
    """A form of the admin shown with cms/admin/includes/error_summary.html: once it has errors, no field keeps the
    autofocus its form gave it, so the error summary, not the field, takes focus when the page comes back."""

    def full_clean(self):
        super().full_clean()
        if self._errors:
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)


class AdminLoginForm(SummaryTakesFocusMixin, LoginForm):
    """The admin's sign-in form (WAGTAILADMIN_USER_LOGIN_FORM): Wagtail's, with the inputs' purpose named for
    browsers and password managers (WCAG 1.3.5), and a refused sign-in told beside the password and in the error
    summary: Wagtail showed it only in a list of messages that is on the page from the start, which a screen reader
    may not announce. Its words are the portal's (Wagtail said "… didn't match. Please try again.", and "This field
    is required." for each empty box, two links of the same words in the error summary)."""

    error_messages = {**LoginForm.error_messages, "invalid_login": WRONG_SIGN_IN}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.fields["username"].error_messages["required"] = EMAIL_REQUIRED
        self.fields["password"].error_messages["required"] = SIGN_IN_PASSWORD_REQUIRED

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:  # a wrong email address or password, or an account switched off
            self.add_error("password", error)
            return self.cleaned_data


class GuidanceFileMixin:
    """The file field of the admin's document and image forms (staff's guidance uploads).

    A file whose name Django cleaned of a path or a character that cannot be seen (cms.upload_names) is refused
    beside the field in the words of professionals' uploads, not stored cleaned ("report", U+202E, "fdp.exe.pdf" was
    kept as "reportfdp.exe.pdf"); it is checked before the field's own checks, whose words would be about the cleaned
    name (Wagtail's image field calls "\u200b.png", cleaned to ".png", not an image).

    Wagtail's file field refuses a file over its limit (WAGTAILDOCS_MAX_UPLOAD_SIZE, WAGTAILIMAGES_MAX_UPLOAD_SIZE)
    before any check reads it, here and in the multiple uploader (whose page also refuses it in the browser, before
    it is sent); the limit is given the words of professionals' uploads, in the hint and in the refusal."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is None:
            return
        field.clean = partial(_name_checked, field.clean)
        limit = getattr(field, "max_upload_size", None)
        if limit is not None:
            mb = limit // (1024 * 1024)
            field.help_text = self.file_hint(field, f"Files must be {size_limit(mb)}")
            message = too_large_message(mb)  # Wagtail's gives the file's size and the limit: "10.0 MB"
            field.error_messages = {**field.error_messages, "file_too_large": message}
            field.error_messages["file_too_large_unknown_size"] = message  # the multiple uploader's, in the browser

    def file_hint(self, field, size_hint):
        return size_hint


def _name_checked(clean, data, initial=None):
    if has_unsafe_name(data):
        raise ValidationError(UploadProblem.BAD_NAME)
    return clean(data, initial)


class NameCheckedFileField(forms.FileField):
    """A file field of a form of our own that refuses, in the words of every other upload, a file whose name Django
    cleaned of a path or a character that cannot be seen (cms.upload_names), before its own checks, whose words
    would be about the cleaned name."""

    def clean(self, data, initial=None):
        return _name_checked(super().clean, data, initial)


class GuidanceDocumentForm(GuidanceFileMixin, BaseDocumentForm):
    """Wagtail's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE): a PDF that staff upload for the public passes
    the same content checks as a professional's, so no guidance download carries a script, a launch action or
    an embedded file, and none is too large to open; Office, CSV and text files pass cms.document_checks (no
    macros, no links to other files, no formulas in a CSV, content of the kind the name says); every file is
    scanned for viruses (cms.virus_scan). Its file field is GuidanceFileMixin's: a hidden character in the name and
    a file over PORTAL_MAX_GUIDANCE_DOCUMENT_MB are refused in the words of professionals' uploads."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is None or uploaded == self.original_file:
            return uploaded
        uploaded.seek(0)
        data = uploaded.read()
        uploaded.seek(0)
        extension = uploaded.name.rpartition(".")[2].lower()
        problem = document_problem(extension, data)
        if problem:
            raise ValidationError(problem)
        if extension == "pdf" or data.startswith(b"%PDF-"):
            problem = pdf_bytes_problem(data, named_pdf=extension == "pdf")
            if problem:
                raise ValidationError(problem)
        problem = upload_virus_problem(data)
        if problem:
            raise ValidationError(problem)
        return uploaded

    def _update_errors(self, errors):
        """Leaves out Wagtail's "File extension “” is not allowed" under a file this form refused: Document.clean
        checks the extension of the file the new document holds, which is none once the upload is refused. The
        multiple uploader's "Update" form has no file field: Document.clean's word on a stored file of a type no
        longer taken is then about the whole document (Django fails on an error for a field the form lacks)."""
        if hasattr(errors, "error_dict") and "file" in errors.error_dict and "file" not in self.fields:
            errors.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(errors.error_dict.pop("file"))
        if "file" in self.errors and hasattr(errors, "error_dict"):
            errors.error_dict.pop("file", None)
            if not errors.error_dict:
                return
        super()._update_errors(errors)


class GuidanceImageForm(GuidanceFileMixin, BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): every image staff upload is scanned for viruses. Its file
    field is GuidanceFileMixin's: a hidden character in the name and a file over PORTAL_MAX_GUIDANCE_IMAGE_MB are
    refused in the words of guidance documents and professionals' uploads."""

    def file_hint(self, field, size_hint):
        return f"Supported formats: {field.supported_formats_text}. {size_hint}"

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is None or uploaded == self.original_file:
            return uploaded
        uploaded.seek(0)
        problem = upload_virus_problem(uploaded.read())
        uploaded.seek(0)
        if problem:
            raise ValidationError(problem)
        return uploaded
