"""PDFs in tests: their text as pypdf reads it, and hostile PDFs for the upload checks, built for real: with pypdf's
writer, or byte by byte where a writer would not go."""

import io
import re
import struct
import zlib


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, a line between pages."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_link_addresses(data: bytes) -> list[str]:
    """The address of every web link (/URI action) on every page of a PDF, in page order."""
    from pypdf import PdfReader

    return [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(data)).pages
        for annotation in page.get("/Annots") or []
        if "/URI" in annotation.get_object().get("/A", {})
    ]


def written(writer) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def one_page_writer():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    return writer


def javascript_on_open() -> bytes:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = one_page_writer()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    return written(writer)


def launch_link() -> bytes:
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

    writer = one_page_writer()
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(200), FloatObject(200)]),
            NameObject("/A"): DictionaryObject(
                {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
            ),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    return written(writer)


def embedded_file() -> bytes:
    writer = one_page_writer()
    writer.add_attachment("notes.txt", b"Notes from the meeting")
    return written(writer)


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF of the given objects (numbered from 1; object 1 is the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _one_page(catalog: bytes = b"", page: bytes = b"", *more: bytes) -> bytes:
    """A one-page PDF whose catalog (object 1) and page (object 3) carry the given extra entries; ``more`` objects
    are numbered from 4."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R %b >>" % catalog,
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %b >>" % page,
        *more,
    )


def xfa_form(xfa_key: bytes = b"/XFA") -> bytes:
    """An AcroForm whose XFA stream (object 4) holds a script, as a pen tester's report described it."""
    xfa = (
        b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform><event activity="initialize">'
        b'<script contentType="application/x-javascript">app.alert(1)</script></event></subform></template></xdp:xdp>'
    )
    return _one_page(
        b"/AcroForm << /Fields [] %b 4 0 R >>" % xfa_key,
        b"",
        b"<< /Length %d >>\nstream\n%b\nendstream" % (len(xfa), xfa),
    )


def action_on_open(action: bytes, *more: bytes) -> bytes:
    """``action`` (a PDF dictionary, e.g. ``<< /S /GoToR /F (x.pdf) >>``) run when the file opens; ``more`` objects
    are numbered from 4."""
    return _one_page(b"/OpenAction %b" % action, b"", *more)


def action_on_page_open(action: bytes) -> bytes:
    """``action`` run when the first page opens: the page's additional actions (/AA /O)."""
    return _one_page(b"", b"/AA << /O %b >>" % action)


def action_on_click(action: bytes) -> bytes:
    """``action`` run by clicking a link annotation that covers the page (/A)."""
    return _one_page(b"", b"/Annots [4 0 R]", b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A %b >>" % action)


def annotation(entries: bytes, catalog: bytes = b"") -> bytes:
    """A page with one annotation (object 4) that covers it, whose dictionary carries ``entries`` as written (e.g.
    ``/Subtype /Movie /Movie << /F (clip.mov) >>``); ``catalog`` adds entries to the catalog."""
    return _one_page(catalog, b"/Annots [4 0 R]", b"<< /Type /Annot /Rect [0 0 595 842] /F 4 %b >>" % entries)


def link_to(target: bytes) -> bytes:
    """A web link (/URI action) to ``target``, a PDF string as written: ``(https://...)`` or ``<hex>``."""
    return action_on_click(b"<< /S /URI /URI %b >>" % target)


def link_under_base(target: bytes, base: bytes) -> bytes:
    """A link to ``target`` in a file whose catalog says relative links resolve against ``base`` (/URI /Base)."""
    return _one_page(
        b"/URI << /Base %b >>" % base,
        b"/Annots [4 0 R]",
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A << /S /URI /URI %b >> >>" % target,
    )


def page_drawing(content: bytes, stream_entries: bytes = b"") -> bytes:
    """A one-page PDF whose content stream (object 4) holds ``content`` and whose stream dictionary carries
    ``stream_entries`` as well as /Length: e.g. ``/F (x.txt)``, for a stream whose data is in another file."""
    return _one_page(
        b"", b"/Contents 4 0 R", b"<< /Length %d %b >>\nstream\n%b\nendstream" % (len(content), stream_entries, content)
    )


def reference_xobject(target: bytes, ref: bytes = b"/Ref", subtype: bytes = b"/Form") -> bytes:
    """A page that draws a form XObject (object 4) whose /Ref names a page of ``target``, another PDF (a file
    specification as written, e.g. a PDF string): a reference XObject, ISO 32000-2 8.10.4. ``ref`` and ``subtype``
    as written, so they can be hex-escaped."""
    draw = b"q /X Do Q"
    return _one_page(
        b"",
        b"/Resources << /XObject << /X 4 0 R >> >> /Contents 5 0 R",
        b"<< /Type /XObject /Subtype %b /BBox [0 0 595 842] %b << /F %b /Page 0 >>"
        b" /Length 0 >>\nstream\n\nendstream" % (subtype, ref, target),
        b"<< /Length %d >>\nstream\n%b\nendstream" % (len(draw), draw),
    )


def tagged_report_with_an_inline_image() -> bytes:
    """Where /F and /Ref mean something else: an inline image whose filter is abbreviated /F (ASCIIHexDecode), a
    link annotation with flags (/F 4), a PDF 2.0 structure element that refers to another (/Ref), and a plain
    form XObject."""
    content = b"/P << /MCID 0 >> BDC BI /W 1 /H 1 /CS /G /BPC 8 /F /AHx ID 80> EI EMC q /X Do Q"
    form = b"BT /F1 12 Tf 0 0 Td (Plain form) Tj ET"
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /MarkInfo << /Marked true >> /StructTreeRoot 6 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /StructParents 0"
        b" /Resources << /XObject << /X 5 0 R >> /Font << /F1 9 0 R >> >> /Annots [8 0 R] >>",
        b"<< /Length %d >>\nstream\n%b\nendstream" % (len(content), content),
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 20] /Length %d >>\nstream\n%b\nendstream" % (len(form), form),
        b"<< /Type /StructTreeRoot /K [7 0 R] >>",
        b"<< /Type /StructElem /S /Figure /P 6 0 R /Pg 3 0 R /K 0 /Alt (A dot) /Ref [7 0 R] >>",
        b"<< /Type /Annot /Subtype /Link /F 4 /Rect [0 0 10 10] /A << /S /URI /URI (https://www.example.org/) >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    )


def report_with_links_and_a_form() -> bytes:
    """What a therapist's report often is: text, web and email links, an internal go-to, and a fillable AcroForm
    text field (no XFA) already filled in."""
    text = b"BT /F1 12 Tf 50 800 Td (Speech and language therapy report) Tj ET"
    appearance = b"/Tx BMC BT /F1 10 Tf 2 4 Td (Ariadne) Tj ET EMC"
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] /DA (/F1 10 Tf 0 g) /NeedAppearances false"
        b" /DR << /Font << /F1 5 0 R >> >> >> /URI << /Base (https://www.example.org/) >> >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R 8 0 R 9 0 R 10 0 R] >>",
        b"<< /Length %d >>\nstream\n%b\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (Name) /V (Ariadne) /DA (/F1 10 Tf 0 g) /F 4"
        b" /Rect [50 700 250 720] /P 3 0 R /AP << /N 7 0 R >> >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 5 0 R >> >> /Length %d >>"
        b"\nstream\n%b\nendstream" % (len(appearance), appearance),
        b"<< /Type /Annot /Subtype /Link /Rect [50 650 250 670]"
        b" /A << /S /URI /URI (https://www.nhs.uk/conditions/speech-and-language-therapy/) >> >>",
        b"<< /Type /Annot /Subtype /Link /Rect [50 600 250 620] /A << /S /URI /URI (mailto:slt@example.org) >> >>",
        b"<< /Type /Annot /Subtype /Link /Rect [50 550 250 570] /A << /S /GoTo /D [3 0 R /Fit]"
        b" /Next << /S /Named /N /NextPage >> >> >>",
    )


