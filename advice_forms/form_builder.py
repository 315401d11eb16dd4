"""FormBuilder: a pinned form definition turned into Django forms, one per section, and back into words.

This is the public API the advice loop (wizard, check answers, preview PDF, submit) builds on.

    builder = FormBuilder(version)                  # a FormDefinitionVersion: pinned and frozen
    builder = FormBuilder.from_definition(defn)     # a draft FormDefinition (admin preview only)

    builder.sections()                  # [Section]: .key .title .guidance .fields .visible(answers)
    builder.shown(answers)              # Shown: .field(spec) .section(s) .met(condition) .waiting(condition)
    builder.visible_sections(answers)   # the steps a professional walks through, given their answers
    builder.section(key)                # one Section, KeyError if unknown

    Form = builder.form_class_for(section_key)
    form = Form(data=posted(request), answers=answers)  # cms.forms.posted; answers: the whole answers dict
    form.is_valid(); form.answers()     # {field_key: JSON-able value} for this section
    form.error_summary()                # [(href, message)]: same words as the inline messages
    form.row_action                     # set when "Add another" / "Remove" was pressed: re-render, don't advance
    form.items()                        # [(kind, thing)]: ("guidance", Field) or ("field", BoundField), in order

    builder.missing_required(answers, raw_steps)  # [Missing(section, its title, field key, label, reason)]
    builder.summary(answers, raw_steps=raw_steps)  # [SectionSummary] for check answers and the PDF, every typed value
    builder.draft_read(answers, raw_steps)  # Draft: answers with the steps saved with errors read again
    builder.posted_names(section_key, field_key, raw)  # a kept post's names for one question (a date's boxes...)
    builder.display_value(field, value) # an answer in words: str, or rows of (label, str) for groups
    builder.input_id(field_key)         # the id of a question's first input on its step: where links to it lead

Record-backed kinds (record_outcomes, record_contacts, record_contribution, child_details) keep nothing in the
answers: their rows come from `records`, a plain dict made by selectors.request_records (live, for a draft) or frozen
with a submission (Submission.records); summary() and missing_required() take it as `records=`. Without it (the
admin's preview) they show no rows and are never counted as missing.

Answers are a JSON-able dict keyed by section key, then field key: text and choices as strings (an option's
value, a Team or Type code), numbers as numbers (decimals as strings), dates as ISO strings, yes/no as
"yes"/"no", declarations as true/false, multiple choice and repeating groups as lists (groups: dicts).
A retired dropdown option or a deactivated Team/Type stays selectable in a form whose answers already
use it, and always displays with its label.

A published version carries its lookups (`lookups_freeze`, written when it is published): its dropdown lists'
options, the Team and Type terms and its guidance as they were then. Its builder offers and names those, so an
option added, renamed or retired later changes nothing in a request pinned to it, nor a submission's words or PDF.
A draft (the admin's preview), and a version published before lookups were frozen, read the live lists.

Templates to reuse: advice_forms/includes/section_form.html (a section's questions), .../field.html (one
field), cms/includes/error_summary.html, .../answers_section.html (one section's answers, with or without "Change"
links: check answers) and .../answers_summary.html (every section: review / print).

Each field type has one `create_<type>_field` method (Wagtail contrib.forms' pattern): a new field type
is one block in blocks.py and one method here.

The model names its builder (FormDefinition.form_builder) and imports it; this module imports of the models only
the Team and Type taxonomies (advice_forms.models.taxonomies), never the models package or the casework.
"""

import datetime
import decimal
import itertools
from dataclasses import dataclass, field

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.functional import cached_property
from django.utils.text import capfirst
from wagtail.rich_text import expand_db_html

from advice_forms.blocks import CHILD_DETAILS, LARGEST_NUMBER, condition_rules, dropdown_lists_options, rule_values
from advice_forms.fields import (
    NO_PERCENT_SIGN,
    ROW_ACTION,
    AddressField,
    FileQuestionField,
    GovukDateField,
    MoneyField,
    NumberField,
    RepeatingGroupField,
    WholeNumberField,
    about_percentage,
    format_address,
    format_date,
    format_file,
    format_money,
    format_number,
    posted_names,
)
from advice_forms.messages import Wording, lower_first, said_after_label
from advice_forms.models.taxonomies import NeedType, Team
from cms.form_fields import EMAIL_EXAMPLE, EMAIL_FORMAT_ERROR, PHONE_EXAMPLE, GovukTextField, PhoneField

YES_NO_CHOICES = [("yes", "Yes"), ("no", "No")]
WHOSE_VIEWS_CHOICES = [("child_or_young_person", "The child or young person"), ("parent_or_carer", "Parent or carer")]
GROUP_TYPES = {"outcomes", "professional_contacts", "views", "table"}
# Record-backed kinds: answered by the child record's rows, not by posted fields (see `records` below).
RECORD_TYPES = {"record_outcomes", "record_contacts", "record_contribution", "child_details"}
RECORD_COLUMNS = {
    "record_outcomes": [
        ("type", "Type"),
        ("team", "Team"),
        ("outcome", "Outcome"),
        ("provision", "Provision"),
        ("timescale", "Timescale"),
        ("written_by", "Written by"),
    ],
    "record_contacts": [
        ("name", "Name"),
        ("role", "Role"),
        ("team", "Team"),
        ("organisation", "Organisation"),
        ("email", "Email address"),
        ("phone", "Phone number"),
    ],
    "record_contribution": [
        ("contribution_methods", "How the parent or carer gave their views"),
        ("communication_methods", "How they want to be contacted"),
        ("interpreter", "Interpreter needed"),
        ("parent_views", "The parent or carer's views"),
    ],
}
RECORD_KEYS = {"record_outcomes": "outcomes", "record_contacts": "contacts", "record_contribution": "contribution"}
# Where the SEND service reads the child's details of a team account that saw the child by initials only (the review
# page, the PDF staff download: selectors.records_for_staff), the row that says so, and the PDF's heading with it.
SHARED_WITH_TEAM = "Shared with the team account"


def seen_as_words(initials: str) -> str:
    return f"only the child's initials ({initials})"


