"""The blocks a form designer builds a form definition from: sections, and one block per field type.

A definition's `sections` StreamField holds a list of SectionBlocks; each holds a StreamBlock with one
block type per field type. Adding a field type is one block here and one `create_<type>_field` method in
form_builder.py. Block ids are kept across revisions, which is what lets a field keep its key from one
published version to the next (see `check_sections`).
"""

import copy
import re
from contextlib import contextmanager
from contextvars import ContextVar

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.utils import ErrorList
from django.utils.functional import cached_property
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.blocks import says_when_empty
from cms.draftail import LazyDraftailRichTextArea
from cms.form_fields import no_direction_override, one_line, one_line_folded, typed_date

KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,59}")  # fullmatch: "$" would pass "key\n"
KEY_HELP = "Filled in from the label when left blank. Answers are stored under it, so it is fixed once published."

# Field types whose answer a later field or section may depend on.
CONDITION_SOURCES = {"yes_no", "single_choice", "multiple_choice"}
CHOICE_TYPES = {"single_choice", "multiple_choice"}
YES_NO_VALUES = ("yes", "no")
# The largest number (or amount in pounds) a number or money question's limits may set, and the bound of its answers
# when the designer sets none: a sane stored number, and one a file can carry (a setting of 5,000 digits failed an
# import with a server error).
LARGEST_NUMBER = 10**12 - 1
# The example in a date setting's hint and its refusals ("Enter a real date, like 14/6/2027").
SETTING_DATE_EXAMPLE = "14/6/2027"
# Suggested words for a long text: its longest answer is 50,000 characters, some 10,000 words.
MOST_SUGGESTED_WORDS = 10_000


