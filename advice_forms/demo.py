"""Demo forms for the fictional Kestrelford Borough Council, with their dropdown lists: an ERSA, the school's
educational advice (Appendix B), and the services' own advice forms: psychological (Appendix C), health (Appendix D,
for a therapist or other health professional) and social care (Appendix E).

The forms live as form definition files in advice_forms/demo_forms/ (docs/form-definition-format.md), the same
files a council can download and start from; the demo imports them, so the demo and the files cannot drift apart.
Written in our own words. Idempotent: a form whose title the portal already has is left as it is (with the versions
requests may pin); lists and Team and Type terms are matched by name and code, and created when missing.
"""

import json
from pathlib import Path

from django.db import transaction
from django.utils.html import escape

from advice_forms.models import FormDefinition, NeedType, Team
from advice_forms.services.definition_files import Lookups, form_definition_import

DEMO_FORMS = Path(__file__).resolve().parent / "demo_forms"
FORM_FILES = ("ersa.json", "appendix-b.json", "appendix-c.json", "appendix-d.json", "appendix-e.json")


def form_file(name):
    """The bytes of one demo form file."""
    return (DEMO_FORMS / name).read_bytes()


@transaction.atomic
def load(out):
    for name in FORM_FILES:
        raw = form_file(name)
        if FormDefinition.objects.filter(title=json.loads(raw)["title"]).exists():
            continue
        form_definition_import(raw=raw, lookups=Lookups.CREATE, publish=True)
    out.write("Demo advice forms (ERSA and Appendices B to E, version NOV26) are published.")


def _taxonomy_list(model):
    """The active terms of a taxonomy as the advice forms seed and editors keep them: one list, not a copy."""
    rows = "".join(
        f"<li><b>{escape(term.code)}</b>: {escape(term.name)}</li>"
        if term.code != term.name
        else f"<li><b>{escape(term.name)}</b></li>"
        for term in model.objects.filter(active=True)
    )
    return f"<ul>{rows}</ul>"


def outcome_terms_html():
    """The Team and Type lists the demo FAQ's answer on outcomes shows (asked for by name: cms.demo.demo_words)."""
    return "<p>Teams:</p>" + _taxonomy_list(Team) + "<p>Types:</p>" + _taxonomy_list(NeedType)
