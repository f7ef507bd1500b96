"""Reading cells from worksheet XML: values (shared/inline strings, rich text, cached formula
results) and the raw <c> elements of cells to carry over unchanged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from lxml import etree

from ..addressing import cell_name, parse_cell
from .sheet import CellValue
from .ooxml_package import MAIN, Package, parse_xml, q
from .ooxml_stream import CellBudget, iter_elements, iter_row_cells
from .ooxml_text import fragment, text_of_string_item, unescape_excel

_INTEGER = re.compile(r"^-?\d{1,15}$")


def shared_strings(package: Package) -> list:
    """The shared strings, rich text kept as RichText; parsed as the part unpacks."""
    rel = package.workbook_relationship("sharedStrings")
    if rel is None or not rel.part or not package.has(rel.part):
        return []
    return [text_of_string_item(item) for item in iter_elements(package, rel.part, q(MAIN, "si"))]


def iter_cells(sheet_root) -> Iterator[tuple[int, int, object]]:
    """(row, column, <c> element) for every cell, following rows/cells that omit ``r``."""
    data = sheet_root.find(q(MAIN, "sheetData"))
    if data is None:
        return
    row_number = -1
    for row in data.iterchildren(q(MAIN, "row")):
        row_number = int(row.get("r")) - 1 if row.get("r") else row_number + 1
        column = -1
        for cell in row.iterchildren(q(MAIN, "c")):
            position = parse_cell(cell.get("r", ""))
            column = position[1] if position else column + 1
            yield (position[0] if position else row_number), column, cell


def _child_text(element, name: str) -> str | None:
    child = element.find(q(MAIN, name))
    return None if child is None else (child.text or "")


def cell_value(cell, strings: list) -> CellValue:
    """The value a cell shows: numbers, bools, text or RichText; formulas give their cached value."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        item = cell.find(q(MAIN, "is"))
        return None if item is None else text_of_string_item(item)
    raw = _child_text(cell, "v")
    if raw is None:
        return None
    if kind == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            return None
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind in ("str", "e", "d"):
        return unescape_excel(raw)
    raw = raw.strip()
    if not raw:
        return None
    if _INTEGER.match(raw):
        return int(raw)
    try:
        return float(raw)
    except ValueError:
        return raw


def _cells(package: Package, part: str) -> Iterator[tuple[int, int, object]]:
    name = next((entry.name for entry in package.sheets() if entry.part == part), part)
    return iter_row_cells(package, part, CellBudget(package), name)


def read_values(package: Package, part: str) -> dict[tuple[int, int], CellValue]:
    """The values of the worksheet ``part``'s non-empty cells by (row, column), read as it unpacks."""
    strings = shared_strings(package)
    values = {}
    for r, c, cell in _cells(package, part):
        value = cell_value(cell, strings)
        if value is not None:
            values[(r, c)] = value
    return values


@dataclass
class SheetCells:
    """A worksheet's cells as one pass over its part gives them (``read_cells``)."""

    values: dict[tuple[int, int], CellValue] = field(default_factory=dict)  # the non-empty ones
    raw: dict[tuple[int, int], bytes] = field(default_factory=dict)  # every <c>, as ``read_raw`` gives it
    with_content: set[tuple[int, int]] = field(default_factory=set)  # ``has_content``
    number_formats: dict[tuple[int, int], str] = field(default_factory=dict)  # number cells whose style has one


def read_cells(package: Package, part: str, strings: list, formats_by_style: list[str | None]) -> SheetCells:
    """Values, raw elements, content and number formats of the worksheet ``part``, from one pass
    over it as it unpacks (a refresh needs all four of each sheet it writes). ``strings``: the
    shared strings (``shared_strings``); ``formats_by_style``: each cell style's number format code."""
    cells = SheetCells()
    holder = etree.Element(q(MAIN, "worksheet"), nsmap={None: MAIN})  # as ``fragment`` serializes, reused
    start = None
    for r, c, cell in _cells(package, part):
        value = cell_value(cell, strings)
        if value is not None:
            cells.values[(r, c)] = value
        if has_content(cell):
            cells.with_content.add((r, c))
        style = cell.get("s", "0")
        if cell.get("t", "n") == "n" and style.isdigit() and int(style) < len(formats_by_style):
            code = formats_by_style[int(style)]
            if code and code != "General":
                cells.number_formats[(r, c)] = code
        # The row is done with once its cells are read, so the cell moves into the holder rather than
        # being copied there (half the time of a large sheet's reading).
        holder.append(cell)
        cell.tail = None
        if cell.get("r") != cell_name(r, c):
            cell.set("r", cell_name(r, c))
        data = etree.tostring(holder, encoding="UTF-8")
        holder.remove(cell)
        start = data.index(b">") + 1 if start is None else start
        cells.raw[(r, c)] = data[start: -len(b"</worksheet>")]
    return cells


def read_raw(package: Package, part: str) -> dict[tuple[int, int], bytes]:
    """Each cell's <c> element as bytes for a sheet whose root declares only the main namespace
    (with an explicit ``r``), ready to be placed in another <row>."""
    return read_cells(package, part, [], []).raw


def raw_element(raw: bytes):
    """A raw <c> element (as ``read_raw`` gives it) parsed, in the main namespace."""
    return parse_xml(b'<w xmlns="%s">' % MAIN.encode() + raw + b"</w>")[0]


def has_formula(raw: bytes) -> bool:
    return raw_element(raw).find(q(MAIN, "f")) is not None


def has_content(cell) -> bool:
    """A <c> element that holds something: a value, an inline string, a formula (even with no
    cached value) or a style other than the default (a formatted empty cell)."""
    value = cell.find(q(MAIN, "v"))
    if value is not None and value.text:
        return True
    if cell.find(q(MAIN, "is")) is not None or cell.find(q(MAIN, "f")) is not None:
        return True
    try:
        return int(cell.get("s") or 0) != 0
    except ValueError:
        return False


def detach_orphan_shared_formulas(cells: dict[tuple[int, int], bytes]) -> dict[tuple[int, int], bytes]:
    """Cells that use a shared formula whose defining cell is not among ``cells`` keep their value
    but lose the formula (a shared formula without its definition makes Excel repair the file)."""
    parsed = {pos: raw_element(raw) for pos, raw in cells.items() if b"shared" in raw}
    defined = set()
    for element in parsed.values():
        formula = element.find(q(MAIN, "f"))
        if formula is not None and formula.get("t") == "shared" and (formula.text or "").strip():
            defined.add(formula.get("si"))
    result = dict(cells)
    for pos, element in parsed.items():
        formula = element.find(q(MAIN, "f"))
        if formula is not None and formula.get("t") == "shared" and formula.get("si") not in defined:
            element.remove(formula)
            result[pos] = fragment(element)
    return result
