"""FormBuilder: a pinned form definition turned into Django forms, one per section, and back into words.

This is the public API the advice loop (wizard, check answers, preview PDF, submit) builds on.

    builder = FormBuilder(version)                  # a FormDefinitionVersion: pinned and frozen
    builder = FormBuilder.from_definition(defn)     # a draft FormDefinition (admin preview only)

    builder.sections()                  # [Section]: .key .title .guidance .fields .visible(answers)
    builder.visible_sections(answers)   # the steps a professional walks through, given their answers
    builder.section(key)                # one Section, KeyError if unknown

    Form = builder.form_class_for(section_key)
    form = Form(data=request.POST or None, answers=answers)  # answers: the whole answers dict
    form.is_valid(); form.answers()     # {field_key: JSON-able value} for this section
    form.error_summary()                # [(href, message)]: same words as the inline messages
    form.row_action                     # set when "Add another" / "Remove" was pressed: re-render, don't advance
    form.items()                        # [(kind, thing)]: ("guidance", Field) or ("field", BoundField), in order

    builder.missing_required(answers, raw_steps)  # [Missing(section, its title, field key, label, reason)]
    builder.summary(answers, raw_steps=raw_steps)  # [SectionSummary] for check answers and the PDF, every typed value
    builder.draft_read(answers, raw_steps)  # Draft: answers with the steps saved with errors read again
    builder.display_value(field, value) # an answer in words: str, or rows of (label, str) for groups

Answers are a JSON-able dict keyed by section key, then field key: text and choices as strings (an option's
value, a Team or Type code), numbers as numbers (decimals as strings), dates as ISO strings, yes/no as
"yes"/"no", declarations as true/false, multiple choice and repeating groups as lists (groups: dicts).
A retired dropdown option or a deactivated Team/Type stays selectable in a form whose answers already
use it, and always displays with its label.

Templates to reuse: advice_forms/includes/section_form.html (a section's questions), .../field.html (one
field), .../error_summary.html, .../answers_section.html (one section's answers, with or without "Change"
links: check answers) and .../answers_summary.html (every section: review / print).

Each field type has one `create_<type>_field` method (Wagtail contrib.forms' pattern): a new field type
is one block in blocks.py and one method here.

The model names its builder (FormDefinition.form_builder) and imports it; this module imports of the models only
the Team and Type taxonomies (advice_forms.models.taxonomies), never the models package or the casework.
"""

import datetime
import decimal
from dataclasses import dataclass, field

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.functional import cached_property

from advice_forms.fields import (
    ROW_ACTION,
    GovukDateField,
    PhoneField,
    RepeatingGroupField,
    format_date,
)
from advice_forms.messages import Wording
from advice_forms.models.taxonomies import NeedType, Team

YES_NO_CHOICES = [("yes", "Yes"), ("no", "No")]
WHOSE_VIEWS_CHOICES = [("child_or_young_person", "The child or young person"), ("parent_or_carer", "Parent or carer")]
GROUP_TYPES = {"outcomes", "professional_contacts", "views"}
LARGEST_NUMBER = 10**12 - 1  # a bound when the designer sets none, so any stored number is sane


@dataclass
class Field:
    """One question (or piece of guidance) of a section, read from its block."""

    type: str
    key: str
    label: str
    hint: str
    required: bool
    condition: dict | None
    options: dict  # the block's whole value, for type-specific settings
    section_key: str = ""

    @property
    def asks(self):
        return self.type != "guidance"

    @property
    def is_group(self):
        return self.type in GROUP_TYPES

    @property
    def wording(self):
        return Wording(self.label, self.options.get("error_message", ""))


@dataclass
class Section:
    key: str
    title: str
    guidance: object
    condition: dict | None
    fields: list
    builder: object = field(repr=False, default=None)

    def visible(self, answers):
        return self.builder.condition_met(self.condition, answers or {})

    def questions(self):
        return [f for f in self.fields if f.asks]


@dataclass
class Missing:
    section_key: str
    section_title: str
    field_key: str
    field_label: str
    reason: str = ""  # why it stops a submission: "Not answered yet", or the error of what was typed


@dataclass
class SummaryRow:
    field: Field
    value: object  # str, or a list of rows for a group
    missing: bool
    problem: str = ""  # what was typed did not pass: the error message, shown beside the value


