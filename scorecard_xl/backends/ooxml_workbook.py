"""Minimal edits of workbook.xml, its .rels, [Content_Types].xml and calcChain.xml.

Each part is rewritten only when something in it actually changes; otherwise its bytes are kept.
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from ..problems import WorkbookError, column_letter
from .ooxml_package import (CONTENT_TYPES, CONTENT_TYPES_PART, CT_WORKSHEET, MAIN, PKG_REL, REL,
                            RT_CALC_CHAIN, RT_WORKSHEET, Package, local_name, parse_xml, part_rels_name, q,
                            relative_target, serialize_xml)

_BAD_NAME_CHARS = set(":\\/?*[]")
# CT_Workbook's sequence: <definedNames> comes after these.
_BEFORE_DEFINED_NAMES = ["fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews",
                         "sheets", "functionGroups", "externalReferences"]


def check_sheet_name(name: str) -> None:
    bad = sorted(set(name) & _BAD_NAME_CHARS)
    if not name.strip() or len(name) > 31 or bad or name.startswith("'") or name.endswith("'") \
            or name.casefold() == "history":
        raise WorkbookError(
            f"{name!r} cannot be used as a sheet name in Excel: a name has 1 to 31 characters, none of "
            ": \\ / ? * [ ], does not start or end with an apostrophe and is not 'History'.")


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def area_reference(sheet: str, top: int, left: int, bottom: int, right: int) -> str:
    return f"{quote_sheet(sheet)}!${column_letter(left)}${top + 1}:${column_letter(right)}${bottom + 1}"


def rows_reference(sheet: str, first: int, last: int) -> str:
    return f"{quote_sheet(sheet)}!${first + 1}:${last + 1}"


class _Part:
    """One XML part, parsed once, serialized again only if marked changed."""

    def __init__(self, package: Package, name: str):
        self.name, self.original = name, package.read(name)
        self.root = parse_xml(self.original)
        self.changed = False

    def output(self) -> bytes:
        return serialize_xml(self.root, self.original)


class WorkbookEditor:
    def __init__(self, package: Package):
        self.package = package
        self.workbook = _Part(package, package.workbook_part)
        self.rels = _Part(package, part_rels_name(package.workbook_part))
        self.types = _Part(package, CONTENT_TYPES_PART)
        self.removed: set[str] = set()
        self._new_parts: set[str] = set()
        self._calc = None
        self._calc_changed = False

    # --- sheets ---------------------------------------------------------------------------
    def _sheets(self):
        return self.workbook.root.find(q(MAIN, "sheets"))

    def add_sheet(self, name: str) -> str:
        """Register a new worksheet after the last sheet; returns its part name."""
        check_sheet_name(name)
        sheets = self._sheets()
        ids = [int(s.get("sheetId", "0")) for s in sheets]
        rel_ids = {r.get("Id") for r in self.rels.root}
        number = len(rel_ids) + 1
        while f"rId{number}" in rel_ids:
            number += 1
        rel_id = f"rId{number}"
        folder = posixpath.join(posixpath.dirname(self.package.workbook_part), "worksheets")
        index = 1
        while self.package.has(posixpath.join(folder, f"sheet{index}.xml")) or \
                posixpath.join(folder, f"sheet{index}.xml") in self._new_parts:
            index += 1
        part = posixpath.join(folder, f"sheet{index}.xml")
        self._new_parts.add(part)
        sheet = etree.SubElement(sheets, q(MAIN, "sheet"))
        sheet.set("name", name)
        sheet.set("sheetId", str(max(ids + [0]) + 1))
        sheet.set(q(REL, "id"), rel_id)
        self.workbook.changed = True
        rel = etree.SubElement(self.rels.root, q(PKG_REL, "Relationship"))
        rel.set("Id", rel_id)
        rel.set("Type", RT_WORKSHEET)
        rel.set("Target", relative_target(self.package.workbook_part, part))
        self.rels.changed = True
        override = etree.SubElement(self.types.root, q(CONTENT_TYPES, "Override"))
        override.set("PartName", "/" + part)
        override.set("ContentType", CT_WORKSHEET)
        self.types.changed = True
        return part

    def sheet_position(self, name: str) -> tuple[int, int]:
        """(0-based position in <sheets>, sheetId) of the sheet called ``name``."""
        for index, sheet in enumerate(self._sheets()):
            if sheet.get("name", "").casefold() == name.casefold():
                return index, int(sheet.get("sheetId", "0"))
        raise KeyError(name)

    # --- defined names --------------------------------------------------------------------
    def set_sheet_name(self, builtin: str, sheet_name: str, formula: str | None) -> None:
        """Set (or with None remove) ``_xlnm.<builtin>`` local to the sheet; other names untouched."""
        index, _ = self.sheet_position(sheet_name)
        full = f"_xlnm.{builtin}"
        names = self.workbook.root.find(q(MAIN, "definedNames"))
        existing = []
        if names is not None:
            existing = [n for n in names if local_name(n) == "definedName" and n.get("name", "").casefold()
                        == full.casefold() and n.get("localSheetId") == str(index)]
        if formula is None:
            for element in existing:
                names.remove(element)
                self.workbook.changed = True
            if names is not None and not len(names):
                self.workbook.root.remove(names)
            return
        if existing:
            if existing[0].text != formula:
                existing[0].text = formula
                self.workbook.changed = True
            return
        if names is None:
            names = etree.Element(q(MAIN, "definedNames"))
            before = [e for e in self.workbook.root if local_name(e) in _BEFORE_DEFINED_NAMES]
            before[-1].addnext(names)
        element = etree.SubElement(names, q(MAIN, "definedName"), name=full, localSheetId=str(index))
        element.text = formula
        self.workbook.changed = True

    # --- calcChain ------------------------------------------------------------------------
    def drop_calc_entries(self, sheet_id: int, keep: set[str] = frozenset()) -> None:
        """Remove calcChain entries of sheet ``sheet_id`` (except the cell refs in ``keep``)."""
        if self._calc is None:
            rel = next((r for r in self.rels.root if r.get("Type") == RT_CALC_CHAIN), None)
            if rel is None:
                return
            part = self.package.resolve(self.package.workbook_part, rel.get("Target", ""))
            if not self.package.has(part):
                return
            self._calc = (rel, part, parse_xml(self.package.read(part)))
        chain = self._calc[2]
        current, previous_kept = None, None
        for entry in list(chain):
            if entry.get("i"):
                current = entry.get("i")
            if current == str(sheet_id) and entry.get("r") not in keep:
                chain.remove(entry)
                self._calc_changed = True
                continue
            if entry.get("i") is None and previous_kept != current:
                entry.set("i", current or "0")
            previous_kept = current

    def _finish_calc_chain(self) -> dict[str, bytes]:
        if self._calc is None or not self._calc_changed:
            return {}
        rel, part, chain = self._calc
        if len(chain):
            return {part: serialize_xml(chain, self.package.read(part))}
        self.removed.add(part)
        self.rels.root.remove(rel)
        self.rels.changed = True
        for override in list(self.types.root):
            if override.get("PartName") == "/" + part:
                self.types.root.remove(override)
                self.types.changed = True
        return {}

    def outputs(self) -> dict[str, bytes]:
        """The parts that changed, as bytes (call once, after all edits)."""
        changed = self._finish_calc_chain()
        for part in (self.workbook, self.rels, self.types):
            if part.changed:
                changed[part.name] = part.output()
        return changed


_AREA = re.compile(r"^\$?([A-Z]{1,3})?\$?(\d+)?(?::\$?([A-Z]{1,3})?\$?(\d+)?)?$")


def parse_area(formula: str) -> tuple[int, int, int, int] | None:
    """``'Sheet'!$A$1:$K$40`` (the first area of a list) -> 0-based (top, left, bottom, right)."""
    text = formula.split(",")[0].strip()
    if "!" in text:
        text = text.rsplit("!", 1)[1]
    match = _AREA.match(text.upper())
    if not match or not any(match.groups()):
        return None
    c1, r1, c2, r2 = match.groups()
    if c2 is None and r2 is None:
        c2, r2 = c1, r1

    def col(letters, default):
        if not letters:
            return default
        number = 0
        for ch in letters:
            number = number * 26 + ord(ch) - 64
        return number - 1

    top = int(r1) - 1 if r1 else 0
    bottom = int(r2) - 1 if r2 else 1048575
    return top, col(c1, 0), bottom, col(c2, 16383)
