"""Read stage: a workbook file -> sheets of plain cell values.

Everything downstream works on ``Sheet`` (a name and a grid anchored at A1), so the same
parsing serves files read with python-calamine and open workbooks read through xlwings.
"""

from __future__ import annotations

import datetime as _dt
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .problems import WorkbookError

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and encrypted OOXML both use it
ZIP_SIGNATURE = b"PK\x03\x04"
REPAIR = "Open it in Excel, let Excel repair it if it offers to, save it, and try again."


@dataclass(frozen=True)
class Sheet:
    """One worksheet's values; ``rows[r][c]`` is the cell at 0-based row r, column c (A1 = [0][0]).

    Values are None, bool, int, float, str, datetime.date or datetime.datetime.
    """

    name: str
    rows: list[list]
    visible: bool = True

    def value(self, row: int, column: int):
        if row < len(self.rows) and column < len(self.rows[row]):
            return self.rows[row][column]
        return None

    @property
    def height(self) -> int:
        return len(self.rows)


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
    would make every refresh pay for them.
    """
    wanted = wanted or is_scorecard_sheet
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    path = Path(path)
    check_readable(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine's errors are not for people
        raise WorkbookError(f"{path.name} could not be read as a workbook ({exc}).") from exc
    sheets = []
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet or not wanted(meta.name):
            continue
        grid = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        rows = [[_clean(v) for v in row] for row in grid]
        sheets.append(Sheet(meta.name, rows, meta.visible == SheetVisibleEnum.Visible))
    _restore_error_cells(path, sheets)
    return sheets


def _restore_error_cells(path: Path, sheets: list[Sheet]) -> None:
    """Put Excel's error text (#N/A, ...) back where calamine shows an empty cell."""
    from .backends.xlsx_file import error_cells

    for name, cells in error_cells(path, [s.name for s in sheets]).items():
        sheet = next(s for s in sheets if s.name == name)
        for (r, c), text in cells.items():
            while len(sheet.rows) <= r:
                sheet.rows.append([])
            row = sheet.rows[r]
            row.extend([None] * (c + 1 - len(row)))
            row[c] = text


SCORECARD_SHEETS = ("indicators", "data", "settings", "scorecard", "commentary history")


def is_scorecard_sheet(name: str) -> bool:
    """The sheets the workbook contract names, and sheets named by a month alone (raw data)."""
    from .months import sheet_month

    return name.strip().casefold() in SCORECARD_SHEETS or sheet_month(name) is not None


def find_sheet(sheets: list[Sheet], name: str) -> Sheet | None:
    """The sheet called ``name``, ignoring case and surrounding spaces."""
    wanted = name.strip().casefold()
    for sheet in sheets:
        if sheet.name.strip().casefold() == wanted:
            return sheet
    return None
