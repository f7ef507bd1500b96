"""Sheets as plain data: a worksheet's cell values by 0-based position, and rich text.

Everything after reading works on ``Sheet``, whether it came from a file (read sparse, keeping
only the cells present) or from an open workbook through xlwings (a list of lists).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Iterator, Union


@dataclass(frozen=True)
class RichRun:
    """One run of rich text. ``font`` holds any of: bold, italic, underline, strike (bools),
    size (float), color ('RRGGBB'), name (str). ``ooxml_rpr`` keeps the run's original
    <rPr> XML when it came from a file, so formatting we do not model survives."""

    text: str
    font: tuple[tuple[str, object], ...] = ()
    ooxml_rpr: bytes | None = None


@dataclass(frozen=True)
class RichText:
    runs: tuple[RichRun, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


CellValue = Union[None, bool, int, float, str, RichText]


class SparseRow(Sequence):
    """A row whose few cells lie far apart (a note at XFD7): as long as its last cell, holding only
    the cells present; the others read as None."""

    __slots__ = ("_cells", "_length")

    def __init__(self, cells: dict[int, object], length: int):
        self._cells, self._length = cells, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._cells.get(i) for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        return self._cells.get(index)

    def __iter__(self) -> Iterator:
        get = self._cells.get
        return (get(c) for c in range(self._length))


class SheetRows(list):
    """A sheet's rows read from a file, up to its last filled row: the rows present hold their
    cells, every other row is the one shared empty tuple, so a note at row 1,048,576 costs a slot
    per row (8 MB at most) and indexing stays as fast as a list's."""

    def __init__(self, rows: dict[int, Sequence]):
        super().__init__([()] * (max(rows) + 1 if rows else 0))
        for r, cells in rows.items():
            self[r] = cells
        self.present = sorted(rows)

    def present_rows(self) -> Iterator[tuple[int, Sequence]]:
        return ((r, self[r]) for r in self.present)


def row_of(columns: list[int], values: list) -> Sequence:
    """A row's storage from its present cells (columns ascending): a plain list up to its last
    cell, unless the cells are so far apart that a SparseRow is smaller."""
    length = columns[-1] + 1
    if length == len(columns):
        return values
    if length > 2 * len(columns) + 32:
        return SparseRow(dict(zip(columns, values)), length)
    row = [None] * length
    for column, value in zip(columns, values):
        row[column] = value
    return row


@dataclass(frozen=True)
class Sheet:
    """One worksheet's values; ``rows[r][c]`` is the cell at 0-based row r, column c (A1 = [0][0]).

    ``rows`` is a list of lists (made by hand, or read from Excel through xlwings) or, read from
    a file, a SheetRows: either way ``len(rows)`` is the height, ``rows[r]`` a row as long as its
    last cell (empty for a row with nothing in it; a SparseRow when its cells lie far apart), and
    iterating gives every row.
    Values are None, bool, int, float, str, datetime.date or datetime.datetime.
    """

    name: str
    rows: Sequence[Sequence]
    visible: bool = True

    def value(self, row: int, column: int):
        if row < len(self.rows):
            cells = self.rows[row]
            if column < len(cells):
                return cells[column]
        return None

    @property
    def height(self) -> int:
        return len(self.rows)

    def present_rows(self) -> Iterator[tuple[int, Sequence]]:
        """(row, cells) for each row holding something, in order; for a sheet read from a file it
        costs the rows present, not the height."""
        if isinstance(self.rows, SheetRows):
            return self.rows.present_rows()
        return ((r, row) for r, row in enumerate(self.rows) if any(v is not None for v in row))

    def body_rows(self) -> Iterator[tuple[int, Sequence]]:
        """The present rows below the heading row (row 1), for the sheets whose row 1 holds headings."""
        return ((r, row) for r, row in self.present_rows() if r > 0)


def clean_value(value):
    """Calamine gives '' for empty cells; downstream code uses None for 'nothing there'."""
    if value == "" or value is None:
        return None
    if isinstance(value, _dt.time):
        return None if value == _dt.time(0) else value
    return value


def find_sheet(sheets: list[Sheet], name: str) -> Sheet | None:
    """The sheet called ``name``, ignoring case and surrounding spaces."""
    wanted = name.strip().casefold()
    for sheet in sheets:
        if sheet.name.strip().casefold() == wanted:
            return sheet
    return None
