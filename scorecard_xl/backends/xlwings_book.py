"""Live-workbook backend: read the raw sheets through xlwings, write a SheetPlan into the open book.

Excel calls are slow (each is a round trip to Excel, or an action sent back to it), so the
plan is written in a bounded number of calls: the whole value grid at once, all fills in one
``set_colors`` matrix, and each other formatting property (borders included) once per
rectangle of cells that share its value, never cell by cell. The decisions (layout, commentary, user cells) are the
same code the file backend uses: refreshing.plan_refresh.
"""

from __future__ import annotations

from collections import defaultdict

from ..update.manual import RECORD_NAMES, SheetRecord, recorded_areas
from ..addressing import area_reference, cell_name, one_based, parse_area
from ..problems import WorkbookError
from ..compute.sheets import is_scorecard_sheet
from ..read.sheet import Sheet, clean_value, find_sheet
from ..pages.sheetplan import RichText, SheetPlan

MAX_COLOUR_CELLS = 10_000  # xlwings' limit for one set_colors call

# Style attribute -> how xlwings sets it on a Range; a None/False value means "leave as default".
_PROPERTIES = {
    "bold": lambda rng, v: setattr(rng.font, "bold", v),
    "italic": lambda rng, v: setattr(rng.font, "italic", v),
    "font_size": lambda rng, v: setattr(rng.font, "size", v),
    "font_color": lambda rng, v: setattr(rng.font, "color", "#" + v),
    "num_format": lambda rng, v: setattr(rng, "number_format", v),
    "horizontal": lambda rng, v: setattr(rng, "horizontal_alignment", v),
    "vertical": lambda rng, v: setattr(rng, "vertical_alignment", v),
    "wrap": lambda rng, v: setattr(rng, "wrap_text", v),
}


def read_sheets(book) -> list[Sheet]:
    """The scorecard's sheets as plain grids anchored at A1, one read per sheet."""
    sheets = []
    for sheet in book.sheets:
        if not is_scorecard_sheet(sheet.name):
            continue
        used = sheet.used_range
        last = used.last_cell
        grid = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, err_to_str=True).value or [[]]
        sheets.append(Sheet(sheet.name, [[clean_value(v) for v in row] for row in grid]))
    return sheets


def sheet_cells(sheet: Sheet | None) -> dict[tuple[int, int], object] | None:
    if sheet is None:
        return None
    return {(r, c): v for r, row in enumerate(sheet.rows) for c, v in enumerate(row) if v is not None}


def _names(xl_sheet) -> dict[str, object]:
    """The sheet's own names that are part of the tool's record, by record name."""
    wanted = {name.casefold(): name for name in RECORD_NAMES}
    found = {}
    try:
        for name in xl_sheet.names:
            ours = wanted.get(name.name.rsplit("!", 1)[-1].casefold())
            if ours is not None:
                found[ours] = name
    except Exception:  # not every Excel client lists sheet names: then nothing is on record
        pass
    return found


def sheet_record(xl_sheet) -> SheetRecord:
    """What the tool recorded on the sheet at its last refresh: its own names only (a print area is
    no record of the tool's). Number formats are not asked for: Excel clients cannot all read them."""
    names = _names(xl_sheet)
    return SheetRecord({ours: parse_area((name.refers_to or "").lstrip("=")) for ours, name in names.items()})


def _record(xl_sheet, plan: SheetPlan) -> None:
    """Write the tool's record names for ``plan``: changed where they exist (Excel's add-in
    platform will not add a name twice), added where not, removed where the plan has no such area."""
    areas = recorded_areas(plan)
    existing = _names(xl_sheet)
    for ours in RECORD_NAMES:
        if ours not in areas:
            if ours in existing:
                existing[ours].delete()
            continue
        formula = "=" + area_reference(xl_sheet.name, *areas[ours])
        if ours in existing:
            existing[ours].refers_to = formula
        else:
            xl_sheet.names.add(ours, formula)


def rectangles(cells) -> list[tuple[int, int, int, int]]:
    """Cover a set of (row, col) cells with few rectangles: row runs, stacked when they repeat."""
    runs_by_row: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in sorted({r for r, _ in cells}):
        columns = sorted(c for r, c in cells if r == row)
        start = previous = columns[0]
        for column in columns[1:]:
            if column != previous + 1:
                runs_by_row[row].append((start, previous))
                start = column
            previous = column
        runs_by_row[row].append((start, previous))
    open_runs: dict[tuple[int, int], list[int]] = {}
    done = []
    for row in sorted(runs_by_row):
        current = set(runs_by_row[row])
        for run in list(open_runs):
            if run not in current or open_runs[run][1] != row - 1:
                first, last = open_runs.pop(run)
                done.append((first, run[0], last, run[1]))
        for run in current:
            if run in open_runs:
                open_runs[run][1] = row
            else:
                open_runs[run] = [row, row]
    done += [(first, run[0], last, run[1]) for run, (first, last) in open_runs.items()]
    return sorted(done)


def _excel_value(value):
    if isinstance(value, RichText):
        value = value.text  # xlwings writes values, not runs; the file backend keeps rich text
    if isinstance(value, str) and value:
        # Excel's own mark for "this is text": never a formula ("=..."), a date ("Aug-20") or a
        # number ("001"). The apostrophe is not part of the cell's value.
        return "'" + value
    return value