class OneLineBlock(blocks.CharBlock):
    """A one-line text of the form builder (a title, a label, a key): folded (``one_line_folded``) before it is checked
    and stored, as the import does. Written to migrations as Wagtail's own CharBlock, which its stored value is."""

    canonical_module_path = "wagtail.blocks.CharBlock"

    # The one_line check is the block's own, so no declaration can forget it. It is set in __new__ too, where Wagtail
    # records the arguments a migration writes: the definition reads as it did when each declaration named it.
    def __new__(cls, *args, **kwargs):
        kwargs.setdefault("validators", [one_line])
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [one_line])
        super().__init__(*args, **kwargs)
        # A NUL is refused once, with one_line's words (Django's field refuses it too, in its own).
        self.field.validators = [v for v in self.field.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def clean(self, value):
        return super().clean(one_line_folded(value))


class MultiLineBlock(blocks.TextBlock):
    """A multi-line text of the form builder (a hint): its line breaks kept, a text direction override refused
    (``no_direction_override``), as the import does. Written to migrations as Wagtail's own TextBlock."""

    canonical_module_path = "wagtail.blocks.TextBlock"

    def clean(self, value):
        value = super().clean(value)
        no_direction_override(value)
        return value


class SettingDateBlock(blocks.DateBlock):
    """A date setting of the form builder (a date question's or a date column's earliest and latest date allowed),
    typed in a plain text box as every date of the admin is (``cms.form_fields.typed_date``): 14/6/2027, 14/06/2027
    or 2027-06-14, shown as 14/6/2027, and 31/02/2027 or a year not of 4 numbers refused beside the box. The browser's
    own date box sent nothing for a date it could not read (31/02/2027, or one typed in another order than the one it
    expected), so the setting was saved empty and the question took any date. Not Wagtail's date picker either: it
    builds its calendar, about 250 elements, for each box as the editor opens: 72 boxes in a 250-question definition
    were 18,000 of its editor's 81,000 elements and most of a second of the browser's time (docs/performance.md).
    Written to migrations as Wagtail's own DateBlock, which its stored value is (the JSON keeps 2027-06-14)."""

    canonical_module_path = "wagtail.blocks.DateBlock"

    @cached_property
    def field(self):
        return typed_date(forms.DateField(**self.field_options), example=SETTING_DATE_EXAMPLE)


class GuidanceTextBlock(blocks.RichTextBlock):
    """Rich text of the form builder (guidance): a text direction override in it refused, as in a hint."""

    canonical_module_path = "wagtail.blocks.RichTextBlock"

    @cached_property
    def field(self):
        # A real form has a dozen collapsed sections, each with a guidance box: each drawn only once opened.
        return forms.CharField(widget=LazyDraftailRichTextArea(features=self.features), **self.field_options)

    def clean(self, value):
        value = super().clean(value)
        no_direction_override(value)
        return value


CONDITION_OPERATORS = [("is", "is"), ("is_not", "is not"), ("is_one_of", "is one of")]


class ConditionRuleBlock(blocks.StructBlock):
    field_key = OneLineBlock(
        required=False,
        label="The answer to the question with key",
        help_text="The key of a yes/no or choice question earlier in this section or in an earlier one.",
    )
    operator = says_when_empty(
        "Select how the rule compares the answer",
        blocks.ChoiceBlock(choices=CONDITION_OPERATORS, default="is", label=""),
    )
    value = OneLineBlock(
        required=False,
        label="Answer",
        help_text="yes or no, or an option's value; for “is one of”, several values separated by commas.",
    )

    class Meta:
        icon = "view"
        label = "Rule"


def upgrade_condition(value):
    """A condition as stored before rules existed ({field_key, value}) in today's shape (match, rules).

    Published versions and revisions keep the old JSON; reading upgrades it, so they behave as before.
    """
    if not isinstance(value, dict) or "rules" in value or "match" in value:
        return value
    key = (value.get("field_key") or "").strip()
    answer = (value.get("value") or "").strip()
    rules = [{"field_key": key, "operator": "is", "value": answer}] if key or answer else []
    return {"match": "all", "rules": rules}


class ConditionBlock(blocks.StructBlock):
    match = says_when_empty(
        "Select whether all the rules or any of them must be true",
        blocks.ChoiceBlock(
            choices=[("all", "all of these rules are true"), ("any", "any of these rules is true")],
            default="all",
            label="Only show when",
        ),
    )
    # "Rules (none: always shown)" stayed above the rules once one was added: the label names them, the help says
    # what having none means.
    rules = blocks.ListBlock(
        ConditionRuleBlock(), default=[], label="Rules", help_text="With no rules, this is always shown."
    )

    def to_python(self, value):
        return super().to_python(upgrade_condition(value))

    def bulk_to_python(self, values):
        return super().bulk_to_python([upgrade_condition(value) for value in values])

    def normalize(self, value):
        return super().normalize(upgrade_condition(value))

    class Meta:
        icon = "view"
        label = "Show only when"
        collapsed = True
        form_classname = "struct-block advice-condition"


class OptionBlock(blocks.StructBlock):
    label = says_when_empty("Enter the option's label", OneLineBlock(max_length=255))
    value = OneLineBlock(required=False, max_length=100, help_text="Filled in from the label when left blank.")

    class Meta:
        icon = "list-ul"
        label = "Option"


class BaseFieldBlock(blocks.StructBlock):
    """What every question has: a label, a key, a hint, whether it is required, and an optional condition."""

    label = says_when_empty(
        "Enter the question",
        OneLineBlock(max_length=255, help_text="The question, as the professional reads it."),
    )
    key = OneLineBlock(required=False, max_length=60, help_text=KEY_HELP)
    hint = MultiLineBlock(required=False, rows=2, help_text="Shown under the label, in grey.")
    required = blocks.BooleanBlock(required=False, default=True)
    error_message = OneLineBlock(
        required=False,
        max_length=255,
        label="Message when not answered",
        help_text='e.g. "Enter the date of the last review". Leave blank for a standard message.',
    )
    condition = ConditionBlock(required=False)

    class Meta:
        icon = "form"


class ShortTextBlock(BaseFieldBlock):
    max_length = says_when_empty(
        "Enter the most characters allowed",
        blocks.IntegerBlock(default=200, min_value=1, max_value=2000, label="Most characters allowed"),
    )

    class Meta:
        icon = "pilcrow"
        label = "Short text"


class LongTextBlock(BaseFieldBlock):
    max_length = says_when_empty(
        "Enter the most characters allowed",
        blocks.IntegerBlock(default=5000, min_value=1, max_value=50000, label="Most characters allowed"),
    )
    word_guidance = blocks.IntegerBlock(
        required=False,
        min_value=1,
        max_value=MOST_SUGGESTED_WORDS,
        label="Suggested words",
        help_text="Shown as guidance, e.g. about 300 words.",
    )

    class Meta:
        icon = "doc-full"
        label = "Long text"


class NumberBlock(BaseFieldBlock):
    min_value = blocks.IntegerBlock(
        required=False, min_value=-LARGEST_NUMBER, max_value=LARGEST_NUMBER, label="Smallest number allowed"
    )
    max_value = blocks.IntegerBlock(
        required=False, min_value=-LARGEST_NUMBER, max_value=LARGEST_NUMBER, label="Largest number allowed"
    )
    whole_numbers = blocks.BooleanBlock(required=False, default=True, label="Whole numbers only")

    class Meta:
        icon = "decimal"
        label = "Number"


class DateBlock(BaseFieldBlock):
    earliest = SettingDateBlock(required=False, label="Earliest date allowed")
    latest = SettingDateBlock(required=False, label="Latest date allowed")
    not_in_future = blocks.BooleanBlock(required=False, default=False, label="Must be today or earlier")

    class Meta:
        icon = "date"
        label = "Date"


class EmailBlock(BaseFieldBlock):
    class Meta:
        icon = "mail"
        label = "Email address"


class PhoneBlock(BaseFieldBlock):
    class Meta:
        icon = "mobile-alt"
        label = "Phone number"


class YesNoBlock(BaseFieldBlock):
    class Meta:
        icon = "tick-inverse"
        label = "Yes or no"


# The dropdown lists read while one definition's form is read or cleaned, by what was asked (see `DropdownListBlock`).
_lists_read = ContextVar("dropdown_lists_read", default=None)


@contextmanager
def dropdown_lists_read_once():
    """Within it, each dropdown list a definition's questions pick is read once for them all (an inner use shares the
    outer one's reads)."""
    if _lists_read.get() is not None:
        yield
        return
    token = _lists_read.set({})
    try:
        yield
    finally:
        _lists_read.reset(token)


class DropdownListBlock(SnippetChooserBlock):
    """A choice question's shared dropdown list, picked in the admin's chooser.

    Wagtail's chooser reads its list when the form is read and again when it is cleaned, for each question: a
    definition with hundreds of questions on a few lists made a query for each at every save and preview. Inside
    `dropdown_lists_read_once` (opened by `SectionsBlock`), each list is read once for the form's values and once for
    its checks, whatever the number of questions; each question still gets its own instance, as upstream's bulk read
    gives. Migrations and stored data name the upstream block: nothing stored changes."""

    canonical_module_path = "wagtail.snippets.blocks.SnippetChooserBlock"

    def _once(self, asked, read):
        seen = _lists_read.get()
        if seen is None:
            return read()
        if asked not in seen:
            seen[asked] = read()
        return copy.copy(seen[asked])

    def value_from_form(self, value):
        if value is None or isinstance(value, self.model_class):
            return value
        return self._once(("read", str(value)), lambda: super(DropdownListBlock, self).value_from_form(value))

    def clean(self, value):
        pk = value.pk if isinstance(value, self.model_class) else value
        return self._once(("clean", str(pk)), lambda: super(DropdownListBlock, self).clean(value))


class ChoiceSourceMixin(blocks.StructBlock):
    """A choice question's options. Named first among a choice block's bases, so its fields come after the question's
    own (Wagtail orders a struct's children from the last base to the first): the label stays the first child, which
    is what a collapsed question shows as its title. Stored values are keyed by name, so the order changes no data."""

    dropdown_list = DropdownListBlock("advice_forms.DropdownList", required=False, help_text="A shared list…")
    options = blocks.ListBlock(OptionBlock(), default=[], label="…or its own options")


class SingleChoiceBlock(ChoiceSourceMixin, BaseFieldBlock):
    display = says_when_empty(
        "Select how the options are shown",
        blocks.ChoiceBlock(
            choices=[("radios", "Radio buttons (up to about 8 options)"), ("select", "A dropdown (long lists)")],
            default="radios",
        ),
    )

    class Meta:
        icon = "radio-full"
        label = "Single choice"


class MultipleChoiceBlock(ChoiceSourceMixin, BaseFieldBlock):
    class Meta:
        icon = "tasks"
        label = "Multiple choice (checkboxes)"


class DeclarationBlock(blocks.StructBlock):
    label = says_when_empty(
        "Enter what the professional confirms by ticking the box",
        OneLineBlock(max_length=500, help_text="What the professional confirms by ticking the box."),
    )
    key = OneLineBlock(required=False, max_length=60, help_text=KEY_HELP)
    hint = MultiLineBlock(required=False, rows=2)
    error_message = OneLineBlock(required=False, max_length=255, label="Message when not ticked")
    condition = ConditionBlock(required=False)

    class Meta:
        icon = "success"
        label = "Declaration (must be ticked)"


GUIDANCE_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul"]


class GuidanceBlock(blocks.StructBlock):
    """Words (headings, lists, links) and an optional picture shown in the step and the PDF; asks nothing."""

    heading = OneLineBlock(required=False, max_length=255)
    body = says_when_empty("Enter the guidance text", GuidanceTextBlock(features=GUIDANCE_FEATURES))
    image = blocks.StructBlock(
        [
            ("image", ImageChooserBlock(required=False, label="Picture")),
            (
                "alt",
                OneLineBlock(
                    required=False,
                    max_length=255,
                    label="Alt text",
                    help_text="What the picture shows, for people who cannot see it. Required with a picture.",
                ),
            ),
        ],
        required=False,
        label="Picture (optional)",
    )

    class Meta:
        icon = "help"
        label = "Guidance text (asks nothing)"

    def clean(self, value):
        value = super().clean(value)
        picture = value.get("image") or {}
        if picture.get("image") and not (picture.get("alt") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "image": StructBlockValidationError(
                        block_errors={"alt": ValidationError("Enter alt text that says what the picture shows")}
                    )
                }
            )
        return value


