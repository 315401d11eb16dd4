"""`{% govuk_field bound_field %}`: one advice-form field in GOV.UK Frontend markup (labels, hints, errors,
fieldsets for radios, checkboxes, dates and repeating groups). The wizard and the admin preview share it.
`{% record_rows %}` and `{% record_entries %}`: a record-backed question's rows (includes/record_question.html).
`{% input_id %}`: where a link to a question leads on its step page (check answers' "Change").
`|or_not_answered`: an empty answer in the words check answers and the step both give it.
"""

import json
import re

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from advice_forms.fields import (
    AddressField,
    FileQuestionField,
    GovukDateField,
    MoneyField,
    RepeatingGroupField,
    format_file,
)
from advice_forms.form_builder import EMPTY_ANSWER, RECORD_KEYS
from cms.pdf_checks import size_limit

register = template.Library()

# GOV.UK's address pattern: (part, label, autocomplete, width class).
ADDRESS_BOXES = (
    ("line_1", "Address line 1", "address-line1", ""),
    ("line_2", "Address line 2 (optional)", "address-line2", ""),
    ("town", "Town or city", "address-level2", "govuk-!-width-two-thirds"),
    ("postcode", "Postcode", "postal-code", "govuk-input--width-10"),
)


def _kind(form_field):
    if isinstance(form_field, RepeatingGroupField):
        return "group"
    if isinstance(form_field, GovukDateField):
        return "date"
    if isinstance(form_field, AddressField):
        return "address"
    if isinstance(form_field, MoneyField):
        return "money"
    if isinstance(form_field, FileQuestionField):
        return "file"
    widget = form_field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.CheckboxInput):
        return "declaration"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


def _file_input(bound_field, context, errors):
    """A file question's input through the portal's one file control (GovukFileInput), described by its hint, its
    saved or removed file and its error; a file removed just now gives it focus (autofocus, so without JavaScript
    too; with it, cms/init.js hands the focus to the component's button)."""
    field_id = context["id"]
    described = [f"{field_id}-hint"]
    if context["uploaded"]:
        described.append(f"{field_id}-uploaded")
    elif context["removed"]:
        described.append(f"{field_id}-removed")
    if errors:
        described.append(f"{field_id}-error")
    attrs = {"id": field_id, "aria-describedby": " ".join(described)}
    if errors:
        attrs.update({"class": "govuk-file-upload govuk-file-upload--error", "aria-invalid": "true"})
    if context["removed"] and not context["uploaded"]:
        attrs["autofocus"] = True
    return bound_field.field.widget.render(context["name"], None, attrs=attrs)


def _input_attrs(form_field):
    if isinstance(form_field, forms.EmailField):
        return {"type": "email", "autocomplete": "email", "spellcheck": "false"}
    if isinstance(form_field, (forms.IntegerField, forms.DecimalField, MoneyField)):
        # A DecimalField is an IntegerField too: it needs the keypad with a point.
        whole = isinstance(form_field, forms.IntegerField) and not isinstance(form_field, forms.DecimalField)
        return {"type": "text", "inputmode": "numeric" if whole else "decimal"}
    if form_field.__class__.__name__ == "PhoneField":
        return {"type": "tel", "autocomplete": "tel"}
    return {"type": "text"}


def _choices(form_field, value, base_id, reveals=None):
    chosen = {str(v) for v in value} if isinstance(value, (list, tuple)) else {str(value if value is not None else "")}
    reveals = reveals or {}
    return [
        {
            "value": v,
            "label": label,
            "checked": str(v) in chosen,
            "id": f"{base_id}-{i}",
            "reveal": reveals.get(str(v), []),
        }
        for i, (v, label) in enumerate(form_field.choices)
    ]


def _condition_on_page(bound_field):
    """The question's condition for conditions.js, with rules on other steps' answers already decided."""
    form = bound_field.form
    spec = bound_field.field.spec
    condition = spec.condition
    if not condition:
        return None
    shown = form.shown_for(form.answers_now())  # one for the page, shared by each question it draws
    rules = []
    for rule in condition["rules"]:
        if rule["field_key"] in form.fields:
            rules.append(
                {"name": form[rule["field_key"]].html_name, "operator": rule["operator"], "values": rule["values"]}
            )
        else:
            rules.append({"fixed": shown.met({"match": "all", "rules": [rule]})})
    return {"match": condition["match"], "rules": rules}


