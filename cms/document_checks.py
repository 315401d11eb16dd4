"""Checking a guidance document that is not a PDF by its content, before it is stored: Word, Excel and other Office
Open XML files, CSV and plain text files (``cms.pdf_checks`` checks PDFs).

An Office file must be the zip package its name says (a Word file must hold a Word document, not a spreadsheet),
small enough when opened, with no macros, no embedded programs (OLE objects, ActiveX controls), no fields that
run a command or fetch a file (DDE, INCLUDEPICTURE, ...), no data connections, and no link to another file other
than a web or email hyperlink: on Windows a template or image on a network path (``\\\\host\\share``) makes Office
sign in to that host, handing it the reader's password hash. Its XML is read with expat, with no DTD allowed.

A CSV file must be text whose cells a spreadsheet will not run as formulas; a text file must be text. Any of them
whose content is another kind of file (a zip named .csv, a PDF named .docx, a program named .txt, which holds NUL
bytes) is refused.
"""

import csv
import io
import posixpath
import re
import zipfile
import zlib
from xml.parsers import expat

from cms.links import link_forms, link_problem, link_scheme
from cms.pdf_checks import INFLATE_RATIO, max_upload_bytes


class DocumentProblem:
    """The one message per refused case, in the words of cms.pdf_checks.UploadProblem."""

    WRONG_KIND = (
        "The selected file is not {kind}, although its name ends in .{extension}. Save it again as {kind}, "
        "or as a PDF, and upload that"
    )
    UNREADABLE = (
        "The selected file cannot be read as {kind}. It may be damaged: save it again as {kind}, or as a PDF, "
        "and upload that"
    )
    TOO_BIG_WHEN_OPENED = (
        "The selected file is too large when opened. Save it again as a smaller file, or as a PDF, and upload that"
    )
    PART_TOO_BIG = (
        "The selected file has a part that is over 10MB when opened, such as a very long document or sheet. Split "
        "it into smaller files, or save it as a PDF, and upload that"
    )
    TEMPLATE = (
        "The selected file is linked to a template on a computer or network drive, which Word opens with the file. "
        "In Word, open Templates and Add-ins (Developer, Document Template; or File, Options, Add-ins, Manage "
        "Templates), clear the attached template and save the file, or save it as a PDF, and upload it again"
    )
    PICTURE_FROM_WEB = (
        "The selected file has a picture that is fetched from the web when the file opens. Paste it into the file "
        "as a picture instead, or save the file as a PDF, and upload it again"
    )
    FORMULA_OUTSIDE = (
        "The selected file has a cell formula that fetches data from the web, opens another file or makes a link "
        "the portal cannot check (such as WEBSERVICE, or HYPERLINK to an address in another cell). Replace the "
        "formula with its value, or write the web address in the HYPERLINK formula, or save the file as a PDF, and "
        "upload it again"
    )
    MACROS = (
        "The selected file contains macros. Save it again without macros (for example, as a .docx or .xlsx file, "
        "or as a PDF) and upload that"
    )
    EMBEDDED_PROGRAM = (
        "The selected file contains an embedded object or control that can run a program. Remove it, or save the "
        "file as a PDF, and upload it again"
    )
    LINKED_FILE = (
        "The selected file links to another file, on a computer, a network drive or the internet, that Office may "
        "open. Save it again without links to other files (for example, as a PDF) and upload that"
    )
    FILE_LINK = (
        "The selected file contains a link that opens a program or a file on a computer or network drive. Remove "
        "the link, or save the file as a PDF, and upload it again"
    )
    FORMULA = (
        "Row {row} of the selected file has a cell that starts with =, +, - or @, which a spreadsheet may run as "
        "a formula. Put an apostrophe (') before it, or reword it so it starts with a letter or a number, or save "
        "the file as a PDF, and upload it again"
    )


