"""The advice form as a PDF: which template, which context. Rendering (WeasyPrint, the restricted URL fetcher) is
cms.pdf's; ``render_pdf`` is importable from here for the casework PDFs that extend advice_forms/pdf/base.html.
"""

from django.utils import timezone

from advice_forms.form_builder import FormBuilder
from advice_forms.selectors import outcomes_for_pdf
from cms.pdf import file_data_url, render_pdf

__all__ = ["advice_pdf", "render_pdf"]


def advice_pdf(
    *,
    version,
    answers: dict,
    preview: bool,
    child_name: str = "",
    account_name: str = "",
    submission=None,
    advice_request=None,
):
    """The PDF of one advice form's answers against its pinned version: a PREVIEW naming what is missing, or the
    final copy of a submission. The only place that lays out an advice PDF; preview and submit both call it.
    With ``advice_request``, the outcomes written on that request follow the answers, grouped by Type then Team."""
    builder = FormBuilder(version)
    summary = builder.summary(answers, with_guidance=True)
    _embed_guidance_pictures(summary)
    context = {
        "version": version,
        "summary": summary,
        "missing": builder.missing_required(answers) if preview else [],
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


def _embed_guidance_pictures(summary):
    """Each guidance picture as a data: URL on its row (`picture_src`): the PDF fetcher never reads media."""
    for part in summary:
        for row in part.rows:
            picture = row.field.options.get("image") if not row.field.asks else None
            image = picture.get("image") if picture else None
            if image is not None:
                row.picture_src = file_data_url(image.get_rendition("max-800x600").file)
