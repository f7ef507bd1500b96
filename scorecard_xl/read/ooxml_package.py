"""An .xlsx/.xlsm package (a zip of XML parts): read parts, follow relationships, write a copy.

Writing copies every member we do not change with its original ZipInfo (name, order, date,
compression, attributes), so its decompressed bytes are identical; changed members keep their
place in the zip, new ones are appended, removed ones are left out. Unchanged members are copied
as streams, never held whole.

Every part is read through ``Package.read`` or ``Package.open``, the one guard against damaged and
hostile packages: a part that is missing, corrupt, not XML or bigger than any scorecard needs
becomes a one-line WorkbookError naming the file and the part, before it costs memory.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import unquote

from lxml import etree

from ..problems import WorkbookError
from .files import REPAIR, check_readable
from .package_faults import ZIP_FAULTS, GuardedStream, PartBytes, size_text, xml_fault, zip_fault

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

# What each kind of sheet other than a worksheet is, by the last word of its relationship type.
OTHER_SHEET_KINDS = {
    "chartsheet": "a chart sheet",
    "dialogsheet": "an Excel 5 dialog sheet",
    "xlmacrosheet": "an Excel 4 macro sheet",
    "xlintlmacrosheet": "an Excel 4 macro sheet",
}

# No scorecard workbook comes near these: a 300-indicator, 10-year Data sheet unpacks to about
# 5 MB and packs about 10 to 1. Past them a part is refused before it is unpacked.
PART_SIZE_LIMIT = 100_000_000
PACKING_RATIO_LIMIT = 200  # checked for parts that unpack to more than a megabyte
_CHUNK = 1 << 16

# resolve_entities=False: entities stay inert (no XXE, no billion laughs); libxml2's limits on text and depth
# (huge_tree off) are far beyond anything Excel writes.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def q(namespace: str, local: str) -> str:
    """Clark notation: ``{namespace}local``."""
    return f"{{{namespace}}}{local}"


def local_name(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_xml(data: bytes):
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        if isinstance(data, PartBytes):
            raise data.damaged(xml_fault(exc)) from exc
        raise


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
    kind: str = "a worksheet"  # what it is, in words: "an Excel 4 macro sheet", ...
    visible: bool = True


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
        except (zipfile.BadZipFile, ValueError, struct.error, EOFError) as exc:
            raise WorkbookError(f"{self.path.name} is damaged: its zip directory cannot be read ({exc}). "
                                + REPAIR) from exc
        self.infos = self._zip.infolist()
        self._names = {info.filename for info in self.infos}
        self._spelling = {name.casefold(): name for name in self._names}  # OPC part names ignore case
        self._cache: dict[str, bytes] = {}
        self._workbook_root = None
        self._sheets: list[SheetEntry] | None = None
        self.workbook_part = ""  # for describe(), while it is being found
        self.workbook_part = self._find_workbook_part()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def has(self, part: str) -> bool:
        return part in self._names

    # --- the guard: every part is read through here -------------------------------------------------
    def describe(self, part: str) -> str:
        """A part as a person can place it: "its sheet 'Data' (xl/worksheets/sheet2.xml)"."""
        for entry in self._sheets or ():
            if entry.part == part:
                return f"its sheet {entry.name!r} ({part})"
        if part == self.workbook_part:
            return f"its list of sheets ({part})"
        for kind in ("sharedStrings", "styles"):
            if self._sheets is not None:  # the workbook's relationships are known by then
                rel = self.workbook_relationship(kind)
                if rel is not None and rel.part == part:
                    return f"its {'shared strings' if kind == 'sharedStrings' else kind} part ({part})"
        return f"its part {part}"

    def damaged(self, part: str, fault: str) -> WorkbookError:
        """The one line for a damaged part: ``fault`` says what is wrong ("is missing", ...)."""
        return WorkbookError(f"{self.path.name} is damaged: {self.describe(part)} {fault}. {REPAIR}")

    def _refuse_oversized(self, info: zipfile.ZipInfo) -> None:
        """Refuse, before unpacking, a part bigger than any scorecard needs or packed as only a bomb is."""
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size <= PART_SIZE_LIMIT and (info.file_size <= 1_000_000 or ratio <= PACKING_RATIO_LIMIT):
            return
        what = (f"{self.path.name} is refused: {self.describe(info.filename)} would unpack to "
                f"{size_text(info.file_size)}")
        if info.file_size > PART_SIZE_LIMIT:
            raise WorkbookError(
                f"{what}, more than the {PART_SIZE_LIMIT // 1_000_000} MB limit for any part a scorecard reads "
                "(a 300-indicator, 10-year Data sheet is about 5 MB). If the workbook is genuine, move what the "
                "scorecard does not need to another workbook and try again.")
        raise WorkbookError(
            f"{what} from {size_text(info.compress_size)}, {ratio:,.0f} times its packed size: only a zip bomb "
            "packs like that. If the workbook is genuine, open it in Excel, save it and try again.")

    def open(self, part: str) -> IO[bytes]:
        """A stream of the part's bytes (for parsing as it unpacks), checked as ``read`` checks."""
        if part not in self._names:
            raise self.damaged(part, "is missing")
        info = self._zip.getinfo(part)
        self._refuse_oversized(info)
        return self._stream(info, PART_SIZE_LIMIT)

    def _stream(self, info: zipfile.ZipInfo, limit: int) -> "GuardedStream":
        try:
            stream = self._zip.open(info)
        except ZIP_FAULTS as exc:
            raise self.damaged(info.filename, zip_fault(exc)) from exc
        return GuardedStream(stream, lambda fault: self.damaged(info.filename, fault), min(info.file_size, limit))

    def read(self, part: str) -> bytes:
        if part not in self._cache:
            with self.open(part) as stream:
                data = PartBytes(stream.read())
            data.damaged = lambda fault, part=part: self.damaged(part, fault)
            self._cache[part] = data
        return self._cache[part]

    def part_name(self, part: str) -> str:
        """The member's own spelling of ``part``: a relationship may spell it in another case."""
        return self._spelling.get(part.casefold(), part)

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
                                      None if external else self.part_name(self.resolve(source_part, target))))
        return found

    @staticmethod
    def resolve(source_part: str, target: str) -> str:
        target = unquote(target.split("#", 1)[0])
        if target.startswith("/"):
            return posixpath.normpath(target.lstrip("/"))
        return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))

    def _find_workbook_part(self) -> str:
        if not self.has("_rels/.rels") and self.has("xl/workbook.xml"):
            raise self.damaged("_rels/.rels", "is missing")  # every package has it; Excel refuses one without
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
            kind = rel.type.rsplit("/", 1)[-1] if rel else "worksheet"
            sheet_id = sheet.get("sheetId", "0")
            entries.append(SheetEntry(
                name=sheet.get("name", ""), sheet_id=int(sheet_id) if sheet_id.isdigit() else 0,
                rel_id=sheet.get(q(REL, "id"), ""), part=rel.part if rel else None,
                is_worksheet=kind == "worksheet", index=index,
                kind="a worksheet" if kind == "worksheet" else OTHER_SHEET_KINDS.get(kind.lower(), "not a worksheet"),
                visible=sheet.get("state", "visible") == "visible"))
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
                    if info.filename in changed:
                        out.writestr(clone_info(info), changed[info.filename])
                    else:
                        self._copy(info, out)
                for name, data in changed.items():
                    if name not in self._names:
                        info = zipfile.ZipInfo(name, template.date_time if template else (1980, 1, 1, 0, 0, 0))
                        info.compress_type = zipfile.ZIP_DEFLATED
                        info.external_attr = template.external_attr if template else 0
                        out.writestr(info, data)
        except BaseException:
            target.unlink(missing_ok=True)  # no half-written workbook left behind
            raise

    def _copy(self, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
        """One member copied unchanged, a piece at a time, whatever its size."""
        clone = clone_info(info)
        clone.file_size = info.file_size  # as writestr would set it: zip64 is decided from it
        with self._stream(info, info.file_size) as source, out.open(clone, "w") as copy:
            shutil.copyfileobj(source, copy, _CHUNK)