_KINDS = {"csv": "a CSV file", "txt": "a text file"}
# Office Open XML (ECMA-376): each extension, what the user calls it and the markup its main part is written in.
_OFFICE = {
    **dict.fromkeys(("docx", "docm", "dotx", "dotm"), ("a Word document", "wordprocessingml")),
    **dict.fromkeys(("xlsx", "xlsm", "xltx", "xltm", "xlam"), ("an Excel spreadsheet", "spreadsheetml")),
    **dict.fromkeys(("pptx", "pptm", "potx", "potm", "ppsx", "ppsm", "ppam"), ("a PowerPoint file", "presentationml")),
}
OFFICE_EXTENSIONS = frozenset(_OFFICE)
# A package may hold this many parts. A long report has a few dozen; a workbook of many sheets a few hundred.
MAX_PARTS = 2000
# An XML part (a document's text, a list of relationships) may be this large when opened. A 300-page report's
# word/document.xml is a few MB; the XML is read in pieces of _XML_CHUNK.
MAX_XML_PART_BYTES = 10 * 1024 * 1024
_XML_CHUNK = 64 * 1024
# Office stores or deflates every part; Python's zipfile would also read bzip2 and LZMA, whose damaged data raises
# errors of their own.
_OFFICE_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
# The content types of a package within the package (an Office file, an OLE package, a zip): a VML drawing's
# (vnd.openxmlformats-officedocument.vmlDrawing) is not one.
_PACKAGE_TYPE = re.compile(
    r"\.(document|template|sheet|presentation|slideshow|slide|addin)(\.macroenabled\.12)?$|package$|zip$"
)
_MAX_OPEN_FIELDS = 64  # Word fields nested in one another; a real document nests two or three
_MAIN_PART_TYPE = re.compile(
    r"\.(document|template|sheet|presentation|slideshow|addin)(\.macroEnabled)?\.main\+xml$", re.I
)
# Content types and relationship types (matched in lower case, anywhere in the type) of what runs code or opens
# another file. Macros: VBA projects, macro-enabled parts, Excel 4.0 macro sheets.
_MACRO_MARKS = ("vbaproject", "macroenabled", "macrosheet", "vbadata", "/vba")
_PROGRAM_MARKS = ("oleobject", "activex", "/control", "afchunk")
_LINK_MARKS = ("externallink", "connections", "querytable")
# The one relationship type whose target may be outside the package, in Transitional and Strict Open XML.
_HYPERLINK_TYPES = frozenset(
    {
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink",
    }
)
# SpreadsheetML's namespace in Transitional and Strict Open XML, and what a cell formula may not do.
_SML_NAMESPACES = frozenset(
    {"http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"}
)
_OUTSIDE_CALL = re.compile(r"\b(WEBSERVICE|FILTERXML|CALL|REGISTER(\.ID)?|RTD|EXEC)\s*\(|\|", re.IGNORECASE)
# A formula's strings ("...") and quoted sheet names ('...'), read from the left as Excel does: either may hold the
# other's quote. A sheet name may not hold brackets, so one in a quoted name is another workbook's index.
_QUOTED = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'')
_BRACKET = re.compile(r"\[\d+\]|\[|\]")
_HYPERLINK_CALL = re.compile(r'\bHYPERLINK\s*\(\s*("(?:[^"]|"")*")?\s*([,)])?', re.IGNORECASE)
# Word's attached template: on the computer the document was made on, unless it was made from a template there.
_TEMPLATE_TYPES = frozenset(
    {
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/attachedTemplate",
    }
)
# Word fields (ECMA-376 part 1, 17.16.5) that run a command or read another file when the document is opened or
# its fields are updated.
_ACTIVE_FIELDS = frozenset({"DDE", "DDEAUTO", "INCLUDETEXT", "INCLUDEPICTURE", "LINK", "IMPORT", "DATABASE"})
# WordprocessingML's namespace in Transitional and in Strict Open XML (ECMA-376 part 1 and its Strict variant):
# Word opens both, and runs the fields of both.
_W_NAMESPACES = frozenset(
    {"http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main"}
)
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"
# Files whose start says they are not text though they may decode as it. A program (MZ, ELF) holds NULs, which
# _NOT_TEXT refuses; "MZ Smith" is a note.
_BINARY_STARTS = (b"PK\x03\x04", b"PK\x05\x06", b"%PDF-", b"\xd0\xcf\x11\xe0", b"{\\rtf")
# Control characters but tab, line breaks (\x0b is Word's and PowerPoint's manual line break), form feed and ^Z.
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_FORMULA_START = re.compile(r"\s*[=+\-@]")
_SIGNED_VALUE = re.compile(r"\s*[+-][\d\s().,%£$€E+-]*")
_CALL = re.compile(r"(?<![\w.])[A-Za-z_][\w.]*\s*\(|[|!]")  # a function, a DDE pipe, a sheet reference
_DELIMITERS = (",", ";", "\t")
_SEPARATOR_LINE = re.compile(r"sep=([^\r\n])(\r\n|\r|\n|$)", re.IGNORECASE)
# A cell may be as long as the file: the csv module's default limit (128KB) would call a long one unreadable.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


