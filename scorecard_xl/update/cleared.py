"""What a refresh empties inside the tool's own area, said rather than lost (docs/design.md §7).

The rectangle the tool wrote last time is its own, and a refresh rewrites it whole. A person may
still have typed into it: a note in a cell the table leaves empty (an indicator without a target),
beside the title. Such a cell is found as one that held something and that the new page leaves
empty, on a row that means what it meant (the same Ref, or above the headings) and under the same
heading: the tool writes the same cells there month after month, so what it empties there is
what someone put in. Cells whose row or heading moved (an indicator added or removed, more months
shown) were the tool's own, laid out afresh, and are not listed.
"""

from __future__ import annotations

from ..addressing import cell_name, cell_reference
from ..backends.record import Area
from ..compute.cells import text_of
from ..pages.board_text import typed_text
from ..pages.sheetplan import SheetPlan

QUOTED = 60  # characters of what was there, in the list
EMPTY = (None, "")  # a cell the plan only styles (borders, a fill) is one it leaves empty


def cleared_cells(values: dict[tuple[int, int], object], previous_area: Area | None, plan: SheetPlan) -> list[str]:
    """"Scorecard!V9: 'target agreed at 1,400'" for each cell of ``previous_area`` that this
    ``plan`` leaves empty although it held something, where the row and heading mean what they did."""
    if previous_area is None or plan.header_row is None or not _same_place(values, plan, plan.header_row, 0):
        return []  # the headings moved (a key line more or fewer): the whole page was laid out afresh
    top, left, bottom, right = previous_area
    merged = {(r, c) for r1, c1, r2, c2 in plan.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    manual = set(plan.manual_columns.values())
    found = []
    for (row, column), value in sorted(values.items()):
        written = plan.cells.get((row, column))
        if not (top <= row <= bottom and left <= column <= right) or written is not None and written.value not in EMPTY:
            continue
        text = typed_text(value).strip()
        if not text or (row, column) in merged or column in manual or not _same_place(values, plan, row, column):
            continue
        quoted = text if len(text) <= QUOTED else text[:QUOTED].rstrip() + "\u2026"
        found.append(f"{cell_reference(plan.name, cell_name(row, column))}: '{quoted}'")
    return found


def _same_place(values: dict[tuple[int, int], object], plan: SheetPlan, row: int, column: int) -> bool:
    """The row holds the same Ref as before, under the same heading (the heading row: the same
    heading; above it, anywhere)."""
    header = plan.header_row
    heading = plan.cells.get((header, column))
    same_heading = heading is not None and text_of(values.get((header, column))) == text_of(heading.value)
    if row <= header:
        return row < header or same_heading
    return same_heading and plan.row_keys.get(row) is not None and text_of(values.get((row, 0))) == plan.row_keys[row]
