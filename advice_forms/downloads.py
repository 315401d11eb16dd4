"""The answer to a document download, for the portal's and the admin's download views alike, once the view has
checked the right to the file: the PDF as an attachment, sent by the web server through ``X-Accel-Redirect`` when
PORTAL_DOWNLOAD_ACCEL_PREFIX names its internal location, else by Django."""

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from advice_forms.uploads import safe_filename


def file_response(document):
    """The document's PDF as a download, once the caller has checked the right to it."""
    filename = safe_filename(document.original_filename or document.title)
    prefix = settings.PORTAL_DOWNLOAD_ACCEL_PREFIX
    if prefix:
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