class _Refused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def document_problem(extension: str, data: bytes) -> str | None:
    """None for a file fit to store under ``extension`` (any case, no dot); else the message that says why not.
    An extension with no check here (pdf, which cms.pdf_checks checks) gets None whatever the content."""
    extension = extension.lower()
    kind = _OFFICE[extension][0] if extension in _OFFICE else _KINDS.get(extension)
    if kind is None:
        return None
    try:
        if extension in _OFFICE:
            _check_office(data, extension, budget=INFLATE_RATIO * max(max_upload_bytes(), len(data)))
        else:
            text = _text(data, kind, extension)
            if extension == "csv":
                _check_cells(text)
    except _Refused as refused:
        return refused.message
    return None


def _text(data: bytes, kind: str, extension: str) -> str:
    if data.startswith(_BINARY_STARTS):
        raise _Refused(DocumentProblem.WRONG_KIND.format(kind=kind, extension=extension))
    try:
        encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
        text = data.decode(encoding)
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # Excel's "CSV" on Windows, and GIAS's files
        except UnicodeDecodeError:
            raise _Refused(DocumentProblem.WRONG_KIND.format(kind=kind, extension=extension)) from None
    if _NOT_TEXT.search(text):
        raise _Refused(DocumentProblem.WRONG_KIND.format(kind=kind, extension=extension))
    return text


def _check_cells(text: str) -> None:
    """Refuse a cell that a spreadsheet would read as a formula (CSV injection: =HYPERLINK(...), =cmd|'...'!A0).
    The file is read split at its own delimiter: the one a first line ``sep=X`` names (Excel honours it, and drops
    that line), else the one of commas, semicolons and tabs its first lines use. A signed value (-3.5, -£3.50,
    -1.2E+05, +44 (0)20 7946 0000) is left alone: without letters it can call nothing. Excel in much of Europe
    splits a CSV file at semicolons whatever it holds, so the file is read split at the other delimiters too, for
    cells that would call something (=, @, or a sign before a name and a bracket, a pipe or a !)."""
    declared = _SEPARATOR_LINE.match(text)
    if declared and declared.group(1) == '"':  # a delimiter that is the quote: no two programs split it alike
        raise _Refused(DocumentProblem.UNREADABLE.format(kind="a CSV file"))
    if declared:
        delimiter, text = declared.group(1), text[declared.end() :]
    else:
        delimiter = _delimiter(text)
    for other in (delimiter, *(d for d in _DELIMITERS if d != delimiter)):
        try:
            for row, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=other), start=1):
                for cell in cells:
                    if _FORMULA_START.match(cell) and (
                        (other == delimiter and not _SIGNED_VALUE.fullmatch(cell))
                        or cell.lstrip()[:1] in ("=", "@")
                        or _CALL.search(cell)
                    ):
                        raise _Refused(DocumentProblem.FORMULA.format(row=row))
        except (csv.Error, TypeError):
            raise _Refused(DocumentProblem.UNREADABLE.format(kind="a CSV file")) from None


