"""Worksheet and shared-strings parts parsed as they unpack, keeping only the cells present.

A cell typed at XFD1048576 costs one cell, not the 17 billion of the rectangle up to it; a part
is never held whole, and reading stops at ``CELL_LIMIT`` cells. Positions outside Excel's grid,
and XML or zip damage, become the damaged-part line (see ``Package``).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import Callable, Iterator

from lxml import etree

from ..addressing import LAST_COLUMN, LAST_ROW, cell_name, column_index
from ..problems import WorkbookError
from .files import REPAIR
from .ooxml_package import MAIN, Package, q
from .package_faults import xml_fault
from .ooxml_values import CellValues, MissingSharedString, string_text, style_kinds, uses_1904_dates

# No scorecard needs near this many filled cells (1,200 indicators over three years hold about
# 140,000); it keeps the memory of a hostile workbook to a few hundred megabytes.
CELL_LIMIT = 3_000_000
STRING_LIMIT = 3_000_000  # shared strings, for the same reason

_ROW, _C, _V, _IS, _T, _RPH, _SI = (q(MAIN, name) for name in ("row", "c", "v", "is", "t", "rPh", "si"))
_PRESERVE = "{http://www.w3.org/XML/1998/namespace}space"
_DIGITS = string.digits
_SPACES = " \t\r\n"
_COLUMNS: dict[str, int] = {}  # column letters -> 0-based index, filled as letters are met
_CHUNK = 1 << 16
# lxml hands a parser target an element without attributes as an empty mapping whose .get raises
# and catches KeyError inside: slow enough to show in the time of reading a sheet whose writer left
# out every r (or a strings part), so the targets ask this plain dict instead.
_NO_ATTRIBUTES: dict = {}


class CellBudget:
    """The cells one reading may still keep, across every sheet it reads."""

    def __init__(self, package: Package):
        self.package = package
        self.left = CELL_LIMIT

    def spend(self, cells: int, sheet: str, row: int) -> None:
        self.left -= cells
        if self.left < 0:
            raise self.exceeded(sheet, row)

    def exceeded(self, sheet: str, row: int) -> WorkbookError:
        return WorkbookError(
            f"{self.package.path.name} holds more than {CELL_LIMIT:,} filled cells in the sheets a scorecard "
            f"reads (the limit was reached on the sheet {sheet!r}, row {row + 1:,}); no scorecard workbook "
            "needs that many. Move what the scorecard does not need to another workbook and try again.")


def column_of(letters: str) -> int | None:
    """0-based column of the letters A..XFD of a cell reference; None for anything else."""
    column = _COLUMNS.get(letters)
    if column is None:
        if not (1 <= len(letters) <= 3 and letters.isascii() and letters.isalpha()):
            return None
        column = column_index(letters)
        if column > LAST_COLUMN:
            return None
        _COLUMNS[letters] = column
    return column


class _Grid:
    """Where each <row> and <c> is: its r, or (when a writer leaves r out) the next place. A
    cell's place in a row that has r is that row, whatever row its own r names."""

    def __init__(self, outside: Callable[[str], Exception]):
        self.row = -1
        self.column = -1
        self.row_given = False
        self._outside = outside

    def next_row(self, ref: str | None) -> None:
        self.row_given = bool(ref)
        self.row = int(ref) - 1 if ref and ref.isdigit() else self.row + 1
        self.column = -1
        if not 0 <= self.row <= LAST_ROW:
            raise self._outside(f"a row numbered {ref or self.row + 1}")

    def next_cell(self, ref: str | None) -> tuple[int, int]:
        if ref is None:
            self.column += 1
            if self.column > LAST_COLUMN:
                raise self._outside(f"a cell to the right of column XFD in row {self.row + 1}")
            return self.row, self.column
        letters = ref.rstrip(_DIGITS)
        column = column_of(letters)
        digits = ref[len(letters):]
        if column is None or not digits.isdigit() or not 1 <= int(digits) <= LAST_ROW + 1:
            raise self._outside(f"a cell at {ref!r}")
        self.column = column
        return (self.row if self.row_given else int(digits) - 1), column


