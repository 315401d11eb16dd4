"""Reading a professional's upload from the request, before anything is stored.

The size is checked first, while the request is read: ``MaxSizeUploadHandler`` stops keeping a file's bytes
once it passes PORTAL_MAX_UPLOAD_MB, so an oversized upload never reaches memory or a temporary file.
The parsing marks each file whose name came with path separators or invisible characters, which Django silently
strips (``cms.upload_names``), so the form can refuse it beside its field and say why. The file's content is then
checked by ``cms.pdf_checks.pdf_problem``, the same check every PDF upload of the site passes.
"""

import html
import re

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from cms.field_limits import field_count_check
from cms.pdf_checks import UploadProblem, max_upload_bytes, pdf_problem, too_large_message
from cms.upload_names import has_unsafe_name, parse_noting_names
from cms.virus_scan import upload_virus_problem

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
            # Its name, for a refusal that names the file as a form question's others do ("“big.pdf” must be ...").
            names = getattr(self.request, "portal_oversized_names", {})
            names[self.field_name] = self.file_name
            self.request.portal_oversized_names = names
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def checked_upload_parsing(request) -> None:
    """Call in a view before reading request.POST or request.FILES (the view must be csrf_exempt and check CSRF
    itself, since the CSRF middleware would read the body first)."""
    request.upload_handlers.insert(0, MaxSizeUploadHandler(request))
    request.portal_oversized_uploads = set()
    request.portal_oversized_names = {}

    def parse_file_upload(META, post_data):
        # Its forms refuse a marked file (upload_problem), so a file with no name left is kept to be refused in words.
        result = parse_noting_names(request, META, post_data, keep_unnamed=True)
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


def upload_problem(uploaded, *, sent=False, oversized=False) -> str | None:
    """What is wrong with a professional's PDF upload, in GOV.UK words, or None: the one check every upload passes
    (the documents page and a form's file question). ``sent``: a file field came without a name or bytes;
    ``oversized`` comes from ``checked_upload_parsing``; a file whose name Django cleaned is marked on the file."""
    if oversized:
        return too_large_message()
    if has_unsafe_name(uploaded):
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
