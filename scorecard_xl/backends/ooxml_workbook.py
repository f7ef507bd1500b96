"""Minimal edits of workbook.xml, its .rels, [Content_Types].xml and calcChain.xml.

Each part is rewritten only when something in it actually changes; otherwise its bytes are kept.
"""

from __future__ import annotations

import posixpath

from lxml import etree

from ..addressing import is_whole_rows, parse_reference, same_reference, split_areas
from ..problems import WorkbookError
from ..read.ooxml_package import (CONTENT_TYPES, CONTENT_TYPES_PART, CT_WORKSHEET, MAIN, PKG_REL, REL,
                                  RT_WORKSHEET, Package, local_name, parse_xml, part_rels_name, q,
                                  relative_target, serialize_xml)

_BAD_NAME_CHARS = set(":\\/?*[]")
# The start of CT_Workbook's sequence, up to the children we may have to create.
_WORKBOOK_ORDER = ["fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews",
                   "sheets", "functionGroups", "externalReferences", "definedNames"]


def check_sheet_name(name: str) -> None:
    bad = sorted(set(name) & _BAD_NAME_CHARS)
    if not name.strip() or len(name) > 31 or bad or name.startswith("'") or name.endswith("'") \
            or name.casefold() == "history":
        raise WorkbookError(
            f"{name!r} cannot be used as a sheet name in Excel: a name has 1 to 31 characters, none of "
            ": \\ / ? * [ ], does not start or end with an apostrophe and is not 'History'.")


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
    def _child(self, name: str):
        """workbook.xml's child ``name``, created in its place in the schema's sequence if missing."""
        found = self.workbook.root.find(q(MAIN, name))
        if found is None:
            found = etree.Element(q(MAIN, name))
            earlier = _WORKBOOK_ORDER[:_WORKBOOK_ORDER.index(name)]
            before = [e for e in self.workbook.root if local_name(e) in earlier]
            if before:
                before[-1].addnext(found)
            else:
                self.workbook.root.insert(0, found)
            self.workbook.changed = True
        return found

    def structure_locked(self) -> bool:
        """Review > Protect Workbook (Structure): Excel adds, deletes, renames or hides no sheet."""
        protection = self.workbook.root.find(q(MAIN, "workbookProtection"))
        return protection is not None and protection.get("lockStructure", "").strip().lower() in ("1", "true")

    def add_sheet(self, name: str) -> str:
        """Register a new worksheet after the last sheet; returns its part name."""
        check_sheet_name(name)
        if self.structure_locked():
            raise WorkbookError(
                f"The workbook's structure is protected, so the {name!r} sheet cannot be added to "
                f"{self.package.path.name}. In Excel: Review > Protect Workbook to unprotect it, then refresh again "
                "(protect it again afterwards if you wish). Nothing was changed.")
        sheets = self._child("sheets")
        ids = [int(s.get("sheetId", "0")) for s in sheets if local_name(s) == "sheet"]
        rel_id = self._new_relationship_id()
        part = self._new_sheet_part()
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

    def _new_relationship_id(self) -> str:
        """rIdN unused by the workbook's relationships, ignoring case (readers differ on it)."""
        taken = {(r.get("Id") or "").casefold() for r in self.rels.root if local_name(r) == "Relationship"}
        number = len(taken) + 1
        while f"rid{number}" in taken:
            number += 1
        return f"rId{number}"

    def _new_sheet_part(self) -> str:
        """worksheets/sheetN.xml beside workbook.xml, unique ignoring case: part names are
        case-insensitive in a package, so Sheet1.xml and sheet1.xml are one part to Excel.
        Names [Content_Types].xml still mentions, and those with a .rels part left behind, are
        skipped too; the folder keeps the spelling the package already uses."""
        members = [info.filename for info in self.package.infos]
        taken = {name.casefold() for name in members} | {part.casefold() for part in self._new_parts}
        taken |= {(o.get("PartName") or "").lstrip("/").casefold() for o in self.types.root
                  if local_name(o) == "Override"}
        folder = posixpath.join(posixpath.dirname(self.package.workbook_part), "worksheets")
        folder = next((posixpath.dirname(name) for name in members
                       if posixpath.dirname(name).casefold() == folder.casefold()), folder)
        index = 1
        while {posixpath.join(folder, f"sheet{index}.xml").casefold(),
               part_rels_name(posixpath.join(folder, f"sheet{index}.xml")).casefold()} & taken:
            index += 1
        part = posixpath.join(folder, f"sheet{index}.xml")
        self._new_parts.add(part)
        return part

    def sheet_position(self, name: str) -> tuple[int, int]:
        """(0-based position in <sheets>, sheetId) of the sheet called ``name``."""
        for index, sheet in enumerate(self.workbook.root.iterfind(f"{{{MAIN}}}sheets/{{{MAIN}}}sheet")):
            if sheet.get("name", "").casefold() == name.casefold():
                return index, int(sheet.get("sheetId", "0"))
        raise KeyError(name)

    def set_active_sheet(self, name: str) -> bool:
        """Open the workbook on the sheet called ``name``: the first workbook view's active tab (and
        its first visible tab, if that lay beyond it). Returns whether workbook.xml changed."""
        index, _ = self.sheet_position(name)
        views = self._child("bookViews")
        view = views.find(q(MAIN, "workbookView"))
        if view is None:
            view = etree.SubElement(views, q(MAIN, "workbookView"))
        changed = False
        if view.get("activeTab", "0") != str(index):
            view.set("activeTab", str(index))
            changed = True
        if int(view.get("firstSheet", "0") or 0) > index:
            view.set("firstSheet", str(index))
            changed = True
        self.workbook.changed |= changed
        return changed

    # --- defined names --------------------------------------------------------------------
    def set_sheet_name(self, builtin: str, sheet_name: str, formula: str | None) -> None:
        """Set (or with None remove) ``_xlnm.<builtin>`` local to the sheet; other names untouched."""
        self.set_local_name(f"_xlnm.{builtin}", sheet_name, formula)

    def set_local_name(self, full: str, sheet_name: str, formula: str | None, hidden: bool = False) -> None:
        """Set (or with None remove) the defined name ``full`` local to the sheet. A name that
        already refers to the same place (however it is spelt) is left as it is, so an unchanged
        workbook.xml keeps its bytes. Print_Titles keeps the person's title columns, if any."""
        index, _ = self.sheet_position(sheet_name)
        names = self.workbook.root.find(q(MAIN, "definedNames"))
        existing = []
        if names is not None:
            existing = [n for n in names if local_name(n) == "definedName" and n.get("name", "").casefold()
                        == full.casefold() and n.get("localSheetId") == str(index)]
        if full.casefold() == "_xlnm.print_titles" and existing and not _has_title_columns(formula):
            formula = _with_title_columns(existing[0].text or "", formula)
        if formula is None:
            for element in existing:
                names.remove(element)
                self.workbook.changed = True
            if names is not None and not len(names):
                self.workbook.root.remove(names)
            return
        if existing:
            element = existing[0]
            if not same_reference(element.text or "", formula):
                element.text = formula
                self.workbook.changed = True
            if hidden and element.get("hidden") not in ("1", "true"):
                element.set("hidden", "1")
                self.workbook.changed = True
            return
        if names is None:
            names = self._child("definedNames")
        element = etree.SubElement(names, q(MAIN, "definedName"), name=full)
        if hidden:
            element.set("hidden", "1")
        element.set("localSheetId", str(index))
        element.text = formula
        self.workbook.changed = True

    # --- calcChain ------------------------------------------------------------------------
    def drop_calc_entries(self, sheet_id: int, keep: set[str] = frozenset()) -> None:
        """Remove calcChain entries of sheet ``sheet_id`` (except the cell refs in ``keep``)."""
        if self._calc is None:
            found = self.package.workbook_relationship("calcChain")
            if found is None or not found.part or not self.package.has(found.part):
                return
            rel = next(r for r in self.rels.root if r.get("Id") == found.id)
            self._calc = (rel, found.part, parse_xml(self.package.read(found.part)))
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
            if (override.get("PartName") or "").casefold() == "/" + part.casefold():  # names ignore case
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


def _title_columns(formula: str) -> list[str]:
    """The parts of a Print_Titles formula that are columns (not whole rows)."""
    columns = []
    for part in split_areas(formula):
        parsed = parse_reference(part)
        if parsed is not None and not is_whole_rows(parsed[1]):
            columns.append(part)
    return columns


def _has_title_columns(formula: str | None) -> bool:
    return bool(formula) and bool(_title_columns(formula))


def _with_title_columns(old: str, rows: str | None) -> str | None:
    """The Print_Titles formula: the title columns a person set in ``old`` kept (a plan that
    repeats no columns of its own), the rows ours."""
    return ",".join(_title_columns(old) + ([rows] if rows else [])) or None