def many_pages(pages=100_000, per_node=1000, declared=None) -> bytes:
    """``pages`` pages in ~6 bytes each: every leaf of the page tree is the same page object (object 3)."""
    nodes = pages // per_node
    kids = b" ".join(b"%d 0 R" % (4 + n) for n in range(nodes))
    node = b"<< /Type /Pages /Parent 2 0 R /Count %d /Kids [%b] >>" % (per_node, b" 3 0 R" * per_node)
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%b] >>" % (pages if declared is None else declared, kids),
        b"<< /Type /Page /Parent 4 0 R /MediaBox [0 0 200 200] >>",
        *([node] * nodes),
    )


def zlib_zeros(megabytes: int) -> bytes:
    """zlib data that inflates to ``megabytes`` MB of zeros, made without holding them: one flushed deflate block
    for a megabyte of zeros, repeated (each block stands alone after a full flush), then the checksum."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflater.compress(bytes(1024 * 1024)) + deflater.flush(zlib.Z_FULL_FLUSH)
    size = megabytes * 1024 * 1024
    adler32_of_zeros = ((size % 65521) << 16) | 1
    return b"\x78\xda" + block * megabytes + deflater.flush() + struct.pack(">I", adler32_of_zeros)


def inflating_to(megabytes: int) -> bytes:
    content = zlib_zeros(megabytes)
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%b\nendstream" % (len(content), content),
    )


# --- Accessible PDFs (PDF/UA-1): what a checker and a screen reader find in a PDF the portal made ---

PDFUA_ID = "{http://www.aiim.org/pdfua/ns/id/}part"
SHOWN = {b"Tj", b"TJ", b"'", b'"', b"Do", b"BI"}  # operators that put text or a picture on the page


def _reader(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def structure_elements(reader):
    """Every structure element reachable from the structure tree's root, in reading order."""
    return structure_elements_under(reader.trailer["/Root"]["/StructTreeRoot"])


