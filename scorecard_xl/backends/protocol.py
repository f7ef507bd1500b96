"""What every backend does, whatever it writes into (docs/design.md §4).

A backend reads what a refresh needs from the workbook it writes into (the scorecard's input
sheets, and for each sheet the tool writes: its values, which cells hold only a formula or
formatting, the tool's record, whether it is protected), writes SheetPlans into sheets, and says
which plan features it renders. The refresh orchestrator (update/refresh.py) decides everything
over plain data between the read and the write, so a backend knows nothing of indicators.

The backends: the OOXML splice into the user's file (xlsx_file.XlsxFile), the live xlwings
writer (xlwings_book.LiveBook) and a new file written by XlsxWriter (new_file.NewWorkbook).

A plan feature a backend cannot render is never dropped silently: ``unrendered_notes`` says which,
sheet by sheet, and the refresh report carries it to the person who refreshed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from ..pages.sheetplan import RichText, SheetPlan
from ..read.sheet import CellValue, Sheet
from .record import Area, SheetRecord

# Each feature a plan can use, and how a note names it to the person reading the report.
FEATURES = {
    "values": "cell values",
    "rich_text": "text in mixed fonts within a cell",
    "number_format": "number formats",
    "fill": "cell fills",
    "font": "fonts",
    "alignment": "alignment and wrapping",
    "indent": "indents",
    "border": "borders",
    "column_width": "column widths",
    "row_height": "row heights",
    "merge": "merged cells",
    "freeze": "frozen panes",
    "print_area": "the print area",
    "orientation": "the page orientation",
    "paper": "the paper size",
    "fit": "fit to page width",
    "scale": "the print scale",
    "margins": "the margins",
    "header": "the page header",
    "footer": "the page footer",
    "repeat_rows": "the rows printed on every page",
    "repeat_columns": "the columns printed on every page",
    "page_breaks": "page breaks",
    "tab_color": "the tab colour",
    "zoom": "the zoom",
    "gridlines": "hidden gridlines",
    "active": "opening on this sheet",
    "charts": "charts",
    "chart_series": "the legends of charts and the names, colours, line styles and marked points of their lines",
}
EVERY_FEATURE = frozenset(FEATURES)
# Settings of the sheet or its page rather than of cells: a writer that leaves them alone leaves
# whatever the sheet has, so a person can set them once in Excel.
SHEET_SETTINGS = frozenset({"orientation", "paper", "fit", "scale", "margins", "header", "footer", "repeat_rows",
                            "repeat_columns", "page_breaks", "tab_color", "zoom", "gridlines", "print_area",
                            "freeze"})

_STYLE_FEATURES = {
    "number_format": ("num_format",),
    "fill": ("fill",),
    "font": ("bold", "italic", "font_size", "font_color"),
    "alignment": ("horizontal", "vertical", "wrap"),
    "indent": ("indent",),
    "border": ("border",),
}


def plan_features(plan: SheetPlan) -> set[str]:
    """The features ``plan`` uses (a default left as it is uses none)."""
    used = set()
    if plan.cells:
        used.add("values")
    if any(isinstance(cell.value, RichText) for cell in plan.cells.values()):
        used.add("rich_text")
    styles = [plan.styles[cell.style] for cell in plan.cells.values() if cell.style in plan.styles]
    for feature, attributes in _STYLE_FEATURES.items():
        if any(getattr(style, name) for style in styles for name in attributes):
            used.add(feature)
    for feature, present in (("column_width", plan.column_widths), ("row_height", plan.row_heights),
                             ("merge", plan.merges), ("freeze", plan.freeze), ("tab_color", plan.tab_color),
                             ("zoom", plan.zoom), ("gridlines", not plan.show_gridlines),
                             ("charts", plan.charts), ("chart_series", plan.charts), ("active", plan.active)):
        if present:
            used.add(feature)
    setup = plan.print_setup
    if setup is not None:
        used |= {"print_area", "orientation", "paper", "margins"}
        for feature, present in (("fit", setup.fit_width or setup.fit_height), ("scale", setup.scale != 100),
                                 ("header", setup.header), ("footer", setup.footer),
                                 ("repeat_rows", setup.repeat_rows), ("repeat_columns", setup.repeat_columns),
                                 ("page_breaks", setup.page_breaks)):
            if present:
                used.add(feature)
    return used


def unrendered(plan: SheetPlan, capabilities: frozenset[str]) -> list[str]:
    """The features ``plan`` uses that a backend with ``capabilities`` cannot render, in FEATURES order."""
    used = plan_features(plan)
    return [feature for feature in FEATURES if feature in used and feature not in capabilities]


def unrendered_notes(plans: list[SheetPlan], backend: "Backend") -> list[str]:
    """One line per sheet saying what ``backend`` leaves out of it, and what a person can do."""
    notes = []
    for plan in plans:
        missing = unrendered(plan, backend.capabilities)
        if not missing:
            continue
        words = ", ".join(FEATURES[feature] for feature in missing)
        note = f"The {plan.name} sheet was written without {words}: {backend.description} cannot set them."
        if SHEET_SETTINGS & set(missing):
            note += " Page and view settings stay as the sheet had them: set them once in Excel (Page Layout, View)."
        notes.append(note)
    return notes


@dataclass
class ExistingSheet:
    """A sheet the tool is about to write, as it is now."""

    name: str  # as the workbook spells it
    values: dict[tuple[int, int], CellValue]  # cells with a value, 0-based (row, column)
    other_cells: set[tuple[int, int]] = field(default_factory=set)  # only a formula or formatting
    record: SheetRecord = field(default_factory=SheetRecord)
    protected: bool = False


@dataclass
class SheetWrite:
    """One plan to write, with what the orchestrator decided about the sheet it goes into."""

    plan: SheetPlan  # plan.name is the sheet's name as the workbook spells it
    record: SheetRecord | None = None  # the tool's record to write (None: the sheet has none)
    keep: set[tuple[int, int]] = field(default_factory=set)  # a person's cells carried as they are
    previous_area: Area | None = None  # the rectangle the tool wrote last time, cleared first
    # Only rows added below what is there (the history): every existing cell stays, and a backend
    # that writes sheet by sheet writes these first, so what moves there is safe before the sheet
    # it moves from changes.
    appends: bool = False


@dataclass
class Written:
    """What a write left behind besides the sheets."""

    backup: Path | None = None  # the previous version, when the backend keeps one
    notes: list[str] = field(default_factory=list)  # what it could not do, for the report


class Backend(Protocol):
    """What the refresh orchestrator needs of a backend."""

    name: str  # the workbook, as the report names it
    description: str  # the writer, as a note names it ("xlwings' connection to Excel")
    capabilities: frozenset[str]  # the FEATURES it renders

    def read_sheets(self, wanted: Callable[[str], bool]) -> list[Sheet]:
        """The sheets whose names ``wanted`` accepts, in workbook order."""

    def existing(self, name: str) -> ExistingSheet | None:
        """The worksheet called ``name`` (any case, surrounding spaces ignored), or None."""

    def write(self, writes: list[SheetWrite]) -> Written:
        """Write every plan (sheets new to the workbook are added in list order)."""
