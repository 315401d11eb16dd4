"""Add several questions at once: a section's "Add questions, one a line" box (SectionBlock.quick_add).

Each line is a question in plain words ("yes/no: Is the child looked after?"); saving the definition appends them to
the section, in order, and empties the box. Keys are then made from the labels, as for any question left without a
key (`check_sections`); a question whose standard "not answered" message would not name it ("Select yes or no") gets
one that does, so questions added together can be published as they are. A line this module cannot read refuses the
whole save, naming the line beside the box, so the typed text is kept and nothing is added.
docs/form-copies-lists-and-versions.md lists the words.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from advice_forms.blocks import DefinitionErrors, key_from_label
from advice_forms.messages import message_naming_question
from advice_forms.models import DropdownList
from cms.form_fields import one_line

# The words before the colon, and the kind of question each makes.
SIMPLE_KINDS = {
    "short text": "short_text",
    "long text": "long_text",
    "yes/no": "yes_no",
    "yes or no": "yes_no",
    "date": "date",
    "number": "number",
    "email": "email",
    "phone": "phone",
    "address": "address",
    "money": "money",
}
COLUMN_KINDS = {"text": "text", "number": "number", "money": "money", "date": "date", "yes/no": "yes_no"}
OPTIONAL = "(optional)"
# A choice from a shared list shows as radio buttons up to this many options, as a dropdown above it.
MOST_RADIOS = 8
MAX_LABEL = 255


@dataclass
class QuickQuestion:
    """One line, read: the kind of question and what it is made from."""

    kind: str
    label: str
    required: bool = True
    dropdown_list: object = None  # a DropdownList
    options: list = field(default_factory=list)  # option labels
    columns: list = field(default_factory=list)  # (label, kind, required)

    def block_value(self):
        """The question as StreamField data for its block (its key left blank: made from the label on save), with a
        "Message when not answered" naming it where the standard one would not (`message_naming_question`)."""
        value = {
            "label": self.label,
            "key": "",
            "required": self.required,
            "error_message": message_naming_question(self.kind, self.label),
        }
        if self.kind in ("single_choice", "multiple_choice"):
            value["dropdown_list"] = self.dropdown_list
            value["options"] = [
                {"label": label, "value": key_from_label(label, f"option_{number}")}
                for number, label in enumerate(self.options, start=1)
            ]
            if self.kind == "single_choice":
                many = self.dropdown_list is not None and self.dropdown_list.options.count() > MOST_RADIOS
                value["display"] = "select" if many else "radios"
        if self.kind == "table":
            value["columns"] = [
                {"label": label, "key": "", "kind": kind, "required": required, "options": []}
                for label, kind, required in self.columns
            ]
        return value


class QuickAddRefused(Exception):
    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


def _words(text):
    return " ".join(text.split())


def _optional(text):
    """(text without a trailing "(optional)", required?)"""
    if text.casefold().endswith(OPTIONAL):
        return _words(text[: -len(OPTIONAL)]), False
    return text, True


def _parts(text):
    return [_words(part) for part in text.split(",") if _words(part)]


def _column(text):
    text, required = _optional(text)
    kind = "text"
    if text.endswith(")") and "(" in text:
        name, _, word = text[:-1].rpartition("(")
        word = _words(word).casefold()
        if word not in COLUMN_KINDS:
            raise ValueError(f"“{word}” is not a kind of column; use one of: {', '.join(COLUMN_KINDS)}")
        text, kind = _words(name), COLUMN_KINDS[word]
    if not text:
        raise ValueError("a column has no name")
    return text, kind, required


def _read_line(line, lists):
    """A QuickQuestion from one line; ValueError saying what is wrong."""
    try:
        one_line(_words(line))  # a label, a list's name: one-line texts, as the question's own fields check them
    except ValidationError:
        raise ValueError("it has a character in it that cannot be seen: type the line again") from None
    text, required = _optional(_words(line))
    head, colon, label = text.partition(":")
    if not colon:
        head, label = "short text", text
    head, label = _words(head), _words(label)
    word = head.casefold()
    if not label:
        raise ValueError("it has no label after the colon")
    if len(label) > MAX_LABEL:
        raise ValueError(f"its label is longer than {MAX_LABEL} characters")
    if word in SIMPLE_KINDS:
        return QuickQuestion(SIMPLE_KINDS[word], label, required)
    for prefix, kind in (("choice", "single_choice"), ("choices", "multiple_choice")):
        if word.startswith(f"{prefix} from "):
            name = _words(head[len(prefix) + len(" from ") :])
            found = lists.get(name.casefold())
            if found is None:
                known = ", ".join(sorted(lst.name for lst in lists.values())) or "none yet"
                raise ValueError(f"there is no dropdown list called “{name}” (the lists: {known})")
            return QuickQuestion(kind, label, required, dropdown_list=found)
        if word.startswith(f"{prefix} of "):
            options = _parts(head[len(prefix) + len(" of ") :])
            if not options:
                raise ValueError("list its options after “of”, separated by commas")
            return QuickQuestion(kind, label, required, options=options)
    if word.startswith("table of "):
        columns = [_column(part) for part in _parts(head[len("table of ") :])]
        if not columns:
            raise ValueError("list its columns after “of”, separated by commas")
        return QuickQuestion("table", label, required, columns=columns)
    raise ValueError(
        f"“{head}” is not a kind of question; start the line with one of: {', '.join(SIMPLE_KINDS)}, choice from, "
        "choices from, choice of, choices of, table of (or write only the label, for short text)"
    )


def quick_add_read(text, *, lists=None):
    """The questions of a quick-add box, one a line (blank lines skipped); raises QuickAddRefused naming each line
    it cannot read. `lists` is {name folded: DropdownList}, looked up when not given."""
    if lists is None:
        lists = dropdown_lists_by_name()
    questions, problems = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            questions.append(_read_line(line, lists))
        except ValueError as error:
            problems.append(f"Line {number} (“{_words(line)}”): {error}")
    if problems:
        raise QuickAddRefused(problems)
    return questions


def dropdown_lists_by_name():
    return {lst.name.casefold(): lst for lst in DropdownList.objects.all()}


def quick_add_apply(sections):
    """Append each section's quick-add questions to it and empty its box, in place; returns how many were added.

    Every box is read before any is applied: a refusal (a StreamBlockValidationError beside each box at fault)
    adds nothing anywhere."""
    boxes = [(si, section) for si, section in enumerate(sections) if (section.value.get("quick_add") or "").strip()]
    if not boxes:
        return 0
    lists = dropdown_lists_by_name()
    errors, read = DefinitionErrors(), []
    for si, section in boxes:
        try:
            read.append((section, quick_add_read(section.value["quick_add"], lists=lists)))
        except QuickAddRefused as refused:
            # One line's error a line: Wagtail's editor shows a field's messages as one paragraph, which keeps line
            # breaks only where the box's error says so (form-builder.css).
            errors.section(si, "quick_add", "\n".join(refused.messages))
    if not errors.ok:
        raise errors.error()
    added = 0
    for section, questions in read:
        for question in questions:
            section.value["fields"].append((question.kind, question.block_value()))
            added += 1
        section.value["quick_add"] = ""
    return added
