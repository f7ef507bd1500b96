"""A brand-new workbook written by XlsxWriter (xlsxwriter_book.py), as a backend (protocol.py).

A new file has no sheets to read, no person's cells to keep and no earlier version to back up.
It carries no record of the tool's either: it is a copy to send, not a workbook the tool
refreshes, so a SheetWrite's record is not written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..read.sheet import Sheet
from .protocol import EVERY_FEATURE, ExistingSheet, SheetWrite, Written
from .xlsxwriter_book import write_new_workbook


class NewWorkbook:
    description = "the new-file writer (XlsxWriter)"
    capabilities = EVERY_FEATURE

    def __init__(self, path: str | Path, properties: dict | None = None):
        self.path = Path(path)
        self.name = str(self.path)
        self.properties = properties

    def read_sheets(self, wanted: Callable[[str], bool]) -> list[Sheet]:
        return []

    def existing(self, name: str) -> ExistingSheet | None:
        return None

    def write(self, writes: list[SheetWrite]) -> Written:
        write_new_workbook(self.path, [write.plan for write in writes], self.properties)
        return Written()