def _tagged_content(elements):
    """(page object number, MCID) of every piece of marked content some structure element holds."""
    held = set()
    for element in elements:
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                held.add((element.raw_get("/Pg").idnum, kid))
            elif hasattr(kid, "get_object") and kid.get_object().get("/Type") == "/MCR":
                held.add((kid.get_object().raw_get("/Pg").idnum, kid.get_object()["/MCID"]))
    return held


def _marked_operations(reader, page):
    """(operands, operator, open marked content as ((tag, MCID or None), ...)) for each operation of a page's content;
    a BMC/BDC and its EMC count as inside the sequence they open and close."""
    from pypdf.generic import ContentStream

    stack = []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator in (b"BMC", b"BDC"):
            properties = operands[1] if operator == b"BDC" else {}
            stack.append((operands[0], properties.get("/MCID") if hasattr(properties, "get") else None))
            yield operands, operator, tuple(stack)
        elif operator == b"EMC":
            yield operands, operator, tuple(stack)  # the sequence it closes still open
            stack.pop()
        else:
            yield operands, operator, tuple(stack)


def pdf_ua_problems(data: bytes) -> list[str]:
    """What PDF/UA-1 asks that this PDF lacks (an empty list when it has it all): tagged (StructTreeRoot, MarkInfo),
    identified (pdfuaid:part 1 in XMP), a language, a title shown as the window title, author and subject, alt text
    on every figure, header cells in every table naming each data cell, and every piece of text or picture either
    tagged content held by the structure tree or an artifact."""
    from defusedxml import ElementTree  # installed with Wagtail (Willow)

    reader = _reader(data)
    root = reader.trailer["/Root"]
    if "/StructTreeRoot" not in root:
        return ["no structure tree (untagged)"]
    problems = []
    if not root.get("/MarkInfo", {}).get("/Marked"):
        problems.append("MarkInfo Marked is not true")
    if not root.get("/Lang"):
        problems.append("no /Lang")
    if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
        problems.append("the title is not shown as the window title (DisplayDocTitle)")
    info = reader.metadata or {}
    problems += [f"no {key[1:]}" for key in ("/Title", "/Author", "/Subject") if not info.get(key)]
    # The XMP of a PDF the test itself made, not untrusted input.
    xmp = ElementTree.fromstring(root["/Metadata"].get_object().get_data()) if "/Metadata" in root else None  # noqa: S314
    nodes = [] if xmp is None else list(xmp.iter())
    parts = [node.get(PDFUA_ID) for node in nodes if PDFUA_ID in node.attrib] + [
        n.text for n in nodes if n.tag == PDFUA_ID
    ]
    if parts != ["1"]:
        problems.append(f"XMP does not identify PDF/UA-1 (pdfuaid:part {parts})")
    elements = structure_elements(reader)
    levels = [int(element["/S"][2]) for element in elements if re.fullmatch(r"/H[1-6]", element["/S"])]
    if levels[:1] != [1] or any(after > before + 1 for before, after in zip(levels, levels[1:], strict=False)):
        problems.append(f"headings do not start at H1 or skip a level: {levels}")
    problems += ["a figure without alt text" for f in elements if f["/S"] == "/Figure" and not f.get("/Alt")]
    for table in (element for element in elements if element["/S"] == "/Table"):
        cells = structure_elements_under(table)
        if not any(cell["/S"] == "/TH" for cell in cells):
            problems.append("a table without header cells (TH)")
        if any(cell["/S"] == "/TD" and not cell.get("/A", {}).get("/Headers") for cell in cells):
            problems.append("a table's data cell that no header cell names (th scope)")
    held = _tagged_content(elements)
    for number, page in enumerate(reader.pages, start=1):
        for _, operator, stack in _marked_operations(reader, page):
            if operator not in SHOWN or any(tag == "/Artifact" for tag, _ in stack):
                continue
            if not any(mcid is not None and (page.indirect_reference.idnum, mcid) in held for _, mcid in stack):
                problems.append(f"page {number}: content ({operator.decode()}) neither tagged nor an artifact")
    return problems


