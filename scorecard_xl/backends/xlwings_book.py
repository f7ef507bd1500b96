"""Live-workbook backend: read sheets through xlwings, write SheetPlans into the open book.

Excel calls are slow (each is a round trip to Excel, or an action sent back to it), so the
plan is written in a bounded number of calls: the whole value grid at once, all fills in one
``set_colors`` matrix, and each other formatting property (borders included) once per
rectangle of cells that share its value, never cell by cell. What to write is decided by the
refresh orchestrator (update/refresh.py), the same for the file: this module only reads and writes.

Two engines run this code: desktop Excel (COM on Windows, AppleScript on the Mac) and the remote
engine of xlwings Lite and xlwings Server, which queues each write as an action for Excel's add-in
platform. They differ in what xlwings' API offers: the remote engine can indent cells and takes
column widths in points; neither can set the tab colour, the zoom or the page setup beyond the
print area (the scale, the rows and columns repeated on each page: xlwings has no call for them;
``sheet.api`` reaches them on Windows alone), so those are declared missing and the refresh
report says so (protocol.py). Both select the page a person refreshed. Charts are drawn on both, their
lines as Excel draws them by default (xlwings_charts.py).
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from typing import Callable

from ..addressing import area_reference, cell_name, one_based, parse_area
from ..problems import WorkbookError
from ..read.sheet import Sheet, clean_value, find_sheet
from ..pages.sheetplan import RichText, SheetPlan
from .protocol import ExistingSheet, SheetWrite, Written
from .record import MONTH_NAME, RECORD_NAMES, SheetRecord, constant_text, text_constant
from .units import column_points
from .xlwings_charts import write_charts

# What xlwings' API renders on every engine (protocol.FEATURES); LiveBook adds what one engine adds.
EXCEL_FEATURES = frozenset({"values", "number_format", "fill", "font", "alignment", "border", "column_width",
                            "row_height", "merge", "freeze", "print_area", "gridlines", "charts", "active"})
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


def read_sheets(book, wanted: Callable[[str], bool] | None = None) -> list[Sheet]:
    """The sheets whose names ``wanted`` accepts (default: all) as plain grids anchored at A1,
    one read per sheet. Which sheets a refresh needs is the orchestrator's choice."""
    return [read_sheet(sheet) for sheet in book.sheets if wanted is None or wanted(sheet.name)]


def read_sheet(xl_sheet) -> Sheet:
    last = xl_sheet.used_range.last_cell
    grid = xl_sheet.range((1, 1), (last.row, last.column)).options(ndim=2, err_to_str=True).value or [[]]
    return Sheet(xl_sheet.name, [[clean_value(v) for v in row] for row in grid])


def sheet_cells(sheet: Sheet | None) -> dict[tuple[int, int], object] | None:
    if sheet is None:
        return None
    return {(r, c): v for r, row in enumerate(sheet.rows) for c, v in enumerate(row) if v is not None}


def _names(xl_sheet) -> dict[str, object]:
    """The sheet's own names that are part of the tool's record, by record name."""
    wanted = {name.casefold(): name for name in RECORD_NAMES + (MONTH_NAME,)}
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
    month = names.pop(MONTH_NAME, None)
    return SheetRecord({ours: parse_area((name.refers_to or "").lstrip("=")) for ours, name in names.items()},
                       month=constant_text(month.refers_to) if month is not None else None)


def _record(xl_sheet, record: SheetRecord) -> None:
    """Write the tool's record names: changed where they exist (Excel's add-in platform will not
    add a name twice), added where not, removed where the record has no such name."""
    formulas = {ours: "=" + area_reference(xl_sheet.name, *area) for ours, area in record.names.items() if area}
    if record.month:
        formulas[MONTH_NAME] = "=" + text_constant(record.month)
    existing = _names(xl_sheet)
    for ours in RECORD_NAMES + (MONTH_NAME,):
        if ours not in formulas:
            if ours in existing:
                existing[ours].delete()
            continue
        formula = formulas[ours]
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