# What a required record-backed question with no rows says, in its step's error and in check answers: what is missing
# and what to do, not only the name of the question's button ("Record the contribution" said nothing more).
RECORD_MISSING = {
    "record_outcomes": "Add at least one outcome",
    "record_contacts": "Add at least one professional",
    "record_contribution": "Record how the parent or carer gave their views and how they want to be contacted",
}


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
    block_id: str = ""
    html: str = ""  # guidance: its rich text as HTML, frozen at publish

    @property
    def asks(self):
        return self.type != "guidance"

    @property
    def is_group(self):
        return self.type in GROUP_TYPES

    @property
    def is_record(self):
        """Answered by the child record's rows (outcomes, contacts, contribution, the child's details): no input."""
        return self.type in RECORD_TYPES

    @property
    def is_reported(self):
        """The child's details: read-only to professionals, who report a change to them rather than change them."""
        return self.type == "child_details"

    @property
    def not_recorded(self):
        """A required record-backed question's message when the record holds none of its rows: the designer's own
        message if there is one, else what is missing ("Add at least one outcome")."""
        return self.wording.custom_required or RECORD_MISSING.get(self.type, NOT_ANSWERED)

    @property
    def shows_rows(self):
        """Its answer reads as rows of (label, text): check answers and the PDF show a small table per row."""
        return self.is_group or self.is_record

    @property
    def is_table(self):
        return self.type == "table"

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
    guidance_html: str = ""  # the guidance as HTML, frozen at publish

    def visible(self, answers):
        return self.builder.condition_met(self.condition, answers or {})

    @property
    def condition_text(self):
        return self.builder.describe_condition(self.condition)

    def questions(self):
        return [f for f in self.fields if f.asks]

    @property
    def has_files(self):
        """A file question asks for an upload: the step's form is posted as multipart."""
        return any(f.type == "file" for f in self.fields)

    @property
    def anchor(self):
        """The id of the section's heading on check answers, where saving a changed step returns to."""
        return f"section-{self.key}"


@dataclass
class Missing:
    section_key: str
    section_title: str
    field_key: str
    field_label: str
    reason: str = ""  # why it stops a submission: "Not answered yet", or the error of what was typed

    @property
    def reason_after_label(self):
        """The reason, where the question's label is said just before it."""
        return said_after_label(self.reason, self.field_label)

    @property
    def reason_in_brackets(self):
        """The reason in brackets after its question, as the preview PDF lists it: its first letter in lower case, the
        rest's capitals kept ("number of EHC plans must…", “Held on”)."""
        return lower_first(self.reason_after_label)


def _document_named(spec, answer) -> int | None:
    """The id of the document a file question's answer names (the one kind of answer that names one), or None."""
    if spec.type == "file" and isinstance(answer, dict) and isinstance(answer.get("document"), int):
        return answer["document"]
    return None


@dataclass
class SummaryRow:
    field: Field
    value: object  # str, or a list of rows for a group
    missing: bool
    picture_src: str = ""  # guidance in a PDF: its picture as a data: URL (advice_forms.pdf)
    problem: str = ""  # what was typed did not pass: the error message, shown beside the value
    changed: bool = False  # the review page: not the answer the version before gave (or not asked then)
    document: int | None = None  # a file answer: the id of the child's document it names (the review page links it)


@dataclass
class TableAnswer:
    """A table question's answer in words: headings, rows of cells, and the total row's cells (or None)."""

    headings: list
    rows: list
    total: list | None

    def __bool__(self):
        return bool(self.rows)

    def labelled_rows(self):
        """Each row's cells with their column's heading, [(heading, cell)]: a phone shows each row as a card."""
        return [list(zip(self.headings, cells, strict=False)) for cells in self.rows]

    def labelled_total(self):
        return list(zip(self.headings, self.total, strict=False)) if self.total else []


@dataclass
class Draft:
    """Every saved value of a draft: the valid answers, with each step last saved with errors read again from what
    was typed there (its valid values as answers, the others as typed, with their errors)."""

    answers: dict
    typed: dict  # (section key, field key) -> what was typed, in words, where it did not pass
    problems: dict  # (section key, field key) -> the error message


NOT_ANSWERED = "Not answered yet"
# What an optional question, or a part of a record-backed row, left empty reads as wherever answers are shown.
EMPTY_ANSWER = "Not answered"


@dataclass
class SectionSummary:
    section: Section
    rows: list
    # Questions of this section that conditions hide but that still hold an answer: named, never silently dropped.
    kept_hidden: list = field(default_factory=list)

    def parts(self):
        """The rows in runs, for the PDF: [("guidance", row) or ("answers", [rows])], in the designer's order."""
        out = []
        for row in self.rows:
            if not row.field.asks:
                out.append(("guidance", row))
            elif out and out[-1][0] == "answers":
                out[-1][1].append(row)
            else:
                out.append(("answers", [row]))
        return out


def _condition(value):
    """A block's condition as {"match": "all"|"any", "rules": [{field_key, operator, values}]}, or None."""
    rules = []
    for rule in condition_rules(value.get("condition")):
        key = (rule.get("field_key") or "").strip()
        values = rule_values(rule)
        if key and values:
            rules.append({"field_key": key, "operator": rule.get("operator") or "is", "values": values})
    if not rules:
        return None
    return {"match": (value.get("condition") or {}).get("match") or "all", "rules": rules}


def rule_met(rule, value):
    """One rule against an answer (a string, a list for multiple choice, or None when unanswered or not shown)."""
    chosen = (
        {str(v) for v in value} if isinstance(value, list) else ({str(value)} if value not in (None, "") else set())
    )
    hit = bool(chosen & set(rule["values"]))
    return not hit if rule["operator"] == "is_not" else hit


def _is_empty(value):
    return value is None or value == "" or value == [] or value is False


def _typed(value):
    """Whether a posted value holds anything typed or chosen (a date's or an address's parts, a table's rows)."""
    if isinstance(value, dict):
        return any(_typed(part) for part in value.values())
    if isinstance(value, (list, tuple)):
        return any(_typed(part) for part in value)
    return not _is_empty(value) and str(value).strip() != ""


def _worked_out(node, memo, needs, work_out):
    """memo[id(node)], working out first every node it needs, each once and without recursion: a chain of thousands
    of conditions neither reaches Python's recursion limit nor is walked again for each question. ``work_out(node)``
    reads what it needs from ``memo``; a node met again while it is itself being worked out (conditions in a loop,
    which the designer's checks refuse) reads as False there."""
    if id(node) in memo:
        return memo[id(node)]
    stack, working = [node], {id(node)}
    while stack:
        top = stack[-1]
        pending = next((n for n in needs(top) if id(n) not in memo and id(n) not in working), None)
        if pending is not None:
            stack.append(pending)
            working.add(id(pending))
            continue
        memo[id(top)] = work_out(top)
        stack.pop()
        working.discard(id(top))
    return memo[id(node)]