class AddressBlock(BaseFieldBlock):
    """A UK address: two lines, a town and a postcode (checked and written as Royal Mail does, e.g. SW1A 1AA)."""

    class Meta:
        icon = "home"
        label = "UK address"


class MoneyBlock(BaseFieldBlock):
    """An amount in pounds and pence, typed as people write it (£1,900.50, 1900 or 1,900)."""

    min_value = blocks.IntegerBlock(
        required=False, min_value=-LARGEST_NUMBER, max_value=LARGEST_NUMBER, label="Smallest amount allowed (pounds)"
    )
    max_value = blocks.IntegerBlock(
        required=False, min_value=-LARGEST_NUMBER, max_value=LARGEST_NUMBER, label="Largest amount allowed (pounds)"
    )

    class Meta:
        icon = "decimal"
        label = "Money (pounds and pence)"


class FileBlock(BaseFieldBlock):
    """A PDF the professional uploads with the form: checked as every upload is, filed as the child's document."""

    class Meta:
        icon = "doc-full-inverse"
        label = "File (PDF upload)"


# Retired kinds: they keep their own copies of outcomes, contacts and views in the answers, typed again beside the
# child record's. The record-backed kinds below replace them; these stay so the versions using them still work.
RETIRED_GROUP = "Retired: copies typed into the answers (use the kinds from the child record)"


class RepeatingGroupBlock(BaseFieldBlock):
    max_rows = says_when_empty(
        "Enter the most rows allowed",
        blocks.IntegerBlock(default=20, min_value=1, max_value=100, label="Most rows allowed"),
    )

    class Meta:
        icon = "list-ol"


class OutcomesBlock(RepeatingGroupBlock):
    class Meta:
        icon = "list-ol"
        label = "Outcomes typed into the answers (retired)"
        group = RETIRED_GROUP


class ProfessionalContactsBlock(RepeatingGroupBlock):
    class Meta:
        icon = "group"
        label = "Professional contacts typed into the answers (retired)"
        group = RETIRED_GROUP


class ViewsBlock(RepeatingGroupBlock):
    class Meta:
        icon = "openquote"
        label = "Views typed into the answers (retired)"
        group = RETIRED_GROUP


# --- record-backed kinds: the child record's own rows, shown and edited in place (one store per fact) ---


class RecordBackedBlock(blocks.StructBlock):
    """A question answered by rows of the child record, not by text kept in the answers.

    The step lists the rows and adds, changes or removes them through the same pages and services as the pages
    "around the form"; a submission freezes them (Submission.records). Required means at least one row."""

    label = says_when_empty(
        "Enter the heading the professional reads",
        OneLineBlock(max_length=255, help_text="The heading the professional reads."),
    )
    key = OneLineBlock(required=False, max_length=60, help_text=KEY_HELP)
    hint = MultiLineBlock(required=False, rows=2, help_text="Shown under the heading, in grey.")
    required = blocks.BooleanBlock(required=False, default=True, help_text="At least one entry before submitting.")
    condition = ConditionBlock(required=False)


class RecordOutcomesBlock(RecordBackedBlock):
    class Meta:
        icon = "list-ol"
        label = "Outcomes, from the child record (Type, Team, outcome, provision, timescale)"


class RecordContactsBlock(RecordBackedBlock):
    class Meta:
        icon = "group"
        label = "Professional involvement, from the child record"


class RecordContributionBlock(RecordBackedBlock):
    class Meta:
        icon = "openquote"
        label = "Parent or carer's contribution and communication method, from the record"


CHILD_DETAILS = [
    ("name", "Name"),
    ("date_of_birth", "Date of birth"),
    ("address", "Address"),
    ("school", "School or setting"),
    ("unique_pupil_number", "Unique pupil number"),
]


class ChildDetailsBlock(blocks.StructBlock):
    """The child's details as the record holds them: shown read-only, with a link to report a change."""

    label = says_when_empty(
        "Enter the heading of the child's details",
        OneLineBlock(max_length=255, default="The child or young person"),
    )
    key = OneLineBlock(required=False, max_length=60, help_text=KEY_HELP)
    hint = MultiLineBlock(required=False, rows=2)
    details = says_when_empty(
        "Select at least one detail to show",
        blocks.MultipleChoiceBlock(
            choices=CHILD_DETAILS,
            default=[value for value, _label in CHILD_DETAILS],
            widget=forms.CheckboxSelectMultiple,
            help_text="Which details to show, in this order.",
        ),
    )
    condition = ConditionBlock(required=False)

    class Meta:
        icon = "user"
        label = "Child's details, from the child record (read-only)"


TABLE_COLUMN_KINDS = [
    ("text", "Text"),
    ("number", "Number"),
    ("money", "Money (pounds and pence)"),
    ("date", "Date"),
    ("choice", "Choice from a list"),
    ("yes_no", "Yes or no"),
]
TOTAL_KINDS = {"number", "money"}


class TableColumnBlock(blocks.StructBlock):
    label = says_when_empty(
        "Enter the column's heading",
        OneLineBlock(max_length=120, help_text="The column's heading, e.g. “Name of the school”."),
    )
    key = OneLineBlock(required=False, max_length=60, help_text="Filled in from the label when left blank.")
    kind = says_when_empty("Select the column's kind", blocks.ChoiceBlock(choices=TABLE_COLUMN_KINDS, default="text"))
    required = blocks.BooleanBlock(required=False, default=True, help_text="Each row must fill it in.")
    options = blocks.ListBlock(OptionBlock(), default=[], label="Options (choice columns only)")
    # A date column's own rules, as a date question's; and, for an end date, the start date it may not come before.
    earliest = SettingDateBlock(required=False, label="Earliest date allowed (date columns only)")
    latest = SettingDateBlock(required=False, label="Latest date allowed (date columns only)")
    not_in_future = blocks.BooleanBlock(
        required=False, default=False, label="Must be today or earlier (date columns only)"
    )
    not_before_column = OneLineBlock(
        required=False,
        max_length=60,
        label="Not before the column with key",
        help_text="For an end date: the key of the start date's column, e.g. “started”. A row ending before it starts "
        "is refused.",
    )

    class Meta:
        icon = "list-ul"
        label = "Column"


class TableColumnsBlock(blocks.ListBlock):
    """A table's columns: with none, it says what to do ("Add at least one column to the table") beside them, not
    Wagtail's "The minimum number of items is 1". Written to migrations as Wagtail's own ListBlock."""

    canonical_module_path = "wagtail.blocks.ListBlock"
    TOO_FEW = "Add at least one column to the table"

    def clean(self, value):
        try:
            return super().clean(value)
        except ListBlockValidationError as error:
            raise ListBlockValidationError(
                block_errors=error.block_errors,
                non_block_errors=ErrorList(
                    [ValidationError(self.TOO_FEW) if self._too_few(e) else e for e in error.non_block_errors.as_data()]
                ),
            ) from None

    def _too_few(self, error):
        return error.messages == [_("The minimum number of items is %(min_num)d") % {"min_num": self.meta.min_num}]