def _delimiter(text: str) -> str:
    """The delimiter of commas, semicolons and tabs that csv.Sniffer finds in the first lines, else the one the
    first line holds most of (commas when it holds none)."""
    sample = "".join(text.splitlines(keepends=True)[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        first = sample.partition("\n")[0]
        return max(_DELIMITERS, key=first.count)


def _check_office(data: bytes, extension: str, *, budget: int, depth: int = 0) -> None:
    kind, markup = _OFFICE[extension]
    if not data.startswith(b"PK"):
        raise _Refused(DocumentProblem.WRONG_KIND.format(kind=kind, extension=extension))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            if any(part.compress_type not in _OFFICE_COMPRESSION for part in parts):
                raise _Refused(DocumentProblem.UNREADABLE.format(kind=kind))
            if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > budget:
                raise _Refused(DocumentProblem.TOO_BIG_WHEN_OPENED)
            names = {part.filename.lower(): part for part in parts}
            if len(names) < len(parts):  # two parts of one name: which one Office reads is not ours to guess
                raise _Refused(DocumentProblem.UNREADABLE.format(kind=kind))
            if "[content_types].xml" not in names:
                raise _Refused(DocumentProblem.WRONG_KIND.format(kind=kind, extension=extension))
            for part in parts:
                if part.filename.lower().endswith((".xml", ".rels")) and part.file_size > MAX_XML_PART_BYTES:
                    raise _Refused(DocumentProblem.PART_TOO_BIG)
            with package.open(names["[content_types].xml"]) as stream:
                defaults, overrides = _content_types(stream)
            types = {*defaults.values(), *overrides.values()}
            main = [t for t in types if _MAIN_PART_TYPE.search(t)]
            if not main or any(markup not in t and "ms-" not in t for t in main):
                raise _Refused(DocumentProblem.WRONG_KIND.format(kind=kind, extension=extension))
            # A workbook using Excel's Data Model holds a connections part whose one connection is to that model,
            # inside the workbook: it opens nothing else.
            links = [n for n in names if "connections" in n or "connections" in _type_of(n, defaults, overrides)]
            allowed = ("connections",) if links and all(_only_the_data_model(package, names[n]) for n in links) else ()
            _check_marks([*types, *names], allowed)
            for name, part in names.items():
                if name != "[content_types].xml":
                    content_type = _type_of(name, defaults, overrides)
                    _check_part(package, name, part, content_type, markup, allowed, budget=budget, depth=depth)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        EOFError,
        zlib.error,
        expat.ExpatError,
        ValueError,
        OSError,
    ):
        raise _Refused(DocumentProblem.UNREADABLE.format(kind=kind)) from None


def _type_of(name: str, defaults: dict[str, str], overrides: dict[str, str]) -> str:
    return overrides.get(f"/{name}", defaults.get(posixpath.splitext(name)[1][1:], ""))


def _only_the_data_model(package, part) -> bool:
    """Whether a connections part holds only the connection to the workbook's own Data Model (type 5, the
    "Data Model Connection" with the command "Model", Excel's ThisWorkbookDataModel): no file, web page, query,
    text file or database outside the workbook."""
    own = []  # for each element, whether the model's connection may hold it ("model" for that connection)

    def start(tag, attributes):
        namespace, _, name = tag.rpartition(" ")
        if namespace in _SML_NAMESPACES and name == "connection":
            own.append(attributes.get("type") == "5" and not {"odcFile", "sourceFile"} & set(attributes) and "model")
        elif namespace in _SML_NAMESPACES and name == "dbPr":
            own.append(attributes.get("connection") == "Data Model Connection" and attributes.get("command") == "Model")
        else:
            own.append(
                name in ("connections", "extLst", "ext") or (namespace not in _SML_NAMESPACES and name == "connection")
            )

    if part.file_size > MAX_XML_PART_BYTES:
        return False
    try:
        with package.open(part) as stream:
            _parse(stream, start=start)
    except (expat.ExpatError, ValueError):
        return False
    return "model" in own and all(own)


def _check_part(
    package, name: str, part, content_type: str, markup: str, allowed=(), *, budget: int, depth: int
) -> None:
    """Check one part by what Office reads it as, its content type (its Override in [Content_Types].xml, else the
    Default for its extension), not by its name: the package's relationships may put the document, a sheet or an
    embedded workbook under any name (word/document.bin, word/media/x.xlsx). An XML part is streamed through the
    relationship, field or formula checks; a package (a part starting PK, or of an Office content type) is checked
    as an embedded one; a part under embeddings/ is refused unless it is such a package; pictures and the like
    are left alone."""
    with package.open(part) as stream:
        start = stream.read(4)
    textual = start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and not content_type.startswith("image/")
    is_xml = content_type.endswith("xml") or (not content_type and textual)
    is_package = start.startswith(b"PK") or (not is_xml and _PACKAGE_TYPE.search(content_type) is not None)
    if is_xml or name.endswith(".rels"):
        if part.file_size > MAX_XML_PART_BYTES:
            raise _Refused(DocumentProblem.PART_TOO_BIG)
        with package.open(part) as stream:
            if name.endswith(".rels") or "relationships" in content_type:
                _check_relationships(stream, allowed)
            elif markup == "wordprocessingml":
                _check_fields(stream)
            elif markup == "spreadsheetml":
                _check_formulas(stream)
    elif is_package or "/embeddings/" in f"/{name}":
        _check_embedded(package.read(part), name, budget=budget, depth=depth)


def _check_embedded(data: bytes, name: str, *, budget: int, depth: int) -> None:
    """A chart in a Word document keeps its figures in an embedded workbook: a package of its own, checked as
    one. Anything else embedded (an OLE object, a package within a package within a package) is refused."""
    extension = posixpath.splitext(name)[1].lstrip(".").lower()
    if extension not in _OFFICE or depth > 0:
        raise _Refused(DocumentProblem.EMBEDDED_PROGRAM)
    _check_office(data, extension, budget=budget, depth=depth + 1)


def _check_marks(types_and_names, allowed=()) -> None:
    for value in (v.lower() for v in types_and_names):
        if any(mark in value for mark in _MACRO_MARKS):
            raise _Refused(DocumentProblem.MACROS)
        if any(mark in value for mark in _PROGRAM_MARKS):
            raise _Refused(DocumentProblem.EMBEDDED_PROGRAM)
        if any(mark in value for mark in _LINK_MARKS if mark not in allowed):
            raise _Refused(DocumentProblem.LINKED_FILE)


def _parse(stream, *, start, end=None, text=None) -> None:
    """Read an XML part from ``stream`` with expat in pieces, handing each element to ``start(tag, attributes)`` and
    ``end(tag)`` (tags as 'namespace name') and its text to ``text`` as they stream past: nothing is kept here, so
    a part of millions of elements costs no more memory than one of ten. A DTD (and so any entity, the XML bomb's
    tool) is refused: no Office part has one."""

    def refuse(*_):
        raise ValueError("DTD")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    while chunk := stream.read(_XML_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _content_types(stream) -> tuple[dict[str, str], dict[str, str]]:
    """The content types a package declares: by extension (its Defaults) and by part name (its Overrides), both
    in lower case as Open XML compares them."""
    defaults, overrides = {}, {}

    def start(tag, attributes):
        content_type = attributes.get("ContentType", "").lower()
        if tag.endswith(" Default") or tag == "Default":
            defaults[attributes.get("Extension", "").lower().lstrip(".")] = content_type
        elif tag.endswith(" Override") or tag == "Override":
            overrides["/" + attributes.get("PartName", "").lower().lstrip("/")] = content_type
        if len(defaults) + len(overrides) > MAX_PARTS:
            raise _Refused(DocumentProblem.TOO_BIG_WHEN_OPENED)

    _parse(stream, start=start)
    return defaults, overrides


def _check_relationships(stream, allowed=()) -> None:
    """Every relationship: no macro, embedded program or data connection; a target outside the package (or one
    written as an address or a network path) only for a hyperlink to a web page or an email address."""

    def start(tag, attributes):
        if tag == _RELS:
            _check_relationship(attributes, allowed)

    _parse(stream, start=start)


def _check_relationship(attributes, allowed=()) -> None:
    kind = attributes.get("Type", "")
    _check_marks([kind], allowed)
    target = attributes.get("Target", "")
    schemes = [link_scheme(form) for form in link_forms(target)]
    external = attributes.get("TargetMode", "").lower() == "external" or any(s is not None for s in schemes)
    if not external:
        return
    if kind in _TEMPLATE_TYPES:
        raise _Refused(DocumentProblem.TEMPLATE)
    if kind not in _HYPERLINK_TYPES:
        raise _Refused(DocumentProblem.LINKED_FILE)
    _check_hyperlink(target)


def _check_hyperlink(target: str) -> None:
    """A hyperlink must be one ``cms.links.link_problem`` lets through, as a PDF's link must: to a web page, an
    email address attaching no file, a phone number, or a place in the same file (a workbook's ``#Schools!A1``).
    A relative target is refused: Office opens it as a file beside the document."""
    if link_problem(target, relative_ok=False) is not None:
        raise _Refused(DocumentProblem.FILE_LINK)


def _check_fields(stream) -> None:
    """Refuse a Word field that runs a command or reads another file. A field's code may be split over many runs
    (w:instrText, or w:delInstrText in a tracked deletion, which "Reject all changes" brings back, between the
    w:fldChar that begins the field and the one that separates or ends it) or sit whole in a w:fldSimple. A field
    whose name is the result of another field nested in its code (INCLUDEPICTURE spelt by a QUOTE field) is
    refused too: its name cannot be read without running Word's fields. Each code is checked as soon as it is
    read; only the fields still open are kept."""
    fields = []  # [its code so far, whether its code is still being read] for each open field
    instruction = None  # the pieces of the text of the w:instrText being read

    def start(tag, attributes):
        nonlocal instruction
        name = _word_name(tag)
        if name == "fldSimple":
            _check_field_code(_word_attribute(attributes, "instr") or "")
        elif name in ("instrText", "delInstrText"):
            instruction = []
        elif name == "fldChar":
            mark = _word_attribute(attributes, "fldCharType")
            if mark == "begin":
                if fields and fields[-1][1] and not fields[-1][0].strip():
                    raise _Refused(DocumentProblem.LINKED_FILE)
                if len(fields) >= _MAX_OPEN_FIELDS:
                    raise ValueError("fields nested too deep")
                fields.append(["", True])
            elif mark == "separate" and fields and fields[-1][1]:
                fields[-1][1] = False
                _check_field_code(fields[-1][0])
            elif mark == "end" and fields:
                code, reading = fields.pop()
                if reading:
                    _check_field_code(code)

    def end(tag):
        nonlocal instruction
        if instruction is not None and _word_name(tag) in ("instrText", "delInstrText"):
            code, instruction = "".join(instruction), None
            if fields and fields[-1][1]:
                fields[-1][0] += code
            else:
                _check_field_code(code)

    def text(characters):
        if instruction is not None:
            instruction.append(characters)

    _parse(stream, start=start, end=end, text=text)
    for code, reading in fields:
        if reading:
            _check_field_code(code)


def _check_formulas(stream) -> None:
    """Refuse a worksheet's cell formula that fetches data from the web or runs or reads something outside the
    workbook (WEBSERVICE, FILTERXML, CALL, REGISTER, RTD; a DDE link, app|topic!item; a reference into another
    workbook, [1]Sheet1!A1), and a HYPERLINK whose address is not one written out in the formula that
    ``cms.links.link_problem`` lets through. Each formula is checked as it is read."""
    formula = None  # the pieces of the text of the formula being read

    def start(tag, _attributes):
        nonlocal formula
        namespace, _, name = tag.rpartition(" ")
        if name == "f" and namespace in _SML_NAMESPACES:
            formula = []

    def end(_tag):
        nonlocal formula
        if formula is not None:
            code, formula = "".join(formula), None
            _check_formula(code)

    def text(characters):
        if formula is not None:
            formula.append(characters)

    _parse(stream, start=start, end=end, text=text)


def _check_formula(code: str) -> None:
    def blank(quoted):
        text = quoted.group()
        if text.startswith("'") and re.search(r"\[\d+\]", text):  # '[1]Budget'!A1
            raise _Refused(DocumentProblem.FORMULA_OUTSIDE)
        return text[0] * 2

    outside_strings = _QUOTED.sub(blank, code)
    if _OUTSIDE_CALL.search(outside_strings) or _other_workbook(outside_strings):
        raise _Refused(DocumentProblem.FORMULA_OUTSIDE)
    for call in _HYPERLINK_CALL.finditer(code):
        literal = call.group(1)
        target = literal[1:-1].replace('""', '"') if literal and call.group(2) else None
        if target is None or link_problem(target, relative_ok=False) is not None:
            raise _Refused(DocumentProblem.FORMULA_OUTSIDE)


def _other_workbook(code: str) -> bool:
    """Whether a formula refers into another workbook by its index ([1]Budget!A1): a bracketed number where a
    reference starts, not a table's column (Budget[2024], Budget[[#This Row],[2024]]), which follows a name or
    sits within a table's brackets."""
    depth = 0
    for bracket in _BRACKET.finditer(code):
        if bracket.group() == "[":
            depth += 1
        elif bracket.group() == "]":
            depth = max(depth - 1, 0)
        elif depth == 0 and not re.match(r"[\w\].]", code[bracket.start() - 1 : bracket.start()]):
            return True
    return False


def _word_name(tag: str) -> str | None:
    """An element's name without its namespace when that is WordprocessingML's, Transitional or Strict."""
    namespace, _, name = tag.rpartition(" ")
    return name if namespace in _W_NAMESPACES else None


def _word_attribute(attributes: dict, name: str) -> str | None:
    for namespace in _W_NAMESPACES:
        if f"{namespace} {name}" in attributes:
            return attributes[f"{namespace} {name}"]
    return None


def _check_field_code(code: str) -> None:
    words = re.findall(r'"[^"]*"|\S+', code)
    name = words[0].strip('"').upper() if words else ""
    if name == "INCLUDEPICTURE" and _from_the_web(_field_target(words[1:], "c")):
        raise _Refused(DocumentProblem.PICTURE_FROM_WEB)
    if name in _ACTIVE_FIELDS:
        raise _Refused(DocumentProblem.LINKED_FILE)
    if name == "HYPERLINK":
        target = _field_target(words[1:], "lot")
        if target is not None:
            _check_hyperlink(target)


def _field_target(arguments: list[str], switches_with_values: str) -> str | None:
    """The address a field opens: its first argument that is not a switch (a backslash and a letter, unquoted;
    ``switches_with_values`` take a value: HYPERLINK's o, t and l, a bookmark for l); None for a HYPERLINK to a
    bookmark alone."""
    arguments = iter(arguments)
    for argument in arguments:
        if re.fullmatch(rf"\\[{switches_with_values}]", argument, re.IGNORECASE):
            next(arguments, None)
        elif not re.fullmatch(r"\\[a-z]", argument, re.IGNORECASE):
            return argument.strip('"')
    return None


def _from_the_web(target: str | None) -> bool:
    """Whether a field's target is a web address in every decoded form (Word reads \\\\ in a field as \\)."""
    if target is None:
        return False
    return all(link_scheme(form) in ("http", "https") for form in link_forms(target.replace("\\\\", "\\")))
