"""The reporting month a sheet was last refreshed for, as the tool recorded it (docs/design.md §6).

A refresh records the month each page shows in a hidden name local to its sheet
(backends/record.py). A copy made later (``scorecard export``) asks here which month the sheet
shows, rather than reading it from a heading a person may have reworded; a workbook refreshed
before the month was recorded falls back to the commentary heading, as copies did then.
"""

from __future__ import annotations

from pathlib import Path

from ..backends.protocol import ExistingSheet
from ..backends.xlsx_file import XlsxFile
from ..compute.months import parse_month
from .manual import read_manual


def recorded_month(path: str | Path, sheet_name: str) -> int | None:
    """The month the sheet called ``sheet_name`` shows: the one recorded at its last refresh, else
    the one its commentary heading names; None when neither says (or there is no such sheet)."""
    return shown_month(XlsxFile(path).existing(sheet_name))


def shown_month(sheet: ExistingSheet | None) -> int | None:
    """The month ``sheet`` shows, as ``recorded_month`` reads it; None for no sheet."""
    if sheet is None:
        return None
    month = parse_month(sheet.record.month) if sheet.record.month else None
    if month is not None:
        return month
    return read_manual(sheet.values, sheet.record, sheet.name).month