class TableBlock(BaseFieldBlock):
    """A question answered in rows ("add another"), with the columns the designer defines."""

    item_name = says_when_empty(
        "Enter what one row is, for example “school”",
        OneLineBlock(
            max_length=60,
            default="row",
            label="One row is a…",
            help_text="e.g. “school”: the buttons say “Add another school”.",
        ),
    )
    columns = TableColumnsBlock(TableColumnBlock(), min_num=1, label="Columns")
    min_rows = blocks.IntegerBlock(required=False, min_value=0, max_value=100, label="Fewest rows")
    max_rows = says_when_empty(
        "Enter the most rows allowed",
        blocks.IntegerBlock(default=20, min_value=1, max_value=100, label="Most rows allowed"),
    )
    total_column = OneLineBlock(
        required=False,
        max_length=60,
        label="Add up the column with key",
        help_text="A number or money column.",
    )

    class Meta:
        icon = "table"
        label = "Table (add another)"


class FieldsBlock(blocks.StreamBlock):
    short_text = ShortTextBlock()
    long_text = LongTextBlock()
    number = NumberBlock()
    date = DateBlock()
    email = EmailBlock()
    phone = PhoneBlock()
    yes_no = YesNoBlock()
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    declaration = DeclarationBlock()
    guidance = GuidanceBlock()
    address = AddressBlock()
    money = MoneyBlock()
    file = FileBlock()
    child_details = ChildDetailsBlock()
    record_outcomes = RecordOutcomesBlock()
    record_contacts = RecordContactsBlock()
    record_contribution = RecordContributionBlock()
    # Retired: kept so the versions that use them still read, fill and print; new forms use the kinds above.
    outcomes = OutcomesBlock()
    professional_contacts = ProfessionalContactsBlock()
    views = ViewsBlock()
    table = TableBlock()

    class Meta:
        required = False


# The words of a section's quick-add box, read by advice_forms/quick_add.py (docs/form-copies-lists-and-versions.md).
QUICK_ADD_HELP = (
    "One question a line; saving adds them at the end of this section and empties this box. A line is its label "
    "(short text), or a kind, a colon and the label: “long text:”, “yes/no:”, “date:”, “number:”, “email:”, "
    "“phone:”, “address:”, “money:”, “choice from Languages:” or “choices from Languages:” (one or several from a "
    "dropdown list), “choice of Phone, Email, Letter:” (its own options), “table of Name, From (date):” (its "
    "columns). End a line with “(optional)” for a question that can be left unanswered."
)


class SectionBlock(blocks.StructBlock):
    """One step of the wizard."""

    title = says_when_empty("Enter a title for the section", OneLineBlock(max_length=255))
    key = OneLineBlock(required=False, max_length=60, help_text=KEY_HELP)
    guidance = GuidanceTextBlock(
        required=False, features=["bold", "italic", "link", "ol", "ul"], help_text="Shown above the questions."
    )
    condition = ConditionBlock(required=False)
    fields = FieldsBlock(label="Questions")
    # Emptied on every save: its lines become questions of `fields` (advice_forms/quick_add.py).
    # Its errors, one a line (quick_add_apply), are shown as lines (advice_forms/static/advice_forms/form-builder.css).
    quick_add = blocks.TextBlock(
        required=False,
        rows=6,
        label="Add questions, one a line",
        help_text=QUICK_ADD_HELP,
        form_classname="quick-add",
    )

    class Meta:
        icon = "folder-open-inverse"
        label = "Section"
        # Its Guidance is named by its title (cms/static/cms/admin/field-labels.js).
        form_classname = "struct-block portal-titled-block"


class SectionsBlock(blocks.StreamBlock):
    section = SectionBlock()

    def value_from_datadict(self, data, files, prefix):
        with dropdown_lists_read_once():
            return super().value_from_datadict(data, files, prefix)

    def clean(self, value):
        with dropdown_lists_read_once():
            return super().clean(value)

    class Meta:
        # A real form has a dozen sections of 20-40 questions: opened one at a time, the editor stays responsive.
        # Wagtail collapses a stream's children by the stream's own Meta (a struct's `collapsed` applies only to a
        # struct inside a struct); a section holding an error opens again to show it.
        collapsed = True


# --- keys and cross-field checks -------------------------------------------------------------------


def key_from_label(label, fallback="question"):
    """'Date of the last review' -> 'date_of_the_last_review': what a field's key defaults to. A label with no letter
    or digit a key can hold ("???", or one written in another alphabet, "Ваш ребёнок") gives `fallback`, which each
    caller makes from the block's place ("section_2_question_3", "column_2", "option_3"): distinct, and readable in
    an export or a report, where one "question" for them all clashed."""
    key = slugify(label or "").replace("-", "_").strip("_")[:50].rstrip("_")
    if not key:
        return fallback
    if not key[0].isalpha():
        key = f"q_{key}"
    return key


def section_fallback(si):
    """The key of the section at index `si` whose title gives none (``key_from_label``)."""
    return f"section_{si + 1}"


def question_fallback(si, fi):
    """The key of the question at index `fi` of the section at `si` whose label gives none, named by its place as
    ``unkeyed_blocks`` names it ("section 2, question 3")."""
    return f"section_{si + 1}_question_{fi + 1}"


def _quoted_label(label):
    """'“The name they like to be called”' (a block's label or title, as a message names it), or "" for none."""
    label = " ".join((label or "").split())
    return f"“{label}”" if label else ""


def _unique(base, taken):
    key, n = base, 2
    while key in taken:
        key = f"{base}_{n}"
        n += 1
    return key


# A draft's untitled section or unlabelled question has no key yet (`_settle_key`); a published version never has
# one without a key (answers are stored under it): publishing says so beside the key, and `version_freeze` refuses.
UNKEYED_SECTION = "This section has no key yet: give it a title (its key is made from the title), or type a key"
UNKEYED_QUESTION = "This question has no key yet: give it a label (its key is made from the label), or type a key"


def unkeyed_blocks(content):
    """Where the frozen `content` (StreamField JSON) has a section or question without a key, in words ("section 2,
    question 3"); [] when every one has its key. Guidance asks nothing and has none."""
    places = []
    for si, section in enumerate(content or [], start=1):
        value = section.get("value", {})
        if not (value.get("key") or "").strip():
            places.append(f"section {si}")
        for fi, field in enumerate(value.get("fields", []) or [], start=1):
            if field.get("type") != "guidance" and not (field.get("value", {}).get("key") or "").strip():
                places.append(f"section {si}, question {fi}")
    return places


