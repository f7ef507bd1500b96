"""An .xlsx/.xlsm package (a zip of XML parts): read parts, follow relationships, write a copy.

Writing copies every member we do not change with its original ZipInfo (name, order, date,
compression, attributes), so its decompressed bytes are identical; changed members keep their
place in the zip, new ones are appended, removed ones are left out.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..problems import WorkbookError
from ..reader import check_readable

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

RT_OFFICE_DOCUMENT = REL + "/officeDocument"
RT_WORKSHEET = REL + "/worksheet"
RT_STYLES = REL + "/styles"
RT_SHARED_STRINGS = REL + "/sharedStrings"
RT_CALC_CHAIN = REL + "/calcChain"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

CONTENT_TYPES_PART = "[Content_Types].xml"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def q(namespace: str, local: str) -> str:
    """Clark notation: ``{namespace}local``."""
    return f"{{{namespace}}}{local}"


def local_name(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_xml(data: bytes):
    return etree.fromstring(data, _PARSER)


def serialize_xml(root, original: bytes | None = None) -> bytes:
    """``root`` as bytes, after the original's XML declaration and prolog (or the usual one)."""
    prolog = _DECLARATION
    if original is not None:
        start = re.search(rb"<(?![?!])", original)
        prolog = original[: start.start()] if start else b""
    return prolog + etree.tostring(root, encoding="UTF-8")


def part_rels_name(part: str) -> str:
    """``xl/worksheets/sheet1.xml`` -> ``xl/worksheets/_rels/sheet1.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relative_target(source_part: str, target_part: str) -> str:
    """The Target a relationship from ``source_part`` uses to point at ``target_part``."""
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str  # as written
    part: str | None  # resolved part name inside the package; None for external targets


@dataclass(frozen=True)
class SheetEntry:
    name: str
    sheet_id: int
    rel_id: str
    part: str | None
    is_worksheet: bool
    index: int  # 0-based position in <sheets>, the localSheetId of its defined names


def clone_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A fresh ZipInfo carrying the original's name, date, compression and attributes."""
    clone = zipfile.ZipInfo(info.filename, info.date_time)
    clone.compress_type = info.compress_type
    clone.comment = info.comment
    clone.create_system = info.create_system
    clone.create_version = info.create_version
    clone.extract_version = info.extract_version
    clone.external_attr = info.external_attr
    clone.internal_attr = info.internal_attr
    clone.extra = _strip_zip64(info.extra)
    return clone


def _strip_zip64(extra: bytes) -> bytes:
    """Extra fields without the ZIP64 one (zipfile adds its own when needed)."""
    kept, offset = b"", 0
    while offset + 4 <= len(extra):
        header_id, size = struct.unpack("<HH", extra[offset:offset + 4])
        if header_id != 0x0001:
            kept += extra[offset:offset + 4 + size]
        offset += 4 + size
    return kept


