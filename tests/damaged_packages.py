"""Packages built part by part, for the readers' hostile-input tests: raw worksheet XML, sheets
of other kinds (macro, dialog, chart), and members changed, truncated or taken out afterwards."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

# What each kind of sheet is called in the package: relationship type, folder, content type, root.
SHEET_KINDS = {
    "worksheet": (REL + "/worksheet", "worksheets",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml", "worksheet"),
    "chartsheet": (REL + "/chartsheet", "chartsheets",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml", "chartsheet"),
    "dialogsheet": (REL + "/dialogsheet", "dialogsheets",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml", "dialogsheet"),
    "macrosheet": ("http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet", "macrosheets",
                   "application/vnd.ms-excel.macrosheet+xml", "macrosheet"),
    "intlmacrosheet": ("http://schemas.microsoft.com/office/2006/relationships/xlIntlMacrosheet", "macrosheets",
                       "application/vnd.ms-excel.intlmacrosheet+xml", "macrosheet"),
}


def sheet_xml(cells: str, root: str = "worksheet") -> bytes:
    """A worksheet part around ``cells`` (the <row> elements, written out)."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<{root} xmlns="{MAIN}"><sheetData>{cells}</sheetData></{root}>').encode()


def rows_xml(rows: dict[int, dict[str, str]]) -> str:
    """``{1: {"A1": '<c r="A1" t="s"><v>0</v></c>'}}`` -> the <row> elements."""
    return "".join(f'<row r="{r}">{"".join(cells.values())}</row>' for r, cells in sorted(rows.items()))


def styles_xml(number_formats: list[str | int]) -> bytes:
    """A stylesheet whose cell style i+1 has number format ``number_formats[i]`` (a built-in id or a
    format code); style 0 is General."""
    custom = [f for f in number_formats if isinstance(f, str)]
    ids = {code: 164 + i for i, code in enumerate(custom)}
    fmts = "".join(f'<numFmt numFmtId="{ids[code]}" formatCode={quoteattr(code)}/>' for code in custom)
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    for f in number_formats:
        number = ids[f] if isinstance(f, str) else f
        xfs.append(f'<xf numFmtId="{number}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
            f'<numFmts count="{len(custom)}">{fmts}</numFmts>'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs></styleSheet>').encode()


def shared_strings_xml(items: list[str]) -> bytes:
    """Each item is the inside of an <si> as written (plain <t> or rich <r> runs)."""
    body = "".join(f"<si>{item}</si>" for item in items)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{MAIN}" count="{len(items)}" uniqueCount="{len(items)}">{body}</sst>').encode()


def text_item(text: str) -> str:
    return f'<t xml:space="preserve">{escape(text)}</t>'


def build_package(path: Path, sheets: list[tuple[str, bytes] | tuple[str, bytes, str]],
                  shared: bytes | None = None, styles: bytes | None = None, date1904: bool = False,
                  states: dict[str, str] | None = None) -> Path:
    """An .xlsx of ``sheets`` in order: (name, part bytes[, kind from SHEET_KINDS])."""
    types = [f'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             f'spreadsheetml.sheet.main+xml"/>',
             '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'spreadsheetml.styles+xml"/>']
    rels = [f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/>']
    entries, parts = [], {}
    for number, (name, xml, *kind) in enumerate(sheets, start=1):
        rel_type, folder, content_type, _ = SHEET_KINDS[kind[0] if kind else "worksheet"]
        part = f"xl/{folder}/sheet{number}.xml"
        parts[part] = xml
        types.append(f'<Override PartName="/{part}" ContentType="{content_type}"/>')
        rels.append(f'<Relationship Id="rId{number}" Type="{rel_type}" Target="{folder}/sheet{number}.xml"/>')
        state = (states or {}).get(name)
        entries.append(f'<sheet name={quoteattr(name)} sheetId="{number}" r:id="rId{number}"'
                       + (f' state="{state}"' if state else "") + "/>")
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
        types.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                     'officedocument.spreadsheetml.sharedStrings+xml"/>')
        rels.append(f'<Relationship Id="rIdStrings" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
    workbook_pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    members = {
        "[Content_Types].xml": declaration + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' + "".join(types) + "</Types>",
        "_rels/.rels": declaration + f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": declaration + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}'
        f'<sheets>{"".join(entries)}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": declaration + f'<Relationships xmlns="{PKG_REL}">{"".join(rels)}'
        "</Relationships>",
        "xl/styles.xml": styles if styles is not None else styles_xml([]),
        **parts,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data.encode() if isinstance(data, str) else data)
    return path


def change_members(path: Path, changes: dict[str, bytes | None]) -> None:
    """Rewrite the zip with ``changes``: a member's new bytes, or None to leave it out."""
    with zipfile.ZipFile(path) as z:
        kept = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in kept:
            if info.filename in changes:
                if changes[info.filename] is None:
                    continue
                data = changes[info.filename]
            out.writestr(info, data)


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def sheet_part(path: Path, sheet: str) -> str:
    """The part name of the sheet called ``sheet``, as the package's own workbook.xml and rels say."""
    from lxml import etree

    book = etree.fromstring(member(path, "xl/workbook.xml"))
    rels = etree.fromstring(member(path, "xl/_rels/workbook.xml.rels"))
    rel_id = next(s.get(f"{{{REL}}}id") for s in book.iter(f"{{{MAIN}}}sheet") if s.get("name") == sheet)
    target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def sheet_parts(path: Path) -> list[tuple[str, str]]:
    """(sheet name, part name) of every sheet, in workbook order."""
    from lxml import etree

    book = etree.fromstring(member(path, "xl/workbook.xml"))
    return [(s.get("name"), sheet_part(path, s.get("name"))) for s in book.iter(f"{{{MAIN}}}sheet")]


def with_sheet(source: Path, target: Path, name: str, kind: str, position: int | None = None) -> Path:
    """``source`` (cells in shared strings, as XlsxWriter writes them) rebuilt with one more sheet
    called ``name`` of ``kind`` (see SHEET_KINDS); a worksheet of that name is taken out."""
    with zipfile.ZipFile(source) as z:
        names = set(z.namelist())
    sheets = [(n, member(source, part)) for n, part in sheet_parts(source) if n != name]
    extra = (name, sheet_xml("", SHEET_KINDS[kind][3]), kind)
    sheets.insert(len(sheets) if position is None else position, extra)
    shared = member(source, "xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else None
    return build_package(target, sheets, shared=shared, styles=member(source, "xl/styles.xml"))


def declare_size(path: Path, name: str, size: int) -> None:
    """Make the zip directory claim that member ``name`` unpacks to ``size`` bytes (a lie, unless it
    is true): both its local header and its central-directory entry are patched."""
    import struct

    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, size_at, name_length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            length = struct.unpack_from("<H", data, start + name_length_at)[0]
            if bytes(data[start + name_at:start + name_at + length]) == encoded:
                struct.pack_into("<I", data, start + size_at, size)
            start += 4
    path.write_bytes(bytes(data))


def write_big_member(path: Path, name: str, head: bytes, repeated: bytes, times: int, tail: bytes) -> None:
    """Replace (or add) member ``name`` with head + repeated * times + tail, written in pieces so the
    test itself never holds it whole."""
    with zipfile.ZipFile(path) as z:
        kept = [(info, z.read(info)) for info in z.infolist() if info.filename != name]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in kept:
            out.writestr(info, data)
        info = zipfile.ZipInfo(name, (2021, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size = len(head) + len(repeated) * times + len(tail)
        with out.open(info, "w") as stream:
            stream.write(head)
            for _ in range(times):
                stream.write(repeated)
            stream.write(tail)
