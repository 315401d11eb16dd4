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
from django.utils.html import format_html, format_html_join
from wagtail.blocks import ChooserBlock, FieldBlock

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


@dataclass
class PublishProblem:
    """One thing a publish would refuse, in words naming its section and question, and the id of the editor's box
    that names that place (its question's label, or its section's title), for a link; "" for the whole form."""

    words: str
    target: str
    place: tuple = ()  # (section index, question index), (section index) or () for the whole form: for a sort


def publish_problems(definition, sections, check, *, clashes=None) -> list[PublishProblem]:
    """What a publish of `sections` would refuse that a draft's save does not, in the form's order: the problems
    `check_sections` keeps apart for a publish (`check`: its draft's result, `.at_publish`) and each clash of messages.
    The one list of them: the admin says it after a draft is saved, the import's check before a file is imported.
    `clashes`: the sections' `message_clashes`, when the caller has them already."""
    # (section index, field index, problem): sorted below into the form's order, the whole form's first
    found = _placed(sections, check.at_publish) if check.at_publish else []
    if check.ok:  # keys settled, so the questions' messages can be compared
        for clash in message_clashes(definition, sections) if clashes is None else clashes:
            words = " and ".join(f"“{label}”" for _fi, label in clash.questions)
            both = "both" if len(clash.questions) == 2 else "all"
            message = f"{words} {both} say “{clash.message}” when not answered: give each its own message"
            si, fi = clash.section_index, clash.questions[0][0]
            found.append((si, fi, _problem(sections, si, fi, message, named=False, name="error_message")))
    found.sort(key=lambda item: (-1 if item[0] is None else item[0], -1 if item[1] is None else item[1]))
    return [problem for _si, _fi, problem in found]


def placed_problems(sections, errors) -> list[PublishProblem]:
    """A check's problems (`errors`: DefinitionErrors), each naming its place and linking to it, in the form's order:
    what a refused publish lists."""
    return [problem for _si, _fi, problem in _placed(sections, errors)]


def _placed(sections, errors):
    """(section index, field index, problem) of each of the check's problems, in the form's order."""
    return [
        (si, fi, _problem(sections, si, fi, message, name=name, child=child))
        for message, si, fi, name, child in errors.places()
    ]


def refused_blocks_problems(sections, refused, found) -> list[PublishProblem]:
    """The problems of a save whose blocks Wagtail's own checks refused (`refused`: its nested error, a blank label)
    and those the form's check found (`found`: DefinitionErrors), each naming its place and linking to its box, in
    the form's order: one list, so one round shows them all."""
    listed = [(si, fi, problem) for si, fi, problem in _placed(sections, found)] if found else []
    said = {problem.words for _si, _fi, problem in listed}
    for path, message in _block_errors(refused, ()):
        si = path[0] if path and isinstance(path[0], int) else None
        rest = list(path[1:])
        fi = rest[1] if rest[:1] == ["fields"] and len(rest) > 1 else None
        rest = rest[2:] if fi is not None else rest
        name = rest[0] if rest else None
        problem = _problem(sections, si, fi, message, name=name)
        if len(rest) > 1 and isinstance(rest[1], int):  # an option's or a column's own box
            words = f"{str(name).removesuffix('s').replace('_', ' ')} {rest[1] + 1}"
            problem = _problem(sections, si, fi, message, words=words)
            problem.target = "sections" + "".join(
                f"-{part}-value" if isinstance(part, int) else f"-{part}" for part in path
            )
        if problem.words not in said:
            said.add(problem.words)
            listed.append((si, fi, problem))
    listed.sort(key=lambda item: (-1 if item[0] is None else item[0], -1 if item[1] is None else item[1]))
    return [problem for _si, _fi, problem in listed]


def _block_errors(error, path):
    """(path of indexes and names, message) of each message in Wagtail's nested block error."""
    block_errors = getattr(error, "block_errors", None)
    non_block = getattr(error, "non_block_errors", None)
    if block_errors is None and non_block is None:
        for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
            yield path, message
        return
    for child in non_block.as_data() if non_block else []:
        yield from _block_errors(child, path)
    for key, child in (block_errors or {}).items():
        yield from _block_errors(child, (*path, key))


def merged_block_errors(first, second):
    """Wagtail's nested block errors `first` with `second`'s added, each beside its block: where both have a message
    for one box, `first`'s."""
    if second is None or type(first) is not type(second) or getattr(first, "block_errors", None) is None:
        return first
    block_errors = dict(first.block_errors)
    for key, error in second.block_errors.items():
        block_errors[key] = merged_block_errors(block_errors[key], error) if key in block_errors else error
    return type(first)(
        block_errors=block_errors,
        non_block_errors=[*first.non_block_errors.as_data(), *second.non_block_errors.as_data()],
    )


def _problem(sections, si, fi, message, *, named=True, name=None, child=None, words=""):
    """The problem in words naming its place (`words`: a part of the question, "option 2"), and the id of the box
    that holds its error: the setting `name` (a condition's rule `child`, counted from 1) where it is a box of its
    own; the question's label (or the section's title) otherwise."""
    if si is None:
        return PublishProblem(message, "")
    section = sections[si].value
    where = f"Section {si + 1} {_quoted(section.get('title'))}".strip()
    block, prefix = sections[si].block, f"sections-{si}-value"
    target = f"{prefix}-title"
    if fi is not None:
        label = section["fields"][fi].value.get("label")
        if named:
            where += f", {_quoted(label) or f'question {fi + 1}'}"
        block, prefix = section["fields"][fi].block, f"{prefix}-fields-{fi}-value"
        target = f"{prefix}-label"
    if name == "condition" and isinstance(child, int):
        # The rule's key box is hidden behind the condition picker's list of questions (condition_picker.js).
        target = f"{prefix}-condition-rules-{child - 1}-value-field_key-picker"
    elif isinstance(block.child_blocks.get(name), FieldBlock) and not isinstance(
        block.child_blocks[name], ChooserBlock
    ):
        target = f"{prefix}-{name}"
    place = (si,) if fi is None else (si, fi)
    return PublishProblem(f"{where}{', ' + words if words else ''}: {message}", target, place)


def _quoted(text):
    text = " ".join((text or "").split())
    return f"“{text}”" if text else ""


def publish_problems_html(problems, *, lead, links=True):
    """`lead` and the problems as a GOV.UK list, each a link to its place in the editor when `links`."""
    items = format_html_join(
        "",
        "<li>{}</li>",
        (
            (
                format_html('<a href="#{}">{}</a>', problem.target, problem.words)
                if links and problem.target
                else problem.words,
            )
            for problem in problems
        ),
    )
    return format_html(
        '<p>{}</p><ul class="govuk-list govuk-list--bullet publish-problems portal-error-summary">{}</ul>', lead, items
    )


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
