"""Hostile PDFs for the upload checks, built for real: with pypdf's writer, or byte by byte where a writer would
not go."""

import io
import struct
import zlib


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