def published_keys(contents):
    """{block id: key} for every section and field of the given frozen contents (oldest first)."""
    keys = {}
    for content in contents:
        for section in content or []:
            value = section.get("value", {})
            if section.get("id") and value.get("key"):
                keys[section["id"]] = value["key"]
            for field in value.get("fields", []) or []:
                if field.get("id") and field.get("value", {}).get("key"):
                    keys[field["id"]] = field["value"]["key"]
    return keys


def choice_answers(block_type, value, lists):
    """{value: label} of the answers a yes/no or choice field can take, including retired dropdown options.
    `lists`: the options of the form's dropdown lists (`dropdown_lists_options`)."""
    if block_type == "yes_no":
        return {answer: answer.capitalize() for answer in YES_NO_VALUES}
    if value.get("dropdown_list"):
        return {answer: label for answer, label, _retired in lists.get(str(value["dropdown_list"].pk), [])}
    return {option.get("value"): option.get("label") or option.get("value") for option in value.get("options") or []}


class DefinitionErrors:
    """Collects errors at their place in the stream, then builds Wagtail's nested validation error."""

    def __init__(self):
        self.sections = {}
        self.non_block = []
        # What only a publish refuses, found by a draft's check (check_sections): the draft is saved (or refused for
        # its own problems) and told these too, so nothing waits for the publish to be found.
        self.at_publish = None

    def _section(self, si):
        return self.sections.setdefault(si, {"own": {}, "fields": {}, "fields_non_block": []})

    def section(self, si, name, message, child=None):
        self._section(si)["own"].setdefault(name, {})[child] = message

    def field(self, si, fi, name, message, child=None):
        self._section(si)["fields"].setdefault(fi, {}).setdefault(name, {})[child] = message

    def empty_section(self, si, message):
        self._section(si)["fields_non_block"].append(message)

    @staticmethod
    def _struct(named):
        block_errors = {}
        for name, messages in named.items():
            if name == "condition":
                # Beside the condition, each message naming its rule ("Rule 2 of ...").
                block_errors[name] = StructBlockValidationError(
                    non_block_errors=ErrorList([ValidationError(m) for m in messages.values()])
                )
            elif None in messages:
                error = ValidationError(messages[None])
                if name in ("options", "columns"):
                    error = ListBlockValidationError(non_block_errors=ErrorList([error]))
                block_errors[name] = error
            else:
                block_errors[name] = StructBlockValidationError(
                    block_errors={child: ValidationError(msg) for child, msg in messages.items()}
                )
        return StructBlockValidationError(block_errors=block_errors)

    @property
    def ok(self):
        return not self.sections and not self.non_block

    def merged(self, other):
        """These problems and `other`'s (another check's), each at its place: where both have one, this one's."""
        out = DefinitionErrors()
        for found in (self, other):
            if found is None:
                continue
            out.non_block += [m for m in found.non_block if m not in out.non_block]
            for si, section in found.sections.items():
                mine = out._section(si)
                for name, messages in section["own"].items():
                    for child, message in messages.items():
                        mine["own"].setdefault(name, {}).setdefault(child, message)
                for fi, named in section["fields"].items():
                    for name, messages in named.items():
                        for child, message in messages.items():
                            mine["fields"].setdefault(fi, {}).setdefault(name, {}).setdefault(child, message)
                mine["fields_non_block"] += [
                    m for m in section["fields_non_block"] if m not in mine["fields_non_block"]
                ]
        return out

    def places(self, sections=None):
        """[(message, section index or None, field index or None, setting name or None, its part or None)] in the
        form's order: what a list of problems names and links to (`publish_problems_html`)."""
        out = [(message, None, None, None, None) for message in self.non_block]
        for si in sorted(self.sections):
            found = self.sections[si]
            for name, messages in found["own"].items():
                out += [(message, si, None, name, child) for child, message in messages.items()]
            out += [(message, si, None, "fields", None) for message in found["fields_non_block"]]
            for fi in sorted(found["fields"]):
                for name, messages in found["fields"][fi].items():
                    out += [(message, si, fi, name, child) for child, message in messages.items()]
        return out

    def error(self):
        """Wagtail's nested StreamBlockValidationError, so each message shows beside its block; None if sound."""
        if self.ok:
            return None
        section_errors = {}
        for si, found in self.sections.items():
            struct = self._struct(found["own"])
            if found["fields"] or found["fields_non_block"]:
                struct.block_errors["fields"] = StreamBlockValidationError(
                    block_errors={fi: self._struct(named) for fi, named in found["fields"].items()},
                    non_block_errors=ErrorList([ValidationError(m) for m in found["fields_non_block"]]),
                )
            section_errors[si] = struct
        return StreamBlockValidationError(
            block_errors=section_errors, non_block_errors=ErrorList([ValidationError(m) for m in self.non_block])
        )

    def messages(self):
        """Flat list of every message, for services and logs."""
        out = list(self.non_block)
        for found in self.sections.values():
            for messages in found["own"].values():
                out.extend(messages.values())
            out.extend(found["fields_non_block"])
            for named in found["fields"].values():
                for messages in named.values():
                    out.extend(messages.values())
        return out


def _settle_key(block_id, value, *, taken, reserved, fixed, report, fallback, thing, holder):
    """Give a section or field (``thing``) its key: the published one, the one typed in, or one made from its label
    (none yet while a draft leaves the label empty). ``taken``: {key: the words naming its holder}, ``holder`` this
    one's, so that a key typed twice names where it is first used."""
    typed = (value.get("key") or "").strip()
    published = fixed.get(block_id) if block_id else None
    if published:
        if typed and typed != published:
            report(f"This key was published as “{published}”; keys cannot change once published")
            value["key"] = published
            taken.setdefault(published, holder)
            return
        typed = published
    if typed:
        if not KEY_PATTERN.fullmatch(typed):
            report("Use only lower-case letters, numbers and underscores in a key, starting with a letter")
        elif typed in taken:
            report(
                f"Another {thing} in this form already uses the key “{typed}” ({taken[typed]}); each key must be unique"
            )
        value["key"] = typed
        taken.setdefault(typed, holder)
        return
    named = (value.get("label") or value.get("title") or "").strip()
    if not named:
        # Only a draft gets here (a label or title is required to publish). A key made from nothing ("question") was
        # saved with the draft and then kept as if typed once the title was written: the key waits for the title.
        value["key"] = ""
        return
    key = _unique(key_from_label(named, fallback), taken.keys() | reserved)
    value["key"] = key
    taken[key] = holder


def condition_rules(condition):
    """The rules of a condition (a StructValue or a dict, old shape or new) as plain dicts."""
    condition = upgrade_condition(dict(condition or {}))
    return [dict(rule) for rule in condition.get("rules") or []]


def rule_values(rule):
    """The answers a rule names: one, or several for "is one of"."""
    text = (rule.get("value") or "").strip()
    if rule.get("operator") == "is_one_of":
        return [part.strip() for part in text.split(",") if part.strip()]
    return [text] if text else []