def write_plan(xl_sheet, plan: SheetPlan, previous_area=None) -> None:
    """Put ``plan`` into an open sheet in a bounded number of calls."""
    if previous_area is not None:
        old = xl_sheet.range(*one_based(previous_area))
        old.clear_contents()  # not clear(): that would also delete notes people attached
        old.clear_formats()
    area = plan.owned_area()
    # Values go over the rows the plan writes: from A1 for the Scorecard, only the new rows
    # for the history, whose earlier rows stay as they are.
    top = min(r for r, _ in plan.cells)
    rows, columns = area[2] + 1, area[3] + 1
    grid = [[None] * columns for _ in range(rows)]
    for (r, c), cell in plan.cells.items():
        grid[r][c] = _excel_value(cell.value)
    xl_sheet.range((top + 1, 1), (rows, columns)).value = grid[top:]

    fills = [[None] * columns for _ in range(rows)]
    by_property: dict[tuple[str, object], set] = defaultdict(set)
    for (r, c), cell in plan.cells.items():
        style = plan.styles.get(cell.style) if cell.style else None
        if style is None:
            continue
        if style.fill:
            fills[r][c] = "#" + style.fill
        for name in _PROPERTIES:
            value = getattr(style, name)
            if value:
                by_property[(name, value)].add((r, c))
    step = max(1, MAX_COLOUR_CELLS // columns)
    for start in range(top, rows, step):
        block = fills[start:start + step]
        xl_sheet.range((start + 1, 1), (start + len(block), columns)).set_colors(block)
    for (name, value), cells in sorted(by_property.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        for rect in rectangles(cells):
            _PROPERTIES[name](xl_sheet.range(*one_based(rect)), value)
    for colour, cells in sorted(_bordered(plan).items()):
        for rect in rectangles(cells):  # the table body is a few rectangles, whatever its length
            xl_sheet.range(*one_based(rect)).borders.set("all", line_style="continuous", color="#" + colour)

    for first_row, first_col, last_row, last_col in plan.merges:
        xl_sheet.range(*one_based((first_row, first_col, last_row, last_col))).merge()
    for width, cols in _group(plan.column_widths).items():
        for first, last in _runs(cols):
            xl_sheet.range((1, first + 1), (1, last + 1)).column_width = width
    for height, row_list in _group(plan.row_heights).items():
        for first, last in _runs(row_list):
            xl_sheet.range((first + 1, 1), (last + 1, 1)).row_height = height
    if plan.freeze:
        xl_sheet.freeze_panes.freeze_at(cell_name(*plan.freeze))
    if plan.print_setup is not None:
        top_row, left, bottom, right = area
        xl_sheet.page_setup.print_area = f"{cell_name(top_row, left)}:{cell_name(bottom, right)}"
        _record(xl_sheet, plan)


def _bordered(plan: SheetPlan) -> dict[str, set]:
    """Cells with a thin border, by border colour."""
    groups: dict[str, set] = defaultdict(set)
    for position, cell in plan.cells.items():
        style = plan.styles.get(cell.style) if cell.style else None
        if style is not None and style.border:
            groups[style.border_color or "000000"].add(position)
    return groups


def _group(mapping: dict[int, float]) -> dict[float, list[int]]:
    groups: dict[float, list[int]] = defaultdict(list)
    for index, value in mapping.items():
        groups[value].append(index)
    return groups


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    indices = sorted(indices)
    runs, start = [], indices[0]
    for previous, current in zip(indices, indices[1:]):
        if current != previous + 1:
            runs.append((start, previous))
            start = current
    runs.append((start, indices[-1]))
    return runs


def _sheet(book, name: str):
    for sheet in book.sheets:
        if sheet.name.casefold() == name.casefold():
            return sheet
    return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])


def refresh_book(book, month=None, carry_commentary: bool = False):
    """Refresh the Scorecard of an open workbook; returns the same RefreshReport as the file path."""
    from ..update.manual import HISTORY_SHEET
    from ..compute.engine import build_scorecard
    from ..pages.scorecard import SHEET_NAME, rag_counts
    from ..update.refresh import RefreshReport, plan_refresh

    sheets = read_sheets(book)
    scorecard = build_scorecard(sheets, month)  # raises InputProblems before anything is written
    existing = find_sheet(sheets, SHEET_NAME)
    history = find_sheet(sheets, HISTORY_SHEET)
    name = existing.name if existing else SHEET_NAME
    xl_scorecard = _sheet(book, name) if existing else None
    recorded = sheet_record(xl_scorecard) if xl_scorecard is not None else None
    decided = plan_refresh(scorecard, sheet_cells(existing), recorded, sheet_cells(history), name,
                           history.name if history else HISTORY_SHEET, carry_commentary)
    if xl_scorecard is None:
        xl_scorecard = _sheet(book, name)
    try:
        # The history first: if Excel refuses it (a protected sheet), the Scorecard and its
        # commentary are still as they were.
        if decided.history is not None:
            write_plan(_sheet(book, decided.history.name), decided.history)
        write_plan(xl_scorecard, decided.scorecard_plan, recorded.area if recorded else None)
    except Exception as error:  # Excel refused a call midway (e.g. a protected sheet)
        raise WorkbookError(f"Excel refused to update the {name} sheet ({error}). If the sheet is protected, "
                            "unprotect it (Review > Unprotect Sheet) and refresh again.") from error
    return RefreshReport(book.name, scorecard.reporting_month, len(scorecard.indicators), rag_counts(scorecard),
                         scorecard.problems.notes, None, decided.commentary_kept, decided.archived, decided.orphaned,
                         decided.restored)
