"""The one module that imports WeasyPrint: HTML templates in, PDF bytes out.

WeasyPrint is imported lazily (it costs about a second at start-up) and runs with a URL fetcher that
reads only our own static files: no network, no file paths, nothing named by user input. User text
reaches the PDF only through Django templates, which escape it.
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

# Relative URLs in PDF templates resolve against this made-up origin; the fetcher maps it to static files.
PDF_BASE_URL = "https://pdf.portal.invalid/"


class PdfResourceRefused(ValueError):
    """A PDF template asked for something other than one of our static files."""


def _static_path(url):
    """The local path of a static file named by url, or None when url is not one of ours."""
    parts = urlsplit(url)
    origin = urlsplit(PDF_BASE_URL)
    if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
        return None
    if not parts.path.startswith(settings.STATIC_URL):
        return None
    name = unquote(parts.path[len(settings.STATIC_URL) :])
    if not name or ".." in name.split("/"):
        return None
    found = finders.find(name)
    if found:
        return found
    try:
        return staticfiles_storage.path(name) if staticfiles_storage.exists(name) else None
    except NotImplementedError:
        return None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        """Serves our static files and data: URLs; refuses everything else without opening it."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_path(url)
            if path is None:
                raise PdfResourceRefused(f"PDF resource refused: {url[:80]}")
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return StaticOnlyURLFetcher


def url_fetcher():
    return _fetcher_class()(timeout=2, allowed_protocols={"https", "data"})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=url_fetcher()).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a PDF template (which extends advice_forms/pdf/base.html) to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))


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
    from django.utils import timezone

    from advice_forms.form_builder import FormBuilder

    builder = FormBuilder(version)
    context = {
        "version": version,
        "summary": builder.summary(answers),
        "missing": builder.missing_required(answers) if preview else [],
        "preview": preview,
        "child_name": child_name,
        "account_name": account_name,
        "submission": submission,
        "now": timezone.localtime(),
        "outcome_groups": None,
    }
    if advice_request is not None:
        from advice_forms.selectors import outcomes_for_pdf

        context["outcome_groups"] = outcomes_for_pdf(advice_request.child, advice_request=advice_request)
    return render_pdf("advice_forms/pdf/advice.html", context)