def _check_condition(condition, available, later, *, report, missing=None):
    """Each rule names an earlier yes/no or choice question and answers it can have; `report(rule, message)`.
    `available`: {key: (label, {answer value: label} or None)} of the questions before; `later`: {key: label} of
    every question with a key typed in, read only for a key not in `available`, so of one after this (the whole map,
    not one rebuilt for each question: that made checking a form take time growing with the square of its questions).
    A message names a question by its label and its answers by theirs, as the designer picks them
    (condition_picker.js), never by the key or value stored. `missing(rule number, rule)`, when given, takes a rule
    whose key no question has (yet): check_sections decides once every key is settled."""
    for number, rule in enumerate(condition_rules(condition), start=1):
        name = f"Rule {number} of “Show only when”"
        field_key = (rule.get("field_key") or "").strip()
        answers = rule_values(rule)
        if not field_key and not answers:
            report(number, f"{name} is empty: fill it in or delete it")
            continue
        if not field_key:
            report(number, f"{name}: enter the key of the question it depends on")
            continue
        if field_key not in available:
            if field_key in later:
                report(
                    number,
                    f"{name}: “{later[field_key]}” comes later in the form; a condition can only use an earlier "
                    "question",
                )
            elif missing is not None:
                missing(number, rule)
            else:
                report(number, f"{name}: there is no question with the key “{field_key}” before this one")
            continue
        label, allowed = available[field_key]
        if allowed is None:
            report(number, f"{name}: “{label}” is not a yes/no or choice question, so it cannot control what is shown")
        elif not answers:
            report(number, f"{name}: enter the answer that shows this")
        else:
            unknown = ", ".join(answer for answer in answers if answer not in allowed)
            if unknown:
                words = ", ".join(f"“{word}”" for word in allowed.values())
                report(number, f"{name}: “{unknown}” is not an answer to “{label}”; use one of: {words}")


def check_sections(sections, *, fixed_keys=None, saved=None, publishing=False):
    """Fill in missing keys and check the definition; returns the problems found (`.ok`, `.error()`, `.messages()`).

    Checks: keys unique within the form (sections and fields separately) and unchanged once published;
    a choice field has options (a dropdown list or its own, not both); a condition points to an earlier
    yes/no or choice question and one of its answers; a question a condition uses is neither renamed nor removed
    since the last save (`saved`: that save's StreamField JSON, see `_refuse_lost_questions`); no setting pair out of
    order (an earliest date after the latest, a smallest number more than the largest: `_check_ranges`). `publishing`
    adds the rules a draft may break meanwhile, as a designer saves while building: the form has a section, each
    section something in it, and a picked dropdown list an option a professional could choose. A draft's check finds
    those too, every kind of problem in one go, and keeps them apart in `.at_publish` for the save to say. `sections`
    is the StreamValue of a FormDefinition; its keys and option values are filled in place.
    """
    fixed = fixed_keys or {}
    errors = DefinitionErrors()
    # What only a publish refuses: with the rest when publishing, else kept apart in `errors.at_publish`.
    later = errors if publishing else DefinitionErrors()
    # Keys typed in or published are reserved first, so a key made from a label never takes one of them.
    reserved_sections, reserved_fields = set(), set()
    for section in sections:
        reserved_sections.update([section.value.get("key"), fixed.get(section.id)])
        for field in section.value["fields"]:
            if field.block_type != "guidance":
                reserved_fields.update([field.value.get("key"), fixed.get(field.id)])
    reserved_sections.discard(None)
    reserved_fields.discard(None)
    reserved_sections.discard("")
    reserved_fields.discard("")

    labels = _labels_by_key(sections)  # of the keys typed in: a condition may name a question that comes later
    lists = dropdown_lists_options(
        {f.value["dropdown_list"].pk for s in sections for f in s.value["fields"] if f.value.get("dropdown_list")}
    )
    if len(sections) == 0:
        later.non_block.append("Add at least one section: a form with no sections asks nothing")
    section_keys, field_keys = {}, {}  # key -> the words naming where it is first used
    available = {}  # key -> (label, {answer: label}, or None when it cannot drive a condition)
    unfound = []  # (si, fi or None, rule number, rule): decided once every key is settled
    for si, section in enumerate(sections):
        value = section.value
        _settle_key(
            section.id,
            value,
            taken=section_keys,
            reserved=reserved_sections,
            fixed=fixed,
            report=lambda msg, si=si: errors.section(si, "key", msg),
            fallback=section_fallback(si),
            thing="section",
            holder=f"section {si + 1} {_quoted_label(value.get('title'))}".strip(),
        )
        if not value.get("key"):
            later.section(si, "key", UNKEYED_SECTION)
        _check_condition(
            value.get("condition"),
            available,
            labels,
            report=lambda rule, msg, si=si: errors.section(si, "condition", msg, rule),
            missing=lambda number, rule, si=si: unfound.append((si, None, number, rule)),
        )
        fields = value["fields"]
        if len(fields) == 0:
            later.empty_section(si, "This section is empty: add a question or some guidance to it")
        for fi, field in enumerate(fields):
            if field.block_type == "guidance":
                continue
            fvalue = field.value
            _settle_key(
                field.id,
                fvalue,
                taken=field_keys,
                reserved=reserved_fields,
                fixed=fixed,
                report=lambda msg, si=si, fi=fi: errors.field(si, fi, "key", msg),
                fallback=question_fallback(si, fi),
                thing="question",
                holder=f"{_quoted_label(fvalue.get('label')) or f'question {fi + 1}'} in section {si + 1}",
            )
            if not fvalue.get("key"):
                later.field(si, fi, "key", UNKEYED_QUESTION)
            _check_condition(
                fvalue.get("condition"),
                available,
                labels,
                report=lambda rule, msg, si=si, fi=fi: errors.field(si, fi, "condition", msg, rule),
                missing=lambda number, rule, si=si, fi=fi: unfound.append((si, fi, number, rule)),
            )
            if field.block_type in CHOICE_TYPES:
                _check_options(fvalue, report=lambda msg, si=si, fi=fi: errors.field(si, fi, "options", msg))
                _check_list_offers(
                    fvalue, lists, report=lambda msg, si=si, fi=fi: later.field(si, fi, "dropdown_list", msg)
                )
            _check_ranges(
                field.block_type, fvalue, report=lambda name, msg, si=si, fi=fi: errors.field(si, fi, name, msg)
            )
            if field.block_type == "table":
                _check_table(fvalue, report=lambda name, msg, si=si, fi=fi: errors.field(si, fi, name, msg))
            allowed = choice_answers(field.block_type, fvalue, lists) if field.block_type in CONDITION_SOURCES else None
            available[fvalue["key"]] = (fvalue.get("label") or fvalue["key"], allowed)
    _refuse_lost_questions(sections, unfound, saved_questions(saved), errors)
    errors.at_publish = None if publishing else later
    return errors


