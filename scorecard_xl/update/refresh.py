"""Refresh scorecard: regenerate the Scorecard sheet in place, keeping what people typed.

``plan_refresh`` is the shared decision (layout, commentary, history, user cells) over plain
data; the file path below and the live-workbook backend both call it, then write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .manual import (HISTORY_SHEET, SheetRecord, carry_manual, history_entries, history_plan, read_manual,
                     user_cells_to_keep)
from ..compute.engine import Scorecard, build_scorecard
from ..pages.scorecard import SHEET_NAME, monthly_layout, rag_counts
from ..compute.months import month_label
from ..problems import Problem, WorkbookError
from ..compute.sheets import scorecard_sheets
from ..read.sheet import find_sheet
from ..read.workbook import check_readable
from .saving import atomic_write, refuse_if_encrypted, refuse_if_open, writing
from ..pages.sheetplan import SheetPlan


@dataclass
class RefreshPlan:
    scorecard_plan: SheetPlan
    history: SheetPlan | None  # None: the history sheet needs no change
    keep_cells: set[tuple[int, int]]  # a person's cells outside the tool's area, carried as they are
    commentary_kept: int = 0
    archived: int = 0
    orphaned: list[str] = field(default_factory=list)
    restored: int = 0


def plan_refresh(scorecard: Scorecard, existing: dict | None, recorded: SheetRecord | None,
                 existing_history: dict | None, sheet_name: str = SHEET_NAME, history_name: str = HISTORY_SHEET,
                 carry_commentary: bool = False, other_cells: set = frozenset()) -> RefreshPlan:
    """Everything a refresh decides, for any backend: the new sheet, what to archive, what to keep.

    ``existing`` holds the current Scorecard's cell values, ``other_cells`` the positions of
    cells with only a formula or formatting, ``recorded`` what the tool recorded on the sheet
    last time (None, or no names in it, when it has no record: then every cell there is a
    person's).
    """
    plan = monthly_layout(scorecard)
    plan.name = sheet_name
    existing = existing or {}
    recorded = recorded or SheetRecord()
    # A sheet that is not the tool's is refused as such before its headings are looked at.
    keep = user_cells_to_keep(existing, recorded.area, plan, sheet_name, other_cells)
    previous = read_manual(existing, recorded, sheet_name, plan.header_row)
    carried = carry_manual(plan, previous, scorecard.reporting_month, carry_commentary,
                           history_entries(existing_history))
    history = history_plan(existing_history, carried.history_rows)
    if history is not None:
        history.name = history_name
    archived = len(carried.history_rows) if history is not None else 0
    return RefreshPlan(plan, history, keep, carried.kept, archived, carried.orphaned, carried.restored)


@dataclass
class RefreshReport:
    workbook: str
    reporting_month: int
    indicators: int
    rag: dict[str, int]
    notes: list[Problem]
    backup: Path | None
    commentary_kept: int
    archived: int
    orphaned: list[str]
    restored: int = 0

    def summary(self) -> str:
        rag = ", ".join(f"{count} {name.lower()}" for name, count in self.rag.items() if count)
        lines = [f"Refreshed {self.workbook}: {self.indicators} indicators, reporting month "
                 f"{month_label(self.reporting_month)}.", f"RAG: {rag}."]
        if self.commentary_kept or self.archived or self.restored:
            restored = f", {self.restored} brought back from the history" if self.restored else ""
            lines.append(f"Commentary: {self.commentary_kept} kept, {self.archived} archived to "
                         f"'{HISTORY_SHEET}'{restored}.")
        if self.orphaned:
            lines.append(f"Commentary for Refs no longer on the scorecard went to '{HISTORY_SHEET}': "
                         f"{', '.join(self.orphaned)}.")
        if self.notes:
            lines.append(f"{len(self.notes)} data-quality note{'s' if len(self.notes) != 1 else ''}:")
            lines += [f"  - {note}" for note in self.notes]
        if self.backup:
            lines.append(f"The previous version is kept at {self.backup}.")
        return "\n".join(lines)


def refresh(target, month: str | None = None, out: str | Path | None = None,
            carry_commentary: bool = False) -> RefreshReport:
    """Refresh the Scorecard of a workbook file (or of an open ``xlwings.Book``)."""
    if not isinstance(target, (str, Path)):
        from ..backends.xlwings_book import refresh_book
        return refresh_book(target, month=month, carry_commentary=carry_commentary)
    return refresh_file(Path(target), month, Path(out) if out else None, carry_commentary)


def refresh_file(path: Path, month: str | None = None, out: Path | None = None,
                 carry_commentary: bool = False) -> RefreshReport:
    check_readable(path)
    refuse_if_encrypted(path)
    refuse_if_open(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(f"{path.name} is not an .xlsx or .xlsm workbook.")
    if out is not None and out.suffix.lower() != path.suffix.lower():
        # The package keeps its content type: an .xlsm saved as .xlsx would not open in Excel.
        raise WorkbookError(f"--out must end in {path.suffix} like {path.name} (it is {out.name}). Nothing was "
                            "changed.")
    # The lock is held from reading to replacing: a second refresh waits, then reads this one's result.
    with writing(out or path, "refreshed") as target:
        return _refresh_locked(path, target, month, out, carry_commentary)


def _refresh_locked(path: Path, target: Path, month: str | None, out: Path | None,
                    carry_commentary: bool) -> RefreshReport:
    from ..backends import xlsx_file

    sheets = scorecard_sheets(path)
    scorecard = build_scorecard(sheets, month)  # raises InputProblems before anything is written
    existing_sheet = find_sheet(sheets, SHEET_NAME)
    history_sheet = find_sheet(sheets, HISTORY_SHEET)
    name = existing_sheet.name if existing_sheet else SHEET_NAME
    history_name = history_sheet.name if history_sheet else HISTORY_SHEET
    protected = xlsx_file.protected_sheets(path, [s.name for s in (existing_sheet, history_sheet) if s])
    if protected:
        raise WorkbookError(
            f"The {' and '.join(sorted(protected))} sheet{'s are' if len(protected) > 1 else ' is'} protected, so "
            "the scorecard cannot be refreshed. In Excel: Review > Unprotect Sheet, then refresh again (protect it "
            "again afterwards if you wish). Nothing was changed.")
    existing = xlsx_file.read_sheet_cells(path, name) if existing_sheet else None
    raw = xlsx_file.read_raw_cells(path, name) if existing_sheet else {}
    other_cells = {cell for cell, xml in raw.items() if xlsx_file.raw_cell_has_content(xml)}
    history = xlsx_file.read_sheet_cells(path, history_name) if history_sheet else None
    recorded = xlsx_file.sheet_record(path, name) if existing_sheet else None
    decided = plan_refresh(scorecard, existing, recorded, history, name, history_name, carry_commentary, other_cells)
    plans = [decided.scorecard_plan] + ([decided.history] if decided.history else [])
    keep_cells = {}
    if decided.keep_cells:
        keep_cells[name] = {cell: raw[cell] for cell in decided.keep_cells if cell in raw}
    if decided.history is not None and history_sheet:
        keep_cells[history_name] = xlsx_file.read_raw_cells(path, history_name)  # the history only grows

    saved = atomic_write(target, lambda temp: xlsx_file.write_plans(path, plans, temp, keep_cells),
                         [p.name for p in plans])
    return RefreshReport(str(out or path), scorecard.reporting_month, len(scorecard.indicators), rag_counts(scorecard),
                         scorecard.problems.notes, saved, decided.commentary_kept, decided.archived, decided.orphaned,
                         decided.restored)
