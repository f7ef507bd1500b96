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


def carry_manual(plan: SheetPlan, previous: ManualContent, reporting_month: int,
                 carry_forward: bool = False) -> Carried:
    """Put last refresh's commentary back per Ref; archive it when the month has moved on."""
    column = plan.manual_columns.get("commentary")
    if column is None or not previous.by_ref:
        return Carried([], 0, [])
    moved_on = previous.month is not None and previous.month != reporting_month
    history = []
    if moved_on:
        label = month_label(previous.month)
        history = [(ref, label, text) for ref, text in previous.by_ref.items()]
    rows_by_ref = {ref: row for row, ref in plan.row_keys.items()}
    kept = 0
    orphaned = []
    for ref, text in previous.by_ref.items():
        row = rows_by_ref.get(ref)
        if row is None:
            orphaned.append(ref)
            if not moved_on:  # nowhere to put it this month: keep it in the history rather than lose it
                history.append((ref, month_label(previous.month or reporting_month), text))
            continue
        if moved_on and not carry_forward:
            continue
        style = plan.cells[(row, column)].style if (row, column) in plan.cells else None
        plan.cells[(row, column)] = Cell(text, style)
        kept += 1
    return Carried(history, kept, orphaned)


HISTORY_HEADER = Style("history.header", bold=True, fill="1F3864", font_color="FFFFFF")
HISTORY_TEXT = Style("history.text", wrap=True, vertical="top")


def history_plan(existing: dict[tuple[int, int], object] | None, new_rows: list[tuple[str, str, object]]) -> SheetPlan:
    """The Commentary history sheet: what it had, plus the new rows not already there."""
    plan = SheetPlan(HISTORY_SHEET)
    plan.put(0, 0, "Ref", HISTORY_HEADER)
    plan.put(0, 1, "Month", HISTORY_HEADER)
    plan.put(0, 2, "Text", HISTORY_HEADER)
    rows: list[tuple[object, object, object]] = []
    if existing:
        last = max(r for r, _ in existing)
        for r in range(1, last + 1):
            triple = tuple(existing.get((r, c)) for c in range(3))
            if any(_has_content(v) for v in triple):
                rows.append(triple)
    seen = {(text_of(r) if not isinstance(r, RichText) else r.text, text_of(m)) for r, m, _ in rows}
    for ref, month, text in new_rows:
        if (ref, month) not in seen:
            rows.append((ref, month, text))
            seen.add((ref, month))
    for r, (ref, month, text) in enumerate(rows, start=1):
        plan.put(r, 0, ref, HISTORY_TEXT)
        plan.put(r, 1, month, HISTORY_TEXT)
        plan.put(r, 2, text, HISTORY_TEXT)
    plan.column_widths.update({0: 10, 1: 10, 2: 100})
    plan.freeze = (1, 0)
    return plan


def user_cells_to_keep(existing: dict[tuple[int, int], object], previous_area: tuple[int, int, int, int] | None,
                       plan: SheetPlan, sheet_name: str) -> set[tuple[int, int]]:
    """Cells a person put outside the tool's area, to carry over where they are.

    The tool's area is the rectangle it wrote last time (recorded as the sheet's print area)
    and the one it writes now. A person's cell inside the new area would be overwritten, so
    the refresh stops and names those cells instead.
    """
    def inside(cell, area):
        return area is not None and area[0] <= cell[0] <= area[2] and area[1] <= cell[1] <= area[3]

    new_area = plan.owned_area()
    keep, clashes = set(), []
    for cell, value in existing.items():
        if not _has_content(value) or inside(cell, previous_area):
            continue
        if inside(cell, new_area):
            clashes.append(cell)
        else:
            keep.add(cell)
    if clashes:
        names = ", ".join(cell_name(r, c) for r, c in sorted(clashes)[:12])
        more = f" and {len(clashes) - 12} more" if len(clashes) > 12 else ""
        raise WorkbookError(
            f"The {sheet_name} sheet has content the tool did not write where the new scorecard goes: "
            f"{names}{more}. Move it outside {cell_name(*new_area[:2])}:{cell_name(*new_area[2:])}, or rename "
            f"the sheet (e.g. '{sheet_name} (old)') to keep it, then refresh again. Nothing was changed.")
    return keep