# The settings that come in pairs, smallest first: (kind, smallest, largest, the refusal beside the largest).
LATEST_BEFORE_EARLIEST = "The latest date must be the same as or after the earliest date"
RANGES = {
    "date": ("earliest", "latest", LATEST_BEFORE_EARLIEST),
    "number": (
        "min_value",
        "max_value",
        "The largest number allowed must be the same as or more than the smallest number allowed",
    ),
    "money": (
        "min_value",
        "max_value",
        "The largest amount allowed must be the same as or more than the smallest amount allowed",
    ),
}


def _out_of_order(value, low, high):
    """Whether both settings are given and the smallest is more than the largest: no answer could then be given."""
    smallest, largest = value.get(low), value.get(high)
    try:
        return smallest is not None and largest is not None and smallest > largest
    except TypeError:  # a setting Wagtail has not read (refused beside it by the block's own check)
        return False


def _check_ranges(block_type, value, *, report):
    """A date question's earliest date after its latest, or a number's or an amount's smallest more than its largest:
    a question nobody can answer (a required one blocks the form's submission). Refused beside the largest, on a
    draft's save too, as a setting no form can want."""
    pair = RANGES.get(block_type)
    if pair and _out_of_order(value, pair[0], pair[1]):
        report(pair[1], pair[2])


def dropdown_lists_options(list_ids):
    """{list id (text): [[value, label, retired]]} of the given dropdown lists, each in its own order (retired
    options too), read in one query rather than one a question (a list without options: [])."""
    lists = {str(pk): [] for pk in list_ids}
    if lists:
        # By name, as the chooser blocks name DropdownList: the models import this module.
        options = apps.get_model("advice_forms", "DropdownOption").objects.filter(dropdown_list_id__in=list(list_ids))
        rows = options.order_by("dropdown_list_id", "sort_order").values_list(
            "dropdown_list_id", "value", "label", "retired"
        )
        for list_id, value, label, retired in rows:
            lists[str(list_id)].append([value, label, retired])
    return lists


def _labels_by_key(sections):
    """{key: label} of each question with a key (the first question holding a key, if two do)."""
    labels = {}
    for section in sections:
        for field in section.value["fields"]:
            key = field.value.get("key") if field.block_type != "guidance" else None
            if key and key not in labels:
                labels[key] = field.value.get("label") or key
    return labels


def _check_options(value, *, report):
    options = value.get("options") or []
    if value.get("dropdown_list") and len(options):
        report("Use either a dropdown list or the field's own options, not both")
        return
    if value.get("dropdown_list"):
        return
    if not len(options):
        report("Add at least one option, or pick a dropdown list")
        return
    # The values typed are reserved first, so a value made from an option's place never takes one typed later (the
    # designer was told two options shared "option_1", a value never typed).
    typed = {(option.get("value") or "").strip() for option in options} - {""}
    seen = set()
    for number, option in enumerate(options, start=1):
        if not (option.get("value") or "").strip():
            made = key_from_label(option.get("label"), "")
            option["value"] = made or _unique(f"option_{number}", typed | seen)
        if option["value"] in seen:
            report(f"Two options share the value “{option['value']}”; each option needs its own value")
            return
        seen.add(option["value"])


def list_offers_nothing(name: str, options) -> str:
    """The one rule for a dropdown list that offers nothing to choose (a question using it shows its label and nothing
    under it): no option that is not retired. ``options`` are its (value, label, retired). Why, in words that the
    publish check, the preview and the list's own save each go on from; "" when it offers something."""
    if any(not retired for _value, _label, retired in options):
        return ""
    if options:
        return f"every option of the dropdown list “{name}” is retired"
    return f"the dropdown list “{name}” has no options yet"


def _check_list_offers(value, lists, *, report):
    """A picked dropdown list offers at least one option that is not retired (``list_offers_nothing``): a required
    question using one that offers none can never be answered. Checked at each publish, as a version freezes the
    list's options then (a list emptied later leaves published versions as they were)."""
    dropdown = value.get("dropdown_list")
    if not dropdown:
        return
    options = lists.get(str(dropdown.pk), [])
    if why := list_offers_nothing(dropdown.name, options):
        remedy = "add one to it" if options else "add some to it"
        report(f"{capfirst(why)}: {remedy}, or pick another list")


def _check_table(value, *, report):
    """Columns keyed uniquely (filled in from labels), a choice column with options, an end date not before another
    date column, a total of a number or money column, and no more rows required than allowed."""
    columns = value.get("columns") or []
    typed = {(column.get("key") or "").strip() for column in columns} - {""}  # reserved first, as options' values
    keys = set()
    for number, column in enumerate(columns, start=1):
        if not (column.get("key") or "").strip():
            column["key"] = _unique(key_from_label(column.get("label"), f"column_{number}"), keys | typed)
        key = column["key"]
        if not KEY_PATTERN.fullmatch(key):
            report("columns", f"Column {number}: use only lower-case letters, numbers and underscores in its key")
        elif key in keys:
            report("columns", f"Column {number}: another column already uses the key “{key}”")
        keys.add(key)
        if column.get("kind") == "choice":
            _check_options(column, report=lambda msg, number=number: report("columns", f"Column {number}: {msg}"))
        if column.get("kind") == "date" and _out_of_order(column, "earliest", "latest"):
            report("columns", f"Column {number}: {LATEST_BEFORE_EARLIEST[0].lower()}{LATEST_BEFORE_EARLIEST[1:]}")
    kinds = {c.get("key"): c.get("kind") for c in columns}
    for number, column in enumerate(columns, start=1):
        start = (column.get("not_before_column") or "").strip()
        if not start:
            continue
        if column.get("kind") != "date":
            report("columns", f"Column {number}: only a date column can be not before another column")
        elif kinds.get(start) != "date" or start == column.get("key"):
            report("columns", f"Column {number}: “{start}” is not the key of another date column in this table")
    total = (value.get("total_column") or "").strip()
    if total:
        if total not in kinds:
            report("total_column", f"There is no column with the key “{total}” in this table")
        elif kinds[total] not in TOTAL_KINDS:
            report("total_column", f"“{total}” is not a number or money column, so it cannot be added up")
    low, high = value.get("min_rows"), value.get("max_rows") or 20
    if low is not None and low > high:
        report("min_rows", f"The fewest rows ({low}) cannot be more than the most rows allowed ({high})")


# --- copies: Wagtail's "Duplicate" on a section or a question ----------------------------------------
#
# Wagtail's Duplicate copies a block whole, keys included, and gives the copy (and every block nested in it) a new
# block id. Left alone, the copy's keys clash with the original's and its conditions still point at the original's
# questions. The rule that tells a copy from its original:
#
# - A block whose id has been saved or published before is never a copy: it keeps its key (a published key never
#   changes, see `check_sections`).
# - A section is a copy when its id is new and another section holds the same key: one whose id is known, or one
#   earlier in the form (Wagtail puts the copy just after the original). Its questions with new ids whose keys are
#   held by questions outside it are copies too.
# - A question is a copy when its id is new and another question of the same kind holds the same key and the same
#   label (again, a known one or an earlier one). A question typed with another's key but its own label is not a
#   copy: it is refused, as any duplicate key is.
#
# A copy gets a fresh key made from its label (or title), unique in the form and never a key published before; the
# conditions inside a copied section that named a question of the original now name the copy's question.


