"""The file backend: write SheetPlans into a user's .xlsx/.xlsm by splicing its zip package.

Only the parts that must change are rewritten: the plan's worksheet part, styles.xml (append
only), and — when a sheet is added, its print names or the tool's record names change, or calcChain
entries go — workbook.xml, its .rels, [Content_Types].xml and calcChain.xml. A plan's charts, and
the tool's earlier charts on the sheet, change the sheet's drawing part, its chart parts and their
relationships (ooxml_drawing.py), where a person's own shapes, pictures and charts stay as they are.
Every other member (other sheets' drawings and charts, comments, tables, vbaProject.bin, customUI,
sharedStrings, docProps, ...) is copied as it is. docProps/app.xml is left alone even when a sheet
is added (Excel does not check it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from ..problems import WorkbookError
from ..pages.sheetplan import OWNED_AREA_NAME, CellValue, SheetPlan, Style
from ..read.ooxml_cells import (cell_value, detach_orphan_shared_formulas, has_content, has_formula, iter_cells,
                                raw_element, read_cells, read_raw, read_values, shared_strings)
from ..read.ooxml_package import MAIN, Package, SheetEntry, parse_xml, q
from ..read.sheet import Sheet
from ..read.workbook import read_workbook
from .ooxml_charts import lift_charts
from .ooxml_drawing import KEEP, DrawingEditor, set_drawing_element
from .ooxml_sheet import looks_like_formula, read_old_sheet, render_sheet
from .ooxml_styles import BUILTIN_FORMATS, StyleSheet
from ..addressing import area_reference, column_letter, parse_area, quote_sheet, rows_reference
from .ooxml_workbook import WorkbookEditor
from .protocol import EVERY_FEATURE, ExistingSheet, SheetWrite, Written
from .record import MONTH_NAME, RECORD_NAMES, SheetRecord, constant_text, record_for, text_constant

__all__ = ["OWNED_AREA_NAME", "error_cells", "protected_sheets", "raw_cell_has_content", "read_raw_cells",
           "read_sheet_cells", "sheet_owned_area", "sheet_print_area", "write_plans"]

_PROTECTION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetProtection\b([^>]*)>")
_SHEET_ON = re.compile(rb"""\bsheet\s*=\s*["'](1|true)["']""")


def _worksheet(package: Package, sheet_name: str):
    entry = package.find_sheet(sheet_name)
    if entry is not None and (not entry.is_worksheet or not entry.part or not package.has(entry.part)):
        return entry, None
    return entry, entry.part if entry else None


def read_sheet_cells(path: str | Path, sheet_name: str) -> dict[tuple[int, int], CellValue] | None:
    """The values of the sheet's non-empty cells by 0-based (row, column); None if there is no
    such sheet. Rich strings come back as RichText whose runs keep their original <rPr>."""
    with Package(path) as package:
        entry, part = _worksheet(package, sheet_name)
        if entry is None:
            return None
        return read_values(package, part) if part else {}


_MAY_HOLD_ERRORS = re.compile(rb"""\st\s*=\s*["']e["']""")  # a quick look before parsing


def error_cells(path: str | Path, sheet_names: list[str]) -> dict[str, dict[tuple[int, int], str]]:
    """Excel error cells (#N/A, #DIV/0!, ...) of the named sheets, by (row, column).

    Fast readers show an error cell as empty; a raw figure that is really a broken formula
    must not pass for a missing month, so the reader asks here.
    """
    found: dict[str, dict[tuple[int, int], str]] = {}
    with Package(path) as package:
        for name in sheet_names:
            _, part = _worksheet(package, name)
            if not part:
                continue
            xml = package.read(part)
            if not _MAY_HOLD_ERRORS.search(xml):
                continue
            cells = {}
            for r, c, cell in iter_cells(parse_xml(xml)):
                if cell.get("t") == "e":
                    text = cell_value(cell, [])
                    if text:
                        cells[(r, c)] = text
            found[name] = cells
    return found


def read_raw_cells(path: str | Path, sheet_name: str) -> dict[tuple[int, int], bytes]:
    """Each cell's original <c> element (bytes), for ``write_plans(keep_cells=...)``; {} if there
    is no such sheet."""
    with Package(path) as package:
        _, part = _worksheet(package, sheet_name)
        return read_raw(package, part) if part else {}


def raw_cell_has_content(raw: bytes) -> bool:
    """Whether a raw <c> (from ``read_raw_cells``) holds something a person would miss: a value,
    an inline string, a formula (even one with an empty or no cached value) or a style other
    than the default (a formatted empty cell, e.g. a yellow sign-off box)."""
    return has_content(raw_element(raw))


def _local_names(package: Package, entry: SheetEntry) -> dict[str, str]:
    """The sheet's own defined names (case-folded) and their formulas."""
    names = {}
    for element in package.workbook_root().iterfind(f"{{{MAIN}}}definedNames/{{{MAIN}}}definedName"):
        if element.get("localSheetId") == str(entry.index):
            names.setdefault(element.get("name", "").casefold(), element.text or "")
    return names


def _local_name_area(package: Package, entry: SheetEntry, name: str) -> tuple[int, int, int, int] | None:
    formula = _local_names(package, entry).get(name.casefold())
    return parse_area(formula) if formula is not None else None


def _owned_area(package: Package, entry: SheetEntry) -> tuple[int, int, int, int] | None:
    return _local_name_area(package, entry, OWNED_AREA_NAME) or _local_name_area(package, entry, "_xlnm.Print_Area")


def _formats_by_style(package: Package) -> list[str | None]:
    """The number format code of each cell style (cellXfs), by its index."""
    codes = {str(number): code for code, number in BUILTIN_FORMATS.items()}
    rel = package.workbook_relationship("styles")
    if rel is None or not rel.part or not package.has(rel.part):
        return []
    styles = parse_xml(package.read(rel.part))
    for element in styles.iterfind(f"{q(MAIN, 'numFmts')}/{q(MAIN, 'numFmt')}"):
        codes[element.get("numFmtId", "")] = element.get("formatCode", "")
    return [codes.get(xf.get("numFmtId", "0")) for xf in styles.iterfind(f"{q(MAIN, 'cellXfs')}/{q(MAIN, 'xf')}")]


def sheet_print_area(path: str | Path, sheet_name: str) -> tuple[int, int, int, int] | None:
    """The sheet's print area (first area, 0-based top, left, bottom, right), or None."""
    with Package(path) as package:
        entry = package.find_sheet(sheet_name)
        return _local_name_area(package, entry, "_xlnm.Print_Area") if entry else None


def sheet_owned_area(path: str | Path, sheet_name: str) -> tuple[int, int, int, int] | None:
    """The sheet's hidden ``_scorecard_xl_area`` rectangle (0-based top, left, bottom, right), else
    its print area; None if neither (or no such sheet). A refresh decides by the sheet's record,
    which counts only the tool's own names."""
    with Package(path) as package:
        entry = package.find_sheet(sheet_name)
        return _owned_area(package, entry) if entry else None


def protected_sheets(path: str | Path, names: list[str] | None = None) -> set[str]:
    """Names (as the workbook spells them) of the worksheets protected against editing
    (<sheetProtection sheet="1">), looking only at the sheets called ``names`` (any case);
    None: every worksheet."""
    wanted = None if names is None else {n.strip().casefold() for n in names}
    found = set()
    with Package(path) as package:
        for entry in package.sheets():
            if wanted is not None and entry.name.strip().casefold() not in wanted:
                continue
            if entry.is_worksheet and entry.part and package.has(entry.part):
                if _is_protected(package.read(entry.part)):
                    found.add(entry.name)
    return found


def _is_protected(sheet_xml: bytes) -> bool:
    """Whether a worksheet part protects its sheet against editing (<sheetProtection sheet="1">)."""
    match = _PROTECTION.search(sheet_xml)
    return bool(match and _SHEET_ON.search(match.group(1)))


def _named(mapping: dict | None, name: str) -> bool:
    return any(key.strip().casefold() == name.strip().casefold() for key in mapping or {})


def _lookup(mapping: dict | None, name: str, default=None):
    for key, value in (mapping or {}).items():
        if key.strip().casefold() == name.strip().casefold():
            return value
    return {} if default is None else default


def write_plans(source_path: str | Path, plans: list[SheetPlan], target_path: str | Path,
                keep_cells: dict[str, dict[tuple[int, int], bytes]] | None = None,
                records: dict[str, SheetRecord | None] | None = None) -> None:
    """Write a new package at ``target_path``: ``source_path`` with each plan's sheet replaced
    (same name, any case) or added after the last sheet. ``keep_cells[sheet]`` maps (row, column)
    to raw <c> bytes (see ``read_raw_cells``) carried into the new sheet; plan cells win.
    ``records[sheet]``: the tool's record to write for that sheet (None: none); a plan not named
    there gets the record of its own areas when it has a print setup (the sheets the tool owns)."""
    seen = set()
    for plan in plans:
        key = plan.name.strip().casefold()
        if key in seen:
            raise ValueError(f"two plans are both for the sheet {plan.name!r}")
        seen.add(key)
        unknown = {c.style for c in plan.cells.values() if c.style and c.style not in plan.styles}
        if unknown:
            raise ValueError(f"plan {plan.name!r} uses styles it does not define: {sorted(unknown)}")
    with Package(source_path) as package:
        styles_rel = package.workbook_relationship("styles")
        if styles_rel is None or not styles_rel.part or not package.has(styles_rel.part):
            raise WorkbookError(f"{package.path.name} has no styles part; open it in Excel, save it, and try again.")
        stylesheet = StyleSheet(package.read(styles_rel.part))
        editor = WorkbookEditor(package)
        drawings = DrawingEditor(package, editor.types)
        changed: dict[str, bytes] = {}
        active = next((plan.name for plan in plans if plan.active), None)
        for plan in plans:
            record = _lookup(records, plan.name, None) if _named(records, plan.name) else \
                record_for(plan) if plan.print_setup is not None else None
            part, xml = _splice_plan(package, editor, stylesheet, plan, _lookup(keep_cells, plan.name), record,
                                     drawings, None if active is None else plan.active)
            changed[part] = xml
        if active is not None:
            editor.set_active_sheet(active)
            changed.update(_deselected(package, {plan.name.strip().casefold() for plan in plans}))
        drawings.finish()
        changed.update(drawings.changed)
        if stylesheet.changed:
            changed[styles_rel.part] = stylesheet.to_bytes()
        changed.update(editor.outputs())
        # A part given a new version under an old name is written, not removed.
        package.write(target_path, changed, (editor.removed | drawings.removed) - changed.keys())


_TAB_SELECTED = re.compile(rb"""(<(?:[A-Za-z_][\w.-]*:)?sheetView\b[^>]*?)\s+tabSelected\s*=\s*["'](?:1|true)["']""")


def _deselected(package: Package, written: set[str]) -> dict[str, bytes]:
    """The parts of the sheets not ``written`` whose tab is selected, with only that mark removed:
    a workbook opening on another sheet with two tabs selected would open with them grouped, where
    whatever a person typed would go into both."""
    changed = {}
    for entry in package.sheets():
        if entry.name.strip().casefold() in written or not entry.part or not package.has(entry.part):
            continue
        if _TAB_SELECTED.search(_sheet_head(package, entry.part)):
            changed[entry.part] = _TAB_SELECTED.sub(rb"\1", package.read(entry.part))
    return changed


_CELLS_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData\b")


def _sheet_head(package: Package, part: str, chunk: int = 65_536) -> bytes:
    """A worksheet part up to its cells: the sheet views come before them, so a sheet of 50,000 rows
    beside the scorecard is not unpacked whole to learn that its tab is not selected."""
    head = bytearray()  # grown in place: a part without cells is read whole, in linear time
    with package.open(part) as stream:
        while piece := stream.read(chunk):
            head += piece
            if _CELLS_START.search(head, max(0, len(head) - len(piece) - 16)):
                break
    return bytes(head)


def _print_titles(sheet_name: str, setup) -> str | None:
    """Print_Titles: the repeated columns, then the repeated rows, as Excel writes them."""
    parts = []
    if setup.repeat_columns:
        first, last = setup.repeat_columns
        parts.append(f"{quote_sheet(sheet_name, always=True)}!${column_letter(first)}:${column_letter(last)}")
    if setup.repeat_rows:
        parts.append(rows_reference(sheet_name, *setup.repeat_rows))
    return ",".join(parts) or None


def _splice_plan(package: Package, editor: WorkbookEditor, stylesheet: StyleSheet, plan: SheetPlan,
                 keep: dict[tuple[int, int], bytes], record: SheetRecord | None,
                 drawings: DrawingEditor, selected: bool | None = None) -> tuple[str, bytes]:
    """(part name, new worksheet XML) for one plan; registers the sheet, its print names, the
    tool's record and its charts."""
    xf = {name: stylesheet.xf_index(style) for name, style in plan.styles.items()}
    quoted = {}
    for cell in plan.cells.values():
        if looks_like_formula(cell.value) and cell.style not in quoted:
            style = plan.styles[cell.style] if cell.style else Style("")
            quoted[cell.style] = stylesheet.xf_index(style, quote_prefix=True)
    kept = detach_orphan_shared_formulas({pos: raw for pos, raw in keep.items() if pos not in plan.cells})
    entry = package.find_sheet(plan.name)
    if entry is None:
        sheet_name, part = plan.name, editor.add_sheet(plan.name)
        old, old_area = read_old_sheet(None), None
    elif not entry.is_worksheet:
        raise WorkbookError(f"The sheet {entry.name!r} is a chart or macro sheet, not a worksheet. "
                            f"Rename it (or delete it) so that a new {plan.name!r} sheet can be made.")
    elif not entry.part or not package.has(entry.part):
        raise WorkbookError(f"{package.path.name} is damaged: the part of sheet {entry.name!r} is missing. "
                            "Open the workbook in Excel, let it repair the file, save it and try again.")
    else:
        sheet_name, part = entry.name, entry.part
        old = read_old_sheet(package.read(part))
        old_area = _local_name_area(package, entry, OWNED_AREA_NAME)  # a print area is no record of ours
        editor.drop_calc_entries(entry.sheet_id, {_ref(raw) for raw in kept.values() if has_formula(raw)})
    xml = render_sheet(plan, xf, old, kept, stylesheet.base_font, quoted, old_area, selected)
    link = drawings.splice(part, lift_charts(plan, sheet_name))
    if link != KEEP:
        xml = set_drawing_element(xml, link)
    setup = plan.print_setup
    if setup is not None:
        editor.set_sheet_name("Print_Area", sheet_name, area_reference(sheet_name, *plan.print_area()))
    if record is not None:
        for name in RECORD_NAMES:
            area = record.names.get(name)
            editor.set_local_name(name, sheet_name, area_reference(sheet_name, *area) if area else None, hidden=True)
        editor.set_local_name(MONTH_NAME, sheet_name, text_constant(record.month) if record.month else None,
                              hidden=True)
    if setup is not None:
        editor.set_sheet_name("Print_Titles", sheet_name, _print_titles(sheet_name, setup))
    return part, xml


def _ref(raw: bytes) -> str:
    match = re.search(rb'\br="([A-Z]+\d+)"', raw)
    return match.group(1).decode() if match else ""


class XlsxFile:
    """The splice as a backend (protocol.py): reads and writes the workbook file at ``path``.

    ``save(render, sheet_names)`` runs ``render(a new path)`` and puts the result in place
    (update/saving.py's atomic write, with its backup): the package is never written over itself.
    """

    description = "the file writer"
    capabilities = EVERY_FEATURE

    def __init__(self, path: str | Path, save: Callable[[Callable[[Path], None], list[str]], Path | None] | None = None,
                 name: str | None = None):
        self.path = Path(path)
        self.name = name or str(self.path)
        self._save = save
        self._raw: dict[str, dict[tuple[int, int], bytes]] = {}
        self._workbook_cells: tuple[list, list[str | None]] | None = None  # shared strings, formats by style
        self._existing: dict[str, ExistingSheet | None] = {}  # by name in lower case

    def read_sheets(self, wanted: Callable[[str], bool]) -> list[Sheet]:
        return read_workbook(self.path, wanted=wanted)

    def existing(self, name: str) -> ExistingSheet | None:
        """The sheet called ``name`` (any case) as it is now; read once, however often it is asked for."""
        key = name.strip().casefold()
        if key not in self._existing:
            self._existing[key] = self._read_existing(name)
        return self._existing[key]

    def _read_existing(self, name: str) -> ExistingSheet | None:
        with Package(self.path) as package:
            entry = package.find_sheet(name)
            if entry is None or not entry.is_worksheet:
                return None
            names = _local_names(package, entry)
            recorded = {key: parse_area(names[key.casefold()]) for key in RECORD_NAMES if key.casefold() in names}
            month = constant_text(names.get(MONTH_NAME.casefold()))
            if not entry.part or not package.has(entry.part):
                self._raw[entry.name.strip().casefold()] = {}
                return ExistingSheet(entry.name, {}, set(), SheetRecord(recorded, {}, month), False)
            if self._workbook_cells is None:  # the same for every sheet: read once
                self._workbook_cells = (shared_strings(package), _formats_by_style(package))
            cells = read_cells(package, entry.part, *self._workbook_cells)
            protected = _is_protected(package.read(entry.part))
        self._raw[entry.name.strip().casefold()] = cells.raw
        return ExistingSheet(entry.name, cells.values, cells.with_content,
                             SheetRecord(recorded, cells.number_formats, month), protected)

    def write(self, writes: list[SheetWrite]) -> Written:
        keep_cells = {}
        for write in writes:
            raw = self._raw.get(write.plan.name.strip().casefold(), {})
            keep_cells[write.plan.name] = raw if write.appends else {cell: raw[cell] for cell in write.keep
                                                                     if cell in raw}
        plans = [write.plan for write in writes]
        records = {write.plan.name: write.record for write in writes}

        def render(target: Path) -> None:
            write_plans(self.path, plans, target, keep_cells, records)

        if self._save is None:
            raise ValueError("XlsxFile needs save= to write: the package is written to a new file, then put in place")
        self._workbook_cells, self._existing = None, {}  # the package is about to change
        return Written(backup=self._save(render, [plan.name for plan in plans]))
