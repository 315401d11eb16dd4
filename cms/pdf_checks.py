"""Checking an uploaded PDF by its content, before anything is stored: for professionals' documents and for the
guidance documents staff upload to Wagtail alike.

``pdf_problem`` checks the size before reading a byte, then ``pdf_bytes_problem`` reads the bytes: a real PDF starts
with ``%PDF-``, ends with ``%%EOF``, parses with pypdf, has pages and no password, carries no active content
(JavaScript, XFA forms, 3D models, actions that open or fetch another file, submit a form, import data or play
media, sound and video, references to files outside the PDF, links other than web, email, phone and a few harmless
kinds, relative links unless the file says they resolve against a web address, streams and reference XObjects
that read another file, embedded files; the trailer's own dictionaries are read as well as the objects it lists),
has no more pages than PORTAL_MAX_UPLOAD_PAGES and no streams that expand beyond a bound when decoded. Parsing is
bounded: the page count is read from the page tree before any page is walked, the walk stops at the limit, and
streams are inflated in small pieces (or through pypdf with its output limits lowered) and counted, never kept.

pypdf is imported by the functions that read a PDF, on the first upload, not when the site starts: the messages
here are imported by every form that shows them.
"""

import io
import re
import zlib

from django.conf import settings

from cms.links import LinkProblem, link_forms, link_problem, link_scheme


class UploadProblem:
    """The one message per refused case, GOV.UK style: what is wrong and what to do."""

    MISSING = "Select a PDF file to upload"
    TOO_LARGE = "The selected file must be {limit}"
    EMPTY = "The selected file is empty"
    NOT_PDF = "The selected file must be a PDF"
    # Named .pdf, but its content is not a PDF's (a text file or a picture renamed, or a damaged file).
    NOT_REAL_PDF = "The selected file is not a real PDF, or it is damaged. Save it as a PDF again and upload it"
    ENCRYPTED = "The selected file is protected with a password. Save a copy without a password and upload that"
    UNREADABLE = "The selected file cannot be read as a PDF. It may be damaged: save it as a PDF again and upload it"
    NO_PAGES = "The selected file has no pages"
    BAD_NAME = (
        "The file name must not contain slashes, backslashes or invisible characters. Type a new name for the file "
        "and try again"
    )
    SCRIPT = (
        "The selected file contains JavaScript. Save it again without scripts (for example, print it to PDF) "
        "and upload that"
    )
    MODEL_3D = (
        "The selected file contains a 3D model that can run a program. Save it again without the 3D model (for "
        "example, print it to PDF) and upload that"
    )
    LAUNCH = (
        "The selected file contains an action that opens another program or file. Save it again without actions "
        "(for example, print it to PDF) and upload that"
    )
    XFA_FORM = (
        "The selected file contains a form that can run a program. Save it again as a plain PDF (for example, "
        "print it to PDF) and upload that"
    )
    SUBMIT = (
        "The selected file contains a form that sends what is typed in it to another address. Save it again "
        "without actions (for example, print it to PDF) and upload that"
    )
    MEDIA = (
        "The selected file contains sound or video, or an action that plays them. Save it again without them "
        "(for example, print it to PDF) and upload that"
    )
    FILE_LINK = (
        "The selected file contains a link that opens a program or a file on a computer or network drive. Remove "
        "the link (or print the file to PDF) and upload it again"
    )
    MAIL_ATTACHMENT = (
        "The selected file contains an email link that attaches a file from a computer or network drive. Remove "
        "the link (or print the file to PDF) and upload it again"
    )
    UNCHECKED_LINK = (
        "The selected file contains a link of a kind the portal cannot check ({scheme}). Remove the link, or print "
        "the file to PDF, and upload it again"
    )
    UNCHECKED_LINK_UNNAMED = (
        "The selected file contains a link of a kind the portal cannot check. Remove the link, or print the file to "
        "PDF, and upload it again"
    )
    RELATIVE_LINK = (
        "The selected file contains a link that is not a full web address, so a PDF reader may open it as a file "
        "on a computer or network drive. Make the link a full web address (starting https://) or remove it (or "
        "print the file to PDF), and upload it again"
    )
    OUTSIDE_FILE = (
        "The selected file refers to another file, on a computer, a network drive or the internet, that a PDF "
        "reader may open. Save it again as a plain PDF (for example, print it to PDF) and upload that"
    )
    DRAWN_FROM_ANOTHER_FILE = (
        "The selected file draws part of a page from another file, which a PDF reader would open to show it. "
        "Save it again as a plain PDF (for example, print it to PDF) and upload that"
    )
    EMBEDDED = "The selected file contains embedded files. Upload each document as a PDF of its own"
    VIRUS = "The selected file contains a virus. Upload a copy that your antivirus software says is clean"
    SCAN_UNAVAILABLE = "The selected file could not be checked for viruses. Try again later"
    TOO_MANY_PAGES = "The selected file must have {pages} pages or fewer. Split it into smaller PDFs and upload each"
    TOO_BIG_WHEN_OPENED = (
        "The selected file is too large when opened: its contents expand to more than {mb}MB. "
        "Save it again as a smaller PDF and upload that"
    )


