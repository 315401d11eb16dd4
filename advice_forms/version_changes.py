"""What changed between two published versions of one form, read from their frozen contents and lookups alone.

Sections and questions are matched by key: a published key never changes (blocks.check_sections), so a key in both
versions is the same question. Dropdown options come from each version's own `lookups`, so a list edited after
publishing does not show as a change of either version. The words are the designer's, never raw JSON.
"""

from dataclasses import dataclass, field

from advice_forms.blocks import CHOICE_TYPES, YES_NO_VALUES, condition_rules, rule_values
from advice_forms.models import DropdownOption

KINDS = [
    ("sections_added", "Sections added"),
    ("sections_removed", "Sections removed"),
    ("questions_added", "Questions added"),
    ("questions_removed", "Questions removed"),
    ("reworded", "Questions and sections reworded"),
    ("options", "Options changed"),
    ("conditions", "Conditions changed"),
    ("other", "Other changes"),
]


RETIRED = " (retired)"


@dataclass
class Change:
    title: str
    details: list[str] = field(default_factory=list)


@dataclass
class VersionChanges:
    old: object
    new: object
    groups: list  # [(kind, heading, [Change])], only kinds with changes, in KINDS order

    @property
    def count(self):
        return sum(len(changes) for _kind, _heading, changes in self.groups)


class _Frozen:
    """One version's sections and questions by key, with the words a condition or an option needs."""

    def __init__(self, version):
        self.lookups = version.lookups or {}
        self.sections, self.questions, self.section_of = {}, {}, {}
        for section in _plain(version.content or []):
            value = section.get("value") or {}
            key = value.get("key") or section.get("id")
            self.sections[key] = value
            for child in value.get("fields") or []:
                fvalue = child.get("value") or {}
                if child.get("type") != "guidance" and fvalue.get("key"):
                    self.questions[fvalue["key"]] = (child.get("type"), fvalue, value.get("title") or key)
                    self.section_of[fvalue["key"]] = key

    def options(self, block_type, value):
        """{value: label} a question offers, "(retired)" after a retired dropdown option; None if it has none."""
        if block_type == "yes_no":
            return {answer: answer.capitalize() for answer in YES_NO_VALUES}
        if block_type not in CHOICE_TYPES:
            return None
        if value.get("dropdown_list"):
            rows = self.lookups.get("dropdown_lists", {}).get(str(value["dropdown_list"]))
            if rows is None:  # published before lookups were frozen: the list as it is now
                rows = DropdownOption.objects.filter(dropdown_list_id=value["dropdown_list"]).values_list(
                    "value", "label", "retired"
                )
            return {row[0]: f"{row[1]}{RETIRED}" if row[2] else row[1] for row in rows}
        return {o.get("value"): o.get("label") for o in value.get("options") or [] if o.get("value")}

    def describe(self, condition):
        """A condition in words: "“Do they live at the child's address?” is No, and ..."; "" for none."""
        rules = condition_rules(condition)
        if not rules:
            return ""
        words = []
        for rule in rules:
            key = (rule.get("field_key") or "").strip()
            block_type, value, _section = self.questions.get(key, (None, {}, None))
            labels = self.options(block_type, value) or {}
            answers = " or ".join(f"“{labels.get(answer, answer)}”" for answer in rule_values(rule))
            operator = {"is_not": "is not", "is_one_of": "is one of"}.get(rule.get("operator"), "is")
            words.append(f"“{value.get('label') or key}” {operator} {answers}")
        joiner = " or " if (dict(condition or {}).get("match") == "any") else " and "
        return "Shown when " + joiner.join(words)


def _plain(data):
    """Frozen JSON with each ListBlock item ({"type": "item", "value": ..., "id": ...}) replaced by its value;
    stream children ({"type", "value", "id"} of other types) stay as they are."""
    if isinstance(data, list):
        return [_plain(item) for item in data]
    if isinstance(data, dict):
        if data.get("type") == "item" and "value" in data:
            return _plain(data["value"])
        return {key: _plain(item) for key, item in data.items()}
    return data


def _text(value):
    return " ".join(str(value or "").split())