def write_plan(xl_sheet, plan: SheetPlan, previous_area=None, record: SheetRecord | None = None) -> list[str]:
    """Put ``plan`` into an open sheet in a bounded number of calls, and ``record`` (if any);
    returns a note for each thing Excel would not do that the sheet can do without."""
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
    if _remote(xl_sheet):  # xlwings indents only on the remote engine (desktop: NotImplementedError)
        for indent, cells in sorted(_indented(plan).items()):
            for rect in rectangles(cells):  # a range cleared of formats has no indent to adjust from
                xl_sheet.range(*one_based(rect)).adjust_indent(indent)
    for colour, cells in sorted(_bordered(plan).items()):
        for rect in rectangles(cells):  # the table body is a few rectangles, whatever its length
            xl_sheet.range(*one_based(rect)).borders.set("all", line_style="continuous", color="#" + colour)

    for first_row, first_col, last_row, last_col in plan.merges:
        xl_sheet.range(*one_based((first_row, first_col, last_row, last_col))).merge()
    points = _remote(xl_sheet)  # the remote engine takes widths in points, the desktop in characters
    for width, cols in _group(plan.column_widths).items():
        for first, last in _runs(cols):
            xl_sheet.range((1, first + 1), (1, last + 1)).column_width = column_points(width) if points else width
    for height, row_list in _group(plan.row_heights).items():
        for first, last in _runs(row_list):
            xl_sheet.range((first + 1, 1), (last + 1, 1)).row_height = height
    if plan.freeze:
        xl_sheet.freeze_panes.freeze_at(cell_name(*plan.freeze))
    notes = [] if plan.show_gridlines else _hide_gridlines(xl_sheet)
    if plan.print_setup is not None:
        top_row, left, bottom, right = plan.print_area()
        xl_sheet.page_setup.print_area = f"{cell_name(top_row, left)}:{cell_name(bottom, right)}"
    notes += write_charts(xl_sheet, plan)
    if record is not None:
        _record(xl_sheet, record)
    return notes


def _hide_gridlines(xl_sheet) -> list[str]:
    """Gridlines are a setting of the window on the desktop, which xlwings reaches by activating
    the sheet (impossible when it is hidden), and unknown to clients older than Office.js: a
    scorecard with gridlines is still a scorecard, so that is a note, not a failure."""
    try:
        xl_sheet.show_gridlines = False
    except Exception as error:
        return [f"The {xl_sheet.name} sheet's gridlines were left as they are: Excel would not hide them ({error})."]
    return []


def _remote(xl_sheet) -> bool:
    """Whether the sheet is in a book of xlwings' remote engine (xlwings Lite or Server)."""
    return xl_sheet.book.app.engine.name == "remote"


def _indented(plan: SheetPlan) -> dict[int, set]:
    """Cells with an indent, by indent."""
    groups: dict[int, set] = defaultdict(set)
    for position, cell in plan.cells.items():
        style = plan.styles.get(cell.style) if cell.style else None
        if style is not None and style.indent:
            groups[style.indent].add(position)
    return groups


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


class LiveBook:
    """The open workbook as a backend (protocol.py), through xlwings."""

    description = "xlwings' connection to Excel"

    def __init__(self, book):
        self.book = book
        self.name = book.name
        self._read: list[Sheet] = []
        # What xlwings' API renders on this engine: the remote engine also indents.
        self.capabilities = EXCEL_FEATURES | ({"indent"} if book.app.engine.name == "remote" else set())

    def read_sheets(self, wanted: Callable[[str], bool]) -> list[Sheet]:
        self._read = read_sheets(self.book, wanted)
        return self._read

    def existing(self, name: str) -> ExistingSheet | None:
        sheet = find_sheet(self._read, name)
        if sheet is None:
            xl_sheet = self._find(name)
            if xl_sheet is None:
                return None
            sheet = read_sheet(xl_sheet)
        # Formatting cannot be read from every Excel client, so only cells with a value count.
        return ExistingSheet(sheet.name, sheet_cells(sheet), record=sheet_record(self._find(sheet.name)))

    def write(self, writes: list[SheetWrite]) -> Written:
        sheets = {}
        for write in writes:  # new sheets in the order given, as the file backend adds them
            with _refused(write.plan.name):
                sheets[write.plan.name] = self._find(write.plan.name) or self._add(write.plan.name)
        notes = []
        for write in sorted(writes, key=lambda write: not write.appends):  # the archive first
            with _refused(write.plan.name):
                notes += write_plan(sheets[write.plan.name], write.plan, write.previous_area, write.record)
        for write in writes:
            if write.plan.active:  # the page a person refreshed is the one they see
                with _refused(write.plan.name):
                    sheets[write.plan.name].activate()
        return Written(notes=notes)

    def _find(self, name: str):
        for sheet in self.book.sheets:
            if sheet.name.casefold() == name.casefold():
                return sheet
        return None

    def _add(self, name: str):
        return self.book.sheets.add(name, after=self.book.sheets[len(self.book.sheets) - 1])


@contextmanager
def _refused(sheet_name: str):
    try:
        yield
    except Exception as error:  # Excel refused a call midway (e.g. a protected sheet)
        raise WorkbookError(f"Excel refused to update the {sheet_name} sheet ({error}). If the sheet is protected, "
                            "unprotect it (Review > Unprotect Sheet) and refresh again.") from error