# A PDF's streams may expand to this many times the upload limit in all (3MB -> 120MB). Text and scanned pages
# expand far less; a decompression bomb (a few KB of zlib that inflate to gigabytes) far more.
INFLATE_RATIO = 40
_INFLATE_CHUNK = 1024 * 1024
_PAGE_TREE_MAX_DEPTH = 64


def max_upload_bytes() -> int:
    return settings.PORTAL_MAX_UPLOAD_MB * 1024 * 1024


def max_inflated_bytes() -> int:
    return INFLATE_RATIO * max_upload_bytes()


def size_limit(mb: int | None = None) -> str:
    """An upload limit in the words of a file question's hint and of its too-large error alike: '3MB or smaller'
    (a file of exactly the limit is taken); professionals' limit, PORTAL_MAX_UPLOAD_MB, unless ``mb`` is given."""
    return f"{settings.PORTAL_MAX_UPLOAD_MB if mb is None else mb}MB or smaller"


def too_large_message(mb: int | None = None) -> str:
    return UploadProblem.TOO_LARGE.format(limit=size_limit(mb))


def too_many_pages_message() -> str:
    return UploadProblem.TOO_MANY_PAGES.format(pages=settings.PORTAL_MAX_UPLOAD_PAGES)


def too_big_when_opened_message(budget: int | None = None) -> str:
    budget = max_inflated_bytes() if budget is None else budget
    return UploadProblem.TOO_BIG_WHEN_OPENED.format(mb=budget // (1024 * 1024))


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
    return pdf_bytes_problem(data, named_pdf=str(getattr(uploaded, "name", "") or "").lower().endswith(".pdf"))


def pdf_bytes_problem(data: bytes, *, named_pdf: bool = False) -> str | None:
    """None for a PDF fit to store; else the message that says why not. Its streams may decode to INFLATE_RATIO
    times the upload limit, or times its own size for a larger file (a guidance document's limit is larger).
    ``named_pdf``: the file's name ends in .pdf, so content that is not a PDF's is "not a real PDF", not "must be"."""
    if not data:
        return UploadProblem.EMPTY
    if not data.startswith(b"%PDF-"):
        return UploadProblem.NOT_REAL_PDF if named_pdf else UploadProblem.NOT_PDF
    if b"%%EOF" not in data[-2048:]:
        return UploadProblem.UNREADABLE  # cut short: a truncated file loses its end-of-file marker
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    budget = INFLATE_RATIO * max(max_upload_bytes(), len(data))
    try:
        with _bounded(budget):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                return UploadProblem.ENCRYPTED
            pages = _page_count(reader.root_object["/Pages"].get_object(), settings.PORTAL_MAX_UPLOAD_PAGES)
            if pages is None:
                return UploadProblem.UNREADABLE
            if pages > settings.PORTAL_MAX_UPLOAD_PAGES:
                return too_many_pages_message()
            if pages == 0:
                return UploadProblem.NO_PAGES
            problem = _content_problem(reader, budget)
            if problem:
                return problem
            reader.pages[0].mediabox  # noqa: B018 - reading the first page proves the page tree resolves
    except _Inflated:
        return too_big_when_opened_message(budget)
    except LimitReachedError:
        return too_big_when_opened_message(budget)
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of error on damaged files; each means unreadable
        return UploadProblem.UNREADABLE
    return None


def _bounded(budget: int):
    """pypdf's settings while it reads an upload: it inflates object streams and cross-reference streams as it
    parses, so every decoder stops at ``budget``; an outside JBIG2 decoder is never run on an upload."""
    from pypdf import apply_configuration

    limits = dict.fromkeys(
        (
            "zlib_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "brotli_maximum_output_length",
            "jbig2_maximum_output_length",
            "array_based_stream_maximum_output_length",
            "image_maximum_buffer_size",
            "stream_decoding_work_maximum_length",
        ),
        budget,
    )
    return apply_configuration(jbig2dec_binary=None, **limits)


# What a screen reader needs of a PDF that a PDF may lack, by the code a document's record keeps, in the words the
# editor reads after "This PDF may not be accessible:". A PDF lacking them is published all the same (councils hold
# legacy PDFs); the editor is told.
ACCESSIBILITY_GAPS = {
    "tags": "it has no tags, so screen readers cannot read its headings and tables",
    "language": "it does not say which language it is in, so screen readers may read it out wrongly",
    "title": "it has no title, so screen readers announce its file name instead",
}
# An XMP metadata stream (where a PDF 2.0 file keeps its title) is a few KB; more than this is not read.
_XMP_MAX_BYTES = 64 * 1024
# The markup inside a dc:title (rdf:Alt, rdf:li and their attributes), taken out to leave its words. Its repeat is
# bounded and stops at the next "<", so stripping is linear in the title's length however the XMP was written.
_XMP_MARKUP = re.compile(rb"<[^<>]{0,1024}>")
# What pdf_accessibility_gaps finds of a PDF that needs a password to open: not what it lacks (that is not known), and
# kept apart from a damaged one so the editor is told why it could not be checked.
PASSWORD_PROTECTED = ["password"]


def pdf_accessibility_gaps(file) -> list[str] | None:
    """The codes of ACCESSIBILITY_GAPS that the PDF in ``file`` (a binary file object) lacks, from its catalog and
    document information alone, no page read (ISO 32000-2, 14.7-14.9; PDF/UA-1, 7.1-7.2): tags (/MarkInfo /Marked
    true and a structure tree), its language (/Lang), a title (the document information's /Title, or dc:title in its
    XMP metadata). An encrypted PDF that opens without a password (encrypted only to limit printing or copying) is
    read as any other; one that needs a password gives PASSWORD_PROTECTED. None for a file that cannot be read as a
    PDF (damaged): what it lacks is not known, which is not the same as lacking nothing."""
    from pypdf import PdfReader

    try:
        with _bounded(INFLATE_RATIO * settings.WAGTAILDOCS_MAX_UPLOAD_SIZE):  # a guidance document's own limit
            reader = PdfReader(file, strict=False)
            if reader.is_encrypted and not _opens_without_password(reader):
                return PASSWORD_PROTECTED
            catalog = reader.root_object
            marked = getattr(_value(_value(catalog, "/MarkInfo") or {}, "/Marked"), "value", None)
            found = {
                "tags": marked is True and "/StructTreeRoot" in catalog,
                "language": _has_text(_value(catalog, "/Lang")),
                "title": (
                    _has_text(_value(_value(reader.trailer, "/Info") or {}, "/Title")) or _readable_xmp_title(catalog)
                ),
            }
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of error on damaged files; each means unreadable
        return None
    return [code for code in ACCESSIBILITY_GAPS if not found[code]]


def _opens_without_password(reader) -> bool:
    """Whether an encrypted PDF opens with the empty user password (it limits printing or copying alone); False too
    when pypdf cannot decrypt it here (AES needs the cryptography package, not installed): it could not be opened."""
    from pypdf.errors import DependencyError

    try:
        return bool(reader.decrypt(""))
    except DependencyError:
        return False


def _has_text(value) -> bool:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return isinstance(value, str) and bool(value.strip())


def _readable_xmp_title(catalog) -> bool:
    """``_xmp_title``, or False when the metadata stream is damaged (zlib and pypdf raise on a broken one): the
    title is then reported missing, and what was found of the tags and the language is kept."""
    try:
        return _xmp_title(catalog)
    except Exception:  # noqa: BLE001 - as in pdf_accessibility_gaps: many kinds of error on a damaged stream
        return False


def _xmp_title(catalog) -> bool:
    """Whether the catalog's XMP metadata (uncompressed or zlib alone, its first _XMP_MAX_BYTES) has a dc:title
    with words in it."""
    from pypdf.generic import StreamObject

    metadata = _value(catalog, "/Metadata")
    if not isinstance(metadata, StreamObject):
        return False
    raw = metadata._data or b""
    filters = _value(metadata, "/Filter")
    if isinstance(filters, list) and len(filters) == 1:
        filters = filters[0]
    if filters is None:
        xmp = raw[:_XMP_MAX_BYTES]
    elif filters in ("/FlateDecode", "/Fl"):
        xmp = zlib.decompressobj().decompress(raw, _XMP_MAX_BYTES)
    else:
        return False
    # The first dc:title only, found with two finds: a search for "<dc:title.*?</dc:title>" is retried at each
    # "<dc:title" and reads to the end each time, so 64 KB of unclosed ones took minutes (quadratic).
    start = xmp.find(b"<dc:title")
    end = xmp.find(b"</dc:title>", start) if start >= 0 else -1
    return end >= 0 and bool(re.sub(_XMP_MARKUP, b"", xmp[start:end]).strip())


class _Inflated(Exception):
    """A PDF's streams expand beyond the budget."""


def _page_count(root, limit: int) -> int | None:
    """The number of pages in the tree under ``root``, stopping once past ``limit``; None for a tree that loops.

    ``/Count`` is read first, so a file that declares too many pages is refused without walking a page. A file
    whose ``/Count`` understates its pages is walked only until the limit is passed: kids are visited one at a
    time (a page object shared by many kids counts each time, as a reader would show it), and the number of
    nodes visited is capped too, so a tree of empty nodes cannot keep the walk going.
    """
    declared = root.get("/Count")
    if isinstance(declared, int) and declared > limit:
        return declared
    if "/Kids" not in root:
        return 1
    pages = visited = 0
    path = [id(root)]
    stack = [iter(root["/Kids"].get_object())]
    while stack:
        kid = next(stack[-1], None)
        if kid is None:
            stack.pop()
            path.pop()
            continue
        visited += 1
        if visited > 2 * limit + 1000:
            return limit + 1
        node = kid.get_object()
        if "/Kids" not in node:
            pages += 1
            if pages > limit:
                return pages
            continue
        if id(node) in path or len(stack) >= _PAGE_TREE_MAX_DEPTH:
            return None
        path.append(id(node))
        stack.append(iter(node["/Kids"].get_object()))
    return pages


def _content_problem(reader, budget: int) -> str | None:
    """Look at every object in the file, whether or not the page tree reaches it, for active content; count
    what its streams decode to against ``budget`` (raises ``_Inflated`` past it)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    references = [IndirectObject(idnum, generation, reader) for generation, ids in reader.xref.items() for idnum in ids]
    references += [IndirectObject(idnum, 0, reader) for idnum in reader.xref_objStm]
    web_base = _relative_links_resolve_on_the_web(reader)
    inflated = 0
    for reference in [*references, reader.trailer]:  # the trailer may hold the catalog itself, not a reference
        obj = reference if isinstance(reference, DictionaryObject) else reader.get_object(reference)
        if isinstance(obj, StreamObject):
            if _reads_another_file(obj):
                return UploadProblem.DRAWN_FROM_ANOTHER_FILE
            inflated += _decoded_size(obj, budget - inflated)
            if inflated > budget:
                raise _Inflated
        pending = [obj]
        while pending:  # direct dictionaries and arrays nested inside this object; references are visited above
            item = pending.pop()
            if isinstance(item, DictionaryObject):
                problem = _active_content(item, web_base)
                if problem:
                    return problem
                pending.extend(v for v in item.values() if not isinstance(v, IndirectObject))
            elif isinstance(item, ArrayObject):
                pending.extend(v for v in item if not isinstance(v, IndirectObject))
    return None


# Actions (ISO 32000-2, 12.6.4) that open or fetch another file, local or remote: on Windows a UNC path (\\host\x)
# makes the reader sign in to that host, handing it the user's password hash.
_OPENS_ANOTHER_FILE = frozenset({"/Launch", "/GoToR", "/GoToE", "/ImportData"})
_PLAYS_MEDIA = frozenset({"/Sound", "/Movie", "/Rendition", "/RichMediaExecute"})
# File specifications (ISO 32000-2, 7.11) name another file; those that embed it (/EF) are refused as embedded
# files. Sound, video and rich-media annotations play or fetch media (a /Movie's /F is a file specification, often
# a bare string); an OPI dictionary names the file its image is printed from.
_FILE_SPEC_KEYS = frozenset({"/UF", "/FS", "/DOS", "/Mac", "/Unix", "/RF"})
# Entries that name a file outside the PDF, often as a plain string, in a dictionary no other rule refuses: an
# image's OPI dictionaries (14.11.7: /F is required, /Type /OPI optional), an output intent's ICC profile kept
# outside (/DestOutputProfileRef, 14.11.5: its /URLs) and slide shows (13.5: /Resources, file specifications). A
# structure namespace's /Schema (14.7.4.2) is a file specification too; a collection's /Schema is a dictionary.
_OUTSIDE_FILE_KEYS = frozenset({"/OPI", "/DestOutputProfileRef", "/AlternatePresentations"})
_MEDIA_ANNOTATIONS = frozenset({"/Movie", "/Screen", "/Sound", "/RichMedia"})
# 3D artwork (ISO 32000-2, 13.6): a 3D annotation's stream (/3DD, of /Subtype /U3D or /PRC) may carry JavaScript
# that runs when the model loads (/OnInstantiate). A SEND report has no need of one, so any 3D model is refused.
_3D_KEYS = frozenset({"/3DD", "/3DA", "/3DV", "/OnInstantiate"})
_3D_TYPES = ("/3D", "/3DRef", "/U3D", "/PRC")  # a tuple: /Type may name a dictionary, which cannot be hashed
# Entries whose value is a name that viewers may also take when it is written as a string: /S (GoToR) acts as
# /S /GoToR in some readers.
_NAMED_ENTRIES = ("/S", "/Subtype", "/Type")


def _active_content(dictionary, web_base: bool = False) -> str | None:
    """The message for a dictionary that makes the PDF act when it is opened or clicked; None for one that does
    not. Web, email and phone links (/URI to http:, https:, mailto:, tel:, or relative where ``web_base`` says the
    catalog's /URI /Base is a web address) and plain AcroForm fields are left alone. Names arrive decoded: pypdf
    reads ``/Go#54oR`` as ``/GoToR``; /S, /Subtype and /Type are read as the names they spell even when written as
    a string (``/S (GoToR)``) or given by reference (``_as_names``), as some readers take them."""
    named = _as_names(dictionary)
    action, subtype, kind = (named.get(key) for key in _NAMED_ENTRIES)
    if "/JS" in named or "/JavaScript" in named or action == "/JavaScript":
        return UploadProblem.SCRIPT
    if "/XFA" in named:
        return UploadProblem.XFA_FORM
    if action in _OPENS_ANOTHER_FILE or (action == "/Thread" and "/F" in named):
        return UploadProblem.LAUNCH
    if action == "/SubmitForm":
        return UploadProblem.SUBMIT
    if action in _PLAYS_MEDIA:
        return UploadProblem.MEDIA
    problem = _link_problem(named, web_base)
    if problem:
        return problem
    if "/EmbeddedFiles" in named or "/EF" in named or kind == "/EmbeddedFile" or subtype == "/FileAttachment":
        return UploadProblem.EMBEDDED
    if subtype in _MEDIA_ANNOTATIONS:
        return UploadProblem.MEDIA
    if _is_file_specification(named):
        return UploadProblem.OUTSIDE_FILE
    if any(key in named for key in _3D_KEYS) or subtype in _3D_TYPES or kind in _3D_TYPES:
        return UploadProblem.MODEL_3D
    return None


def _is_file_specification(dictionary) -> bool:
    """Whether a dictionary (its /Type read by ``_as_names``) names another file: a file specification (/Type
    /Filespec, or the entries only a file specification has), a dictionary with associated files (/AF) of which one
    is not embedded (embedded ones are refused, as embedded files, where their file specification is visited), or a
    dictionary with an entry that names a file outside (``_OUTSIDE_FILE_KEYS``, a namespace's /Schema string), in
    whatever form: a file specification written as a plain string has no entries of its own to tell it by. An
    annotation's /F is its flags and is left alone."""
    if dictionary.get("/Type") in ("/Filespec", "/OPI") or any(key in dictionary for key in _FILE_SPEC_KEYS):
        return True
    if any(key in dictionary for key in _OUTSIDE_FILE_KEYS) or isinstance(_value(dictionary, "/Schema"), str | bytes):
        return True
    if "/AF" not in dictionary:
        return False
    associated = _value(dictionary, "/AF")
    if not isinstance(associated, list):
        return True
    return not all("/EF" in getattr(spec.get_object(), "keys", list)() for spec in associated)


def _value(dictionary, key):
    value = dictionary.get(key)
    return value.get_object() if hasattr(value, "get_object") else value


def _reads_another_file(stream) -> bool:
    """Whether a stream takes what it holds from another file, which the viewer opens (a UNC path leaks as a link
    to one does): a stream dictionary's /F (ISO 32000-2, 7.3.8.2, table 5: the file its data is in; /FFilter and
    /FDecodeParms decode it), or a reference XObject's /Ref (8.10.4: a form XObject drawn from a page of another
    PDF; its /Subtype read by ``_as_names``). /F means other things only in other dictionaries (annotation flags,
    an inline image's filter), so only stream dictionaries are asked."""
    if "/F" in stream or "/FFilter" in stream or "/FDecodeParms" in stream:
        return True
    return "/Ref" in stream and _as_names(stream).get("/Subtype") == "/Form"


_LINK_MESSAGES = {
    LinkProblem.SCRIPT: UploadProblem.SCRIPT,
    LinkProblem.OPENS_A_FILE: UploadProblem.FILE_LINK,
    LinkProblem.MAIL_ATTACHMENT: UploadProblem.MAIL_ATTACHMENT,
    LinkProblem.RELATIVE: UploadProblem.RELATIVE_LINK,
}


def _link_problem(dictionary, web_base: bool = False) -> str | None:
    """The message for a /URI action's target, or for the catalog's /URI /Base that relative targets resolve
    against, that ``cms.links.link_problem`` refuses; a relative link is let through under a web /Base
    (``web_base``). The /Base is checked here as a target is, a relative one left to the links that would resolve
    against it."""
    target = _value(dictionary, "/URI")
    is_base = hasattr(target, "get")
    if is_base:
        target = _value(target, "/Base")
    if isinstance(target, bytes):
        target = target.decode("latin-1")
    if not isinstance(target, str):
        return None
    problem = link_problem(target, relative_ok=is_base or web_base)
    if problem is None:
        return None
    reason, scheme = problem
    if reason is LinkProblem.UNCHECKED_SCHEME:
        return UploadProblem.UNCHECKED_LINK.format(scheme=scheme) if scheme else UploadProblem.UNCHECKED_LINK_UNNAMED
    return _LINK_MESSAGES[reason]


def _relative_links_resolve_on_the_web(reader) -> bool:
    """Whether the catalog's /URI /Base is a web address (http: or https:, as written and in every decoded form),
    so that a relative link is one on the web. The trailer's /Root is asked as well as the catalog pypdf settles
    on (another object, when the trailer's is not marked as a catalog): both must say so."""
    catalogs = [_value(reader.trailer, "/Root"), reader.root_object]
    return all(_web_base(catalog) for catalog in catalogs)


def _web_base(catalog) -> bool:
    uri = _value(catalog, "/URI") if hasattr(catalog, "get") else None
    base = _value(uri, "/Base") if hasattr(uri, "get") else None
    if isinstance(base, bytes):
        base = base.decode("latin-1")
    if not isinstance(base, str) or not re.match(r"https?://", base, re.IGNORECASE):
        return False
    return all(link_scheme(form) in ("http", "https") for form in link_forms(base))


def _decoded_size(stream, budget: int) -> int:
    """How many bytes ``stream`` decodes to, counted up to just past ``budget``; its decoded bytes are not kept.

    A stream compressed with zlib alone (by far the usual kind, and the usual bomb) is inflated a megabyte at a
    time. Any other filter chain goes through pypdf, whose decoders stop at the limits set in pdf_bytes_problem.
    """
    from pypdf.errors import LimitReachedError
    from pypdf.filters import decode_stream_data
    from pypdf.generic import ArrayObject

    raw = stream._data or b""
    filters = stream.get("/Filter")
    filters = filters.get_object() if filters is not None else None
    if isinstance(filters, ArrayObject) and len(filters) == 1:
        filters = filters[0]
    if filters is None:
        return len(raw)
    if filters in ("/FlateDecode", "/Fl"):
        inflater = zlib.decompressobj()
        size = 0
        try:
            pending = raw
            while pending and not inflater.eof:
                size += len(inflater.decompress(pending, _INFLATE_CHUNK))
                if size > budget:
                    return size
                pending = inflater.unconsumed_tail
            return size
        except zlib.error:
            pass  # damaged: pypdf's decoder recovers what it can, within its limits
    try:
        return len(decode_stream_data(stream))
    except LimitReachedError:
        return budget + 1
    except Exception:  # noqa: BLE001 - a stream pypdf cannot decode is left to the viewer, as it is
        return len(raw)


def _as_names(dictionary):
    """``dictionary`` with its /S, /Subtype and /Type read as the names they spell: a reference as what it points
    to (the one place these entries are followed), a string (text or bytes) as the name it spells; ``dictionary``
    itself when each is a direct name, or absent."""
    from pypdf.generic import DictionaryObject, IndirectObject, NameObject

    names = {}
    for key in _NAMED_ENTRIES:
        value = _value(dictionary, key)
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(value, str) and not isinstance(value, NameObject):
            spelled = "".join(c for c in value if c.isprintable() and not c.isspace())
            names[NameObject(key)] = NameObject(spelled if spelled.startswith("/") else "/" + spelled)
        elif isinstance(dictionary.get(key), IndirectObject):
            names[NameObject(key)] = value
    if not names:
        return dictionary
    return DictionaryObject({**dictionary, **names})
