"""Read stage: a workbook file -> sheets of plain cell values.

The file's sheet XML is read as it unpacks, keeping only the cells present, into the same
``Sheet`` values the live path reads through xlwings (read/sheet.py).
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path
from typing import Callable

from ..problems import WorkbookError
from .sheet import Sheet, SheetRows, row_of

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and encrypted OOXML both use it
ZIP_SIGNATURE = b"PK\x03\x04"
REPAIR = "Open it in Excel, let Excel repair it if it offers to, save it, and try again."


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

    ``wanted(name)`` picks which sheets' cells are read (default: every worksheet); the scorecard
    passes the ones its contract names (compute/sheets.py), as a workbook may also hold a
    50,000-row export or years of other work, and reading those would make every refresh pay. Sheets of other kinds (chart, dialog and Excel 4
    macro sheets) are never read; a wanted name on one is refused, saying what the sheet is.
    """
    from .ooxml_package import Package
    from .ooxml_stream import CellBudget, cell_values, read_rows

    wanted = wanted or (lambda name: True)
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


