"""The advice form as a PDF: which template, which context. Rendering (WeasyPrint, the restricted URL fetcher) is
cms.pdf's; ``render_pdf`` is importable from here for the casework PDFs that extend advice_forms/pdf/base.html.
"""

from django.utils import timezone

from advice_forms.form_builder import FormBuilder
from advice_forms.selectors import outcomes_for_pdf
from cms.pdf import render_pdf

__all__ = ["advice_pdf", "render_pdf"]


def advice_pdf(
    *,
    version,
    answers: dict,
    preview: bool,
    raw_steps: dict | None = None,
    child_name: str = "",
    account_name: str = "",
    submission=None,
    advice_request=None,
):
    """The PDF of one advice form's answers against its pinned version: a PREVIEW naming what is missing, or the
    final copy of a submission. The only place that lays out an advice PDF; preview and submit both call it.
    A preview passes the draft's ``raw_steps``, so what was typed in a step saved with errors shows, marked.
    With ``advice_request``, the outcomes written on that request follow the answers, grouped by Type then Team."""
    builder = FormBuilder(version)
    context = {
        "version": version,
        "summary": builder.summary(answers, raw_steps=raw_steps),
        "missing": builder.missing_required(answers, raw_steps) if preview else [],
        "preview": preview,
        "child_name": child_name,
        "account_name": account_name,
        "submission": submission,
        "now": timezone.localtime(),
        "outcome_groups": None,
    }
    if advice_request is not None:
        context["outcome_groups"] = outcomes_for_pdf(advice_request.child, advice_request=advice_request)
    return render_pdf("advice_forms/pdf/advice.html", context)