def rekey_copies(sections, *, known_keys=None):
    """Give duplicated sections and questions fresh keys, in place; returns [(old key, new key)] for what changed.

    `known_keys` is {block id: key} for every block saved or published before (`FormDefinition.block_keys`).
    """
    known = known_keys or {}
    used = set(known.values())
    section_keys = {s.value.get("key") for s in sections} | used
    field_keys = {f.value.get("key") for s in sections for f in s.value["fields"] if f.block_type != "guidance"} | used
    changed = []

    def fresh(value, taken, fallback):
        key = _unique(key_from_label(value.get("label") or value.get("title"), fallback), taken)
        taken.add(key)
        changed.append((value["key"], key))
        value["key"] = key
        return key

    earlier_sections, earlier_fields = [], []
    all_fields = [(s, f) for s in sections for f in s.value["fields"] if f.block_type != "guidance"]
    every_field = [f for _s, f in all_fields]
    for si, section in enumerate(sections):
        place = {id(f): fi for fi, f in enumerate(section.value["fields"])}
        fields = [f for f in section.value["fields"] if f.block_type != "guidance"]
        if _is_copy(section, sections, earlier_sections, known, same=lambda a, b: True):
            fresh(section.value, section_keys, section_fallback(si))
            outside = {f.value.get("key") for s, f in all_fields if s is not section}
            renamed = {}
            for field in fields:
                key = field.value.get("key")
                if key and field.id not in known and key in outside:
                    renamed[key] = fresh(field.value, field_keys, question_fallback(si, place[id(field)]))
                _repoint(field.value.get("condition"), renamed)
            earlier_fields.extend(fields)
        else:
            for field in fields:
                if _is_copy(field, every_field, earlier_fields, known, same=_same_question):
                    fresh(field.value, field_keys, question_fallback(si, place[id(field)]))
                earlier_fields.append(field)
        earlier_sections.append(section)
    return changed


def _same_question(a, b):
    return a.block_type == b.block_type and (a.value.get("label") or "").strip() == (b.value.get("label") or "").strip()


def _is_copy(child, everyone, earlier, known, *, same):
    """True when `child` (a new block) carries the key of a known block, or of an earlier one, that it copies."""
    key = child.value.get("key")
    if not key or (child.id and child.id in known):
        return False
    earlier_ids = {id(other) for other in earlier}
    return any(
        other is not child
        and other.value.get("key") == key
        and (known.get(other.id) == key or id(other) in earlier_ids)
        and same(child, other)
        for other in everyone
    )


def _repoint(condition, renamed):
    """Rules naming a key of `renamed` now name its new key."""
    if not condition or not renamed:
        return
    for rule in condition.get("rules") or []:
        if rule.get("field_key") in renamed:
            rule["field_key"] = renamed[rule["field_key"]]


# --- a question a condition uses: not renamed, not removed ----------------------------------------------


def saved_questions(content):
    """{key: {"id", "label", "type", "value"}} of each question of saved StreamField JSON (None: {}), so a message
    can name a question that is no longer in the form, and its answers (`describe_rule`)."""
    questions = {}
    for section in content or []:
        for field in (section.get("value") or {}).get("fields") or []:
            value = field.get("value") or {}
            key = value.get("key")
            if field.get("type") == "guidance" or not key:
                continue
            label = value.get("label") or key
            questions[key] = {"id": field.get("id"), "label": label, "type": field.get("type"), "value": value}
    return questions


def _answer_words(block_type, value):
    if block_type == "yes_no":
        return {"yes": "Yes", "no": "No"}
    if block_type not in CHOICE_TYPES:
        return {}
    dropdown = value.get("dropdown_list")
    if dropdown:
        # By name, as the chooser blocks name DropdownList: the models import this module.
        options = apps.get_model("advice_forms", "DropdownOption").objects
        pk = getattr(dropdown, "pk", dropdown)
        return dict(options.filter(dropdown_list_id=pk).values_list("value", "label"))
    # A ListBlock's JSON holds {"type": "item", "value": {...}, "id"} items (older JSON: the values themselves).
    options = [o["value"] if isinstance(o.get("value"), dict) else o for o in value.get("options") or []]
    return {
        o.get("value") or key_from_label(o.get("label"), f"option_{number}"): o.get("label")
        for number, o in enumerate(options, start=1)
    }


def describe_rule(rule, question):
    """'“Has a school?” is “Yes”': a rule in the designer's words, from the question it names."""
    verb = dict(CONDITION_OPERATORS).get(rule.get("operator") or "is", "is")
    words = _answer_words(question["type"], question["value"])  # read only for a refused rule: no query per save
    answers = ", ".join(f"“{words.get(answer, answer)}”" for answer in rule_values(rule))
    return f"“{question['label']}” {verb} {answers}".rstrip()


def _refuse_lost_questions(sections, unfound, saved, errors):
    """Rules whose key no earlier question has. A key another question got from its label comes later; a key of
    the last save whose question was renamed or removed is refused naming the condition, beside the rule and
    beside the renamed question's key; any other key is unknown."""
    settled = {}  # block id -> (si, fi, key)
    for si, section in enumerate(sections):
        for fi, field in enumerate(section.value["fields"]):
            if field.block_type != "guidance" and field.id:
                settled[field.id] = (si, fi, field.value.get("key"))
    keys_now = _labels_by_key(sections)
    for si, fi, number, rule in unfound:
        section = sections[si].value
        where = f"Section “{section.get('title')}”"
        this = "This section" if fi is None else "This question"
        if fi is None:
            report = lambda msg, si=si, number=number: errors.section(si, "condition", msg, number)  # noqa: E731
        else:
            where += f", question “{section['fields'][fi].value.get('label')}”"
            report = lambda msg, si=si, fi=fi, number=number: errors.field(  # noqa: E731
                si, fi, "condition", msg, number
            )
        name = f"Rule {number} of “Show only when”"
        key = (rule.get("field_key") or "").strip()
        old = saved.get(key)
        if key in keys_now:
            report(f"{name}: “{keys_now[key]}” comes later in the form; a condition can only use an earlier question")
        elif old is None:
            report(f"{name}: there is no question with the key “{key}” before this one")
        elif old["id"] in settled:
            new_si, new_fi, new_key = settled[old["id"]]
            # Beside the rule, and in a list that names the rule's place already, the place is not said again.
            report(
                f"{this} shows only when {describe_rule(rule, old)}: it uses the key “{key}”, which that question no "
                f"longer has (it is now “{new_key}”). Keep the key “{key}”, or change this rule"
            )
            errors.field(
                new_si,
                new_fi,
                "key",
                f"{where} shows only when {describe_rule(rule, old)}: it uses this question's key “{key}”, so the key "
                "cannot change. Change that condition first",
            )
        else:
            report(
                f"{this} shows only when {describe_rule(rule, old)}: that question is no longer in the form. Put "
                "it back, or change or delete this rule"
            )
