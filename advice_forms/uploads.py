"""Reading a professional's upload from the request, before anything is stored.

The size is checked first, while the request is read: ``MaxSizeUploadHandler`` stops keeping a file's bytes
once it passes PORTAL_MAX_UPLOAD_MB, so an oversized upload never reaches memory or a temporary file.
``NameCheckingMultiPartParser`` notes a file name that came with path separators or invisible characters (controls,
and format characters such as the right-to-left override: ``cms.invisible_characters``), which Django silently
strips, so the form can refuse it and say why. Django also strips characters that rule lets through, such as the
narrow no-break space macOS writes before "PM" in a screenshot's name: those go without a word, as the name reads the
same without them. The file's content is then checked by ``cms.pdf_checks.pdf_problem``,
the same check every PDF upload of the site passes.
"""

import html
import re

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http.multipartparser import MultiPartParser

from cms.field_limits import field_count_check
from cms.invisible_characters import has_invisible_characters
from cms.pdf_checks import UploadProblem, max_upload_bytes, pdf_problem, too_large_message
from cms.virus_scan import upload_virus_problem

_PATH_SEPARATOR = re.compile(r"[\\/]")
# As long as a document's original_filename holds: most systems' longest file name, so a name is kept whole.
MAX_FILENAME = 255


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
    """Django's parser, noting the file names it had to clean of path separators or invisible characters, and the
    fields that brought them: a step asking for several files refuses only the one whose name was bad."""

    # What a file whose whole name was hidden characters or a path ("\u202e", "a/") is called while it is refused:
    # Django would drop the file, and the field would say no file was chosen.
    UNNAMED = "unnamed"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unsafe_names = set()
        self.unsafe_fields = set()
        self._unsafe = False  # the name of the file being read; Django completes a file before naming the next

    def sanitize_file_name(self, file_name):
        name = html.unescape(file_name)  # as Django reads it
        self._unsafe = bool(_PATH_SEPARATOR.search(name) or has_invisible_characters(name))
        cleaned = super().sanitize_file_name(file_name)
        if self._unsafe:
            self.unsafe_names.add(file_name)
            return cleaned or self.UNNAMED
        return cleaned

    def handle_file_complete(self, old_field_name, counters):
        super().handle_file_complete(old_field_name, counters)
        if self._unsafe:
            self.unsafe_fields.add(old_field_name)


def checked_upload_parsing(request) -> None:
    """Call in a view before reading request.POST or request.FILES (the view must be csrf_exempt and check CSRF
    itself, since the CSRF middleware would read the body first)."""
    request.upload_handlers.insert(0, MaxSizeUploadHandler(request))
    request.portal_oversized_uploads = set()
    request.portal_unsafe_file_names = set()  # the fields whose file came with such a name

    def parse_file_upload(META, post_data):
        parser = NameCheckingMultiPartParser(META, post_data, request.upload_handlers, request.encoding)
        result = parser.parse()
        request.portal_unsafe_file_names = parser.unsafe_fields
        field_count_check(request, result[0])  # the usual field limit (cms.field_limits), which this parsing replaces
        return result

    request.parse_file_upload = parse_file_upload


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
    if len(name) > MAX_FILENAME:  # cut from the end of the name, so it keeps its beginning and its .pdf
        name = f"{name[: MAX_FILENAME - 4].rstrip(' .')}{name[-4:]}"
    return name


def upload_problem(uploaded, *, sent=False, oversized=False, unsafe_name=False) -> str | None:
    """What is wrong with a professional's PDF upload, in GOV.UK words, or None: the one check every upload passes
    (the documents page and a form's file question). ``sent``: a file field came without a name or bytes;
    ``oversized`` and ``unsafe_name`` come from ``checked_upload_parsing``."""
    if oversized:
        return too_large_message()
    if unsafe_name:
        return UploadProblem.BAD_NAME
    if not uploaded:
        return UploadProblem.EMPTY if sent else UploadProblem.MISSING
    problem = pdf_problem(uploaded)
    if not problem:
        uploaded.seek(0)
        problem = upload_virus_problem(uploaded.read())
        uploaded.seek(0)
    return problem


def not_uploaded_message(names, *, again=True) -> str:
    """What a page refused for other reasons says of the files chosen in its post: a browser cannot keep a chosen file
    on the page drawn again, so each must be chosen again (GOV.UK: an error beside the file field). ``again=False``:
    where no upload can be made now, only that it was not uploaded. No files chosen: ""."""
    names = list(names)
    if not names:
        return ""
    one = len(names) == 1
    text = f"The {'file' if one else 'files'} you chose {'was' if one else 'were'} not uploaded: {', '.join(names)}"
    if again:
        text += f". Choose {'it' if one else 'them'} again"
    return text
