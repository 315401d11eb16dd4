"""A step of many conditional questions, for `manage.py bench_advice`: drawing it is timed, and the `Shown` it builds
(each works the form's conditions out again) and its queries are counted.

``conditional_sections(questions)``: a definition's StreamField JSON with a first step of two questions, a second
step of ``questions`` conditional ones (a third each on the first step's answers, on this step's own, and in a reveal
under an option: every way the wizard draws a condition) and a last step; ``FIRST_ANSWERS`` shows the second step.
"""

from contextlib import contextmanager

from advice_forms.form_builder import Shown

KINDS = [{"label": "Speech", "value": "speech"}, {"label": "Reading", "value": "reading"}]
FIRST_ANSWERS = {"first": {"first_support": "yes", "first_kind": "speech"}}
STEP = "many"


def _when(*rules):
    return {"match": "all", "rules": [{"field_key": k, "operator": op, "value": v} for k, op, v in rules]}


def _question(field_type, label, key, condition=None, **options):
    value = {"label": label, "key": key, "required": options.pop("required", True), **options}
    if condition:
        value["condition"] = condition
    return {"type": field_type, "value": value}


def _section(title, key, fields, condition=None):
    value = {"title": title, "key": key, "fields": fields, "guidance": ""}
    if condition:
        value["condition"] = condition
    return {"type": "section", "value": value}


def conditional_sections(questions=250):
    fields = [
        _question("yes_no", "Is support in place now?", "here_support"),
        _question("single_choice", "Kind of support now", "here_kind", options=KINDS, display="radios"),
    ]
    for n in range(questions):
        if n % 3 == 0:
            condition = _when(("first_support", "is", "yes"), ("first_kind", "is_not", "reading"))
        elif n % 3 == 1:
            condition = _when(("here_support", "is", "yes"), ("first_kind", "is", "speech"))
        else:
            condition = _when(("here_kind", "is", "speech"))
        fields.append(_question("short_text", f"Conditional question {n + 1}", f"c{n}", condition, required=False))
    return [
        _section(
            "First",
            "first",
            [
                _question("yes_no", "Is support in place?", "first_support"),
                _question("single_choice", "Kind of support", "first_kind", options=KINDS, display="radios"),
            ],
        ),
        _section("Many conditions", STEP, fields, condition=_when(("first_support", "is", "yes"))),
        _section("Last", "last", [_question("short_text", "Anything else?", "last", required=False)]),
    ]


@contextmanager
def shown_counted():
    """{"built": n}: how many `Shown` are built inside the block."""
    count = {"built": 0}
    original = Shown.__init__

    def counting(self, *args, **kwargs):
        count["built"] += 1
        original(self, *args, **kwargs)

    Shown.__init__ = counting
    try:
        yield count
    finally:
        Shown.__init__ = original