def structure_elements_under(element):
    """Every structure element below ``element`` (a structure element or the tree's root), in reading order."""
    found, pending = [], [element]
    while pending:
        current = pending.pop()
        if current is not element:
            found.append(current)
        kids = current.get("/K", [])
        kids = [
            kid.get_object() if hasattr(kid, "get_object") else kid
            for kid in (kids if isinstance(kids, list) else [kids])
        ]
        pending.extend(reversed([kid for kid in kids if hasattr(kid, "get") and "/S" in kid]))
    return found


def structure_types(data: bytes) -> list[str]:
    """The structure types of a PDF's tree, in order (e.g. ["H1", "P", "L", "LI", ...])."""
    return [element["/S"][1:] for element in structure_elements(_reader(data))]


def figures_alt_text(data: bytes) -> list[str]:
    return [str(element.get("/Alt", "")) for element in structure_elements(_reader(data)) if element["/S"] == "/Figure"]


def _page_text_outside_artifacts(page) -> str:
    stack, parts = [], []

    def operation(operator, operands, *_):
        if operator in (b"BMC", b"BDC"):
            stack.append(operands[0])
        elif operator == b"EMC":
            stack.pop()

    def text(shown, *_):
        if "/Artifact" not in stack:
            parts.append(shown)

    page.extract_text(visitor_operand_before=operation, visitor_text=text)
    return "".join(parts)


def read_aloud_text(data: bytes) -> str:
    """The text of a PDF without its artifacts: what assistive technology reads (running headers, page numbers and
    marks left out), page after page."""
    return "\n".join(_page_text_outside_artifacts(page) for page in _reader(data).pages)