@dataclass
class Draft:
    """Every saved value of a draft: the valid answers, with each step last saved with errors read again from what
    was typed there (its valid values as answers, the others as typed, with their errors)."""

    answers: dict
    typed: dict  # (section key, field key) -> what was typed, in words, where it did not pass
    problems: dict  # (section key, field key) -> the error message


NOT_ANSWERED = "Not answered yet"


@dataclass
class SectionSummary:
    section: Section
    rows: list


def _condition(value):
    condition = value.get("condition") or {}
    key = (condition.get("field_key") or "").strip()
    answer = (condition.get("value") or "").strip()
    return {"field_key": key, "value": answer} if key and answer else None


def _is_empty(value):
    return value is None or value == "" or value == [] or value is False


# Published versions' builders, parsed once per process: (version pk) -> FormBuilder. See FormBuilder.for_version.
_PUBLISHED_BUILDERS = {}
_PUBLISHED_BUILDERS_KEPT = 64


class FormBuilder:
    """Builds forms and readable answers from one definition's sections (a StreamValue)."""

    def __init__(self, version, *, sections=None):
        self.version = version
        self.title = version.title
        self.version_label = version.version_label
        self.description = version.description
        self._stream = sections if sections is not None else version.sections

    @classmethod
    def for_version(cls, version):
        """The builder of a published (frozen) version, its sections parsed once per process, not per request.

        Parsing the StreamField JSON was a sixth of an autosave's CPU. What a builder keeps comes from the
        version's content alone; forms, choices from dropdown lists, Teams and Types are still built on each
        call. The content is compared as well as the id, so a reused id (a test database) is parsed afresh.
        """
        builder = _PUBLISHED_BUILDERS.get(version.pk)
        if builder is None or builder.version.content != version.content:
            builder = cls(version)
            if len(_PUBLISHED_BUILDERS) >= _PUBLISHED_BUILDERS_KEPT:
                _PUBLISHED_BUILDERS.clear()
            _PUBLISHED_BUILDERS[version.pk] = builder
        return builder

    @classmethod
    def from_definition(cls, definition):
        """For previewing a draft in the admin; real requests use a pinned FormDefinitionVersion."""
        return cls(definition, sections=definition.sections)

    # --- reading the definition -----------------------------------------------------------------

    @cached_property
    def _sections(self):
        sections = []
        for child in self._stream:
            value = child.value
            fields = []
            for block in value["fields"]:
                v = block.value
                if block.block_type == "guidance":
                    spec = Field("guidance", "", v.get("heading") or "", "", False, None, v)
                else:
                    required = True if block.block_type == "declaration" else bool(v.get("required"))
                    spec = Field(
                        block.block_type,
                        v.get("key") or "",
                        v.get("label") or "",
                        v.get("hint") or "",
                        required,
                        _condition(v),
                        v,
                    )
                spec.section_key = value.get("key") or ""
                fields.append(spec)
            sections.append(
                Section(
                    key=value.get("key") or "",
                    title=value.get("title") or "",
                    guidance=value.get("guidance"),
                    condition=_condition(value),
                    fields=fields,
                    builder=self,
                )
            )
        return sections

    @cached_property
    def _fields_by_key(self):
        return {f.key: f for s in self._sections for f in s.fields if f.asks and f.key}

    def sections(self):
        return list(self._sections)

    def section(self, key):
        for section in self._sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def visible_sections(self, answers):
        return [s for s in self._sections if s.visible(answers)]

    def condition_met(self, condition, answers, _depth=0):
        """True when the condition's controlling question is itself shown and has the given answer."""
        if not condition:
            return True
        controller = self._fields_by_key.get(condition["field_key"])
        if controller is None or _depth > 50:
            return False
        if not self.field_visible(controller, answers, _depth + 1):
            return False
        value = (answers.get(controller.section_key) or {}).get(controller.key)
        if isinstance(value, list):
            return condition["value"] in value
        return value == condition["value"]

    def field_visible(self, spec, answers, _depth=0):
        section = self.section(spec.section_key)
        return self.condition_met(section.condition, answers, _depth) and self.condition_met(
            spec.condition, answers, _depth
        )

    # --- forms ------------------------------------------------------------------------------------

    def form_class_for(self, section_key):
        """A SectionForm subclass for one section; call it with data= and answers= (the whole answers dict)."""
        section = self.section(section_key)
        base_fields = {}
        for spec in section.questions():
            form_field = getattr(self, f"create_{spec.type}_field")(spec)
            form_field.spec = spec
            form_field.label = spec.label
            form_field.help_text = spec.hint
            base_fields[spec.key] = form_field
        form_class = type(
            f"{section_key.title().replace('_', '')}Form", (SectionForm,), {"builder": self, "section": section}
        )
        # Set after class creation: the metaclass would replace it, and a key like "data" must not become an attribute.
        form_class.base_fields = base_fields
        form_class.declared_fields = base_fields
        return form_class

    def create_short_text_field(self, spec):
        wording = spec.wording
        limit = spec.options.get("max_length") or 200
        return forms.CharField(
            required=spec.required,
            max_length=limit,
            error_messages=_text_messages(wording, limit),
        )

    def create_long_text_field(self, spec):
        wording = spec.wording
        limit = spec.options.get("max_length") or 5000
        field = forms.CharField(
            required=spec.required,
            max_length=limit,
            widget=forms.Textarea,
            error_messages=_text_messages(wording, limit),
        )
        field.word_guidance = spec.options.get("word_guidance")
        return field

    def create_number_field(self, spec):
        wording = spec.wording
        low, high = spec.options.get("min_value"), spec.options.get("max_value")
        low = -LARGEST_NUMBER if low is None else low
        high = LARGEST_NUMBER if high is None else high
        messages = {
            "required": wording.enter(),
            "min_value": wording.must(f"be {low:,} or more"),
            "max_value": wording.must(f"be {high:,} or less"),
        }
        if spec.options.get("whole_numbers", True):
            messages["invalid"] = wording.must("be a whole number, like 12")
            return forms.IntegerField(required=spec.required, min_value=low, max_value=high, error_messages=messages)
        messages.update(
            invalid=wording.must("be a number, like 12 or 2.5"),
            max_digits=wording.must("be a number with no more than 16 digits"),
            max_decimal_places=wording.must("have no more than 4 decimal places"),
            max_whole_digits=wording.must(f"be {high:,} or less"),
        )
        return forms.DecimalField(
            required=spec.required,
            min_value=low,
            max_value=high,
            max_digits=16,
            decimal_places=4,
            error_messages=messages,
        )

    def create_date_field(self, spec):
        o = spec.options
        return GovukDateField(
            wording=spec.wording,
            required=spec.required,
            earliest=o.get("earliest"),
            latest=o.get("latest"),
            not_in_future=bool(o.get("not_in_future")),
        )

    def create_email_field(self, spec):
        wording = spec.wording
        return forms.EmailField(
            required=spec.required,
            max_length=254,
            error_messages={
                "required": wording.enter(),
                "invalid": "Enter an email address in the correct format, like name@example.com",
                "max_length": wording.too_long(254),
                "null_characters_not_allowed": "Enter an email address in the correct format, like name@example.com",
            },
        )

    def create_phone_field(self, spec):
        wording = spec.wording
        return PhoneField(required=spec.required, error_messages=_text_messages(wording, 30))

    def create_yes_no_field(self, spec):
        wording = spec.wording
        return forms.ChoiceField(
            required=spec.required,
            choices=YES_NO_CHOICES,
            widget=forms.RadioSelect,
            error_messages={"required": wording.select_yes_no(), "invalid_choice": wording.select_yes_no()},
        )

    def create_single_choice_field(self, spec):
        wording = spec.wording
        display = spec.options.get("display") or "radios"
        field = forms.ChoiceField(
            required=spec.required,
            choices=self.option_choices(spec),
            widget=forms.Select if display == "select" else forms.RadioSelect,
            error_messages={"required": wording.select(), "invalid_choice": wording.select()},
        )
        return field

    def create_multiple_choice_field(self, spec):
        wording = spec.wording
        return forms.MultipleChoiceField(
            required=spec.required,
            choices=self.option_choices(spec),
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": wording.select_at_least_one(),
                "invalid_choice": "Select only the options shown",
                "invalid_list": "Select only the options shown",
            },
        )

    def create_declaration_field(self, spec):
        return forms.BooleanField(required=True, error_messages={"required": spec.wording.tick()})

    def create_outcomes_field(self, spec):
        subfields = {
            "team": _choice(Team.choices(), "Team", "Select a Team"),
            "type": _choice(NeedType.choices(), "Type", "Select a Type"),
            "outcome": _text("Outcome", "Enter the outcome", 2000, textarea=True),
            "provision": _text(
                "Provision to meet the outcome", "Enter the provision", 2000, required=False, textarea=True
            ),
            "timescale": _text("Timescale", "Enter the timescale", 200, required=False),
        }
        return self._group(spec, subfields, "outcome")

    def create_professional_contacts_field(self, spec):
        email = forms.EmailField(
            required=False,
            max_length=254,
            label="Email address",
            error_messages={
                "invalid": "Enter an email address in the correct format, like name@example.com",
                "max_length": "Email address must be 254 characters or fewer",
            },
        )
        phone = PhoneField(
            required=False,
            label="Phone number",
            error_messages={"max_length": "Phone number must be 30 characters or fewer"},
        )
        subfields = {
            "name": _text("Name", "Enter the name", 200),
            "role": _text("Role", "Enter the role", 200, required=False),
            "team": _choice(Team.choices(), "Team", "Select a Team", required=False),
            "organisation": _text("Organisation", "Enter the organisation", 200, required=False),
            "email": email,
            "phone": phone,
        }
        return self._group(spec, subfields, "contact")

    def create_views_field(self, spec):
        subfields = {
            "whose": _choice(
                WHOSE_VIEWS_CHOICES, "Whose views are these?", "Select whose views these are", widget=forms.RadioSelect
            ),
            "how_gathered": _text("How were the views gathered?", "Enter how the views were gathered", 500),
            "views": _text("The views", "Enter the views", 5000, textarea=True),
        }
        return self._group(spec, subfields, "view")

    def _group(self, spec, subfields, item_name):
        return RepeatingGroupField(
            subfields=subfields,
            item_name=item_name,
            wording=spec.wording,
            max_rows=spec.options.get("max_rows") or 20,
            required=spec.required,
        )

    def option_choices(self, spec, include=()):
        """(value, label) for a choice field: its dropdown list's live options, or its own options."""
        dropdown = spec.options.get("dropdown_list")
        if dropdown is not None:
            return dropdown.choices(include=include)
        return [(o.get("value"), o.get("label")) for o in spec.options.get("options") or []]

    # --- answers in words ---------------------------------------------------------------------------

    def display_value(self, spec, value):
        """An answer as words for check answers and the PDF: labels, not values or codes."""
        if _is_empty(value) and spec.type != "declaration":
            return ""
        if spec.type == "date":
            try:
                return format_date(datetime.date.fromisoformat(str(value)))
            except ValueError:
                return str(value)
        if spec.type == "yes_no":
            return dict(YES_NO_CHOICES).get(value, str(value))
        if spec.type == "declaration":
            return "Confirmed" if value else "Not confirmed"
        if spec.type == "number":
            return f"{decimal.Decimal(str(value)).normalize():,f}" if value not in (None, "") else ""
        if spec.type in ("single_choice", "multiple_choice"):
            labels = self._option_labels(spec)
            if isinstance(value, list):
                return ", ".join(labels.get(v, v) for v in value)
            return labels.get(value, value)
        if spec.is_group:
            form_field = getattr(self, f"create_{spec.type}_field")(spec)
            rows = []
            for row in value:
                described = []
                for sub, sub_field in form_field.subfields.items():
                    raw = row.get(sub, "")
                    if sub == "team":
                        text = Team.display_for(raw)
                    elif sub == "type":
                        text = NeedType.display_for(raw)
                    elif sub == "whose":
                        text = dict(WHOSE_VIEWS_CHOICES).get(raw, raw)
                    else:
                        text = "" if raw is None else str(raw)
                    described.append((sub_field.label, text))
                rows.append(described)
            return rows
        return str(value)

    def _option_labels(self, spec):
        dropdown = spec.options.get("dropdown_list")
        if dropdown is not None:
            return {o.value: o.label for o in dropdown.options.all()}  # retired ones too
        return {o.get("value"): o.get("label") for o in spec.options.get("options") or []}

    def missing_required(self, answers, raw_steps=None):
        """Each required question, in a shown section and itself shown, that has no answer; with ``raw_steps`` (a
        draft's steps last saved with errors), also each question whose typed value did not pass, with its error."""
        draft = self.draft_read(answers, raw_steps)
        missing = []
        for section in self.visible_sections(draft.answers):
            given = draft.answers.get(section.key) or {}
            for spec in section.questions():
                if not self.condition_met(spec.condition, draft.answers):
                    continue
                problem = draft.problems.get((section.key, spec.key))
                if problem:
                    missing.append(Missing(section.key, section.title, spec.key, spec.label, problem))
                elif spec.required and _is_empty(given.get(spec.key)):
                    missing.append(Missing(section.key, section.title, spec.key, spec.label, NOT_ANSWERED))
        return missing

    def summary(self, answers, *, show_all=False, raw_steps=None):
        """The shown sections and questions with their answers in words, and which required ones are missing.

        `show_all` includes sections and questions that conditions hide (the admin's print preview). With
        `raw_steps`, what was typed in a step saved with errors shows too, each value that did not pass marked with
        its error (check answers and the preview: nothing typed looks lost).
        """
        draft = self.draft_read(answers, raw_steps)
        missing = {(m.section_key, m.field_key) for m in self.missing_required(answers, raw_steps)}
        out = []
        for section in self.sections() if show_all else self.visible_sections(draft.answers):
            given = draft.answers.get(section.key) or {}
            rows = []
            for spec in section.questions():
                if not show_all and not self.condition_met(spec.condition, draft.answers):
                    continue
                where = (section.key, spec.key)
                value = given.get(spec.key)
                if where in draft.problems:
                    shown = draft.typed.get(where, "")
                else:
                    shown = "" if value is None and spec.type == "declaration" else self.display_value(spec, value)
                problem = draft.problems.get(where, "")
                rows.append(SummaryRow(spec, shown, where in missing and not (problem and shown), problem))
            out.append(SectionSummary(section, rows))
        return out

    # --- a draft's steps saved with errors ------------------------------------------------------------

    def draft_read(self, answers, raw_steps=None) -> Draft:
        """``answers`` with each step of ``raw_steps`` (section key -> the posted step kept because it had errors)
        validated again: its valid values become answers, the others are kept as typed, with their errors."""
        merged = dict(answers or {})
        typed, problems = {}, {}
        for key, raw in (raw_steps or {}).items():
            try:
                form = self.form_class_for(key)(data=_posted(raw), answers=merged)
            except KeyError:  # a step the pinned version no longer has: nothing to show
                continue
            form.is_valid()
            values = dict(merged.get(key) or {})
            for name, form_field in form.fields.items():
                errors = form.errors.get(name)
                if not errors:
                    values[name] = _to_answer(form_field.spec, form.cleaned_data.get(name))
                    continue
                problems[(key, name)] = errors[0]
                typed[(key, name)] = self._typed_in_words(form_field.spec, form[name].value())
                values[name] = None
            merged[key] = values
        return Draft(merged, typed, problems)

    def _typed_in_words(self, spec, value):
        """What was typed into a question whose value did not pass, as words (never raises on odd input)."""
        if isinstance(value, dict):  # a date's day, month and year
            return "/".join(str(value.get(part) or "") for part in ("day", "month", "year")).strip("/")
        if isinstance(value, (list, tuple)) and value and all(isinstance(row, dict) for row in value):
            value = [row for row in value if any(str(v).strip() for v in row.values())]
        try:
            return self.display_value(spec, value)
        except (ValueError, TypeError, ArithmeticError, AttributeError):
            return str(value)


