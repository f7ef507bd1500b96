"""SheetPlan: a description of one worksheet, independent of how it is written.

Like great_tables separates a table's description from its renderers, the layout produces a
SheetPlan and each backend (the OOXML splice, the live xlwings writer, the email copy)
renders it. Pure data: no Excel, no files. Rows and columns are 0-based.

Besides cells, a plan holds elements that float over them (``charts``; icons and conditional
formats would be further lists of the same kind): each backend renders them, or says it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..read.sheet import CellValue, RichRun, RichText  # noqa: F401  (cell values of a plan)

# A hidden name local to each sheet the tool writes with a print setup: the rectangle it owns
# there (the print area used to serve, but people change print areas). Every backend keeps it.
OWNED_AREA_NAME = "_scorecard_xl_area"

@dataclass(frozen=True)
class Style:
    """A named cell style. Colours are 'RRGGBB' hex; None means 'as the sheet default'."""

    name: str
    bold: bool = False
    italic: bool = False
    font_size: float | None = None
    font_color: str | None = None
    fill: str | None = None
    num_format: str | None = None  # Excel number format code, e.g. '#,##0' or '0.0%'
    horizontal: str | None = None  # 'left' | 'center' | 'right'
    vertical: str | None = None  # 'top' | 'center' | 'bottom'
    wrap: bool = False
    border: str | None = None  # 'thin' on all four sides, or None
    border_color: str | None = None
    indent: int = 0


@dataclass(frozen=True)
class Cell:
    """A value and the name of its style. Strings are always text, never formulas."""

    value: CellValue
    style: str | None = None


CellRange = tuple[int, int, int, int]  # first row, first column, last row, last column (as a merge)


@dataclass(frozen=True)
class PrintSetup:
    landscape: bool = True
    fit_width: int = 1  # pages wide
    fit_height: int = 0  # 0 = as many pages tall as needed
    scale: int = 100  # percent; a program prints at it where fit_width and fit_height are both 0
    repeat_rows: tuple[int, int] | None = None  # first and last row repeated on every page
    repeat_columns: tuple[int, int] | None = None  # first and last column repeated on every page wide
    header: str = ""  # Excel header/footer codes, e.g. '&C&"-,Bold"Title'
    footer: str = "&CPage &P of &N"
    paper_size: int = 9  # 9 = A4
    margins: tuple[float, float, float, float] = (0.25, 0.25, 0.5, 0.5)  # left, right, top, bottom (inches)
    area: CellRange | None = None  # what prints; None: the whole area the tool owns (SheetPlan.print_area)
    page_breaks: tuple[int, ...] = ()  # rows that start a new printed page


MARKER_SYMBOLS = ("circle", "square", "diamond", "triangle")
LINE_DASHES = ("solid", "dash")
LEGEND_POSITIONS = ("bottom", "top", "right", "left")


@dataclass(frozen=True)
class MarkedPoint:
    """One figure of a series drawn with a marker of its own (a special-cause point of an SPC
    chart). A shape other than the series' own keeps the mark readable in black and white."""

    index: int  # 0-based position among the series' values
    color: str  # 'RRGGBB'
    symbol: str = "diamond"  # one of MARKER_SYMBOLS
    size: int = 8  # points

    def __post_init__(self):
        _one_of("marker symbol", self.symbol, MARKER_SYMBOLS)


