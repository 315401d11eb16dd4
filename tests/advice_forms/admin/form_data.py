"""POST data for the form-definition edit form, as Wagtail's block widgets submit it."""

from wagtail.test.utils.form_data import nested_form_data, rich_text


def stream(items):
    """items: [(block type, value, id or "")]."""
    data = {"count": str(len(items))}
    for index, (block_type, value, block_id) in enumerate(items):
        data[str(index)] = {"type": block_type, "value": value, "deleted": "", "order": str(index), "id": block_id}
    return data


def list_block(values):
    data = {"count": str(len(values))}
    for index, value in enumerate(values):
        data[str(index)] = {"value": value, "deleted": "", "order": str(index), "id": ""}
    return data


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


def section(title, fields, key="", condition=None):
    return {
        "title": title,
        "key": key,
        "guidance": rich_text(""),
        "condition": condition_data(condition),
        "fields": stream(fields),
    }


def definition_post(*, title, version_label, sections, kind="other_advice", publish=False):
    data = nested_form_data(
        {
            "title": title,
            "kind": kind,
            "version_label": version_label,
            "description": "",
            "sections": stream(sections),
        }
    )
    # Unticked checkboxes are absent from a real POST; ticked ones send "on".
    data = {name: ("on" if value is True else value) for name, value in data.items() if value is not False}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    if publish:
        data["action-publish"] = "action-publish"
    return data
