"""`{% govuk_field bound_field %}`: one advice-form field in GOV.UK Frontend markup (labels, hints, errors,
fieldsets for radios, checkboxes, dates and repeating groups). The wizard and the admin preview share it.
"""

import json

from django import forms, template

from advice_forms.fields import GovukDateField, MoneyField, RepeatingGroupField

register = template.Library()


def _kind(form_field):
    if isinstance(form_field, RepeatingGroupField):
        return "group"
    if isinstance(form_field, GovukDateField):
        return "date"
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


def _input_attrs(form_field):
    if isinstance(form_field, forms.EmailField):
        return {"type": "email", "autocomplete": "email", "spellcheck": "false"}
    if isinstance(form_field, (forms.IntegerField, forms.DecimalField, MoneyField)):
        return {"type": "text", "inputmode": "numeric" if isinstance(form_field, forms.IntegerField) else "decimal"}
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
    answers = form.answers_now()
    rules = []
    for rule in condition["rules"]:
        if rule["field_key"] in form.fields:
            rules.append(
                {"name": form[rule["field_key"]].html_name, "operator": rule["operator"], "values": rule["values"]}
            )
        else:
            rules.append({"fixed": form.builder.condition_met({"match": "all", "rules": [rule]}, answers)})
    return {"match": condition["match"], "rules": rules}


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
                    "choices": _choices(sub, value, sub_id) if hasattr(sub, "choices") else [],
                    "parts": _date_parts(value) if isinstance(sub, GovukDateField) else [],
                    "money": isinstance(sub, MoneyField),
                }
            )
        out.append({"index": index, "number": index + 1, "subfields": subs})
    return out


@register.inclusion_tag("advice_forms/includes/field.html")
def govuk_field(bound_field):
    form_field = bound_field.field
    kind = _kind(form_field)
    value = bound_field.value()
    errors = list(bound_field.errors)
    context = {
        "field": bound_field,
        "kind": kind,
        "id": bound_field.auto_id,
        "name": bound_field.html_name,
        "label": bound_field.label,
        "hint": form_field.help_text,
        "errors": errors,
        "value": "" if value is None else value,
        "required": form_field.required,
    }
    form = bound_field.form
    reveal = form.builder.reveal_option(form_field.spec)
    if form_field.spec.condition and not (reveal and reveal[0] in form.fields):
        # Shown or hidden as a whole: by conditions.js as answers change, and by the saved answer without it.
        context["condition"] = json.dumps(_condition_on_page(bound_field))
        context["shown"] = form.shown(form_field.spec)
    if kind == "input":
        context["attrs"] = _input_attrs(form_field)
        context["width"] = "govuk-input--width-10" if context["attrs"].get("inputmode") else ""
    if kind == "textarea":
        context["maxlength"] = form_field.max_length
        context["word_guidance"] = getattr(form_field, "word_guidance", None)
    if kind in ("radios", "checkboxes", "select"):
        reveals = form.reveals().get(bound_field.name) if kind != "select" else None
        context["choices"] = _choices(form_field, value, bound_field.auto_id, reveals)
        context["has_reveals"] = bool(reveals)
    if kind == "date":
        context["parts"] = _date_parts(value)
        context["error_parts"] = form_field.error_parts if errors else ()
    if kind == "declaration":
        context["checked"] = bool(value) and value not in ("", "False", "false", "off")
    if kind == "group":
        context["rows"] = _group_rows(bound_field)
        context["group_errors"] = form_field.group_errors
        context["item_name"] = form_field.item_name
        context["can_add"] = len(context["rows"]) < form_field.max_rows
    return context
