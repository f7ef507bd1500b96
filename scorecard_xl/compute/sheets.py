"""Which sheets of a workbook the scorecard reads: those its contract names (docs/design.md §3)."""

from __future__ import annotations

from pathlib import Path

from ..read.sheet import Sheet
from ..read.workbook import read_workbook
from .months import sheet_month

SCORECARD_SHEETS = ("indicators", "data", "settings", "scorecard", "commentary history")


def is_scorecard_sheet(name: str) -> bool:
    """The sheets the workbook contract names, and sheets named by a month alone (raw data)."""
    return name.strip().casefold() in SCORECARD_SHEETS or sheet_month(name) is not None


def scorecard_sheets(path: str | Path) -> list[Sheet]:
    """The contract's sheets of a workbook file, read; a big export beside them costs nothing."""
    return read_workbook(path, wanted=is_scorecard_sheet)