@dataclass(frozen=True)
class ChartSeries:
    """One line of a chart: its figures and their labels, both cells of the same plan, so the
    chart shows what the sheet holds whichever backend writes it. An empty cell is a gap in the
    line, never a zero. A constant line (a target, a benchmark) is a series whose cells all hold
    the same figure, so readers can see it in the sheet too."""

    values: CellRange
    categories: CellRange
    kind: str = "line"  # the only kind backends draw (they refuse any other)
    color: str = "1F3864"
    name: str = ""  # literal text in the legend, never read as a reference or a formula
    dash: str = "solid"  # one of LINE_DASHES
    width: float = 2.0  # points
    markers: bool = True  # a round marker at each figure
    marked: tuple[MarkedPoint, ...] = ()
    in_legend: bool = True  # False: the line is drawn but not listed (a pair of limits listed once)

    def __post_init__(self):
        _one_of("line dash", self.dash, LINE_DASHES)
        count = self.values[3] - self.values[1] + 1 if self.values[0] == self.values[2] else \
            self.values[2] - self.values[0] + 1
        outside = [point.index for point in self.marked if not 0 <= point.index < count]
        if outside:
            raise ValueError(f"marked points {outside} lie outside the series' {count} figures")


@dataclass(frozen=True)
class Chart:
    """A native line chart floating over the sheet. Its title is literal text (docs/design.md §7),
    shown whole: a chart program wraps a long title over lines, the plan never shortens it."""

    title: str
    series: tuple[ChartSeries, ...]
    num_format: str  # the value axis's number format, as the figures' cells show them
    anchor: tuple[int, int]  # the row and column whose top-left corner the chart starts from
    width: int  # pixels
    height: int
    offset: tuple[int, int] = (0, 0)  # pixels right and down from that corner
    axis_min: float | None = None  # the value axis's ends; None: as the chart program chooses
    axis_max: float | None = None
    legend: str | None = None  # where the series' names are listed (LEGEND_POSITIONS); None: no legend

    def __post_init__(self):
        if self.legend is not None:
            _one_of("legend position", self.legend, LEGEND_POSITIONS)


def _one_of(what: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"a {what} of {value!r} cannot be drawn; use one of {', '.join(allowed)}")


@dataclass
class SheetPlan:
    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    styles: dict[str, Style] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, first col, last row, last col
    column_widths: dict[int, float] = field(default_factory=dict)  # in Excel character units
    row_heights: dict[int, float] = field(default_factory=dict)  # in points
    freeze: tuple[int, int] | None = None  # first unfrozen row and column
    print_setup: PrintSetup | None = None
    show_gridlines: bool = True
    tab_color: str | None = None
    zoom: int | None = None
    # What each column holds (pages/columns.py), apart from its heading, which is only words:
    # whatever reads the plan back finds a column by its key.
    columns: dict[str, int] = field(default_factory=dict)
    # Columns whose cells people type into (commentary): kept per row key across refreshes.
    manual_columns: dict[str, int] = field(default_factory=dict)
    row_keys: dict[int, str] = field(default_factory=dict)  # row -> Ref, for the manual columns
    header_row: int | None = None  # the row of column headings (where Ref and Commentary are found)
    charts: list[Chart] = field(default_factory=list)
    active: bool = False  # the workbook opens on this sheet

    def add_style(self, style: Style) -> str:
        existing = self.styles.get(style.name)
        if existing is not None and existing != style:
            raise ValueError(f"two different styles are both called {style.name!r}")
        self.styles[style.name] = style
        return style.name

    def put(self, row: int, column: int, value: CellValue, style: Style | str | None = None) -> None:
        if isinstance(style, Style):
            style = self.add_style(style)
        self.cells[(row, column)] = Cell(value, style)

    @property
    def last_row(self) -> int:
        rows = [r for r, _ in self.cells] + [m[2] for m in self.merges]
        return max(rows) if rows else 0

    @property
    def last_column(self) -> int:
        columns = [c for _, c in self.cells] + [m[3] for m in self.merges]
        return max(columns) if columns else 0

    def owned_area(self) -> CellRange:
        """The rectangle the tool owns on this sheet: A1 to the last cell it writes. Backends
        record it in the workbook under OWNED_AREA_NAME, so the next refresh knows it."""
        return (0, 0, self.last_row, self.last_column)

    def print_area(self) -> CellRange | None:
        """What prints: the print setup's area, else the owned area; None without a print setup."""
        if self.print_setup is None:
            return None
        return self.print_setup.area or self.owned_area()
