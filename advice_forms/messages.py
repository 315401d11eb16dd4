"""GOV.UK-style error messages made from a question's label.

A designer may write the "not answered" message for any question; otherwise one is made from the label:
"Date of the last review" gives "Enter the date of the last review", "Date of the last review must
include a month". A label written as a question ("What does the child enjoy?") gives "Enter an answer"
and "Answer must be 500 characters or fewer", since the question cannot be turned into a noun.
"""

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
DETERMINERS = ("the", "a", "an", "your", "their", "his", "her", "its", "our", "any", "this", "these", "each")


def _lower_first(text):
    """'Date of birth' -> 'date of birth', but 'SENCO name' and 'EHC plan' keep their capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


class Wording:
    """The words used to talk about one question in its error messages."""

    def __init__(self, label, custom_required=""):
        self.label = (label or "").strip()
        self.custom_required = (custom_required or "").strip()
        stripped = self.label.rstrip(" ?:.")
        first = stripped.split(" ", 1)[0].lower() if stripped else ""
        self.is_question = self.label.endswith("?") or first in QUESTION_STARTS or not stripped
        self.noun = "" if self.is_question else _lower_first(stripped)

    @property
    def the_noun(self):
        first = self.noun.split(" ", 1)[0].lower()
        return self.noun if first in DETERMINERS else f"the {self.noun}"

    @property
    def subject(self):
        """Starts a sentence: 'Date of the last review must…', or 'Answer must…' for a question."""
        if self.is_question:
            return "Answer"
        return self.noun[:1].upper() + self.noun[1:]

    def _not_answered(self, for_question, for_noun):
        """The designer's own message if there is one, else the one for a question or for a noun."""
        return self.custom_required or (for_question if self.is_question else for_noun)

    def enter(self):
        return self._not_answered("Enter an answer", f"Enter {self.the_noun}")

    def select(self):
        return self._not_answered("Select an answer", f"Select {self.the_noun}")

    def select_yes_no(self):
        return self.custom_required or "Select yes or no"

    def select_at_least_one(self):
        return self._not_answered("Select at least one answer", f"Select at least one option for {self.the_noun}")

    def tick(self):
        return self.custom_required or "Tick the box to confirm"

    def too_long(self, limit):
        return f"{self.subject} must be {limit:,} characters or fewer"

    def must(self, rest):
        return f"{self.subject} must {rest}"
