"""Refresh scorecard: regenerate the Scorecard sheet in place, keeping what people typed.

``plan_refresh`` is the shared decision (layout, commentary, history, user cells) over plain
data; the file path below and the live-workbook backend both call it, then write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .commentary import HISTORY_SHEET, carry_manual, history_plan, read_manual, user_cells_to_keep
from .engine import Scorecard, build_scorecard
from .layout import SHEET_NAME, monthly_layout, rag_counts
from .months import month_label
from .problems import Problem, WorkbookError
from .reader import check_readable, find_sheet, read_workbook
from .saving import atomic_write, refuse_if_encrypted, refuse_if_open
from .sheetplan import SheetPlan


@dataclass
class RefreshPlan:
    scorecard_plan: SheetPlan
    history: SheetPlan | None  # None: the history sheet needs no change
    keep_cells: set[tuple[int, int]]  # a person's cells outside the tool's area, carried as they are
    commentary_kept: int = 0
    archived: int = 0
    orphaned: list[str] = field(default_factory=list)


def plan_refresh(scorecard: Scorecard, existing: dict | None, previous_area, existing_history: dict | None,
                 sheet_name: str = SHEET_NAME, history_name: str = HISTORY_SHEET,
                 carry_commentary: bool = False) -> RefreshPlan:
    plan = monthly_layout(scorecard)
    plan.name = sheet_name
    existing = existing or {}
    carried = carry_manual(plan, read_manual(existing), scorecard.reporting_month, carry_commentary)
    keep = user_cells_to_keep(existing, previous_area, plan, sheet_name)
    history = history_plan(existing_history, carried.history_rows) if carried.history_rows else None
    if history is not None:
        history.name = history_name
    return RefreshPlan(plan, history, keep, carried.kept, len(carried.history_rows), carried.orphaned)


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

    def summary(self) -> str:
        rag = ", ".join(f"{count} {name.lower()}" for name, count in self.rag.items() if count)
        lines = [f"Refreshed {self.workbook}: {self.indicators} indicators, reporting month "
                 f"{month_label(self.reporting_month)}.", f"RAG: {rag}."]
        if self.commentary_kept or self.archived:
            lines.append(f"Commentary: {self.commentary_kept} kept, {self.archived} archived to '{HISTORY_SHEET}'.")
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
        from .backends.xlwings_book import refresh_book
        return refresh_book(target, month=month, carry_commentary=carry_commentary)
    return refresh_file(Path(target), month, Path(out) if out else None, carry_commentary)


def refresh_file(path: Path, month: str | None = None, out: Path | None = None,
                 carry_commentary: bool = False) -> RefreshReport:
    from .backends import xlsx_file

    check_readable(path)
    refuse_if_encrypted(path)
    refuse_if_open(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(f"{path.name} is not an .xlsx or .xlsm workbook.")
    sheets = read_workbook(path)
    scorecard = build_scorecard(sheets, month)  # raises InputProblems before anything is written
    existing_sheet = find_sheet(sheets, SHEET_NAME)
    name = existing_sheet.name if existing_sheet else SHEET_NAME
    if existing_sheet and existing_sheet.name in xlsx_file.protected_sheets(path):
        raise WorkbookError(
            f"The {name} sheet is protected, so it cannot be refreshed. In Excel: Review > Unprotect Sheet, "
            "then refresh again (protect it again afterwards if you wish). Nothing was changed.")
    history_sheet = find_sheet(sheets, HISTORY_SHEET)
    existing = xlsx_file.read_sheet_cells(path, name) if existing_sheet else None
    history = xlsx_file.read_sheet_cells(path, history_sheet.name) if history_sheet else None
    area = xlsx_file.sheet_print_area(path, name) if existing_sheet else None
    decided = plan_refresh(scorecard, existing, area, history, name,
                           history_sheet.name if history_sheet else HISTORY_SHEET, carry_commentary)
    plans = [decided.scorecard_plan] + ([decided.history] if decided.history else [])
    keep_cells = {}
    if decided.keep_cells:
        raw = xlsx_file.read_raw_cells(path, name)
        keep_cells[name] = {cell: raw[cell] for cell in decided.keep_cells if cell in raw}

    target = out or path
    saved = atomic_write(target, lambda temp: xlsx_file.write_plans(path, plans, temp, keep_cells),
                         [p.name for p in plans], keep_backup=out is None)
    return RefreshReport(str(target), scorecard.reporting_month, len(scorecard.indicators), rag_counts(scorecard),
                         scorecard.problems.notes, saved, decided.commentary_kept, decided.archived, decided.orphaned)