class Package:
    """An OOXML package opened for reading; parts are read lazily and cached."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        check_readable(self.path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise WorkbookError(f"{self.path.name} could not be opened as a workbook ({exc}).") from exc
        self.infos = self._zip.infolist()
        self._names = {info.filename for info in self.infos}
        self._cache: dict[str, bytes] = {}
        self._workbook_root = None
        self._sheets: list[SheetEntry] | None = None
        self.workbook_part = self._find_workbook_part()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def has(self, part: str) -> bool:
        return part in self._names

    def read(self, part: str) -> bytes:
        if part not in self._cache:
            if part not in self._names:
                raise WorkbookError(f"{self.path.name} is damaged: its part {part} is missing.")
            self._cache[part] = self._zip.read(part)
        return self._cache[part]

    def relationships(self, source_part: str) -> list[Relationship]:
        """The relationships of ``source_part`` ("" for the package's own ``_rels/.rels``)."""
        rels_name = part_rels_name(source_part) if source_part else "_rels/.rels"
        if not self.has(rels_name):
            return []
        found = []
        for element in parse_xml(self.read(rels_name)):
            if local_name(element) != "Relationship":
                continue
            target = element.get("Target", "")
            external = element.get("TargetMode") == "External"
            found.append(Relationship(element.get("Id", ""), element.get("Type", ""), target,
                                      None if external else self.resolve(source_part, target)))
        return found

    @staticmethod
    def resolve(source_part: str, target: str) -> str:
        target = unquote(target.split("#", 1)[0])
        if target.startswith("/"):
            return posixpath.normpath(target.lstrip("/"))
        return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))

    def _find_workbook_part(self) -> str:
        for rel in self.relationships(""):
            if rel.type.endswith("/officeDocument") and rel.part:
                if "purl.oclc.org" in rel.type:
                    break
                return rel.part
        else:
            if not self.has("xl/workbook.xml"):
                raise WorkbookError(f"{self.path.name} is not an Excel workbook (no workbook part found).")
            return "xl/workbook.xml"
        raise WorkbookError(
            f"{self.path.name} is saved as 'Strict Open XML Spreadsheet'. Open it in Excel and use "
            "File > Save As > Excel Workbook (*.xlsx) or Excel Macro-Enabled Workbook (*.xlsm), then try again.")

    def workbook_relationship(self, kind: str) -> Relationship | None:
        """The workbook's first relationship whose type ends with ``/kind``."""
        for rel in self.relationships(self.workbook_part):
            if rel.type.endswith("/" + kind):
                return rel
        return None

    def workbook_root(self):
        """workbook.xml parsed (once per Package); for reading only — edits work on their own copy."""
        if self._workbook_root is None:
            workbook = parse_xml(self.read(self.workbook_part))
            if workbook.tag != q(MAIN, "workbook"):
                raise WorkbookError(f"{self.path.name} is not a regular Excel workbook (its workbook part is "
                                    f"{etree.QName(workbook).namespace or 'not namespaced'}).")
            self._workbook_root = workbook
        return self._workbook_root

    def sheets(self) -> list[SheetEntry]:
        if self._sheets is None:
            self._sheets = self._read_sheets()
        return list(self._sheets)

    def _read_sheets(self) -> list[SheetEntry]:
        workbook = self.workbook_root()
        rels = {rel.id: rel for rel in self.relationships(self.workbook_part)}
        entries = []
        for index, sheet in enumerate(workbook.iterfind(f"{{{MAIN}}}sheets/{{{MAIN}}}sheet")):
            rel = rels.get(sheet.get(q(REL, "id"), ""))
            entries.append(SheetEntry(
                name=sheet.get("name", ""), sheet_id=int(sheet.get("sheetId", "0")),
                rel_id=sheet.get(q(REL, "id"), ""), part=rel.part if rel else None,
                is_worksheet=bool(rel and rel.type.endswith("/worksheet")), index=index))
        return entries

    def find_sheet(self, name: str) -> SheetEntry | None:
        wanted = name.strip().casefold()
        for entry in self.sheets():
            if entry.name.strip().casefold() == wanted:
                return entry
        return None

    def write(self, target: str | Path, changed: dict[str, bytes], removed: set[str] = frozenset()) -> None:
        """A copy of this package at ``target``: ``changed`` parts replaced or added, ``removed`` left out."""
        target = Path(target)
        if target.resolve() == self.path.resolve():
            raise ValueError("write the new package to another file, then replace the original")
        template = next((i for i in self.infos if i.filename == self.workbook_part), None)
        try:
            with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as out:
                for info in self.infos:
                    if info.filename in removed:
                        continue
                    data = changed[info.filename] if info.filename in changed else self._zip.read(info)
                    out.writestr(clone_info(info), data)
                for name, data in changed.items():
                    if name not in self._names:
                        info = zipfile.ZipInfo(name, template.date_time if template else (1980, 1, 1, 0, 0, 0))
                        info.compress_type = zipfile.ZIP_DEFLATED
                        info.external_attr = template.external_attr if template else 0
                        out.writestr(info, data)
        except BaseException:
            target.unlink(missing_ok=True)  # no half-written workbook left behind
            raise