def _rules(condition):
    match = dict(condition or {}).get("match", "all")
    rules = [
        (r.get("field_key") or "", r.get("operator") or "is", r.get("value") or "") for r in condition_rules(condition)
    ]
    return (match if rules else "all", rules)


def _option_changes(old_options, new_options):
    details = []
    for value, label in new_options.items():
        old = old_options.get(value)
        if old is None:
            details.append(f"Added “{label}”")
        elif old.removesuffix(RETIRED) == label.removesuffix(RETIRED) and old != label:
            name = label.removesuffix(RETIRED)
            details.append(f"Retired “{name}”" if label.endswith(RETIRED) else f"“{name}” offered again")
        elif _text(old) != _text(label):
            details.append(f"“{old}” is now “{label}”")
    details.extend(f"Removed “{label}”" for value, label in old_options.items() if value not in new_options)
    return details


def version_changes(old, new) -> VersionChanges:
    """The changes from version `old` to version `new` of one form, grouped as KINDS names them."""
    before, after = _Frozen(old), _Frozen(new)
    found = {kind: [] for kind, _heading in KINDS}

    for key, value in after.sections.items():
        if key not in before.sections:
            count = len([f for f in value.get("fields") or [] if f.get("type") != "guidance"])
            found["sections_added"].append(Change(f"“{value.get('title')}”", [f"{count} questions"]))
    for key, value in before.sections.items():
        if key not in after.sections:
            found["sections_removed"].append(Change(f"“{value.get('title')}”"))
    for key in before.sections.keys() & after.sections.keys():
        old_s, new_s = before.sections[key], after.sections[key]
        if _text(old_s.get("title")) != _text(new_s.get("title")):
            found["reworded"].append(Change(f"Section “{new_s.get('title')}”", [f"Title was “{old_s.get('title')}”"]))
        if _rules(old_s.get("condition")) != _rules(new_s.get("condition")):
            found["conditions"].append(
                Change(
                    f"Section “{new_s.get('title')}”",
                    [
                        f"Before: {before.describe(old_s.get('condition')) or 'Always shown'}",
                        f"Now: {after.describe(new_s.get('condition')) or 'Always shown'}",
                    ],
                )
            )

    for key, (_block_type, value, section) in after.questions.items():
        if key not in before.questions:
            found["questions_added"].append(Change(f"“{value.get('label')}”", [f"In “{section}”"]))
    for key, (_block_type, value, section) in before.questions.items():
        if key not in after.questions:
            found["questions_removed"].append(Change(f"“{value.get('label')}”", [f"Was in “{section}”"]))

    for key in [k for k in after.questions if k in before.questions]:
        old_type, old_q, old_section = before.questions[key]
        new_type, new_q, new_section = after.questions[key]
        name = f"“{new_q.get('label')}”"
        reworded = []
        if _text(old_q.get("label")) != _text(new_q.get("label")):
            reworded.append(f"Question was “{old_q.get('label')}”")
        if _text(old_q.get("hint")) != _text(new_q.get("hint")):
            reworded.append(f"Hint was “{_text(old_q.get('hint'))}”" if old_q.get("hint") else "Hint added")
        if reworded:
            found["reworded"].append(Change(name, reworded))
        old_options, new_options = before.options(old_type, old_q), after.options(new_type, new_q)
        if old_options is not None and new_options is not None:
            details = _option_changes(old_options, new_options)
            if details:
                found["options"].append(Change(name, details))
        if _rules(old_q.get("condition")) != _rules(new_q.get("condition")):
            found["conditions"].append(
                Change(
                    name,
                    [
                        f"Before: {before.describe(old_q.get('condition')) or 'Always shown'}",
                        f"Now: {after.describe(new_q.get('condition')) or 'Always shown'}",
                    ],
                )
            )
        other = []
        if old_type != new_type:
            other.append("Its kind of answer changed")
        if bool(old_q.get("required")) != bool(new_q.get("required")) and "required" in new_q:
            other.append("Now required" if new_q.get("required") else "No longer required")
        if before.section_of[key] != after.section_of[key]:
            other.append(f"Moved from “{old_section}” to “{new_section}”")
        if other:
            found["other"].append(Change(name, other))

    groups = [(kind, heading, found[kind]) for kind, heading in KINDS if found[kind]]
    return VersionChanges(old=old, new=new, groups=groups)
