"""Forms around the form: uploads, outcomes, contacts, the contribution, change reports, staff deletions.

Each error says what is wrong and what to do, and the same words go beside the field and in the summary.
"""

from django import forms
from django.forms.models import model_to_dict

from advice_forms.fields import GovukFileInput
from advice_forms.models import CommunicationMethod, ContributionMethod, NeedType, Team, document_types_list
from advice_forms.uploads import not_uploaded_message, upload_problem
from cms.form_fields import EMAIL_FORMAT_ERROR, GovukTextField, PhoneField
from cms.forms import GovukErrorsMixin
from cms.pdf_checks import UploadProblem, size_limit


def _text(**attrs):
    return forms.TextInput(attrs={"class": "govuk-input", **attrs})


def _area(rows=5):
    return forms.Textarea(attrs={"class": "govuk-textarea", "rows": rows})


class TermChoiceField(forms.ModelChoiceField):
    """A Team or Type by its full name."""

    def label_from_instance(self, obj):
        return obj.display_name


def _term_field(model, label, what, help_text=""):
    """A required Team or Type, chosen by its full name; the queryset is set per form from _terms. Its empty option
    says `what` to choose in plain words ("the area of need"); its error uses the label's words ("Select the type"),
    as GOV.UK errors do, so the message and the label it stands beside agree."""
    return TermChoiceField(
        label=label,
        queryset=model.objects.none(),
        empty_label=f"Choose {what}",
        help_text=help_text,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": f"Select the {label.lower()}", "invalid_choice": f"Select the {label.lower()}"},
    )


def _terms(model, current=None):
    query = model.objects.filter(active=True)
    if current is not None:
        query = model.objects.filter(pk__in=[*query.values_list("pk", flat=True), current.pk])
    return query.order_by("sort_order", "code")