def _answer_if(bound_field, on_page):
    """When to answer a question that answers on this page can show or hide, in words ('your answer to “Is support
    in place?” is “Yes”'): said to those without JavaScript, who see it whatever they answer. "" when the answers
    of other steps already decide it."""
    fixed = [rule["fixed"] for rule in on_page["rules"] if "fixed" in rule]
    if (on_page["match"] == "any" and any(fixed)) or (on_page["match"] == "all" and not all(fixed)):
        return ""
    form = bound_field.form
    condition = bound_field.field.spec.condition
    rules = [rule for rule in condition["rules"] if rule["field_key"] in form.fields]
    return form.builder.describe_condition({"match": condition["match"], "rules": rules})


def _hint_with(note, hint, *, no_js_only=False):
    """A question's hint led by a note on when to answer it, inside the hint its input is described by (a note only
    for those without JavaScript is hidden where GOV.UK Frontend's script runs, and so not read out there)."""
    if no_js_only:
        return format_html('<span class="advice-no-js-only">{} </span>{}', note, hint)
    return format_html("{} {}", note, hint) if hint else note


def _date_parts(value):
    value = value if isinstance(value, dict) else {}
    return [
        {"part": part, "label": part.title(), "value": value.get(part, ""), "width": 4 if part == "year" else 2}
        for part in ("day", "month", "year")
    ]


def _group_rows(bound_field):
    form_field = bound_field.field
    rows = bound_field.value() or []
    out = []
    for index, row in enumerate(rows):
        subs = []
        for name, sub in form_field.subfields.items():
            sub_id = f"{bound_field.auto_id}-{index}-{name}"
            value = row.get(name, "")
            subs.append(
                {
                    "name": f"{bound_field.html_name}-{index}-{name}",
                    "id": sub_id,
                    "label": sub.label,
                    "value": value,
                    "kind": _kind(sub),
                    "attrs": _input_attrs(sub),
                    "required": sub.required,
                    "error": form_field.row_errors.get(index, {}).get(name, ""),
                    "error_parts": form_field.row_error_parts.get(index, {}).get(name, ()),
                    "choices": _choices(sub, value, sub_id) if hasattr(sub, "choices") else [],
                    "parts": _date_parts(value) if isinstance(sub, GovukDateField) else [],
                    "money": isinstance(sub, MoneyField),
                    "percent": getattr(sub, "percent", False),
                }
            )
        out.append({"index": index, "number": index + 1, "subfields": subs})
    return out


def _after_row_action(bound_field, rows, item_name):
    """After "Add another" or "Remove" in this table the page comes back with focus where the person was working
    (the `autofocus` attribute, so without JavaScript too): the new row's first box, or that of the row now in the
    removed one's place (the one before it, if it was the last; a table always shows at least one row). A new row's
    legend, read as focus enters it, says what was added; nothing else on the page says what went, so after a
    removal this returns the row's name for the sentence that says so ("School 3"), and "" otherwise."""
    action = getattr(bound_field.form, "row_action", None)
    if not (action and action[1] == bound_field.name and rows):
        return ""
    row = len(rows) - 1 if action[0] == "add" or action[2] is None else min(action[2], len(rows) - 1)
    rows[row]["subfields"][0]["autofocus"] = True
    removed = action[0] == "remove" and action[2] is not None
    return f"{capfirst(item_name)} {action[2] + 1}" if removed else ""


