"""The tool's record of a sheet it wrote: hidden names local to that sheet (docs/design.md §6).

Every backend writes the record beside the cells and reads it back at the next refresh, so the
names and their meaning live here, below the stage that decides what to keep (update/). The
record says which rectangle the tool owns, where the Ref column and each column people type into
(commentary, the board's overrides and headlines) are, and which reporting month the sheet
shows. Excel moves the area names with the cells when a person inserts or deletes rows or
columns, so the next refresh finds what was typed by position, whatever the headings say by then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..pages.sheetplan import OWNED_AREA_NAME, SheetPlan

Area = tuple[int, int, int, int]  # 0-based top, left, bottom, right

REFS_NAME = "_scorecard_xl_refs"
MANUAL_COLUMN = "commentary"  # the manual column of the Scorecard (and of most pages)
# The columns people type into, by their keys in a plan's ``manual_columns``: each is recorded
# under a name of its own, so a refresh finds each by position, never by its heading alone.
MANUAL_KEYS = (MANUAL_COLUMN, "override", "headline")


def manual_name(key: str) -> str:
    """The name recording where the manual column ``key`` is: ``_scorecard_xl_commentary``."""
    return f"_scorecard_xl_{key}"


COMMENTARY_NAME = manual_name(MANUAL_COLUMN)
# The names that hold a rectangle, in the order backends write them.
RECORD_NAMES = (OWNED_AREA_NAME, REFS_NAME) + tuple(manual_name(key) for key in MANUAL_KEYS)
# A name holding a text constant, the reporting month the sheet shows as "YYYY-MM": what a copy
# made later is for, without reading it back from a heading a person may have reworded.
MONTH_NAME = "_scorecard_xl_month"
# Each chart the tool draws on a sheet has a name of this shape (its drawing object's name in the
# file, the chart's name to Excel), so a refresh replaces the tool's charts and no one else's.
CHART_NAME = "scorecard_xl chart {}"
_CHART_NAME = re.compile(r"scorecard_xl chart \d+")


@dataclass(frozen=True)
class SheetRecord:
    """What the workbook says about an existing sheet besides its values.

    ``names``: the tool's area names found on the sheet, each with its rectangle (None when its
    cells were deleted). Nothing else (a print area, say) counts as the tool's.
    ``number_formats``: the number format of each cell that has one, so that commentary typed
    as a date or a percentage is written back as the person saw it.
    ``month``: the recorded reporting month as its constant's text ("2021-02"), None when the
    sheet has none (a workbook refreshed before the month was recorded). Backends keep it as
    text; the update stage reads it as a month.
    """

    names: dict[str, Area | None] = field(default_factory=dict)
    number_formats: dict[tuple[int, int], str] = field(default_factory=dict)
    month: str | None = None

    @property
    def area(self) -> Area | None:
        """The rectangle the tool wrote last time, None if it has no record of one."""
        return self.names.get(OWNED_AREA_NAME)


def chart_name(number: int) -> str:
    """The name of the tool's ``number``-th chart (from 1) on a sheet."""
    return CHART_NAME.format(number)


def is_tool_chart(name: str | None) -> bool:
    """Whether a chart (or other drawing object) called ``name`` is one the tool drew."""
    return bool(name) and _CHART_NAME.fullmatch(name) is not None


def recorded_areas(plan: SheetPlan) -> dict[str, Area]:
    """The area names (and their rectangles) a backend records for ``plan``."""
    areas = {OWNED_AREA_NAME: plan.owned_area()}
    unknown = sorted(set(plan.manual_columns) - set(MANUAL_KEYS))
    if unknown:
        raise ValueError(f"manual columns {unknown} have no record name; add their keys to MANUAL_KEYS")
    if plan.manual_columns and plan.row_keys and plan.header_row is not None:
        last = max(plan.row_keys)
        refs = _key_column(plan)
        areas[REFS_NAME] = (plan.header_row, refs, last, refs)
        for key, column in plan.manual_columns.items():
            areas[manual_name(key)] = (plan.header_row, column, last, column)
    return areas


def record_for(plan: SheetPlan, month: str | None = None) -> SheetRecord:
    """The record a backend writes for ``plan`` (showing ``month``, "YYYY-MM")."""
    return SheetRecord(recorded_areas(plan), month=month)


def _key_column(plan: SheetPlan) -> int:
    """The column that holds each row's key (the Ref)."""
    row, key = next(iter(plan.row_keys.items()))
    return next(c for (r, c), cell in sorted(plan.cells.items()) if r == row and cell.value == key)


_CONSTANT = re.compile(r'^\s*=?\s*"((?:[^"]|"")*)"\s*$')


def text_constant(text: str) -> str:
    """A defined name's formula for a text constant, as workbook.xml holds it: ``"2021-02"``."""
    return '"' + text.replace('"', '""') + '"'


def constant_text(formula: str | None) -> str | None:
    """The text of a name holding a text constant (``"2021-02"`` or ``="2021-02"``); None for
    anything else (a reference, a number, a formula)."""
    match = _CONSTANT.match(formula or "")
    return match.group(1).replace('""', '"') if match else None
