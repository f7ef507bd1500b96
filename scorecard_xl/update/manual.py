"""What people typed on the tool's pages survives a refresh (docs/design.md §6, §7).

Shared by every backend: each reads the existing sheet's cells into a plain
{(row, col): value} dict and what the workbook recorded about it (a SheetRecord), and these
functions decide what to carry into the new plan, what to archive to a history, and which
cells would be overwritten. A page may have several columns people type into (its
``manual_columns``: the Scorecard's commentary, the board's overrides and headlines); each is
found where the tool recorded it and has a history of its own (``HISTORY_SHEETS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..compute.cells import is_number, text_of
from ..compute.months import month_label, parse_month
from ..addressing import cell_name, cell_reference
from ..problems import WorkbookError
from ..backends.record import (COMMENTARY_NAME, MANUAL_COLUMN, RECORD_NAMES, REFS_NAME, Area,  # noqa: F401
                               SheetRecord, manual_name, recorded_areas)
from ..pages.printing import fit_row_heights, page_setup, text_height
from ..pages.sheetplan import SheetPlan, Style
from ..read.sheet import RichText

HISTORY_SHEET = "Commentary history"
# Each manual column's history, where what was typed in it is archived when the month moves on.
HISTORY_SHEETS = {MANUAL_COLUMN: HISTORY_SHEET, "override": "Override history", "headline": "Headline history"}
_COMMENTARY = MANUAL_COLUMN  # the plan's manual column people type into
# A heading a person may have reworded ("Comments (Feb-21)", "Commentary (Feb-21) - reviewed").
_COMMENTARY_HEADING = re.compile(r"^\s*comment", re.IGNORECASE)
# How a message names what was typed in each manual column, and the heading it must keep.
_WHAT = {MANUAL_COLUMN: "commentary", "override": "an override", "headline": "a headline"}


def _heading_word(key: str) -> str:
    return key.capitalize()


@dataclass(frozen=True)
class Formatted:
    """A number typed as commentary with its number format (a date, a percentage): it is written
    back with that format, so it looks as it did rather than like 44256."""

    value: float
    num_format: str


@dataclass
class ManualContent:
    """What was typed in one manual column of the existing sheet: its month (from the heading), the
    text per Ref, and the cell each was read from."""

    month: int | None = None
    by_ref: dict[str, object] = field(default_factory=dict)  # str, RichText, a number or Formatted
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Columns:
    heading: tuple[int, int]  # the commentary heading cell
    refs: int  # the Ref column
    last_row: int


def _has_content(value) -> bool:
    if value is None:
        return False
    if isinstance(value, RichText):
        return bool(value.text.strip())
    return not (isinstance(value, str) and not value.strip())


def _plain(value) -> str:
    if isinstance(value, Formatted):
        return text_of(value.value)
    return value.text if isinstance(value, RichText) else text_of(value)


def _heading_month(text: str) -> int | None:
    """The month a commentary heading names: in brackets, or as a word or two of it."""
    words = re.sub(r"[()\[\],]", " ", text).split()
    candidates = re.findall(r"\(([^()]*)\)", text) + words + [" ".join(pair) for pair in zip(words, words[1:])]
    return next((month for month in map(parse_month, candidates) if month is not None), None)


def read_manual(cells: dict[tuple[int, int], object], record: SheetRecord | None = None,
                sheet_name: str = "Scorecard", heading_row: int | None = None,
                key: str = MANUAL_COLUMN) -> ManualContent:
    """Ref -> what was typed in the manual column ``key`` of the existing sheet, and the month it
    was written for.

    With a ``record`` the column is where the tool recorded it, whatever the headings say now; a
    sheet the tool has no record of holds nothing of its own. A workbook refreshed before the
    commentary was recorded (only its area) falls back to the headings; without a record at all
    (reading a sheet for a copy) the headings are all there is. Only commentary is ever looked
    for by its heading: every other manual column is found by its record alone. What is there but
    cannot be placed stops the refresh, naming the cell: it is never dropped unsaid.
    ``heading_row``: the row where the layout puts its headings (for that last resort).
    """
    if record is not None and not record.names:
        return ManualContent()
    if record is not None and (REFS_NAME in record.names or manual_name(key) in record.names):
        columns = _recorded_columns(cells, record, sheet_name, key)
    elif key == MANUAL_COLUMN:
        columns = _columns_by_heading(cells, record.area if record else None, sheet_name, heading_row)
    else:
        columns = None
    if columns is None:
        return ManualContent()
    formats = record.number_formats if record else {}
    top, column = columns.heading
    by_ref, where = {}, {}
    for row in range(top + 1, columns.last_row + 1):
        value = cells.get((row, column))
        if not _has_content(value):
            continue
        ref = text_of(cells.get((row, columns.refs)))
        if not ref:
            raise WorkbookError(
                f"{cell_reference(sheet_name, cell_name(row, column))} holds {_WHAT.get(key, 'typed text')}, but "
                f"its Ref cell {cell_name(row, columns.refs)} is empty, so it cannot be kept with its indicator. Write the Ref "
                f"back in {cell_name(row, columns.refs)} (or move the text out of the table), then refresh "
                "again. Nothing was changed.")
        if is_number(value) and (row, column) in formats:
            value = Formatted(value, formats[(row, column)])
        by_ref[ref], where[ref] = value, (row, column)
    heading = _plain(cells.get(columns.heading))
    month = _heading_month(heading)
    if month is None and by_ref:
        raise _unplaced(sheet_name, columns.heading, heading, "which month what is typed under it is for", key)
    return ManualContent(month, by_ref, where)


def _unplaced(sheet_name: str, heading: tuple[int, int], text: str, missing: str,
              key: str = MANUAL_COLUMN) -> WorkbookError:
    where = cell_name(*heading)
    now = f"is now '{text}'" if text else "is now empty"
    word = _heading_word(key)
    return WorkbookError(
        f"{cell_reference(sheet_name, where)}: the {word.lower()} heading {now}, so the tool cannot tell "
        f"{missing}. Write '{word} (Mmm-YY)' in {where}, with the month it was written for, and refresh again. "
        "Nothing was changed.")


def _recorded_columns(cells, record: SheetRecord, sheet_name: str, key: str = MANUAL_COLUMN) -> _Columns | None:
    typed, refs = record.names.get(manual_name(key)), record.names.get(REFS_NAME)
    if typed is None:  # the column was deleted (or the page never had it): nothing of it left to keep
        return None
    top, column = typed[0], typed[1]
    if refs is None:
        if any(_has_content(cells.get((row, column))) for row in range(top + 1, typed[2] + 1)):
            heading = _plain(cells.get((top, column)))
            where = cell_name(top, column)
            raise WorkbookError(
                f"{cell_reference(sheet_name, where)}: the Ref column beside this column ('{heading}') was "
                "deleted, so what is typed in it cannot be kept with its indicators. Undo the deletion (or move the text out of "
                "the table), then refresh again. Nothing was changed.")
        return None
    return _Columns((top, column), refs[1], max(typed[2], refs[2]))


def _columns_by_heading(cells, area: Area | None, sheet_name: str, heading_row: int | None) -> _Columns | None:
    """Where the commentary is on a sheet with no record of it: under a heading that still reads
    as one, else (the tool's own area known) the area's last column, where the layout puts it."""
    def inside(cell):
        return area is None or (area[0] <= cell[0] <= area[2] and area[1] <= cell[1] <= area[3])

    last_row = area[2] if area else max((r for r, _ in cells), default=0)
    for cell, value in sorted(cells.items()):
        if inside(cell) and _COMMENTARY_HEADING.match(_plain(value)):
            return _Columns(cell, 0, last_row)
    if area is None or heading_row is None:
        return None
    heading = (heading_row, area[3])
    if _heading_month(_plain(cells.get(heading))) is not None:
        return _Columns(heading, 0, last_row)
    if any(_has_content(cells.get((row, heading[1]))) for row in range(heading_row + 1, last_row + 1)):
        raise _unplaced(sheet_name, heading, _plain(cells.get(heading)), "that the column under it is commentary")
    return None


@dataclass
class Carried:
    history_rows: list[tuple[str, str, object]]  # (Ref, Mmm-YY, text) to append to the column's history
    kept: int  # entries written back into the new sheet
    orphaned: list[str]  # Refs with something typed that are no longer on the page
    restored: int = 0  # entries of a re-reported month brought back from the history
    placed: dict[str, object] = field(default_factory=dict)  # Ref -> what the new sheet holds, as typed


HISTORY_TEXT_COLUMN = 2  # 0-based: Ref, Month, Text


def history_rows(existing: dict[tuple[int, int], object] | None, formats: dict[tuple[int, int], str] | None = None
                 ) -> list[tuple[int, str, int | None, object]]:
    """The history sheet's rows as (0-based row, Ref, month, text), in sheet order; the heading row
    skipped. ``formats``: the sheet's number formats, so that a date or percentage archived as
    commentary is Formatted and comes back looking as it was typed."""
    if not existing:
        return []
    entries = []
    for r in range(1, max(row for row, _ in existing) + 1):
        ref, month, text = (existing.get((r, c)) for c in range(HISTORY_TEXT_COLUMN + 1))
        if _has_content(ref) and _has_content(text):
            if is_number(text) and formats and (r, HISTORY_TEXT_COLUMN) in formats:
                text = Formatted(text, formats[(r, HISTORY_TEXT_COLUMN)])
            entries.append((r, _plain(ref), parse_month(month) if not isinstance(month, RichText) else None, text))
    return entries


def history_entries(existing: dict[tuple[int, int], object] | None, formats: dict[tuple[int, int], str] | None = None
                    ) -> list[tuple[str, int | None, object]]:
    """The history sheet's rows as (Ref, month, text), in sheet order; the heading row skipped."""
    return [entry[1:] for entry in history_rows(existing, formats)]


def carry_manual(plan: SheetPlan, previous: ManualContent, reporting_month: int,
                 carry_forward: bool = False, history: list[tuple[str, int | None, object]] = (),
                 key: str = MANUAL_COLUMN) -> Carried:
    """Put what was typed in the manual column ``key`` back per Ref; archive it when the month has
    moved on.

    When the reporting month goes back to a month already archived (a month reissued), that
    month's entries come back from the history, so they can be corrected and archived again.
    """
    column = plan.manual_columns.get(key)
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
    placed: dict[str, object] = {}

    def place(ref, text):
        placed[ref] = text

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
    put_placed(plan, key, placed)
    return Carried(archived, kept, orphaned, restored, placed)


def put_placed(plan: SheetPlan, key: str, placed: dict[str, object]) -> None:
    """Put each Ref's entry into the plan's manual column ``key``, in the style the page gives that
    cell, and fit the rows to what they now hold."""
    column = plan.manual_columns[key]
    rows_by_ref = {ref: row for row, ref in plan.row_keys.items()}
    for ref, text in placed.items():
        row = rows_by_ref[ref]
        style = plan.cells[(row, column)].style if (row, column) in plan.cells else None
        put_as_typed(plan, row, column, text, style)
    fit_row_heights(plan)


def put_as_typed(plan: SheetPlan, row: int, column: int, value, style: Style | str | None) -> None:
    """Put what a person typed; a Formatted number keeps its number format on top of ``style``."""
    if isinstance(value, Formatted):
        base = style if isinstance(style, Style) else plan.styles.get(style) or Style("typed")
        style = replace(base, name=f"{base.name}[{value.num_format}]", num_format=value.num_format)
        value = value.value
    plan.put(row, column, value, style)


HISTORY_HEADER = Style("history.header", bold=True, fill="1F3864", font_color="FFFFFF", vertical="top")
HISTORY_TEXT = Style("history.text", wrap=True, vertical="top")
HISTORY_WIDTHS = {0: 12, 1: 10, 2: 90}  # Ref, Month, Text: the text wraps within a portrait page


def history_plan(existing: dict[tuple[int, int], object] | None,
                 new_rows: list[tuple[str, str, object]], name: str = HISTORY_SHEET,
                 paper: str = "A4") -> SheetPlan | None:
    """The rows to append to a history (Commentary history by default); None when there is nothing new.

    The history only grows: existing cells (and any columns a person added) are carried as
    they are by the backend, and this plan holds just the new rows below them (plus the
    heading when the sheet is new), with the widths, row heights and print setup of the whole
    sheet. A row is new unless the same Ref, month and text are already there, so a corrected
    entry for a month is archived too, never dropped.
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
        plan = _history_rows(SheetPlan(name), rows, first=max(r for r, _ in existing) + 1)
        for row in range(1, min(plan.cells)[0]):  # the rows already there are as tall as their text
            text = existing.get((row, 2))
            if _has_content(text):
                plan.row_heights[row] = text_height(_plain(text), HISTORY_WIDTHS[2])
    else:
        plan = _history_rows(_history_heading(SheetPlan(name)), rows)
    return _printable_history(plan, paper)


def history_copy_plan(existing: dict[tuple[int, int], object] | None, name: str = HISTORY_SHEET,
                      paper: str = "A4", formats: dict[tuple[int, int], str] | None = None) -> SheetPlan | None:
    """The whole history as a fresh sheet (heading and every row), for copies sent to others."""
    entries = history_entries(existing, formats)
    if not entries:
        return None
    rows = [(ref, month_label(month) if month is not None else None, text) for ref, month, text in entries]
    return _printable_history(_history_rows(_history_heading(SheetPlan(name)), rows), paper)


def _history_heading(plan: SheetPlan) -> SheetPlan:
    for c, heading in enumerate(("Ref", "Month", "Text")):
        plan.put(0, c, heading, HISTORY_HEADER)
    plan.freeze = (1, 0)
    return plan


def _history_rows(plan: SheetPlan, rows: list[tuple[str, object, object]], first: int = 1) -> SheetPlan:
    for r, row in enumerate(rows, start=first):
        for c, value in enumerate(row):
            put_as_typed(plan, r, c, value, HISTORY_TEXT)
    return plan


def _printable_history(plan: SheetPlan, paper: str) -> SheetPlan:
    """A history reads on paper as on screen: its columns wide enough, its text wrapped within them
    and its rows as tall as their text, its heading on every page."""
    plan.column_widths.update(HISTORY_WIDTHS)
    fit_row_heights(plan)
    plan.print_setup = page_setup(plan, paper, plan.owned_area(), landscape=False, repeat_rows=(0, 0),
                                  header=f'&L&"-,Bold"{plan.name}', footer="&RPage &P of &N")
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
