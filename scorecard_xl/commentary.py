"""What people typed on the Scorecard sheet survives a refresh (DESIGN 6, 7).

Shared by every backend: each reads the existing sheet's cells into a plain
{(row, col): value} dict, and these functions decide what to carry into the new plan, what
to archive to "Commentary history", and which cells would be overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cells import normalise_header, text_of
from .months import month_label, parse_month
from .problems import WorkbookError, cell_name
from .sheetplan import Cell, RichText, SheetPlan, Style

HISTORY_SHEET = "Commentary history"
_MANUAL_HEADER = re.compile(r"^commentary\s*(?:\((.*)\))?\s*:?$", re.IGNORECASE)


@dataclass
class ManualContent:
    """Commentary found on the existing sheet: its month (from the heading) and text per Ref."""

    month: int | None = None
    by_ref: dict[str, object] = field(default_factory=dict)  # str or RichText


def _has_content(value) -> bool:
    if value is None:
        return False
    if isinstance(value, RichText):
        return bool(value.text.strip())
    return not (isinstance(value, str) and not value.strip())


def read_manual(cells: dict[tuple[int, int], object]) -> ManualContent:
    """Find the Ref heading and the 'Commentary (Mmm-YY)' heading; map Ref -> commentary."""
    for (r, c), value in sorted(cells.items()):
        if c != 0 or normalise_header(text_of(value) if not isinstance(value, RichText) else value.text) != "ref":
            continue
        headings = {cc: v for (rr, cc), v in cells.items() if rr == r}
        for cc, heading in headings.items():
            text = heading.text if isinstance(heading, RichText) else text_of(heading)
            match = _MANUAL_HEADER.match(text.strip())
            if not match:
                continue
            month = parse_month(match.group(1)) if match.group(1) else None
            by_ref = {}
            for (rr, ccc), value in cells.items():
                if ccc == cc and rr > r and _has_content(value):
                    ref = cells.get((rr, 0))
                    if ref is not None and text_of(ref):
                        by_ref[text_of(ref)] = value
            return ManualContent(month, by_ref)
        return ManualContent()
    return ManualContent()


@dataclass
class Carried:
    history_rows: list[tuple[str, str, object]]  # (Ref, Mmm-YY, text) to append to the history
    kept: int  # commentaries written back into the new sheet
    orphaned: list[str]  # Refs with commentary that are no longer on the scorecard
    restored: int = 0  # commentaries of a re-reported month brought back from the history


def _plain(value) -> str:
    return value.text if isinstance(value, RichText) else text_of(value)


def history_entries(existing: dict[tuple[int, int], object] | None) -> list[tuple[str, int | None, object]]:
    """The history sheet's rows as (Ref, month, text), in sheet order; the heading row skipped."""
    if not existing:
        return []
    entries = []
    for r in range(1, max(row for row, _ in existing) + 1):
        ref, month, text = (existing.get((r, c)) for c in range(3))
        if _has_content(ref) and _has_content(text):
            entries.append((_plain(ref), parse_month(month) if not isinstance(month, RichText) else None, text))
    return entries


def carry_manual(plan: SheetPlan, previous: ManualContent, reporting_month: int,
                 carry_forward: bool = False, history: list[tuple[str, int | None, object]] = ()) -> Carried:
    """Put last refresh's commentary back per Ref; archive it when the month has moved on.

    When the reporting month goes back to a month already archived (a month reissued), that
    month's commentary comes back from the history, so it can be corrected and archived again.
    """
    column = plan.manual_columns.get("commentary")
    if column is None:
        return Carried([], 0, [])
    moved_on = previous.month is not None and previous.month != reporting_month
    archived = []
    if moved_on:
        label = month_label(previous.month)
        archived = [(ref, label, text) for ref, text in previous.by_ref.items()]
    rows_by_ref = {ref: row for row, ref in plan.row_keys.items()}
    kept = 0
    orphaned = []
    placed: set[str] = set()

    def place(ref, text):
        row = rows_by_ref[ref]
        style = plan.cells[(row, column)].style if (row, column) in plan.cells else None
        plan.cells[(row, column)] = Cell(text, style)
        placed.add(ref)

    for ref, text in previous.by_ref.items():
        if ref not in rows_by_ref:
            orphaned.append(ref)
            if not moved_on:  # nowhere to put it this month: keep it in the history rather than lose it
                archived.append((ref, month_label(previous.month or reporting_month), text))
            continue
        if moved_on and not carry_forward:
            continue
        place(ref, text)
        kept += 1
    restored = 0
    if moved_on:
        latest = {ref: text for ref, month, text in history if month == reporting_month}
        for ref, text in latest.items():
            if ref in rows_by_ref and ref not in placed:
                place(ref, text)
                restored += 1
    return Carried(archived, kept, orphaned, restored)


