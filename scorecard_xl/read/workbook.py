"""Read stage: a workbook file -> sheets of plain cell values.

Everything downstream works on ``Sheet`` (a name and a grid anchored at A1), so the same
parsing serves files (their sheet XML read as it unpacks, keeping only the cells present) and
open workbooks read through xlwings.
"""

from __future__ import annotations

import datetime as _dt
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..problems import WorkbookError

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and encrypted OOXML both use it
ZIP_SIGNATURE = b"PK\x03\x04"
REPAIR = "Open it in Excel, let Excel repair it if it offers to, save it, and try again."


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


def _clean(value):
    """Calamine gives '' for empty cells; downstream code uses None for 'nothing there'."""
    if value == "" or value is None:
        return None
    if isinstance(value, _dt.time):
        return None if value == _dt.time(0) else value
    return value


_NOT_FILES = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
              (stat.S_ISSOCK, "a socket"))


def check_readable(path: Path) -> None:
    """Refuse, in plain words, the files we must not or cannot read."""
    if not path.exists():
        raise WorkbookError(f"There is no file at {path}.")
    mode = path.stat().st_mode  # of what a link points to: a link to a workbook is a workbook
    for test, what in _NOT_FILES:
        if test(mode):  # opening one would wait for a writer, or read for ever
            raise WorkbookError(f"{path} is not a file but {what}; name the workbook itself (an .xlsx or .xlsm file).")
    if path.suffix.lower() == ".xls":
        raise WorkbookError(
            f"{path.name} is an old-style .xls workbook. Open it in Excel and use "
            "File > Save As > Excel Workbook (*.xlsx), then run this again on the .xlsx file.")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head == OLE_SIGNATURE:
        raise WorkbookError(
            f"{path.name} is password-protected (encrypted) or is not an .xlsx/.xlsm file. "
            "Remove the password in Excel (File > Info > Protect Workbook > Encrypt with "
            "Password, clear it), save, and try again.")
    if not zipfile.is_zipfile(path):
        if head.startswith(ZIP_SIGNATURE):
            raise WorkbookError(f"{path.name} is damaged: it is cut short (the end of its zip directory is "
                                f"missing). {REPAIR}")
        raise WorkbookError(f"{path.name} is not an Excel workbook (.xlsx or .xlsm).")


def read_workbook(path: str | Path, wanted: Callable[[str], bool] | None = None) -> list[Sheet]:
    """The worksheets of an .xlsx/.xlsm file, in workbook order.

    ``wanted(name)`` picks which sheets' cells are read (default: the ones a scorecard uses):
    a workbook may also hold a 50,000-row export or years of other work, and reading those
    would make every refresh pay for them. Sheets of other kinds (chart, dialog and Excel 4
    macro sheets) are never read; a wanted name on one is refused, saying what the sheet is.
    """
    from .ooxml_package import Package
    from .ooxml_stream import CellBudget, cell_values, read_rows

    wanted = wanted or is_scorecard_sheet
    with Package(path) as package:
        chosen = [entry for entry in package.sheets() if wanted(entry.name)]
        for entry in chosen:
            if not entry.is_worksheet:
                raise WorkbookError(
                    f"{package.path.name}: the sheet {entry.name!r} is {entry.kind}, not a worksheet, so the "
                    f"scorecard cannot read it. Give it another name, and keep the {entry.name.strip()} table on "
                    f"an ordinary worksheet called {entry.name.strip()}.")
            if not entry.part:
                raise WorkbookError(f"{package.path.name} is damaged: its sheet {entry.name!r} has no part (its "
                                    f"relationship is missing). {REPAIR}")
        if not chosen:
            return []
        values, budget = cell_values(package), CellBudget(package)
        sheets = [Sheet(entry.name, SheetRows(read_rows(package, entry.part, entry.name, values, budget, row_of)),
                        entry.visible) for entry in chosen]
    return sheets


def sheet_names(path: str | Path) -> list[str]:
    """The names of every sheet in the workbook file, of whatever kind, in workbook order."""
    from .ooxml_package import Package

    with Package(path) as package:
        return [entry.name for entry in package.sheets()]


SCORECARD_SHEETS = ("indicators", "data", "settings", "scorecard", "commentary history")


def is_scorecard_sheet(name: str) -> bool:
    """The sheets the workbook contract names, and sheets named by a month alone (raw data)."""
    from ..compute.months import sheet_month

    return name.strip().casefold() in SCORECARD_SHEETS or sheet_month(name) is not None


def find_sheet(sheets: list[Sheet], name: str) -> Sheet | None:
    """The sheet called ``name``, ignoring case and surrounding spaces."""
    wanted = name.strip().casefold()
    for sheet in sheets:
        if sheet.name.strip().casefold() == wanted:
            return sheet
    return None
