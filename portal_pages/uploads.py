"""Checking an uploaded PDF by its content, before anything is stored.

The size is checked first, while the request is read: ``MaxSizeUploadHandler`` stops keeping a file's bytes
once it passes PORTAL_MAX_UPLOAD_MB, so an oversized upload never reaches memory or a temporary file.
``NameCheckingMultiPartParser`` notes a file name that came with path separators or control characters
(Django silently strips them), so the form can refuse it and say why. ``pdf_problem`` then reads the
bytes: a real PDF starts with ``%PDF-``, ends with ``%%EOF``, parses with pypdf, has pages and no password.
"""

import html
import io
import re

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http.multipartparser import MultiPartParser

DOCUMENT_TYPES_LIST = "Document types"
_UNSAFE_NAME = re.compile(r"[\\/\x00-\x1f\x7f]")


class UploadProblem:
    """The one message per refused case, GOV.UK style: what is wrong and what to do."""

    MISSING = "Select a PDF file to upload"
    TOO_LARGE = "The selected file must be smaller than {mb}MB"
    EMPTY = "The selected file is empty"
    NOT_PDF = "The selected file must be a PDF"
    ENCRYPTED = "The selected file is protected with a password. Save a copy without a password and upload that"
    UNREADABLE = "The selected file cannot be read as a PDF. It may be damaged: save it as a PDF again and upload it"
    NO_PAGES = "The selected file has no pages"
    BAD_NAME = (
        "The file name must not contain slashes, backslashes or control characters. Rename the file and try again"
    )


def max_upload_bytes() -> int:
    return settings.PORTAL_MAX_UPLOAD_MB * 1024 * 1024


def too_large_message() -> str:
    return UploadProblem.TOO_LARGE.format(mb=settings.PORTAL_MAX_UPLOAD_MB)


class MaxSizeUploadHandler(FileUploadHandler):
    """First in the chain: counts each file's bytes and skips the rest of a file over the limit."""

    def __init__(self, request=None, limit=None):
        super().__init__(request)
        self.limit = limit if limit is not None else max_upload_bytes()
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            oversized = getattr(self.request, "portal_oversized_uploads", set())
            oversized.add(self.field_name)
            self.request.portal_oversized_uploads = oversized
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


class NameCheckingMultiPartParser(MultiPartParser):
    """Django's parser, noting the fields whose file name it had to clean of separators or control characters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unsafe_names = set()

    def sanitize_file_name(self, file_name):
        if _UNSAFE_NAME.search(html.unescape(file_name)):
            self.unsafe_names.add(file_name)
        return super().sanitize_file_name(file_name)


def checked_upload_parsing(request) -> None:
    """Call in a view before reading request.POST or request.FILES (the view must be csrf_exempt and check CSRF
    itself, since the CSRF middleware would read the body first)."""
    request.upload_handlers.insert(0, MaxSizeUploadHandler(request))
    request.portal_oversized_uploads = set()
    request.portal_unsafe_file_names = False

    def parse_file_upload(META, post_data):
        parser = NameCheckingMultiPartParser(META, post_data, request.upload_handlers, request.encoding)
        result = parser.parse()
        request.portal_unsafe_file_names = bool(parser.unsafe_names)
        return result

    request.parse_file_upload = parse_file_upload


def pdf_problem(uploaded) -> str | None:
    """None for a readable, unprotected PDF with pages within the size limit; else the message that says why not.

    ``uploaded`` is a Django UploadedFile. Its size is checked before a single byte of it is read.
    """
    if uploaded.size > max_upload_bytes():
        return too_large_message()
    if uploaded.size == 0:
        return UploadProblem.EMPTY
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    return pdf_bytes_problem(data)


def pdf_bytes_problem(data: bytes) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data:
        return UploadProblem.EMPTY
    if not data.startswith(b"%PDF-"):
        return UploadProblem.NOT_PDF
    if b"%%EOF" not in data[-2048:]:
        return UploadProblem.UNREADABLE  # cut short: a truncated file loses its end-of-file marker
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return UploadProblem.ENCRYPTED
        if len(reader.pages) == 0:
            return UploadProblem.NO_PAGES
        reader.pages[0].mediabox  # noqa: B018 - reading the first page proves the page tree resolves
    except PdfReadError:
        return UploadProblem.UNREADABLE
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of error on damaged files; each means unreadable
        return UploadProblem.UNREADABLE
    return None


def safe_filename(name: str, *, default: str = "document.pdf") -> str:
    """A file name fit for metadata and a Content-Disposition header: no paths, no control or odd characters."""
    name = html.unescape(name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    name = re.sub(r"[^\w .()+,-]", "_", name).strip(" .")
    if not name:
        return default
    if not name.lower().endswith(".pdf"):
        name = f"{name}.pdf"
    return name[-200:]


def document_types_list():
    """The "Document types" dropdown list that form designers keep; None until someone makes it."""
    from advice_forms.models import DropdownList

    return DropdownList.objects.filter(name=DOCUMENT_TYPES_LIST).prefetch_related("options").first()
