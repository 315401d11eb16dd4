"""The answer to a document download, for the portal's and the admin's download views alike, once the view has
checked the right to the file: the PDF as an attachment, sent by the web server through ``X-Accel-Redirect`` when
PORTAL_DOWNLOAD_ACCEL_PREFIX names its internal location, else by Django.

The filed PDF of a submission made by a team account that saw the child by initials only is that team's copy: to
staff (``for_staff``) it is rendered again from the submission, with the child's details from the child record."""

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from advice_forms.services.submissions import submission_pdf_render, submission_seen_by_initials
from advice_forms.uploads import safe_filename


def file_response(document, *, for_staff: bool = False):
    """The document's PDF as a download, once the caller has checked the right to it; ``for_staff``: the caller is
    the SEND service's own view, which sees every child."""
    filename = safe_filename(document.original_filename or document.title)
    prefix = settings.PORTAL_DOWNLOAD_ACCEL_PREFIX
    if for_staff and document.submission_id and submission_seen_by_initials(document.submission):
        data = submission_pdf_render(document.submission, for_staff=True)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, filename)
    elif prefix:
        # The web server sends the bytes from an internal location; Django only says which file, after checking.
        response = HttpResponse(content_type="application/pdf")
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{document.file.file.name}"
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            document.file.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
        )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