@register.inclusion_tag("advice_forms/includes/field.html")
def govuk_field(bound_field):
    form_field = bound_field.field
    kind = _kind(form_field)
    value = bound_field.value()
    errors = list(bound_field.errors)
    hint = form_field.help_text
    context = {
        "field": bound_field,
        "kind": kind,
        "id": bound_field.auto_id,
        "name": bound_field.html_name,
        "label": bound_field.label,
        "hint": hint,
        "errors": errors,
        "value": "" if value is None else value,
        "required": form_field.required,
    }
    form = bound_field.form
    reveal = form.builder.reveal_option(form_field.spec)
    in_reveal = bool(reveal and reveal[0] in form.fields)
    if bound_field.name in form.kept_in_error:
        # Hidden by this page's answers, yet holding text that is not a valid answer: shown, with its error, to all.
        when = form.builder.describe_condition(form_field.spec.condition)
        context["hint"] = _hint_with(f"You only need to answer this if {when}. Correct your answer, or clear it.", hint)
    elif form_field.spec.condition and not form.show_all and not in_reveal:
        # Shown or hidden as a whole: by conditions.js as answers change, and by the saved answer without it.
        condition = _condition_on_page(bound_field)
        context["condition"] = json.dumps(condition)
        context["shown"] = form.shown(form_field.spec)
        context["answer_if"] = _answer_if(bound_field, condition)
        if context["answer_if"]:
            context["hint"] = _hint_with(f"Answer if {context['answer_if']}.", hint, no_js_only=True)
    elif in_reveal and not form.show_all:
        controller = form.fields[reveal[0]]
        verb = "chose" if _kind(controller) == "radios" else "ticked"
        option = form.builder.display_value(controller.spec, reveal[1])
        context["hint"] = _hint_with(f"Answer if you {verb} “{option}”.", hint, no_js_only=True)
    if form.show_all and form_field.spec.condition:
        # The admin's preview shows every question: say, in the designer's words, when professionals see it.
        context["condition_note"] = form.builder.describe_condition(form_field.spec.condition)
    if kind == "input":
        context["attrs"] = _input_attrs(form_field)
        context["width"] = "govuk-input--width-10" if context["attrs"].get("inputmode") else ""
        context["percent"] = getattr(form_field, "percent", False)  # shown as a "%" suffix: nobody types it
    if kind == "textarea":
        context["maxlength"] = form_field.max_length
        context["word_guidance"] = getattr(form_field, "word_guidance", None)
    if kind in ("radios", "checkboxes", "select"):
        reveals = form.reveals().get(bound_field.name) if kind != "select" else None
        context["choices"] = _choices(form_field, value, bound_field.auto_id, reveals)
        context["has_reveals"] = bool(reveals)
        # The admin's preview shows every question: its reveals stay open, tied to no option GOV.UK's script would
        # close them by.
        context["open_reveals"] = form.show_all
    if kind == "date":
        context["parts"] = _date_parts(value)
        context["error_parts"] = form_field.error_parts if errors else ()
    if kind == "file":
        saved = bound_field.initial
        context["uploaded"] = format_file(saved) if isinstance(saved, dict) and saved.get("document") else ""
        context["uploaded_name"] = (saved.get("name") or "document.pdf") if context["uploaded"] else ""
        removed = getattr(form, "removed_files", {}).get(bound_field.name)
        # Removed just now: said beside the question, whose file input has focus (so without JavaScript too).
        context["removed"] = (removed.get("name") or "document.pdf") if isinstance(removed, dict) else ""
        context["size_limit"] = size_limit()
        context["file_input"] = _file_input(bound_field, context, errors)
    if kind == "money":
        context["attrs"] = {"type": "text", "inputmode": "decimal", "spellcheck": "false"}
    if kind == "address":
        context["parts"] = [
            {"part": part, "label": label, "value": value.get(part, ""), "autocomplete": auto, "width": width}
            for part, label, auto, width in ADDRESS_BOXES
        ]
        context["error_parts"] = form_field.error_parts if errors else ()
    if kind == "declaration":
        context["checked"] = bool(value) and value not in ("", "False", "false", "off")
    if kind == "group":
        context["rows"] = _group_rows(bound_field)
        context["group_errors"] = form_field.group_errors
        context["rows_to_correct"] = form_field.rows_to_correct()
        context["item_name"] = form_field.item_name
        context["can_add"] = len(context["rows"]) < form_field.max_rows
        context["removed_row"] = _after_row_action(bound_field, context["rows"], form_field.item_name)
    return context


@register.simple_tag
def record_rows(builder, spec, records):
    """A record-backed question's rows as [(label, text)] each (FormBuilder.record_rows)."""
    return builder.record_rows(spec, records)


@register.simple_tag
def input_id(builder, key):
    """The id of a question's first input on its step page, where a link to it leads (FormBuilder.input_id)."""
    return builder.input_id(key)


@register.simple_tag
def record_problem(form, spec):
    """What a required record-backed question lacks, shown beside it ("Add at least one outcome"), or ""."""
    return getattr(form, "record_problems", {}).get(spec.key, "")


@register.simple_tag
def record_entries(builder, spec, records):
    """[(live row, [(label, text)])] of an outcomes or contacts question: the row's id and whether it is the
    account's own, beside its words."""
    entries = (records or {}).get(RECORD_KEYS[spec.type]) or []
    return list(zip(entries, builder.record_rows(spec, records), strict=True))


@register.filter
def or_not_answered(value):
    """The value, or EMPTY_ANSWER when it is empty (an optional question, an outcome's provision left blank)."""
    return value or EMPTY_ANSWER


# A run without spaces this long (an email or web address) is wider than a table's cell can be.
_LONG_WORD = re.compile(r"(\S{25,})")


@register.filter
def long_words_break(value):
    """``value`` escaped, each long word in a ``long-word`` span that pdf.css lets break anywhere: a table cell is at
    least as wide as its longest word, so one address pushed a PDF table's last columns off the page. Only the long
    words may break: a cell's number or date keeps its whole width."""
    pieces = [*_LONG_WORD.split(str(value)), ""]  # text, long word, text, ..., text, ""
    return format_html_join(
        "",
        "{}{}",
        (
            (text, format_html('<span class="long-word">{}</span>', word) if word else "")
            for text, word in zip(pieces[::2], pieces[1::2], strict=True)
        ),
    )