class Shown:
    """Which questions and sections one set of answers shows, and which conditions still wait for an answer. A
    question is shown when its section's condition and its own hold; each is worked out once per Shown."""

    def __init__(self, builder, answers):
        self.builder = builder
        self.answers = answers or {}
        self._shown = {}
        self._waiting = {}

    def _controller(self, rule):
        return self.builder._fields_by_key.get(rule["field_key"])

    def _value(self, controller):
        return (self.answers.get(controller.section_key) or {}).get(controller.key)

    def _conditions_of(self, spec):
        return [c for c in (self.builder.section(spec.section_key).condition, spec.condition) if c]

    def _controllers(self, condition):
        return [c for c in map(self._controller, condition["rules"]) if c is not None]

    def _met_now(self, condition):
        results = []
        for rule in condition["rules"]:
            controller = self._controller(rule)
            asked = controller is not None and self._shown.get(id(controller), False)
            results.append(rule_met(rule, self._value(controller) if asked else None))
        return all(results) if condition["match"] == "all" else any(results)

    def _field_needs(self, spec):
        return [c for condition in self._conditions_of(spec) for c in self._controllers(condition)]

    def _field_work_out(self, spec):
        return all(self._met_now(condition) for condition in self._conditions_of(spec))

    def field(self, spec):
        return _worked_out(spec, self._shown, self._field_needs, self._field_work_out)

    def met(self, condition):
        """True when all (or any) of the condition's rules hold; a question not shown counts as unanswered."""
        if not condition:
            return True
        for controller in self._controllers(condition):
            self.field(controller)
        return self._met_now(condition)

    def section(self, section):
        return self.met(section.condition)

    def sections(self):
        """The form's sections these answers show, in order."""
        return [section for section in self.builder.sections() if self.section(section)]

    def _waiting_needs(self, condition):
        unanswered = [c for c in self._controllers(condition) if _is_empty(self._value(c))]
        return [c for controller in unanswered for c in self._conditions_of(controller)]

    def _waiting_work_out(self, condition):
        if self.met(condition):
            return False
        decided_false = waiting = False
        for rule in condition["rules"]:
            controller = self._controller(rule)
            value = self._value(controller) if controller is not None else None
            asked = controller is not None and self.field(controller)
            if (
                controller is not None
                and _is_empty(value)
                and (asked or any(self._waiting.get(id(c), False) for c in self._conditions_of(controller)))
            ):
                waiting = True
            elif not rule_met(rule, value if asked else None):
                decided_false = True
        return waiting and not decided_false if condition["match"] == "all" else waiting

    def waiting(self, condition):
        """Whether a condition not met now may still be met by an answer not given yet (see
        FormBuilder.condition_waiting)."""
        if not condition:
            return False
        return _worked_out(condition, self._waiting, self._waiting_needs, self._waiting_work_out)


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
        # A draft definition has none: it reads the live lists and terms.
        self.lookups = getattr(version, "lookups", None) or {}
        self.team = FrozenTerms(self.lookups["teams"], Team) if "teams" in self.lookups else Team
        self.need_type = FrozenTerms(self.lookups["types"], NeedType) if "types" in self.lookups else NeedType
        # A draft's builder (given its sections: the admin's checks and preview) lives for one request, so it reads
        # the dropdown lists it uses once, in one query, instead of once a question; a kept builder (for_version)
        # of a version published without frozen lookups still reads them live on each call.
        self._reads_lists_once = sections is not None
        # input_id's answers by key: each builds a whole form field, once per builder. A kept builder's are safe to
        # keep: an id follows from the question's type and own settings (the version's content), never from a list.
        self._input_ids = {}

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
        frozen_html = self.lookups.get("guidance", {})
        # A draft's untitled section or unlabelled question has no key yet (blocks._settle_key; a published version
        # always has them): in a preview each gets a stand-in of its own, which no key can be (a key has no "-"), so
        # two of them are not one step or one field. Nothing is saved under it.
        unkeyed = itertools.count(1)
        for child in self._stream:
            value = child.value
            section_key = value.get("key") or f"unkeyed-{next(unkeyed)}"
            fields = []
            for block in value["fields"]:
                v = block.value
                if block.block_type == "guidance":
                    spec = Field("guidance", "", v.get("heading") or "", "", False, None, v)
                    spec.html = frozen_html.get(block.id) or rich_text_html(v.get("body"))
                else:
                    required = True if block.block_type == "declaration" else bool(v.get("required"))
                    spec = Field(
                        block.block_type,
                        v.get("key") or f"unkeyed-{next(unkeyed)}",
                        v.get("label") or "",
                        v.get("hint") or "",
                        required,
                        _condition(v),
                        v,
                    )
                spec.section_key = section_key
                spec.block_id = block.id or ""
                fields.append(spec)
            sections.append(
                Section(
                    key=section_key,
                    title=value.get("title") or "",
                    guidance=value.get("guidance"),
                    condition=_condition(value),
                    fields=fields,
                    builder=self,
                    guidance_html=frozen_html.get(child.id) or rich_text_html(value.get("guidance")),
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

    def asks(self, kind) -> bool:
        """Whether any question of the form is of this kind (e.g. "record_outcomes")."""
        return any(spec.type == kind for section in self._sections for spec in section.fields)

    def visible_sections(self, answers):
        return self.shown(answers).sections()

    def shown(self, answers):
        """Which questions and sections these answers show (``Shown``): share one over a loop of questions."""
        return Shown(self, answers)

    def condition_met(self, condition, answers):
        """True when all (or any) of the condition's rules hold; a question not shown counts as unanswered."""
        return self.shown(answers).met(condition)

    def condition_waiting(self, condition, answers):
        """Whether a condition not met now may still be met by an answer not given yet: it needs a question that is
        unanswered and asked now, or that may yet be asked. False once the answers given decide it (the task list says
        "Not needed" then, not "Cannot start yet")."""
        return self.shown(answers).waiting(condition)

    def file_answers(self, answers):
        """Each answer to a file question that names a document (the one kind of answer naming a document), as
        (section, question, document id), shown or not: what a submission sends, a draft's save withdraws and a
        withdrawal drops all start from these."""
        for section in self._sections:
            saved = (answers or {}).get(section.key)
            if not isinstance(saved, dict):
                continue
            for spec in section.questions():
                document = _document_named(spec, saved.get(spec.key))
                if document is not None:
                    yield section, spec, document

    def field_visible(self, spec, answers):
        return self.shown(answers).field(spec)

    def describe_condition(self, condition):
        """A condition in words: 'your answer to “Has a diagnosis?” is “Yes”'."""
        if not condition:
            return ""
        parts = []
        for rule in condition["rules"]:
            controller = self._fields_by_key.get(rule["field_key"])
            label = controller.label if controller else rule["field_key"]
            answers = [self.display_value(controller, v) if controller else v for v in rule["values"]]
            quoted = ", ".join(f"“{a}”" for a in answers)
            verb = {"is": "is", "is_not": "is not", "is_one_of": "is one of"}[rule["operator"]]
            parts.append(f"your answer to “{label}” {verb} {quoted}")
        return (" and " if condition["match"] == "all" else " or ").join(parts)

    def hidden_with_text(self, answers, shown=None):
        """[(Section, Field)]: questions that conditions hide now but that still hold an answer (``shown``: the
        caller's Shown of these same answers, if it has one). An answer holds something only where a box of it was
        typed in or a choice made (``_typed``): a table's or a date's blank boxes, posted back from a page that drew
        them, hold nothing, as conditions.js counts them on the page."""
        answers = answers or {}
        shown = self.shown(answers) if shown is None else shown
        out = []
        for section in self._sections:
            given = answers.get(section.key) or {}
            for spec in section.questions():
                if _typed(given.get(spec.key)) and not shown.field(spec):
                    out.append((section, spec))
        return out

    def reveal_option(self, spec):
        """(controller key, option value) when `spec` can sit in a GOV.UK conditional reveal under a radio or
        checkbox of an earlier question in its own section: one "is" rule on a yes/no or choice shown as
        radios or checkboxes. None otherwise (it is then shown or hidden as a whole)."""
        condition = spec.condition
        if not condition or len(condition["rules"]) != 1:
            return None
        rule = condition["rules"][0]
        if rule["operator"] == "is_not" or len(rule["values"]) != 1:
            return None
        controller = self._fields_by_key.get(rule["field_key"])
        if controller is None or controller.section_key != spec.section_key:
            return None
        if controller.type == "single_choice" and (controller.options.get("display") or "radios") != "radios":
            return None
        if controller.type not in ("yes_no", "single_choice", "multiple_choice"):
            return None
        return controller.key, rule["values"][0]

    # --- forms ------------------------------------------------------------------------------------

    def form_class_for(self, section_key):
        """A SectionForm subclass for one section; call it with data= and answers= (the whole answers dict)."""
        section = self.section(section_key)
        base_fields = {}
        for spec in section.questions():
            if spec.is_record:
                continue  # shown from the record, never posted: a POST cannot change it
            form_field = getattr(self, f"create_{spec.type}_field")(spec)
            form_field.spec = spec
            form_field.label = spec.label
            form_field.help_text = spec.hint
            _percent_signs_kept(form_field)
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
        return GovukTextField(
            required=spec.required,
            max_length=limit,
            error_messages=_text_messages(wording, limit),
        )

    def create_long_text_field(self, spec):
        wording = spec.wording
        limit = spec.options.get("max_length") or 5000
        field = GovukTextField(
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
        percent = about_percentage(spec.label, spec.hint)
        if spec.options.get("whole_numbers", True):
            messages["invalid"] = wording.must("be a whole number, like 12")
            messages["percent_sign"] = wording.must(NO_PERCENT_SIGN)
            return WholeNumberField(
                required=spec.required, min_value=low, max_value=high, error_messages=messages, percent=percent
            )
        messages.update(
            invalid=wording.must("be a number, like 12 or 2.5"),
            percent_sign=wording.must(NO_PERCENT_SIGN),
            max_digits=wording.must("be a number with no more than 16 digits"),
            max_decimal_places=wording.must("have no more than 4 decimal places"),
            max_whole_digits=wording.must(f"be {high:,} or less"),
        )
        return NumberField(
            required=spec.required,
            min_value=low,
            max_value=high,
            max_digits=16,
            decimal_places=4,
            error_messages=messages,
            percent=percent,
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
                "invalid": wording.in_format(EMAIL_EXAMPLE, "an email address"),
                "max_length": wording.too_long(254),
                "null_characters_not_allowed": wording.in_format(EMAIL_EXAMPLE, "an email address"),
            },
        )

    def create_phone_field(self, spec):
        wording = spec.wording
        return PhoneField(
            required=spec.required,
            error_messages=_text_messages(wording, 30),
            invalid=wording.in_format(PHONE_EXAMPLE, "a telephone number"),
        )

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

    def create_address_field(self, spec):
        return AddressField(wording=spec.wording, required=spec.required)

    def create_file_field(self, spec):
        return FileQuestionField(wording=spec.wording, required=spec.required)

    def create_money_field(self, spec):
        o = spec.options
        return MoneyField(
            wording=spec.wording, required=spec.required, min_value=o.get("min_value"), max_value=o.get("max_value")
        )

    def create_outcomes_field(self, spec):
        subfields = {
            "team": _choice(self.team.choices(), "Team", "Select the team"),
            "type": _choice(self.need_type.choices(), "Type", "Select the type"),
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
                "invalid": EMAIL_FORMAT_ERROR,
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
            "team": _choice(self.team.choices(), "Team", "Select the team", required=False),
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
            min_rows=spec.options.get("min_rows"),
            required=spec.required,
        )

    def create_table_field(self, spec):
        """A table the designer defines: one form field per column, by its kind, in "add another" rows."""
        columns = _columns(spec)
        subfields = {column["key"]: _table_cell_field(column) for column in columns}
        field = self._group(spec, subfields, (spec.options.get("item_name") or "row").strip().lower())
        field.ordered_dates = [
            (column["not_before_column"], column["key"])
            for column in columns
            if column.get("kind") == "date"
            and isinstance(subfields.get(column.get("not_before_column")), GovukDateField)
        ]
        return field

    def input_id(self, key):
        """The id, on its step page, of the first input of the question with this key (first_input_id): where check
        answers' "Change" and "missing" links lead. A record-backed question has no input: the question itself,
        which takes focus (includes/record_question.html). Worked out once per key: check answers asks for every
        question's, each a whole form field to build."""
        found = self._input_ids.get(key)
        if found is None:
            spec = self._fields_by_key[key]
            if spec.is_record:
                found = f"id_{key}"
            else:
                found = first_input_id(getattr(self, f"create_{spec.type}_field")(spec), f"id_{key}")
            self._input_ids[key] = found
        return found

    def option_choices(self, spec, include=()):
        """(value, label) for a choice field: its dropdown list's options (frozen at publish), or its own options."""
        dropdown = spec.options.get("dropdown_list")
        frozen = self._frozen_options(dropdown)
        if frozen is not None:
            include = set(include)
            return [(value, label) for value, label, retired in frozen if not retired or value in include]
        if dropdown is not None:
            return dropdown.choices(include=include)
        return [(o.get("value"), o.get("label")) for o in spec.options.get("options") or []]

    def dropdown_options(self, dropdown):
        """[(value, label, retired)] of ``dropdown`` as this builder reads it: frozen at publish, or as it is now."""
        frozen = self._frozen_options(dropdown)
        return frozen if frozen is not None else dropdown_lists_options({dropdown.pk})[str(dropdown.pk)]

    def _frozen_options(self, dropdown):
        """[(value, label, retired)] of a dropdown list as it was when this version was published (a draft: as it is
        now, read with the draft's other lists), or None."""
        if dropdown is None:
            return None
        frozen = self.lookups.get("dropdown_lists", {}).get(str(dropdown.pk))
        if frozen is None and self._reads_lists_once:
            return self._live_lists.get(str(dropdown.pk), [])
        return frozen

    @cached_property
    def _live_lists(self):
        return dropdown_lists_options(
            {f.options["dropdown_list"].pk for s in self._sections for f in s.fields if f.options.get("dropdown_list")}
        )

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
            return format_number(value, about_percentage(spec.label, spec.hint)) if value not in (None, "") else ""
        if spec.type == "money":
            try:
                return format_money(value)
            except decimal.InvalidOperation:
                return str(value)
        if spec.type == "address":
            return format_address(value)
        if spec.type == "file":
            return format_file(value)
        if spec.type in ("single_choice", "multiple_choice"):
            labels = self._option_labels(spec)
            if isinstance(value, list):
                return ", ".join(labels.get(v, v) for v in value)
            return labels.get(value, value)
        if spec.is_table:
            return self._table_answer(spec, value)
        if spec.is_group:
            form_field = getattr(self, f"create_{spec.type}_field")(spec)
            rows = []
            for row in value:
                described = []
                for sub, sub_field in form_field.subfields.items():
                    raw = row.get(sub, "")
                    if sub == "team":
                        text = self.team.display_for(raw)
                    elif sub == "type":
                        text = self.need_type.display_for(raw)
                    elif sub == "whose":
                        text = dict(WHOSE_VIEWS_CHOICES).get(raw, raw)
                    else:
                        text = "" if raw is None else str(raw)
                    described.append((sub_field.label, text))
                rows.append(described)
            return rows
        return str(value)

    def record_rows(self, spec, records):
        """A record-backed question's rows as [(label, text)] each, from `records` (see the module docstring)."""
        records = records or {}
        if spec.type == "child_details":
            child = records.get("child") or {}
            # Initials under "Initials", as every page that shows them says, never under "Name".
            labels = {**dict(CHILD_DETAILS), **({"name": "Initials"} if child.get("initials_only") else {})}
            chosen = spec.options.get("details") or [value for value, _label in CHILD_DETAILS]
            if not child:
                return []
            rows = [(labels[d], child.get(d) or "Not given") for d in chosen if d in labels]
            if child.get("seen_as"):  # staff's reading of a team's initials-only copy (selectors.records_for_staff)
                words = capfirst(seen_as_words(child["seen_as"]))
                rows.append((SHARED_WITH_TEAM, f"{words}; the details above are from the child record"))
            return [rows]
        found = records.get(RECORD_KEYS[spec.type])
        if not found:
            return []
        rows = found if isinstance(found, list) else [found]
        return [[(label, row.get(name) or "") for name, label in RECORD_COLUMNS[spec.type]] for row in rows]

    def _table_answer(self, spec, rows):
        columns = _columns(spec)
        total_key = (spec.options.get("total_column") or "").strip()
        words = [[_cell_words(column, row.get(column["key"])) for column in columns] for row in rows or []]
        total = None
        if total_key in {c["key"] for c in columns}:
            column = next(c for c in columns if c["key"] == total_key)
            amount = sum(
                (decimal.Decimal(str(row.get(total_key))) for row in rows if row.get(total_key) not in (None, "")),
                decimal.Decimal(0),
            )
            total = [_cell_words(column, amount) if c is column else "" for c in columns]
            total[0] = total[0] or "Total"
        return TableAnswer([c["label"] for c in columns], words, total)

    def _option_labels(self, spec):
        dropdown = spec.options.get("dropdown_list")
        frozen = self._frozen_options(dropdown)
        if frozen is not None:
            return {value: label for value, label, _retired in frozen}
        if dropdown is not None:
            return {o.value: o.label for o in dropdown.options.all()}  # retired ones too
        return {o.get("value"): o.get("label") for o in spec.options.get("options") or []}

    def missing_required(self, answers, raw_steps=None, *, records=None, draft=None):
        """Each required question, in a shown section and itself shown, that has no answer; with ``raw_steps`` (a
        draft's steps last saved with errors), also each question whose typed value did not pass, with its error.
        A record-backed one is missing when `records` are given and hold none of its rows. ``draft``: the caller's
        draft_read(answers, raw_steps), which saves validating the kept steps again."""
        if draft is None:
            draft = self.draft_read(answers, raw_steps)
        missing = []
        shown = self.shown(draft.answers)
        for section in shown.sections():
            given = draft.answers.get(section.key) or {}
            for spec in section.questions():
                if not shown.met(spec.condition):
                    continue
                if spec.is_record:
                    needs_rows = spec.required and records is not None and spec.type != "child_details"
                    if needs_rows and not self.record_rows(spec, records):
                        missing.append(Missing(section.key, section.title, spec.key, spec.label, spec.not_recorded))
                    continue
                problem = draft.problems.get((section.key, spec.key))
                if problem:
                    missing.append(Missing(section.key, section.title, spec.key, spec.label, problem))
                elif spec.required and _is_empty(given.get(spec.key)):
                    missing.append(Missing(section.key, section.title, spec.key, spec.label, NOT_ANSWERED))
        return missing

    def summary(
        self, answers, *, show_all=False, with_guidance=False, records=None, raw_steps=None, with_kept_hidden=False
    ):
        """The shown sections and questions with their answers in words, and which required ones are missing.

        `show_all` includes sections and questions that conditions hide (the admin's print preview);
        `with_kept_hidden` names, in each section's `kept_hidden`, the hidden questions that still hold an answer: a
        note for the professional alone (check answers, the preview), never for what is submitted;
        `with_guidance` keeps the guidance in its place, as rows whose field asks nothing (the PDF); `records` give
        the record-backed questions their rows. With `raw_steps`, what was typed in a step saved with errors shows
        too, each value that did not pass marked with its error (check answers and the preview: nothing typed looks
        lost).
        """
        draft = self.draft_read(answers, raw_steps)
        missing = {
            (m.section_key, m.field_key)
            for m in self.missing_required(answers, raw_steps, records=records, draft=draft)
        }
        kept_hidden = {}
        if with_kept_hidden and not show_all:
            for section, spec in self.hidden_with_text(draft.answers):
                kept_hidden.setdefault(section.key, []).append(spec)
        out = []
        shown_now = self.shown(draft.answers)
        for section in self.sections():
            shown = show_all or shown_now.section(section)
            if not shown and section.key not in kept_hidden:
                continue
            given = draft.answers.get(section.key) or {}
            rows = []
            for spec in (section.fields if with_guidance else section.questions()) if shown else []:
                if not spec.asks:
                    rows.append(SummaryRow(spec, "", False))
                    continue
                if not show_all and not shown_now.met(spec.condition):
                    continue
                where = (section.key, spec.key)
                value = given.get(spec.key)
                problem = draft.problems.get(where, "")
                if spec.is_record:
                    shown_value = self.record_rows(spec, records) or ""
                elif where in draft.problems:
                    shown_value = draft.typed.get(where, "")
                elif value is None and spec.type == "declaration":
                    shown_value = ""
                else:
                    shown_value = self.display_value(spec, value)
                rows.append(
                    SummaryRow(
                        spec,
                        shown_value,
                        where in missing and not (problem and shown_value),
                        problem=problem,
                        document=_document_named(spec, value),
                    )
                )
            out.append(SectionSummary(section, rows, kept_hidden.get(section.key, [])))
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

    def posted_values(self, section_key, raw) -> dict:
        """{question key: what a step's kept post holds for it, read as its widget reads a post}: a date's three boxes
        are one value, a table's cells its rows. A step the pinned version no longer has holds nothing."""
        try:
            form_fields = self.form_class_for(section_key).base_fields
        except KeyError:
            return {}
        data = _posted(raw)
        return {key: form_field.widget.value_from_datadict(data, {}, key) for key, form_field in form_fields.items()}

    def posted_names(self, section_key, key, raw) -> set:
        """The names in a step's kept post that hold what was typed into question ``key``: every box of a date or an
        address and every cell of a table, not only a name equal to the key."""
        try:
            form_field = self.form_class_for(section_key).base_fields.get(key)
        except KeyError:
            form_field = None
        return set(posted_names(form_field.widget, raw, key)) if form_field is not None else {key} & set(raw)

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


class FrozenTerms:
    """Team or Type as a published version froze them: the taxonomy model's choices() and display_for()."""

    def __init__(self, terms, model):
        self.terms = {code: (name, active) for code, name, active in terms}
        self.model = model

    def choices(self, *, include=()):
        include = [code for code in include if code]
        out = [(code, name) for code, (name, active) in self.terms.items() if active or code in include]
        # A code written since (a child-record row) still shows, named as it is now.
        return out + [(code, self.model.display_for(code)) for code in include if code not in self.terms]

    def display_for(self, code):
        if not code:
            return ""
        return self.terms[code][0] if code in self.terms else self.model.display_for(code)


def rich_text_html(value):
    """A RichText value (or stored rich text) as HTML, its links and embeds expanded as they are now."""
    if not value:
        return ""
    return expand_db_html(getattr(value, "source", value))


def lookups_freeze(sections):
    """What a version's questions read from outside its own content, as it is now: JSON for the version's `lookups`.

    {"dropdown_lists": {list id: [[value, label, retired]]}, "teams": [[code, name, active]], "types": [...],
    "guidance": {block id: HTML}} (section guidance and guidance blocks, links expanded).
    """
    list_ids, guidance = {}, {}  # list ids in the order the questions use them
    for child in sections:
        value = child.value
        if value.get("guidance") and child.id:
            guidance[child.id] = rich_text_html(value["guidance"])
        for block in value["fields"]:
            dropdown = block.value.get("dropdown_list") if hasattr(block.value, "get") else None
            if dropdown is not None:
                list_ids[dropdown.pk] = True
            if block.block_type == "guidance" and block.id:
                guidance[block.id] = rich_text_html(block.value.get("body"))
    lists = dropdown_lists_options(list_ids)

    def terms(model):
        return [[term.code, term.display_name, term.active] for term in model.objects.all()]

    return {"dropdown_lists": lists, "teams": terms(Team), "types": terms(NeedType), "guidance": guidance}


# Messages Django fills in with %-style values ("%(limit_value)s"): a % in a label ("Attendance (%)") is doubled, or
# filling them in fails.
FILLED_IN_MESSAGES = {
    "max_length",
    "min_length",
    "min_value",
    "max_value",
    "step_size",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
}


def _percent_signs_kept(form_field):
    for sub in getattr(form_field, "subfields", {}).values():
        _percent_signs_kept(sub)
    form_field.error_messages = {
        code: message.replace("%", "%%") if code in FILLED_IN_MESSAGES and isinstance(message, str) else message
        for code, message in form_field.error_messages.items()
    }


def _columns(spec):
    return [dict(column) for column in spec.options.get("columns") or [] if column.get("key")]


def _table_cell_field(column):
    """One column's form field: text, number, money, date, choice or yes/no, with the column's label."""
    label, kind, required = column.get("label") or "", column.get("kind") or "text", bool(column.get("required"))
    wording = Wording(label, quote=True)
    if kind == "number":
        field = NumberField(
            required=required,
            percent=about_percentage(label),
            max_digits=16,
            decimal_places=4,
            error_messages={
                "required": wording.enter(),
                "invalid": wording.must("be a number, like 12 or 2.5"),
                "percent_sign": wording.must(NO_PERCENT_SIGN),
                "max_digits": wording.must("be a number with no more than 16 digits"),
                "max_decimal_places": wording.must("have no more than 4 decimal places"),
                "max_whole_digits": wording.must("be a number with no more than 12 digits before the point"),
            },
        )
    elif kind == "money":
        field = MoneyField(wording=wording, required=required)
    elif kind == "date":
        field = GovukDateField(
            wording=wording,
            required=required,
            earliest=column.get("earliest"),
            latest=column.get("latest"),
            not_in_future=bool(column.get("not_in_future")),
        )
    elif kind in ("choice", "yes_no"):
        options = YES_NO_CHOICES if kind == "yes_no" else [(o.get("value"), o.get("label")) for o in column["options"]]
        message = wording.select_yes_no_in_column() if kind == "yes_no" else wording.select()
        field = _choice(
            options, label, message, required=required, widget=forms.RadioSelect if kind == "yes_no" else forms.Select
        )
    else:
        field = GovukTextField(required=required, max_length=500, error_messages=_text_messages(wording, 500))
    field.label = label
    return field


def _cell_words(column, value):
    if value in (None, ""):
        return ""
    kind = column.get("kind")
    if kind == "money":
        return format_money(value)
    if kind == "number":
        return format_number(value, about_percentage(column.get("label")))
    if kind == "date":
        try:
            return format_date(datetime.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if kind == "yes_no":
        return dict(YES_NO_CHOICES).get(value, str(value))
    if kind == "choice":
        return {o.get("value"): o.get("label") for o in column.get("options") or []}.get(value, str(value))
    return str(value)


def _json_cell(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return value


def _text_messages(wording, limit):
    return {
        "required": wording.enter(),
        "max_length": wording.too_long(limit),
        "null_characters_not_allowed": wording.must("not contain hidden characters"),
    }


def _text(label, required_message, limit, *, required=True, textarea=False):
    return GovukTextField(
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
    """A cleaned value as JSON-able data (a new upload stays a file: services.drafts files it)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if spec.type == "declaration":
        return bool(value)
    if value == "" and spec.type in ("yes_no", "single_choice", "money"):
        return None
    if spec.is_group and isinstance(value, list):
        return [{k: _json_cell(v) for k, v in row.items()} if isinstance(row, dict) else row for row in value]
    return value


class SectionForm(forms.Form):
    """One section's questions. Build with FormBuilder.form_class_for(section_key)."""

    builder = None
    section = None

    def __init__(
        self, data=None, files=None, *, answers=None, show_all=False, upload_flags=None, raw_steps=None, **kwargs
    ):
        """`show_all` keeps questions another section's answers would hide (the admin preview shows every one).
        `upload_flags`: what advice_forms.uploads.checked_upload_parsing noted of the request's files.
        `raw_steps`: the request's steps saved with errors: what they hold counts as written when this save
        hides it (see full_clean)."""
        self.all_answers = answers or {}
        self.raw_steps = raw_steps or {}
        self.show_all = show_all
        # The Shown of each set of answers this page reads, by their id, with the answers (see shown_for).
        self._shown_by_answers = {}
        # Required record-backed questions of this step with no rows: field key -> message (set by the wizard from
        # selectors.request_problems, when the step shows its errors).
        self.record_problems = {}
        # Questions hidden by this page's answers that hold text which is not a valid answer (see full_clean).
        self.kept_in_error = set()
        # File questions whose saved file this post removed: field key -> the answer that named it.
        self.removed_files = {}
        saved = self.all_answers.get(self.section.key) or {}
        kwargs.setdefault(
            "initial",
            {
                spec.key: _to_initial(spec, saved.get(spec.key))
                for spec in self.section.questions()
                if not spec.is_record
            },
        )
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, files, **kwargs)
        self._offer_old_choices(saved)
        self._note_upload_flags(upload_flags or {})
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
            if spec.is_group and not spec.is_table and isinstance(value, list):
                for sub, model in (("team", self.builder.team), ("type", self.builder.need_type)):
                    if sub in form_field.subfields:
                        codes = [row.get(sub) for row in value if isinstance(row, dict)]
                        form_field.subfields[sub].choices = model.choices(include=codes)

    def _note_upload_flags(self, flags):
        """A file question whose upload was stopped for its size reports that, not "no file" (a file with an unsafe
        name is marked on the file itself: cms.upload_names.has_unsafe_name)."""
        oversized, names = flags.get("oversized") or set(), flags.get("names") or {}
        for name, form_field in self.fields.items():
            if isinstance(form_field, FileQuestionField):
                posted = self.add_prefix(name)
                form_field.upload_flags = {"oversized": True} if posted in oversized else {}
                form_field.skipped_name = names.get(posted, "") if posted in oversized else ""

    def new_uploads(self):
        """{field key: UploadedFile} of the files chosen in this post (call after is_valid())."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if isinstance(self.fields.get(name), FileQuestionField)
            and value is not None
            and not isinstance(value, dict)
        }

    def refused_uploads(self):
        """The refusals of files chosen in this post ('“setup.exe” must be a PDF'; call after is_valid()): a draft
        cannot keep a refused file, so whoever leaves the step must be told which were not kept."""
        return [
            message
            for name, errors in self.errors.as_data().items()
            if isinstance(self.fields.get(name), FileQuestionField)
            for error in errors
            if error.code == "invalid"
            for message in error.messages
        ]

    def removed_uploads(self):
        """Keys of the file questions whose "Remove this file" button was pressed in this post."""
        if not self.is_bound:
            return []
        return [
            name
            for name, form_field in self.fields.items()
            if isinstance(form_field, FileQuestionField) and self[name].data is False
        ]

    def show_as_uploaded(self, filed):
        """Show the uploads this post filed ({field key: answer}) as uploaded when the step shows again."""
        self._show_as_saved(filed)

    def show_as_removed(self, removed):
        """Show the files this post removed ({field key: the answer that named it}) as gone when the step shows
        again, saying which was removed."""
        self.removed_files.update(removed)
        self._show_as_saved(dict.fromkeys(removed))

    def _show_as_saved(self, values):
        """The step's file questions as saved now ({field key: answer or None}), for the page and for its conditions
        alike: the posted file is taken out of the form's files, so each question's value is its saved answer (read
        while cleaning, it was the file just posted), and the answers the conditions read are worked out again."""
        self.initial.update(values)
        self.files = self.files.copy()
        for name in values:
            self.files.pop(self.add_prefix(name), None)
        for name in values:
            self._bound_fields_cache.pop(name, None)
        self.__dict__.pop("_answers_now", None)
        self._shown_by_answers = {}

    def _drop_fields_hidden_by_other_sections(self):
        """A question hidden by another section's answers is not asked here (its saved answer is kept)."""
        own = {spec.key for spec in self.section.questions()}
        shown = self.shown_for(self.all_answers)
        for spec in self.section.questions():
            if spec.key not in self.fields:
                continue
            condition = spec.condition
            if shown.met(condition):
                continue
            if not any(rule["field_key"] in own for rule in condition["rules"]):
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
                return (parts[0], key, int(parts[2]) if len(parts) > 2 and parts[2].isdecimal() else None)
        return None

    # --- conditions on the page ---------------------------------------------------------------------

    @cached_property
    def _answers_now(self):
        saved = self.all_answers.get(self.section.key) or {}
        current = dict(saved)
        if self.is_bound:
            for name in self.fields:
                current[name] = self[name].value()
        return {**self.all_answers, self.section.key: current}

    def answers_now(self):
        """Every answer as it stands on this page: the saved ones, with this step's as posted (or saved)."""
        return self._answers_now

    def shown_for(self, answers):
        """The ``Shown`` of these answers (the page's as it stands, or those saved before it), built once and shared by
        every question the page draws or checks: built again per question, a step of a few hundred conditional
        questions worked its conditions out a few hundred times over. Keyed by the answers object itself (the dicts a
        form reads are never changed in place: a change makes a new dict), and forgotten when a bound form is cleaned,
        so a Shown never outlives the answers it was built for."""
        kept = self._shown_by_answers.get(id(answers))
        if kept is not None and kept[0] is answers:
            return kept[1]
        shown = self.builder.shown(answers)
        self._shown_by_answers[id(answers)] = (answers, shown)
        return shown

    def shown(self, spec, answers=None):
        if self.show_all:
            return True
        return self.shown_for(self.answers_now() if answers is None else answers).field(spec)

    def conditional_specs(self):
        """Every question of the form whose showing depends on a condition (its own or its section's)."""
        return [
            spec
            for section in self.builder.sections()
            for spec in section.questions()
            if spec.condition or section.condition
        ]

    def shown_at_render(self):
        """Keys of the conditional questions shown on this page as it is drawn: posted back, so a save can tell
        which answers it is about to hide (and which questions it has just opened)."""
        shown = self.shown_for(self.answers_now())
        return " ".join(spec.key for spec in self.conditional_specs() if shown.field(spec))

    def hidden_with_text_now(self):
        """Keys of questions hidden on this page as drawn that hold an answer: told once, not on every save."""
        answers = self.answers_now()
        return " ".join(spec.key for _, spec in self.builder.hidden_with_text(answers, self.shown_for(answers)))

    def _posted_keys(self, name):
        return set(str(self.data.get(name, "")).split()) if name in self.data else None

    def full_clean(self):
        if self.is_bound:
            self._shown_by_answers = {}  # cleaning reads the page's answers afresh: so do the conditions
        super().full_clean()
        self.clearing, self.clear_elsewhere = [], []
        self.kept_in_error = set()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        saved = self.all_answers.get(self.section.key) or {}
        answers = self.answers_now()
        # A question hidden by an answer on this page asks nothing: its errors go; what it holds is kept
        # until the professional agrees to remove it. Text typed into it that cannot be kept as an answer (a
        # number in words, half a date) keeps its error instead, and the question is shown with it.
        for name, form_field in self.fields.items():
            if not self.shown(form_field.spec, answers):
                if name in self._errors and _typed(self[name].value()):
                    self.kept_in_error.add(name)
                    continue
                self._errors.pop(name, None)
                if name not in self.cleaned_data:
                    self.cleaned_data[name] = saved.get(name)
        if self._errors:
            return
        after = {**self.all_answers, self.section.key: self.answers()}
        shown_before = self._posted_keys("shown-at-render")
        if shown_before is None:
            before = self.shown_for(self.all_answers)
            shown_before = {s.key for s in self.conditional_specs() if before.field(s)}
        kept_before = self._posted_keys("kept-at-render")
        if kept_before is None:
            hidden = self.builder.hidden_with_text(self.all_answers, self.shown_for(self.all_answers))
            kept_before = {spec.key for _, spec in hidden}
        to_clear = set(str(self.data.get("clear-keys", "")).split())
        choice = str(self.data.get("clear", ""))
        for section, spec in self.builder.hidden_with_text(self._with_other_steps_typing(after)):
            if choice == "remove" and spec.key in to_clear:
                if section.key == self.section.key:
                    self.cleaned_data[spec.key] = None
                else:
                    self.clear_elsewhere.append((section.key, spec.key))
            elif choice != "keep" and self._newly_hidden(section, spec, shown_before, kept_before):
                self.clearing.append((section, spec))

    def _with_other_steps_typing(self, after):
        """``after`` with what the other steps saved with errors hold (read against the answers this page was
        drawn with, as those steps were typed), text that is not a valid answer included: text there that this
        save hides is asked about too, never dropped unasked."""
        others = {key: raw for key, raw in self.raw_steps.items() if key != self.section.key}
        if not others:
            return after
        draft = self.builder.draft_read(self.all_answers, others)
        merged = {**draft.answers, self.section.key: after[self.section.key]}
        for (section_key, key), text in draft.typed.items():
            if section_key in others and _typed(text):
                merged[section_key] = {**merged.get(section_key, {}), key: text}
        # A question those answers already hide is not read by its step's form: what was posted for it still counts.
        for section_key, raw in others.items():
            given = merged.get(section_key) or {}
            posted = {
                key: value
                for key, value in self.builder.posted_values(section_key, raw).items()
                if _is_empty(given.get(key)) and _typed(value)
            }
            if posted:
                merged[section_key] = {**given, **posted}
        return merged

    def _newly_hidden(self, section, spec, shown_before, kept_before):
        """Hidden by this save: in another step, a question shown when the page was drawn; on this page, one
        whose text was not already kept hidden (text typed into a reveal and then closed counts)."""
        if section.key != self.section.key:
            return spec.key in shown_before
        return spec.key not in kept_before

    @property
    def asks_before_going_on(self):
        """A save that would hide answers shows the step again first. (A question a save opens was on the page
        already: without JavaScript every follow-up question is shown, saying which answer it follows.)"""
        return bool(self.is_bound and not self.errors and self.clearing)

    def answers(self):
        """This section's answers as JSON-able data (call after is_valid()); answers to questions this page
        does not ask (hidden by another section) are kept as saved."""
        saved = self.all_answers.get(self.section.key) or {}
        own = {spec.key: spec for spec in self.section.questions()}
        out = {k: v for k, v in saved.items() if k in own and k not in self.fields}
        out.update(
            {
                name: _to_answer(self.fields[name].spec, value)
                for name, value in self.cleaned_data.items()
                if name in self.fields
            }
        )
        return out

    def record_questions(self):
        """This page's record-backed questions that its saved answers show (their rows come from the child record)."""
        shown = self.shown_for(self.all_answers)
        return [spec for spec in self.section.fields if spec.asks and spec.is_record and shown.met(spec.condition)]

    def reveals(self):
        """{controller key: {option value: [BoundField]}}: questions drawn in a GOV.UK conditional reveal (but for
        one kept with an error while its option is not chosen: that is drawn on its own, so it can be seen)."""
        if self.is_bound and self._errors is None:
            self.full_clean()  # a step drawn again from its kept post (a GET) is checked before it is drawn
        out = {}
        for name, form_field in self.fields.items():
            reveal = self.builder.reveal_option(form_field.spec)
            if reveal and reveal[0] in self.fields and name not in self.kept_in_error:
                out.setdefault(reveal[0], {}).setdefault(reveal[1], []).append(self[name])
        return out

    def items(self):
        """Guidance, record-backed questions and fields in the designer's order, for templates: ("guidance", Field),
        ("record", Field) or ("field", BoundField); a question in a reveal sits in its controller."""
        nested = {bound.name for options in self.reveals().values() for fields in options.values() for bound in fields}
        out = []
        records = {id(spec) for spec in self.record_questions()}
        for spec in self.section.fields:
            if not spec.asks:
                out.append(("guidance", spec))
            elif spec.is_record:
                if id(spec) in records:
                    out.append(("record", spec))
            elif spec.key in self.fields and spec.key not in nested:
                out.append(("field", self[spec.key]))
        return out

    def _names_in_page_order(self):
        """The fields' names as the page draws them: a question in a reveal right after its option's place in its
        controller, so before the questions that follow the controller."""
        reveals = self.reveals()

        def drawn(name):
            yield name
            options = reveals.get(name, {})
            values = [str(value) for value, _ in getattr(self.fields[name], "choices", ())]
            for value in sorted(options, key=lambda v: values.index(v) if v in values else len(values)):
                for bound in options[value]:
                    yield from drawn(bound.name)

        out = []
        for kind, item in self.items():
            if kind == "field":
                out.extend(drawn(item.name))
            elif kind == "record":
                out.append(item.key)
        return out + [name for name in self.fields if name not in out]

    def error_summary(self):
        """[(href, message)] in page order, linking each message to the input it is about (a record-backed question:
        to the question, whose buttons change its rows)."""
        out = []
        for name in self._names_in_page_order():
            if name in self.record_problems:
                out.append((f"#{self.builder.input_id(name)}", self.record_problems[name]))
                continue
            if name not in self.fields:
                continue
            form_field = self.fields[name]
            errors = self.errors.get(name)
            if not errors:
                continue
            bound = self[name]
            if isinstance(form_field, RepeatingGroupField) and form_field.row_errors:
                for row, subs in sorted(form_field.row_errors.items()):
                    for sub, message in subs.items():
                        # A date cell: its first box at fault.
                        box = form_field.row_error_parts.get(row, {}).get(sub)
                        out.append((f"#{bound.auto_id}-{row}-{sub}{f'-{box[0]}' if box else ''}", message))
                continue
            parts = getattr(form_field, "error_parts", None)
            if isinstance(form_field, AddressField) and parts:
                out.extend((f"#{bound.auto_id}-{part}", message) for part, message in zip(parts, errors, strict=False))
                continue
            if isinstance(form_field, GovukDateField) and parts:
                anchor = f"#{bound.auto_id}-{parts[0]}"  # the box at fault
            else:
                anchor = f"#{first_input_id(form_field, bound.auto_id)}"
            out.extend((anchor, message) for message in errors)
        return out


def first_input_id(form_field, field_id):
    """The id of a question's first input on its step page (`field_id`: the question's own id there), where a link
    to the question leads, as GOV.UK's error summary and "Change" links do: a radio or checkbox question's first
    option, a date's day box, an address's first line, the first cell of a table's first row (its day box in a date
    column; a table always shows a row), else the input itself (includes/field.html draws them so)."""
    if isinstance(form_field, RepeatingGroupField):
        name, cell = next(iter(form_field.subfields.items()))
        # A cell's first radio carries the cell's own id (field.html), so only a date cell adds a part.
        return f"{field_id}-0-{name}{'-day' if isinstance(cell, GovukDateField) else ''}"
    if isinstance(form_field, AddressField):
        return f"{field_id}-line_1"
    if isinstance(form_field, GovukDateField):
        return f"{field_id}-day"
    if isinstance(form_field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{field_id}-0"
    return field_id
