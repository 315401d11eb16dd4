"""File names Django cleans in silence, noted so a form can refuse them and say why.

Django's parser strips a file name of its path and of every character that cannot be printed (controls, and format
characters such as the right-to-left override and the zero-width space: ``cms.invisible_characters``) before any
view or form sees it, and keeps no copy of the name it was sent: "report", U+202E and "fdp.exe.pdf", which reads
"reportfdp.exe.pdf" no longer, was stored as "reportfdp.exe.pdf" without a word. ``NameCheckingMultiPartParser`` is
that parser marking each file whose name it cleaned (``has_unsafe_name``), and ``UploadNameMiddleware`` parses every
request's files with it, so the admin's document and image forms, which Wagtail's views bind to request.FILES, can
refuse the file (cms.forms). Characters the rule lets through, such as the narrow no-break space macOS writes before
"PM" in a screenshot's name, go without a word, as the name reads the same without them.

A file whose whole name was a path or hidden characters ("a/", U+202E) has no name left: Django drops it, and so does
this parsing, except for a view that refuses marked files (``refuses_unsafe_names``, ``REFUSING_VIEWS``, or
``parse_noting_names(..., keep_unnamed=True)``), where the file is kept, marked, so the form says why it was refused
rather than that no file was chosen. No other view ever receives it.
"""

import html
import re
from functools import partial

from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList

from cms.invisible_characters import has_invisible_characters

_PATH_SEPARATOR = re.compile(r"[\\/]")
_MARK = "portal_unsafe_name"

# Wagtail's views whose document or image form is ours (cms.forms.GuidanceFileMixin), refusing a marked file; our own
# views say so with ``refuses_unsafe_names``.
REFUSING_VIEWS = frozenset(
    {
        "cms_document_add",
        "wagtaildocs:add_multiple",
        "wagtaildocs:edit",
        "wagtaildocs_chooser:create",
        "wagtailimages:add",
        "wagtailimages:add_multiple",
        "wagtailimages:edit",
        "wagtailimages_chooser:create",
    }
)


class NameCheckingMultiPartParser(MultiPartParser):
    """Django's parser, marking each file whose name it had to clean of path separators or invisible characters (a
    step asking for several files refuses only the one whose name was bad). ``keep_unnamed``: the caller refuses
    marked files, so a file with no name left is kept, marked, where Django would drop it."""

    # What a file whose whole name was hidden characters or a path ("\u202e", "a/") is called while it is refused.
    UNNAMED = "unnamed"

    def __init__(self, *args, keep_unnamed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.keep_unnamed = keep_unnamed
        self._unsafe = False  # the name of the file being read; Django completes a file before naming the next

    def sanitize_file_name(self, file_name):
        name = html.unescape(file_name)  # as Django reads it
        self._unsafe = bool(_PATH_SEPARATOR.search(name) or has_invisible_characters(name))
        cleaned = super().sanitize_file_name(file_name)
        if self._unsafe and not cleaned and self.keep_unnamed:
            return self.UNNAMED
        return cleaned

    def handle_file_complete(self, old_field_name, counters):
        kept = len(self._files.getlist(old_field_name))
        super().handle_file_complete(old_field_name, counters)
        if self._unsafe:
            files = self._files.getlist(old_field_name)
            if len(files) > kept:
                setattr(files[-1], _MARK, True)


def has_unsafe_name(uploaded) -> bool:
    """Whether Django had to clean this uploaded file's name of a path or a character that cannot be seen."""
    return getattr(uploaded, _MARK, False)


def refuses_unsafe_names(view):
    """Marks a view whose form refuses a file ``has_unsafe_name`` marks (cms.forms.NameCheckedFileField), so a file
    with no name left reaches it, to be refused in words."""
    view.refuses_unsafe_names = True
    return view


def _view_refuses(request) -> bool:
    # Known once the URL is resolved, before any middleware's process_view or the view reads the body; a body read
    # sooner gets Django's parsing of nameless files.
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return match.view_name in REFUSING_VIEWS or getattr(match.func, "refuses_unsafe_names", False)


def parse_noting_names(request, META, post_data, *, keep_unnamed=False):  # noqa: N803 - Django's name for the argument
    """``HttpRequest.parse_file_upload`` with ``NameCheckingMultiPartParser``. ``keep_unnamed``: the caller refuses
    marked files; else only a view that says so (``_view_refuses``) gets a file with no name left."""
    request.upload_handlers = ImmutableList(
        request.upload_handlers,
        warning="You cannot alter upload handlers after the upload has been processed.",
    )
    parser = NameCheckingMultiPartParser(
        META,
        post_data,
        request.upload_handlers,
        request.encoding,
        keep_unnamed=keep_unnamed or _view_refuses(request),
    )
    return parser.parse()


class UploadNameMiddleware:
    """Every request's files are parsed marking the names Django cleans (see the module's doc). It sets the parsing
    as a request arrives, before any middleware's process_view reads the body (FieldLimitMiddleware wraps it, and
    CsrfViewMiddleware reads request.POST); a view that installs checks of its own on the parsing replaces it
    (advice_forms.uploads.checked_upload_parsing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.parse_file_upload = partial(parse_noting_names, request)
        return self.get_response(request)