def _posted(raw):
    """A kept step ({name: [values]}) as the QueryDict-like data a form reads."""
    return MultiValueDict({name: list(values) for name, values in raw.items()})


def _text_messages(wording, limit):
    return {
        "required": wording.enter(),
        "max_length": wording.too_long(limit),
        "null_characters_not_allowed": wording.must("not contain hidden characters"),
    }


def _text(label, required_message, limit, *, required=True, textarea=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=forms.Textarea if textarea else forms.TextInput,
        error_messages={
            "required": required_message,
            "max_length": f"{label.rstrip('?')} must be {limit:,} characters or fewer",
            "null_characters_not_allowed": f"{label.rstrip('?')} must not contain hidden characters",
        },
    )


def _choice(choices, label, required_message, *, required=True, widget=forms.Select):
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=choices,
        widget=widget,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


def _to_initial(spec, value):
    """A saved answer as the form field's initial value."""
    if value is None:
        return None
    if spec.type == "date" and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return value


def _to_answer(spec, value):
    """A cleaned value as JSON-able data."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if spec.type == "declaration":
        return bool(value)
    if value == "" and spec.type in ("yes_no", "single_choice"):
        return None
    return value


class SectionForm(forms.Form):
    """One section's questions. Build with FormBuilder.form_class_for(section_key)."""

    builder = None
    section = None

    def __init__(self, data=None, *, answers=None, show_all=False, **kwargs):
        """`show_all` keeps questions another section's answers would hide (the admin preview shows every one)."""
        self.all_answers = answers or {}
        saved = self.all_answers.get(self.section.key) or {}
        kwargs.setdefault(
            "initial", {spec.key: _to_initial(spec, saved.get(spec.key)) for spec in self.section.questions()}
        )
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)
        self._offer_old_choices(saved)
        if not show_all:
            self._drop_fields_hidden_by_other_sections()

    def _offer_old_choices(self, saved):
        """A retired option or inactive Team/Type already in the answers stays selectable here."""
        for name, form_field in self.fields.items():
            spec = form_field.spec
            value = saved.get(name)
            if spec.type in ("single_choice", "multiple_choice") and spec.options.get("dropdown_list") is not None:
                include = value if isinstance(value, list) else [value]
                form_field.choices = self.builder.option_choices(spec, include=include)
            if spec.is_group and isinstance(value, list):
                for sub, model in (("team", Team), ("type", NeedType)):
                    if sub in form_field.subfields:
                        codes = [row.get(sub) for row in value if isinstance(row, dict)]
                        form_field.subfields[sub].choices = model.choices(include=codes)

    def _drop_fields_hidden_by_other_sections(self):
        own = {spec.key for spec in self.section.questions()}
        for spec in self.section.questions():
            condition = spec.condition
            hidden = condition and not self.builder.condition_met(condition, self.all_answers)
            if hidden and condition["field_key"] not in own:
                del self.fields[spec.key]

    @cached_property
    def row_action(self):
        """('add'|'remove', field key, row or None) when an "Add another" or "Remove" button was pressed."""
        if not self.is_bound:
            return None
        action = str(self.data.get(ROW_ACTION, ""))
        parts = action.split(":")
        if len(parts) >= 2 and parts[0] in ("add", "remove"):
            name = parts[1]
            key = name[len(self.prefix) + 1 :] if self.prefix and name.startswith(f"{self.prefix}-") else name
            if key in self.fields:
                return (parts[0], key, int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None)
        return None

    def _condition_met_here(self, spec):
        """Conditions on a question in this same section use what was just posted."""
        condition = spec.condition
        if not condition:
            return True
        if condition["field_key"] not in self.fields:
            return self.builder.condition_met(condition, self.all_answers)
        controller = self.fields[condition["field_key"]].spec
        if not self._condition_met_here(controller):
            return False
        value = self.cleaned_data.get(controller.key)
        if isinstance(value, list):
            return condition["value"] in value
        return value == condition["value"]

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        # A question hidden by an answer in this step asks nothing: drop its errors and its value.
        for name, form_field in self.fields.items():
            if not self._condition_met_here(form_field.spec):
                self._errors.pop(name, None)
                self.cleaned_data[name] = None

    def answers(self):
        """This section's answers as JSON-able data (call after is_valid())."""
        return {
            name: _to_answer(self.fields[name].spec, value)
            for name, value in self.cleaned_data.items()
            if name in self.fields
        }

    def items(self):
        """Guidance and fields in the designer's order, for templates."""
        out = []
        for spec in self.section.fields:
            if not spec.asks:
                out.append(("guidance", spec))
            elif spec.key in self.fields:
                out.append(("field", self[spec.key]))
        return out

    def error_summary(self):
        """[(href, message)] in page order, linking each message to the input it is about."""
        out = []
        for name, form_field in self.fields.items():
            errors = self.errors.get(name)
            if not errors:
                continue
            bound = self[name]
            if isinstance(form_field, RepeatingGroupField) and form_field.row_errors:
                for row, subs in sorted(form_field.row_errors.items()):
                    for sub, message in subs.items():
                        out.append((f"#{bound.auto_id}-{row}-{sub}", message))
                continue
            if isinstance(form_field, RepeatingGroupField):
                anchor = f"#{bound.auto_id}-0-{next(iter(form_field.subfields))}"
            elif isinstance(form_field, GovukDateField):
                anchor = f"#{bound.auto_id}-{(form_field.error_parts or ('day',))[0]}"
            elif isinstance(form_field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                anchor = f"#{bound.auto_id}-0"
            else:
                anchor = f"#{bound.auto_id}"
            out.extend((anchor, message) for message in errors)
        return out
