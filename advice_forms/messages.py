"""GOV.UK-style error messages made from a question's label.

A designer may write the "not answered" message for any question; otherwise one is made from the label:
"Date of the last review" gives "Enter the date of the last review", "Date of the last review must
include a month". Every message names its question, so a page's error summary never repeats a line:

- A label written as a question ("How many schools has the child attended?") cannot be turned into a noun. Its other
  messages take their subject from the designer's "Enter ..." message ("Enter how many schools the child has
  attended" gives "How many schools the child has attended must be 50 or less"), else they quote it ("The answer to
  “How many schools has the child attended?” must be 50 or less"). Not answered, with no message of the designer's,
  it says "Enter an answer" (publishing refuses two of those on one page: advice_forms/message_check.py).
- A label with a colon ("Assess: what you found out") or starting with a preposition (a table's "From" and "To") is
  quoted: "Enter “Assess: what you found out”", "“To” must be today or in the past". So is a table column's
  question ("How often"), as its cells have no message of their own.
"""

import re

from cms.form_fields import in_correct_format

QUESTION_STARTS = (
    "what",
    "how",
    "when",
    "where",
    "who",
    "whose",
    "why",
    "which",
    "does",
    "do",
    "did",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "can",
    "could",
    "will",
    "would",
    "should",
    "please",
    "describe",
    "tell",
    "give",
    "list",
    "explain",
    "summarise",
    "i",
)
# A label starting with one of these is a phrase, not a noun: "To", "From", "Until the end of term".
PREPOSITIONS = ("to", "from", "until", "till", "since", "before", "after", "by", "for", "with", "without", "at", "on")
# The subject a designer's own message gives: "Enter your role, for example SENCO" -> "your role".
ENTER_SUBJECT = re.compile(r"^Enter\s+(?!an? answer\b)([^,;(]+)")
DETERMINERS = ("the", "a", "an", "your", "their", "his", "her", "its", "our", "any", "this", "these", "each")


def lower_first(text):
    """'Date of birth' -> 'date of birth', but 'SENCO name' and 'EHC plan' keep their capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


class Wording:
    """The words used to talk about one question in its error messages.

    `quote`: a label that is no noun is quoted even when it is a question, never answered with a bare "an answer"
    (a table's columns: their headings are short and a cell has no message of the designer's).
    """

    def __init__(self, label, custom_required="", *, quote=False):
        self.label = " ".join((label or "").split())
        self.custom_required = (custom_required or "").strip()
        stripped = self.label.rstrip(" ?:.")
        first = stripped.split(" ", 1)[0].lower() if stripped else ""
        self.is_question = self.label.endswith("?") or first in QUESTION_STARTS or not stripped
        is_phrase = ":" in stripped or first in PREPOSITIONS
        self.quoted = bool(stripped) and (is_phrase or (quote and self.is_question))
        self.is_question = self.is_question and not self.quoted
        self.noun = "" if self.is_question or self.quoted else lower_first(stripped)

    @property
    def the_noun(self):
        first = self.noun.split(" ", 1)[0].lower()
        return self.noun if first in DETERMINERS else f"the {self.noun}"

    @property
    def named(self):
        """The question inside a sentence: 'the date started', or '“From”'."""
        return f"“{self.label}”" if self.quoted else self.the_noun

    @property
    def subject(self):
        """Starts a sentence: 'Date of the last review must…', '“To” must…', or for a question 'How many schools the
        child has attended must…' (from the designer's message), else 'The answer to “How many…?” must…'."""
        if self.noun:
            return self.noun[:1].upper() + self.noun[1:]
        derived = ENTER_SUBJECT.match(self.custom_required)
        text = derived.group(1).strip(" .") if derived else ""
        if text:
            return text[:1].upper() + text[1:]
        if self.quoted:
            return f"“{self.label}”"
        return f"The answer to “{self.label}”" if self.label else "Answer"

    def _not_answered(self, for_question, verb, rest=""):
        """The designer's own message if there is one, else one naming the question, or the one for a question."""
        if self.custom_required:
            return self.custom_required
        if self.is_question:
            return for_question
        return f"{verb} {rest}{self.named}"

    def enter(self, for_question="Enter an answer"):
        return self._not_answered(for_question, "Enter")

    def select(self):
        return self._not_answered("Select an answer", "Select")

    def select_yes_no(self):
        return self.custom_required or "Select yes or no"

    def select_yes_no_in_column(self):
        """A table's yes/no column: a row may have several, so its message names the column by its heading."""
        return self.custom_required or (
            f"Select yes or no in the “{self.label}” column" if self.label else "Select yes or no"
        )

    def select_at_least_one(self):
        return self._not_answered("Select at least one answer", "Select at least one option for")

    @property
    def thing(self):
        """What the question asks for, inside a sentence: 'the school's email address' (the label's noun, or what the
        designer's own "Enter …" message names), '“Assess: what you found”', or "" for a question with neither."""
        if self.noun:
            return self.the_noun
        if self.quoted:
            return f"“{self.label}”"
        derived = ENTER_SUBJECT.match(self.custom_required)
        return derived.group(1).strip(" .") if derived else ""

    def in_format(self, example, fallback):
        """A format error that names its question, so two email (or phone) questions of a page never say the same:
        'Enter the school's email address in the correct format, like name@example.com'; ``fallback`` ("an email
        address") for a question that names nothing."""
        return in_correct_format(self.thing or fallback, example)

    def tick(self):
        return self.custom_required or "Tick the box to confirm"

    def too_long(self, limit):
        return f"{self.subject} must be {limit:,} characters or fewer"

    def must(self, rest):
        return f"{self.subject} must {rest}"


