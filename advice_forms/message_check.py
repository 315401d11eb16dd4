"""The form builder's check that no page of a form would show two questions with the same "not answered" message.

GOV.UK: an error summary's lines each say which question they are about. Two required questions of one section that
would say the same words when left unanswered ("Enter an answer" for two questions written as questions, or one
message the designer copied) make two identical lines. Publishing refuses it, beside each question's "Message when
not answered"; a draft is saved and the designer is told (advice_forms.admin). Questions that can never show together
(shown by different answers to one yes/no or single choice question) may share words.

The message is the one the real form gives: each question's form field is built (FormBuilder) and cleaned empty.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from advice_forms.blocks import DefinitionErrors
from advice_forms.form_builder import YES_NO_CHOICES, FormBuilder

# The kinds whose answers are read from one value at a time: two answers to one of these cannot both hold.
SINGLE_ANSWER = {"yes_no", "single_choice"}
UNANSWERED = None  # stands for "no answer yet" among a rule's answers


@dataclass
class Clash:
    """Questions of one section that say one message when not answered: [(field index, label)]."""

    section_index: int
    section_title: str
    message: str
    questions: list


def message_clashes(definition, sections) -> list[Clash]:
    """The clashes of a definition's `sections` (a StreamValue whose keys are settled: check_sections passed)."""
    builder = FormBuilder(definition, sections=sections)
    clashes = []
    for si, section in enumerate(builder.sections()):
        said = {}  # message -> [(field index, Field)]
        for fi, spec in enumerate(section.fields):
            message = _not_answered(builder, spec)
            if message:
                said.setdefault(message, []).append((fi, spec))
        for message, questions in said.items():
            together = [
                q for q in questions if any(_may_show_together(builder, q[1], o[1]) for o in questions if o != q)
            ]
            if together:
                clashes.append(Clash(si, section.title, message, [(fi, spec.label) for fi, spec in together]))
    return clashes


def clash_errors(clashes) -> DefinitionErrors:
    """Each clash beside its questions' "Message when not answered", naming the others."""
    errors = DefinitionErrors()
    for clash in clashes:
        for fi, _label in clash.questions:
            others = " and ".join(f"“{other}”" for index, other in clash.questions if index != fi)
            errors.field(
                clash.section_index,
                fi,
                "error_message",
                f"{others} on this page also {'say' if ' and ' in others else 'says'} “{clash.message}” when not "
                "answered: give each question its own message here, so the page's error summary says which question "
                "each error is about",
            )
    return errors


def clashes_in_words(clashes) -> str:
    """The clashes in a sentence, for the message after a draft is saved."""
    return "; ".join(
        f"in “{clash.section_title}”, "
        + " and ".join(f"“{label}”" for _fi, label in clash.questions)
        + f" {'both' if len(clash.questions) == 2 else 'all'} say “{clash.message}”"
        for clash in clashes
    )


def clashes_refusal(clashes) -> str:
    """Why a publish with clashes is refused, in a sentence."""
    return f"Give each question its own message: {clashes_in_words(clashes)} when not answered"


def _not_answered(builder, spec):
    """The message the question's field gives when posted empty; "" for one that asks nothing or may be left blank."""
    if not spec.asks or spec.is_record or not spec.required:
        return ""
    form_field = getattr(builder, f"create_{spec.type}_field")(spec)
    empty = form_field.widget.value_from_datadict({}, {}, "question")
    try:
        form_field.clean(empty)
    except ValidationError as error:
        return error.messages[0]
    return ""


def _may_show_together(builder, first, second):
    """False when the two are shown by answers to one yes/no or single choice question that cannot both be given."""
    for one in _rules_that_must_hold(first):
        for other in _rules_that_must_hold(second):
            if one["field_key"] == other["field_key"]:
                answers = _answers(builder, one["field_key"])
                if answers is not None and not _satisfying(one, answers) & _satisfying(other, answers):
                    return False
    return True


def _rules_that_must_hold(spec):
    condition = spec.condition
    if not condition or (condition["match"] == "any" and len(condition["rules"]) > 1):
        return []
    return condition["rules"]


def _answers(builder, key):
    """Every answer a single-answer question can have, unanswered included; None for any other question."""
    controller = next((f for s in builder.sections() for f in s.fields if f.asks and f.key == key), None)
    if controller is None or controller.type not in SINGLE_ANSWER:
        return None
    choices = YES_NO_CHOICES if controller.type == "yes_no" else builder.option_choices(controller)
    return {value for value, _label in choices} | {UNANSWERED}


def _satisfying(rule, answers):
    named = set(rule["values"])
    return answers - named if rule["operator"] == "is_not" else answers & named
