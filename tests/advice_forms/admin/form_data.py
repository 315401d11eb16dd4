"""POST data for the form-definition edit form, as Wagtail's block widgets submit it."""

from wagtail.test.utils.form_data import rich_text

from bench.definition_post import definition_post, list_block, stream

__all__ = ["definition_post", "list_block", "stream"]  # built in bench, where the bench also uses them


def condition_data(condition=None):
    """A condition as the admin posts it: {"match", "rules": [(field_key, operator, value)]}, or the old
    {"field_key", "value"} (one "is" rule)."""
    condition = condition or {}
    if "field_key" in condition:
        rules = [(condition["field_key"], "is", condition.get("value", ""))] if condition["field_key"] else []
    else:
        rules = condition.get("rules", [])
    return {
        "match": condition.get("match", "all"),
        "rules": list_block([{"field_key": k, "operator": op, "value": v} for k, op, v in rules]),
    }


def field(label, key="", required=True, condition=None, **extra):
    value = {
        "label": label,
        "key": key,
        "hint": "",
        "required": required,
        "error_message": "",
        "condition": condition_data(condition),
    }
    value.update(extra)
    return value


def choice(label, key="", options=(), dropdown_list="", **extra):
    return field(
        label,
        key,
        dropdown_list=dropdown_list,
        options=list_block([{"label": o_label, "value": o_value} for o_value, o_label in options]),
        **extra,
    )


def guidance(body, heading=""):
    return {"heading": heading, "body": rich_text(body)}


def section(title, fields, key="", condition=None, quick_add=""):
    return {
        "title": title,
        "key": key,
        "guidance": rich_text(""),
        "condition": condition_data(condition),
        "fields": stream(fields),
        "quick_add": quick_add,
    }
