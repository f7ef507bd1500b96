"""Read stage: a workbook file -> sheets of plain cell values.

The file's sheet XML is read as it unpacks, keeping only the cells present, into the same
``Sheet`` values the live path reads through xlwings (read/sheet.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..problems import WorkbookError
from .files import OLE_SIGNATURE, REPAIR, check_readable  # noqa: F401  (the file gate, for callers)
from .ooxml_package import Package
from .ooxml_stream import CellBudget, cell_values, read_rows
from .sheet import Sheet, SheetRows, row_of

def read_workbook(path: str | Path, wanted: Callable[[str], bool] | None = None) -> list[Sheet]:
    """The worksheets of an .xlsx/.xlsm file, in workbook order.

    ``wanted(name)`` picks which sheets' cells are read (default: every worksheet); the scorecard
    passes the ones its contract names (compute/sheets.py), as a workbook may also hold a
    50,000-row export or years of other work, and reading those would make every refresh pay. Sheets of other kinds (chart, dialog and Excel 4
    macro sheets) are never read; a wanted name on one is refused, saying what the sheet is.
    """
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
    with Package(path) as package:
        return [entry.name for entry in package.sheets()]