class DocumentUploadForm(GovukErrorsMixin, forms.Form):
    title = GovukTextField(
        label="Title",
        max_length=200,
        help_text="For example, Speech and language therapy report, spring term",
        widget=_text(),
        error_messages={"required": "Enter a title for the document"},
    )
    document_type = forms.ChoiceField(
        label="Type of document",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Select the type of document", "invalid_choice": "Select the type of document"},
    )
    file = forms.FileField(
        label="Upload a file",
        required=False,
        help_text="",
        widget=GovukFileInput(),
        error_messages={"empty": UploadProblem.EMPTY, "invalid": UploadProblem.MISSING},
    )

    def __init__(self, *args, oversized=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = oversized
        dropdown = document_types_list()
        self.fields["document_type"].choices = [("", "Choose a type")] + (dropdown.choices() if dropdown else [])
        self.fields["file"].help_text = f"A PDF, {size_limit()}"
        self.fields["file"].widget.attrs["aria-describedby"] = "file-hint"

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        problem = upload_problem(uploaded, sent=self.files.get("file") is not None, oversized=self.oversized)
        if problem:
            raise forms.ValidationError(problem)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("file")
        if uploaded and self._errors:
            # Refused for other answers: the page comes back without the file (a browser cannot keep a chosen one), so
            # the file field says it was not uploaded and must be chosen again.
            self.add_error("file", not_uploaded_message([uploaded.name]))
        return cleaned


class RowForm(GovukErrorsMixin, forms.Form):
    """A form that changes one row through a service, never saving it itself: given the row (`instance`) and no
    data, it starts from the row's values; a new row's starts with the account's own Team (``own_team``,
    selectors.account_team), which the professional may change."""

    def __init__(self, data=None, *args, instance=None, own_team=None, **kwargs):
        if instance is not None and data is None:
            kwargs.setdefault("initial", model_to_dict(instance, fields=list(self.base_fields)))
        elif data is None and own_team is not None and "team" in self.base_fields:
            kwargs.setdefault("initial", {"team": own_team.pk})
        super().__init__(data, *args, **kwargs)


class OutcomeForm(RowForm):
    need_type = _term_field(NeedType, "Type", "the area of need", help_text="The area of need the outcome is about")
    team = _term_field(Team, "Team", "the team", help_text="The team the outcome belongs to")
    outcome = GovukTextField(
        label="Outcome",
        help_text="What the child or young person will achieve",
        widget=_area(),
        error_messages={"required": "Enter the outcome"},
    )
    provision = GovukTextField(
        label="Provision (optional)",
        required=False,
        help_text="The support that will help them achieve it",
        widget=_area(),
    )
    timescale = GovukTextField(
        label="Timescale (optional)",
        required=False,
        max_length=200,
        help_text="For example, by the end of year 4",
        widget=_text(),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, instance=None, own_team=None, **kwargs):
        super().__init__(*args, instance=instance, own_team=own_team, **kwargs)
        self.fields["team"].queryset = _terms(Team, instance.team if instance else None)
        self.fields["need_type"].queryset = _terms(NeedType, instance.need_type if instance else None)


class ContactForm(RowForm):
    name = GovukTextField(
        label="Name", max_length=200, widget=_text(autocomplete="off"), error_messages={"required": "Enter their name"}
    )
    role = GovukTextField(
        label="Role",
        max_length=200,
        help_text="For example, Speech and language therapist",
        widget=_text(),
        error_messages={"required": "Enter their role"},
    )
    team = _term_field(Team, "Team", "the team")
    organisation = GovukTextField(label="Organisation (optional)", required=False, max_length=200, widget=_text())
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        widget=forms.EmailInput(attrs={"class": "govuk-input", "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"invalid": EMAIL_FORMAT_ERROR},
    )
    phone = PhoneField(
        label="Phone number (optional)",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20", "type": "tel"}),
    )

    def __init__(self, *args, instance=None, own_team=None, **kwargs):
        super().__init__(*args, instance=instance, own_team=own_team, **kwargs)
        self.fields["team"].queryset = _terms(Team, instance.team if instance else None)


class ContributionForm(GovukErrorsMixin, forms.Form):
    error_subjects = {"interpreter_language": "The language"}

    contribution_methods = forms.MultipleChoiceField(
        label="How did the parent or carer give their views?",
        choices=ContributionMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select how the parent or carer gave their views"},
    )
    communication_methods = forms.MultipleChoiceField(
        label="How do they want the SEND service to contact them?",
        choices=CommunicationMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select how the parent or carer wants to be contacted"},
    )
    interpreter_needed = forms.ChoiceField(
        label="Do they need an interpreter?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if they need an interpreter"},
    )
    interpreter_language = GovukTextField(
        label="Which language?", required=False, max_length=100, widget=_text(autocomplete="off")
    )
    parent_views = GovukTextField(
        label="The parent or carer's views",
        required=False,
        help_text="Write their views in their words, as they gave them to you",
        widget=_area(rows=8),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("interpreter_needed") == "yes" and not cleaned.get("interpreter_language", "").strip():
            self.add_error("interpreter_language", "Enter the language they need an interpreter for")
        cleaned["interpreter_needed"] = cleaned.get("interpreter_needed") == "yes"
        return cleaned


class DetailsChangeForm(GovukErrorsMixin, forms.Form):
    error_subjects = {"details": "What has changed"}

    details = GovukTextField(
        label="What has changed?",
        help_text="For example, a new address or a corrected date of birth. Only the EHC co-ordinator reads this.",
        widget=_area(),
        error_messages={"required": "Enter what has changed"},
    )


class ReasonForm(GovukErrorsMixin, forms.Form):
    error_subjects = {"reason": "The reason"}

    reason = GovukTextField(
        label="Why are you deleting it?",
        help_text="Kept with what you delete, and shown in its history in Casework",
        widget=_area(rows=3),
        error_messages={"required": "Enter the reason for deleting it"},
    )


class AccessRefusalForm(GovukErrorsMixin, forms.Form):
    error_subjects = {"reason": "The reason"}

    reason = GovukTextField(
        label="Why are you not giving them access?",
        help_text="The team account reads this in its portal inbox. Write it in plain words and do not name the child.",
        max_length=500,
        widget=_area(rows=3),
        error_messages={"required": "Enter why you are not giving them access"},
    )


class CompleteMarkerField(forms.CharField):
    """A hidden field that the page always writes with its value, whatever was posted: a form whose every box may
    be left unticked posts it last, so its absence says the post lost its body (or its end) on the way."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, initial="yes", **kwargs)

    def bound_data(self, data, initial):
        return initial


class AvailabilityForm(forms.Form):
    accounts = forms.ModelMultipleChoiceField(
        label="Team accounts that may download it",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # After the boxes: a post cut short keeps the first fields and loses this one.
    complete = CompleteMarkerField()

    INCOMPLETE = (
        "Nothing was saved: the page's answer did not arrive whole. Check the team accounts ticked below, "
        "which show who may download it now, and save again"
    )

    def __init__(self, data=None, *args, accounts, refused=None, refused_message=None, **kwargs):
        """``accounts``: those that may be ticked; ``refused``: accounts never offered, which a post that names them
        anyway (a page changed by hand) is refused for, saying why in ``refused_message(accounts)``'s words."""
        super().__init__(data, *args, **kwargs)
        self.fields["accounts"].queryset = accounts
        self.arrived_incomplete = self.is_bound and self.data.get("complete") != "yes"
        self.refused = []
        if self.arrived_incomplete:
            # What arrived is not the caseworker's answer: show what is stored, which is what still holds.
            self.data = self.data.copy()
            self.data.setlist("accounts", [str(getattr(a, "pk", a)) for a in self.initial.get("accounts", [])])
        elif self.is_bound and refused is not None:
            posted = self.data.getlist("accounts")
            self.refused = [account for account in refused if str(account.pk) in posted]
            self.refused_message = refused_message
            # Said why below, once, rather than "not one of the available choices" as well.
            refused_ids = {str(account.pk) for account in self.refused}
            self.data = self.data.copy()
            self.data.setlist("accounts", [pk for pk in posted if pk not in refused_ids])

    def clean(self):
        if self.arrived_incomplete:
            raise forms.ValidationError(self.INCOMPLETE, code="incomplete")
        if self.refused:
            self.add_error("accounts", forms.ValidationError(self.refused_message(self.refused), code="refused"))
        return super().clean()