def said_after_label(message, label):
    """A message for a place that names its question just before it ("“When…?” in “About you”: …"): 'The answer to
    “When…?” must be a real date' becomes 'The answer must be a real date', so the question is not named twice."""
    named = f"The answer to “{' '.join((label or '').split())}” "
    return f"The answer {message[len(named) :]}" if message.startswith(named) else message


# The kinds whose standard "not answered" message never names the question, whatever its label ("Select yes or no",
# "Add at least one row"), and the words of one that quotes it.
UNNAMED_KINDS = {"yes_no": "Select yes or no for", "table": "Add at least one row to"}
# The words for a label written as a question, whose standard message is "Enter an answer" or "Select an answer".
QUESTION_KINDS = {
    "date": "Enter a date for",
    "address": "Enter the address for",
    "single_choice": "Select an answer to",
    "multiple_choice": "Select at least one answer to",
}
MESSAGE_LIMIT = 255  # the "Message when not answered" field's


def message_naming_question(kind, label):
    """A "Message when not answered" that names the question, for one made without the designer writing one (a
    quick-add line): "Select yes or no for “Is the child looked after?”", "Enter an answer to “What does the child
    enjoy?”", "Enter their address" (an address's standard message names a line of it, not the question). "" when
    the standard message already names it ("Enter the child's first language" from "Child's first language"), so the
    standard words apply. Two questions of a page then never share words their designer never wrote, which
    publishing refuses (advice_forms/message_check.py). A label too long for the field is shortened."""
    wording = Wording(label)
    if not wording.label:
        return ""
    if kind == "address" and not wording.is_question:
        message = wording.enter()
        return message if len(message) <= MESSAGE_LIMIT else ""
    if kind in UNNAMED_KINDS:
        words = UNNAMED_KINDS[kind]
    elif wording.is_question:
        words = QUESTION_KINDS.get(kind, "Enter an answer to")
    else:
        return ""
    room = MESSAGE_LIMIT - len(words) - len(" “”")
    quoted = wording.label if len(wording.label) <= room else wording.label[: room - 1].rstrip() + "…"
    return f"{words} “{quoted}”"