HISTORY_HEADER = Style("history.header", bold=True, fill="1F3864", font_color="FFFFFF")
HISTORY_TEXT = Style("history.text", wrap=True, vertical="top")


def history_plan(existing: dict[tuple[int, int], object] | None,
                 new_rows: list[tuple[str, str, object]]) -> SheetPlan | None:
    """The rows to append to Commentary history; None when there is nothing new.

    The history only grows: existing cells (and any columns a person added) are carried as
    they are by the backend, and this plan holds just the new rows below them (plus the
    heading when the sheet is new). A row is new unless the same Ref, month and text are
    already there, so corrected commentary for a month is archived too, never dropped.
    """
    entries = history_entries(existing)
    seen = {(ref, month, _plain(text)) for ref, month, text in entries}
    rows = []
    for ref, label, text in new_rows:
        key = (ref, parse_month(label), _plain(text))
        if key not in seen:
            rows.append((ref, label, text))
            seen.add(key)
    if not rows:
        return None
    if existing:  # below what is there, which the backend carries as it is
        return _history_rows(SheetPlan(HISTORY_SHEET), rows, first=max(r for r, _ in existing) + 1)
    return _history_rows(_history_heading(SheetPlan(HISTORY_SHEET)), rows)


def history_copy_plan(existing: dict[tuple[int, int], object] | None, name: str = HISTORY_SHEET) -> SheetPlan | None:
    """The whole history as a fresh sheet (heading and every row), for copies sent to others."""
    entries = history_entries(existing)
    if not entries:
        return None
    rows = [(ref, month_label(month) if month is not None else None, text) for ref, month, text in entries]
    return _history_rows(_history_heading(SheetPlan(name)), rows)


def _history_heading(plan: SheetPlan) -> SheetPlan:
    for c, heading in enumerate(("Ref", "Month", "Text")):
        plan.put(0, c, heading, HISTORY_HEADER)
    plan.column_widths.update({0: 10, 1: 10, 2: 100})
    plan.freeze = (1, 0)
    return plan


def _history_rows(plan: SheetPlan, rows: list[tuple[str, object, object]], first: int = 1) -> SheetPlan:
    for r, row in enumerate(rows, start=first):
        for c, value in enumerate(row):
            plan.put(r, c, value, HISTORY_TEXT)
    return plan


def user_cells_to_keep(values: dict[tuple[int, int], object], previous_area: tuple[int, int, int, int] | None,
                       plan: SheetPlan, sheet_name: str,
                       other_cells: set[tuple[int, int]] = frozenset()) -> set[tuple[int, int]]:
    """Cells a person put outside the tool's area, to carry over where they are.

    The tool's area is the rectangle it wrote last time (recorded in the workbook at each
    refresh) and the one it writes now. ``values`` are the sheet's cells with a value;
    ``other_cells`` those with only a formula or formatting (a yellow sign-off box), which
    are kept too. A person's value inside the new area would be overwritten, so the refresh
    stops and names those cells instead (formatting alone is not worth stopping for).
    """
    def inside(cell, area):
        return area is not None and area[0] <= cell[0] <= area[2] and area[1] <= cell[1] <= area[3]

    new_area = plan.owned_area()
    keep, clashes = set(), []
    for cell, value in values.items():
        if not _has_content(value) or inside(cell, previous_area):
            continue
        if inside(cell, new_area):
            clashes.append(cell)
        else:
            keep.add(cell)
    keep |= {cell for cell in other_cells if not inside(cell, previous_area) and not inside(cell, new_area)}
    if clashes:
        names = ", ".join(cell_name(r, c) for r, c in sorted(clashes)[:12])
        more = f" and {len(clashes) - 12} more" if len(clashes) > 12 else ""
        raise WorkbookError(
            f"The {sheet_name} sheet has content the tool did not write where the new scorecard goes: "
            f"{names}{more}. Move it outside {cell_name(*new_area[:2])}:{cell_name(*new_area[2:])}, or rename "
            f"the sheet (e.g. '{sheet_name} (old)') to keep it, then refresh again. Nothing was changed.")
    return keep