class _TextPieces:
    """Collects the <t> text of an <si> or <is>, leaving out phonetic runs (<rPh>)."""

    __slots__ = ("collecting", "phonetic", "text_so_far", "pieces", "keep")

    def __init__(self):
        self.collecting = False
        self.phonetic = False
        self.text_so_far = ""  # of the element being read; one piece, almost always
        self.pieces: list[tuple[str, bool]] = []
        self.keep = False

    def start_text(self, attrib) -> None:
        if not self.phonetic:
            self.collecting, self.text_so_far = True, ""
            self.keep = (attrib or _NO_ATTRIBUTES).get(_PRESERVE) == "preserve"

    def end_text(self) -> None:
        if self.collecting:
            self.pieces.append((self.text_so_far, self.keep))
            self.collecting = False

    def data(self, text: str) -> None:
        if self.collecting:
            self.text_so_far += text


class _StringsTarget(_TextPieces):
    """lxml parser target for sharedStrings.xml: the text of each <si>, flattened."""

    __slots__ = ("strings", "_too_many")

    def __init__(self, too_many: Callable[[], Exception]):
        super().__init__()
        self.strings: list[str] = []
        self._too_many = too_many

    def start(self, tag, attrib) -> None:
        if tag == _T:
            self.start_text(attrib)
        elif tag == _SI:
            self.pieces = []
        elif tag == _RPH:
            self.phonetic = True

    def end(self, tag) -> None:
        if tag == _T:
            self.end_text()
        elif tag == _SI:
            self.strings.append(string_text(self.pieces))
            if len(self.strings) > STRING_LIMIT:
                raise self._too_many()
        elif tag == _RPH:
            self.phonetic = False

    def close(self) -> list[str]:
        return self.strings


class _SheetTarget(_TextPieces):
    """lxml parser target for a worksheet part: each row's present cells, stored with ``build``
    (columns ascending, values) in ``rows`` as the row ends. The hot path (a cell with a number or
    a shared string) is written out here, as every call per cell shows in the time of a refresh."""

    __slots__ = ("values", "grid", "build", "budget", "sheet_name", "rows", "columns", "cells", "in_cell", "row",
                 "column", "kind", "style", "text")

    def __init__(self, values: CellValues, grid: _Grid, build: Callable[[list, list], Sequence],
                 budget: CellBudget, sheet_name: str):
        super().__init__()
        self.values, self.grid, self.build = values, grid, build
        self.budget, self.sheet_name = budget, sheet_name
        self.rows: dict[int, Sequence] = {}
        self.columns: list[int] = []
        self.cells: list = []
        self.in_cell = False
        self.row = self.column = 0
        self.kind = self.style = self.text = None

    def start(self, tag, attrib) -> None:
        if tag == _C:
            attrib = attrib or _NO_ATTRIBUTES
            ref = attrib.get("r")
            grid = self.grid
            column = _COLUMNS.get(ref.rstrip(_DIGITS)) if ref is not None and grid.row_given else None
            if column is None:
                self.row, column = grid.next_cell(ref)
            grid.column = self.column = column
            self.kind, self.style, self.text = attrib.get("t"), attrib.get("s"), None
            self.in_cell = True
        elif tag == _V:
            if self.in_cell:
                self.collecting, self.text_so_far = True, ""
        elif tag == _ROW:
            self.flush()
            self.grid.next_row((attrib or _NO_ATTRIBUTES).get("r"))
            self.row = self.grid.row
        elif tag == _T:
            if self.in_cell:
                self.start_text(attrib)
        elif tag == _IS:
            self.pieces = []
        elif tag == _RPH:
            self.phonetic = True

    def end(self, tag) -> None:
        if tag == _C:
            self.in_cell = False
            text = self.text
            if text is None:
                return
            kind = self.kind
            if kind is None:
                try:
                    value = float(text)
                except ValueError:
                    value = text or None
                else:
                    if not text.isascii() or "_" in text or text.strip(_SPACES) != text:
                        value = text  # float() reads these; Excel's readers do not
                    elif self.style is not None and self.style in self.values.kinds:
                        value = self.values.value(kind, self.style, text)
            elif kind == "s":
                value = self.values.shared(text)
            else:
                value = self.values.value(kind, self.style, text)
            if value is None:
                return
            if self.row != self.grid.row:  # a cell whose r names another row than its <row>
                self.flush()
                self.grid.row = self.row
            self.columns.append(self.column)
            self.cells.append(value)
        elif tag == _V:
            if self.collecting:
                self.text, self.collecting = self.text_so_far, False
        elif tag == _ROW:
            self.flush()
        elif tag == _T:
            self.end_text()
        elif tag == _IS:
            if self.in_cell:
                self.text = string_text(self.pieces)
        elif tag == _RPH:
            self.phonetic = False

    def flush(self) -> None:
        """Store the row's cells in column order (the last of two cells at one place wins)."""
        if not self.cells:
            return
        row, columns, cells = self.grid.row, self.columns, self.cells
        self.columns, self.cells = [], []
        budget = self.budget
        budget.left -= len(cells)
        if budget.left < 0:
            raise budget.exceeded(self.sheet_name, row)
        if row in self.rows or (len(columns) > 1 and columns != sorted(columns)):  # written twice, or unordered
            by_column = {c: v for c, v in enumerate(self.rows.get(row, ())) if v is not None}
            by_column.update(zip(columns, cells))
            columns = sorted(by_column)
            cells = [by_column[c] for c in columns]
        self.rows[row] = self.build(columns, cells)

    def close(self) -> dict[int, Sequence]:
        self.flush()
        return self.rows