def pdftotext(data: bytes, *options: str) -> str:
    """The text poppler's pdftotext extracts (what copy and paste and most text tools get)."""
    import shutil
    import subprocess

    command = [shutil.which("pdftotext") or "/usr/bin/pdftotext", *options, "-", "-"]
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()


def _struct_text_lines(data: bytes) -> list[str]:
    """poppler's ``pdfinfo -struct-text``: the structure tree a line an element or a piece of text (a JSON string),
    indented two spaces a level below the Document."""
    import shutil
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        command = [shutil.which("pdfinfo") or "/usr/bin/pdfinfo", "-struct-text", pdf.name]
        return subprocess.run(command, capture_output=True, check=True, text=True).stdout.splitlines()


def structure_text(data: bytes) -> str:
    """The text of a PDF's structure tree as poppler's pdfinfo reads it, its pieces joined as they are, nothing added
    between them: what a screen reader that follows the tags gets (two pieces with no space between read as one
    word)."""
    import json

    return "".join(json.loads(line.strip()) for line in _struct_text_lines(data) if line.strip().startswith('"'))


def structure_blocks(data: bytes, depth: int = 1) -> list[tuple[str, str]]:
    """The structure elements ``depth`` levels below the Document (1: its own children), each as its type and its
    text (the pieces under it joined as structure_text joins them), in reading order: [("H2", "About the child"),
    ("H3", "Your name"), ("Div", "Sam Smith"), ...]."""
    import json

    blocks = []
    for line in _struct_text_lines(data):
        level = (len(line) - len(line.lstrip(" "))) // 2
        item = line.strip()
        if level == depth and not item.startswith('"'):
            blocks.append([item.split()[0].rstrip(":"), ""])
        elif level > depth and item.startswith('"') and blocks and blocks[-1] is not None:
            blocks[-1][1] += json.loads(item)
        elif level < depth:
            blocks.append(None)  # the end of a parent: a block below the next one is not this one's
    return [tuple(block) for block in blocks if block is not None]


_BOX_ATTRIBUTES = {"x_min": "xMin", "y_min": "yMin", "x_max": "xMax", "y_max": "yMax"}


def word_boxes(data: bytes) -> list[dict]:
    """Every word poppler reads, in reading order, with its page (from 1) and box in points from the page's top left:
    ``{"page", "word", "x_min", "y_min", "x_max", "y_max"}``."""
    from defusedxml import ElementTree  # installed with Wagtail (Willow)

    boxes = []
    pages = ElementTree.fromstring(pdftotext(data, "-bbox")).iter("{http://www.w3.org/1999/xhtml}page")
    for number, page in enumerate(pages, start=1):
        for word in page.iter("{http://www.w3.org/1999/xhtml}word"):
            box = {key: float(word.get(attribute)) for key, attribute in _BOX_ATTRIBUTES.items()}
            boxes.append({"page": number, "word": word.text, **box})
    return boxes


def picture_widths(data: bytes) -> list[float]:
    """The width each picture of a PDF is printed at, in points, page after page: its pixels at the resolution poppler's
    pdfimages gives it."""
    import shutil
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        command = [shutil.which("pdfimages") or "/usr/bin/pdfimages", "-list", pdf.name]
        listed = subprocess.run(command, capture_output=True, check=True, text=True).stdout
    rows = [line.split() for line in listed.splitlines()[2:]]
    return [int(row[3]) / int(row[12]) * 72 for row in rows if row[2] == "image"]


def font_sizes(data: bytes) -> dict[str, float]:
    """The size in points each piece of a PDF's text is drawn at, by the text shown (page after page; a text shown
    twice keeps its last size)."""
    sizes = {}

    def text(shown, matrix, text_matrix, _font, size):
        if shown.strip():
            sizes[shown.strip()] = round(size * abs(text_matrix[3] * matrix[3]), 2)

    for page in _reader(data).pages:
        page.extract_text(visitor_text=text)
    return sizes