def feed(package: Package, part: str, target) -> object:
    """Parse ``part`` into an lxml parser ``target`` as it unpacks; its close() result."""
    # resolve_entities=False: a DTD in a part can neither read files nor expand (billion laughs).
    parser = etree.XMLParser(target=target, resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        with package.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                parser.feed(chunk)
        return parser.close()
    except etree.XMLSyntaxError as exc:
        raise package.damaged(part, xml_fault(exc)) from exc


def shared_strings_text(package: Package) -> list[str]:
    """The shared strings as plain text (rich text flattened); [] when the workbook has none."""
    rel = package.workbook_relationship("sharedStrings")
    if rel is None or not rel.part:
        return []

    def too_many() -> Exception:
        return WorkbookError(f"{package.path.name} holds more than {STRING_LIMIT:,} shared strings; no scorecard "
                             "workbook needs that many. Move what the scorecard does not need to another "
                             "workbook and try again.")
    return feed(package, rel.part, _StringsTarget(too_many))


def cell_values(package: Package) -> CellValues:
    """How this workbook's cells read: its shared strings, date styles and date system."""
    return CellValues(shared_strings_text(package), style_kinds(package), uses_1904_dates(package))


def outside_grid(package: Package, part: str) -> Callable[[str], Exception]:
    return lambda what: package.damaged(part, f"has {what}, outside Excel's grid")


def read_rows(package: Package, part: str, sheet_name: str, values: CellValues, budget: CellBudget,
              build: Callable[[list, list], Sequence]) -> dict[int, Sequence]:
    """The worksheet ``part`` streamed: 0-based row -> ``build(columns, values)`` of its present cells."""
    target = _SheetTarget(values, _Grid(outside_grid(package, part)), build, budget, sheet_name)
    try:
        return feed(package, part, target)
    except MissingSharedString as missing:
        raise WorkbookError(
            f"{package.path.name} is damaged: its sheet {sheet_name!r} cell {cell_name(target.row, target.column)} "
            f"refers to shared string {missing.index}, but there are only {missing.count}. {REPAIR}") from None


def iter_elements(package: Package, part: str, tag: str) -> Iterator:
    """Each ``tag`` element of ``part`` once it is complete, parsed as the part unpacks; an
    element (and what came before it) is dropped once the caller has moved on."""
    try:
        with package.open(part) as stream:
            for _, element in etree.iterparse(stream, events=("end",), tag=tag, resolve_entities=False,
                                              no_network=True, load_dtd=False, huge_tree=False):
                yield element
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise package.damaged(part, xml_fault(exc)) from exc


def iter_row_cells(package: Package, part: str, budget: CellBudget, sheet_name: str
                   ) -> Iterator[tuple[int, int, object]]:
    """(row, column, <c> element) for every cell of the worksheet ``part``, as it unpacks."""
    grid = _Grid(outside_grid(package, part))
    for row in iter_elements(package, part, _ROW):
        grid.next_row(row.get("r"))
        cells = [cell for cell in row if cell.tag == _C]
        budget.spend(len(cells), sheet_name, grid.row)
        for cell in cells:
            r, c = grid.next_cell(cell.get("r"))
            yield r, c, cell
