"""Every backend renders one rich plan alike, or says what it left out (backends/protocol.py).

The plan uses every feature a SheetPlan has. Each backend writes it: the splice into a real
workbook, a new file from XlsxWriter, and the open workbook through xlwings' remote engine (its
actions replayed as Excel would apply them, tests/remote_book.py). Files are read back with
python-calamine (values) and openpyxl (formats, sizes, print setup), never with our own reader.
Wherever a backend claims a feature the result equals what the plan asks for; wherever it does
not, the report's notes name it.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

import openpyxl
import pytest
from lxml import etree
from python_calamine import CalamineWorkbook

from remote_book import apply_actions, book_json
from scorecard_xl.backends.new_file import NewWorkbook
from scorecard_xl.backends.protocol import FEATURES, SheetWrite, plan_features, unrendered_notes
from scorecard_xl.backends.record import record_for
from scorecard_xl.backends.xlsx_file import XlsxFile
from scorecard_xl.backends.xlwings_book import LiveBook
from scorecard_xl.pages.sheetplan import (Chart, ChartSeries, MarkedPoint, PrintSetup, RichRun, RichText, SheetPlan,
                                          Style)
from workbooks import indicator, make_workbook

SHEET = "Conformance"
CHART_TITLE = "Shares =SUM(A1) +cmd|' /C calc'!A0, a title longer than the chart is wide, shown whole"
GREY = "A6A6A6"
TITLE = Style("title", bold=True, font_size=14, font_color="1F3864", vertical="center")
HEADING = Style("heading", bold=True, fill="1F3864", font_color="FFFFFF", horizontal="center", vertical="center",
                wrap=True, border="thin", border_color=GREY)
COUNT = Style("count", num_format="#,##0", horizontal="right", border="thin", border_color=GREY)
RED_SHARE = Style("red share", num_format="0.0%", fill="C00000", font_color="FFFFFF", border="thin",
                  border_color=GREY)
NOTE = Style("note", italic=True, indent=2, vertical="top", wrap=True)
SHARE = Style("share", num_format="0%")
RICH = RichText((RichRun("Bold", (("bold", True),)), RichRun(" then plain")))


def rich_plan() -> SheetPlan:
    plan = SheetPlan(SHEET, show_gridlines=False, zoom=85, tab_color="00863D")
    plan.put(0, 0, "Conformance of every backend", TITLE)
    plan.merges.append((0, 0, 0, 3))
    for c, heading in enumerate(("Ref", "Count", "Share", "Note")):
        plan.put(1, c, heading, HEADING)
    rows = [("001", 1234, 0.583, "=SUM(A1:A9) stays text"), ("Feb-21", 12.5, 0.05, RICH),
            ("M3", 0, 1.0, "+44 7700 900000"), ("True", True, -0.125, "plain words")]
    for r, (ref, count, share, note) in enumerate(rows, start=2):
        plan.put(r, 0, ref, COUNT)
        plan.put(r, 1, count, COUNT)
        plan.put(r, 2, share, RED_SHARE)
        plan.put(r, 3, note, NOTE)
    plan.column_widths.update({0: 9, 1: 12.5, 2: 8.43, 3: 60})
    plan.row_heights.update({0: 30, 1: 45, 3: 33})
    plan.freeze = (2, 1)
    plan.active = True
    plan.print_setup = PrintSetup(landscape=True, fit_width=1, fit_height=0, scale=90, repeat_rows=(1, 1),
                                  repeat_columns=(0, 0),
                                  header='&C&"-,Bold"Conformance', footer="&CPage &P of &N", paper_size=8,
                                  margins=(0.3, 0.35, 0.6, 0.65), area=(1, 0, 5, 3), page_breaks=(4,))
    # The chart's figures, side by side right of the table: a month, a constant target line, and a
    # benchmark with a month missing (an empty cell, to be a gap).
    for r, (actual, benchmark) in enumerate([(0.41, 0.4), (0.45, None), (0.62, 0.45), (0.58, 0.5)], start=2):
        plan.put(r, 5, actual, SHARE)
        plan.put(r, 6, 0.5, SHARE)
        if benchmark is not None:
            plan.put(r, 7, benchmark, SHARE)
    months = (2, 0, 5, 0)
    plan.charts.append(Chart(CHART_TITLE, (
        ChartSeries((2, 5, 5, 5), months, name='=HYPERLINK("http://example.com","x")',
                    marked=(MarkedPoint(2, "ED8B00", "square", 9),)),
        ChartSeries((2, 6, 5, 6), months, color="00863D", name="Target", dash="dash", width=1.5, markers=False),
        ChartSeries((2, 7, 5, 7), months, color="7F7F7F", name="Sheet1!A1", dash="dash", width=1.25, markers=False)),
        "0%", anchor=(7, 0), width=480, height=288, axis_min=-0.25, axis_max=1.0, legend="bottom"))
    return plan


# What the plan asks for, written out by hand (column widths in pixels, as Excel shows them: 7 px a
# character of Calibri 11 plus 5 px, XlsxWriter's worksheet.set_column documentation).
EXPECTED = {
    "column_width": {0: 68, 1: 93, 2: 64, 3: 425},
    "row_height": {0: 30, 1: 45, 3: 33},
    "merge": {(0, 0, 0, 3)},
    "freeze": "B3",
    "print_area": (1, 0, 5, 3),
    "page_breaks": [4],  # the 0-based row that starts a page is the 1-based last row of the one before
    "orientation": "landscape",
    "paper": 8,
    "fit": (1, 0),
    "margins": (0.3, 0.35, 0.6, 0.65),
    "header": '&C&"-,Bold"Conformance',
    "footer": "&CPage &P of &N",
    "repeat_rows": "2:2",
    "repeat_columns": "A:A",
    "scale": 90,
    "active": True,
    "tab_color": "00863D",
    "zoom": 85,
    "gridlines": False,
    "rich_text": {(3, 3): [("Bold", True), (" then plain", False)]},
    # (title, (column, row) of the top-left corner, each line's figures, the labels, empty cells shown as,
    # the value axis's minimum, maximum and number format)
    "charts": [(CHART_TITLE, (0, 7), ("Conformance!$F$3:$F$6", "Conformance!$G$3:$G$6", "Conformance!$H$3:$H$6"),
                "Conformance!$A$3:$A$6", "gap", -0.25, 1.0, "0%")],
    # (the legend's place, and each line's literal name, colour, dash, width in points, marker, and
    # marked points as (index, colour, symbol, size)), chart by chart
    "chart_series": [("b", (('=HYPERLINK("http://example.com","x")', "1F3864", "solid", 2.0, "circle",
                             ((2, "ED8B00", "square", 9),)),
                            ("Target", "00863D", "dash", 1.5, "none", ()),
                            ("Sheet1!A1", "7F7F7F", "dash", 1.25, "none", ())))],
}


def expected_view(plan: SheetPlan) -> dict:
    """The per-cell features straight from the plan's cells and styles; the rest from EXPECTED."""
    view = dict(EXPECTED)
    view["values"] = {pos: cell.value.text if isinstance(cell.value, RichText) else cell.value
                      for pos, cell in plan.cells.items()}
    styles = {pos: plan.styles[cell.style] for pos, cell in plan.cells.items()}
    view["number_format"] = {pos: s.num_format for pos, s in styles.items() if s.num_format}
    view["fill"] = {pos: s.fill for pos, s in styles.items() if s.fill}
    view["font"] = {pos: (s.bold, s.italic, s.font_size, s.font_color) for pos, s in styles.items()}
    view["alignment"] = {pos: (s.horizontal, s.vertical, s.wrap) for pos, s in styles.items()}
    view["indent"] = {pos: s.indent for pos, s in styles.items()}
    view["border"] = {pos: (s.border, s.border_color) for pos, s in styles.items() if s.border}
    return view


# --- reading each result back ---------------------------------------------------------------------

def file_view(path, plan: SheetPlan) -> dict:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    sheet = openpyxl.load_workbook(path, rich_text=True)[SHEET]
    view = {"values": {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""}}
    cells = {pos: sheet.cell(pos[0] + 1, pos[1] + 1) for pos in plan.cells}
    view["number_format"] = {p: c.number_format for p, c in cells.items() if c.number_format != "General"}
    view["fill"] = {p: c.fill.fgColor.rgb[-6:] for p, c in cells.items() if c.fill.fill_type == "solid"}
    view["font"] = {p: (bool(c.font.b), bool(c.font.i), None if c.font.sz == 11 else c.font.sz,
                        _rgb(c.font.color) if _rgb(c.font.color) != "000000" else None) for p, c in cells.items()}
    view["alignment"] = {p: (c.alignment.horizontal, c.alignment.vertical, bool(c.alignment.wrap_text))
                         for p, c in cells.items()}
    view["indent"] = {p: int(c.alignment.indent) for p, c in cells.items()}
    view["border"] = {}
    for p, c in cells.items():
        edges = {(side.style, _rgb(side.color))
                 for side in (c.border.left, c.border.right, c.border.top, c.border.bottom)}
        if edges != {(None, None)}:
            assert len(edges) == 1, (p, edges)  # the same line on all four sides
            view["border"][p] = edges.pop()
    view["rich_text"] = {p: [(block, False) if isinstance(block, str) else (block.text, bool(block.font.b))
                             for block in c.value] for p, c in cells.items()
                         if isinstance(c.value, openpyxl.cell.rich_text.CellRichText)}
    view["column_width"] = {openpyxl.utils.column_index_from_string(letter) - 1: round(d.width * 7)
                            for letter, d in sheet.column_dimensions.items() if d.customWidth}
    view["row_height"] = {r - 1: d.height for r, d in sheet.row_dimensions.items() if d.height is not None}
    view["merge"] = {(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in sheet.merged_cells.ranges}
    view["freeze"] = sheet.freeze_panes
    area = re.fullmatch(r"'?[^!]+'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", sheet.print_area)
    view["print_area"] = (int(area[2]) - 1, openpyxl.utils.column_index_from_string(area[1]) - 1,
                          int(area[4]) - 1, openpyxl.utils.column_index_from_string(area[3]) - 1)
    setup = sheet.page_setup
    view["orientation"] = setup.orientation
    view["paper"] = int(setup.paperSize)
    fit = [1 if pages is None else int(pages) for pages in (setup.fitToWidth, setup.fitToHeight)]  # 1: the default
    view["fit"] = tuple(fit) if sheet.sheet_properties.pageSetUpPr.fitToPage else None
    margins = sheet.page_margins
    view["margins"] = (margins.left, margins.right, margins.top, margins.bottom)
    view["header"] = sheet.oddHeader.center.font and f'&C&"{sheet.oddHeader.center.font}"{sheet.oddHeader.center.text}'
    view["footer"] = f"&C{sheet.oddFooter.center.text}"
    view["repeat_rows"] = sheet.print_title_rows.replace("$", "")
    view["repeat_columns"] = sheet.print_title_cols.replace("$", "")
    view["scale"] = int(setup.scale)
    book = openpyxl.load_workbook(path)  # the sheet it opens on, and no other tab selected with it
    view["active"] = book.active.title == SHEET and [s.title for s in book if s.sheet_view.tabSelected] == [SHEET]
    view["page_breaks"] = [brk.id for brk in sheet.row_breaks.brk]
    view["charts"], view["chart_series"] = charts_in(path)
    view["tab_color"] = sheet.sheet_properties.tabColor.rgb[-6:]
    view["zoom"] = sheet.sheet_view.zoomScale
    view["gridlines"] = sheet.sheet_view.showGridLines
    return view


CHART_NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
            "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
            "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
            "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def charts_in(path) -> tuple[list[tuple], list[tuple]]:
    """The chart view and the chart series view (as EXPECTED writes them) of every chart in the file,
    read from its drawing and chart parts by following their relationships (openpyxl does not load
    charts)."""
    charts, series = [], []
    with zipfile.ZipFile(path) as z:
        for drawing in sorted(n for n in z.namelist() if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)):
            targets = _rel_targets(z, drawing)
            for anchor in etree.fromstring(z.read(drawing)).iterfind("xdr:twoCellAnchor", CHART_NS):
                start = anchor.find("xdr:from", CHART_NS)
                part = targets[anchor.find(".//c:chart", CHART_NS).get(f"{{{CHART_NS['r']}}}id")]
                chart = etree.fromstring(z.read(part))
                charts.append(_chart_view(chart, (int(start.findtext("xdr:col", namespaces=CHART_NS)),
                                                  int(start.findtext("xdr:row", namespaces=CHART_NS)))))
                series.append((chart.find(".//c:legend/c:legendPos", CHART_NS).get("val"),
                               tuple(_series_view(ser) for ser in chart.iterfind(".//c:ser", CHART_NS))))
    return charts, series


def _rel_targets(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = part.rsplit("/", 1)
    rels = etree.fromstring(z.read(f"{folder}/_rels/{name}.rels"))
    return {rel.get("Id"): posixpath.normpath(posixpath.join(folder, rel.get("Target"))) for rel in rels}


def _chart_view(chart, anchor) -> tuple:
    value_axis = chart.find(".//c:valAx", CHART_NS)
    return ("".join(chart.xpath("//c:title//a:t/text()", namespaces=CHART_NS)), anchor,
            tuple(ser.findtext("c:val//c:f", namespaces=CHART_NS) for ser in chart.iterfind(".//c:ser", CHART_NS)),
            chart.findtext(".//c:ser/c:cat//c:f", namespaces=CHART_NS),
            chart.find(".//c:dispBlanksAs", CHART_NS).get("val"),
            float(value_axis.find("c:scaling/c:min", CHART_NS).get("val")),
            float(value_axis.find("c:scaling/c:max", CHART_NS).get("val")),
            value_axis.find("c:numFmt", CHART_NS).get("formatCode"))


def _series_view(ser) -> tuple:
    assert ser.find("c:tx/c:strRef", CHART_NS) is None  # a name is literal text, never a reference
    line = ser.find("c:spPr/a:ln", CHART_NS)
    dash = line.find("a:prstDash", CHART_NS)
    marks = tuple((int(point.find("c:idx", CHART_NS).get("val")),
                   point.find("c:marker/c:spPr/a:solidFill/a:srgbClr", CHART_NS).get("val"),
                   point.find("c:marker/c:symbol", CHART_NS).get("val"),
                   int(point.find("c:marker/c:size", CHART_NS).get("val"))) for point in ser.iterfind("c:dPt", CHART_NS))
    return (ser.findtext("c:tx/c:v", namespaces=CHART_NS), line.find("a:solidFill/a:srgbClr", CHART_NS).get("val"),
            "solid" if dash is None else dash.get("val"), int(line.get("w")) / 12700,
            ser.find("c:marker/c:symbol", CHART_NS).get("val"), marks)


def _rgb(colour) -> str | None:
    """'RRGGBB' of an explicit colour; None for none or a theme colour (the default font's)."""
    return colour.rgb[-6:] if colour is not None and colour.type == "rgb" else None


def live_view(state: dict, plan: SheetPlan) -> dict:
    """The same view of what Excel holds once the remote engine's actions are applied."""
    formats = {pos: state["formats"].get(pos, {}) for pos in plan.cells}
    view = {"values": state["values"],
            "number_format": {p: f["number_format"] for p, f in formats.items() if "number_format" in f},
            "fill": {p: colour.lstrip("#") for p, colour in state["fills"].items()},
            "font": {p: (f.get("bold", False), f.get("italic", False), f.get("size"), (f.get("color") or "#")[1:] or None)
                     for p, f in formats.items()},
            "alignment": {p: (f.get("horizontal"), f.get("vertical"), f.get("wrap", False)) for p, f in formats.items()},
            "indent": {p: f.get("indent", 0) for p, f in formats.items()},
            "border": {}}
    for p, f in formats.items():
        edges = {(f.get(f"border_{edge}.line_style"), (f.get(f"border_{edge}.color") or "#")[1:] or None)
                 for edge in ("edge_left", "edge_right", "edge_top", "edge_bottom")}
        if edges != {(None, None)}:
            assert len(edges) == 1, (p, edges)
            style, colour = edges.pop()
            view["border"][p] = ("thin" if style == "continuous" else style, colour)
    view["column_width"] = {c: round(points * 4 / 3) for c, points in state["widths"].items()}  # 3/4 pt a pixel
    view["row_height"] = state["heights"]
    view["merge"] = set(state["merges"])
    view["freeze"] = state["freeze"]
    top_left, bottom_right = state["print_area"].split(":")
    view["print_area"] = (*_cell(top_left), *_cell(bottom_right))
    view["gridlines"] = state["gridlines"]
    view["active"] = state["active"]
    view["charts"] = [_live_chart(chart) for chart in state["charts"]]
    return view


def _live_chart(chart: dict) -> tuple:
    """A chart the replayed actions made, as the file view reads one. Its lines are the source's
    rows or columns; empty cells are gaps, Excel's own setting for a new line chart."""
    sheet, area = chart["source"].split("!")
    first, last = area.replace("$", "").split(":")
    top, left, bottom, right = (*_cell(first), *_cell(last))
    lines = [(top, c, bottom, c) for c in range(left, right + 1)] if chart["plot_by"] == "Columns" else \
        [(r, left, r, right) for r in range(top, bottom + 1)]
    axis = chart["axis"]["value"]
    row, column = _cell(chart["anchor"].replace("$", ""))
    return (chart["title"], (column, row), tuple(f"{sheet}!{absolute(line)}" for line in lines),
            chart["categories"], "gap", axis.get("minimum_scale"),
            axis.get("maximum_scale"), axis["number_format"])


def absolute(area) -> str:
    first, last = (openpyxl.utils.get_column_letter(area[1] + 1), area[0] + 1), \
        (openpyxl.utils.get_column_letter(area[3] + 1), area[2] + 1)
    return f"${first[0]}${first[1]}:${last[0]}${last[1]}"


def _cell(name: str) -> tuple[int, int]:
    return openpyxl.utils.cell.coordinate_to_tuple(name)[0] - 1, openpyxl.utils.cell.coordinate_to_tuple(name)[1] - 1


# --- the three backends ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """A real workbook (Indicators, Data) to write the plan into."""
    return make_workbook(tmp_path_factory.mktemp("conformance") / "book.xlsx", [indicator("A")], [("A", "2021-02", 1)])


def written_by(kind: str, workbook, tmp_path):
    """(backend, its view of the written sheet, its notes) for the rich plan."""
    plan = rich_plan()
    if kind == "splice":
        out = tmp_path / "spliced.xlsx"
        backend = XlsxFile(workbook, save=lambda render, names: render(out))
        backend.write([SheetWrite(plan, record_for(plan))])
        return backend, file_view(out, plan), unrendered_notes([plan], backend)
    if kind == "new file":
        backend = NewWorkbook(tmp_path / "new.xlsx")
        backend.write([SheetWrite(plan)])
        return backend, file_view(backend.path, plan), unrendered_notes([plan], backend)
    import xlwings as xw
    data = book_json(workbook)
    backend = LiveBook(xw.Book(json=data))
    written = backend.write([SheetWrite(plan, record_for(plan))])
    state = apply_actions(data, backend.book.json()["actions"])[SHEET]
    return backend, live_view(state, plan), unrendered_notes([plan], backend) + written.notes


BACKENDS = ["splice", "new file", "live (remote engine)"]


def test_the_plan_uses_every_feature():
    assert plan_features(rich_plan()) == set(FEATURES)


@pytest.mark.parametrize("kind", BACKENDS)
def test_each_backend_renders_what_it_claims(kind, workbook, tmp_path):
    plan = rich_plan()
    backend, view, _ = written_by(kind, workbook, tmp_path)
    expected = expected_view(plan)
    claimed = plan_features(plan) & backend.capabilities
    assert claimed  # a backend claiming nothing would pass the loop below vacuously
    for feature in sorted(claimed):
        got = view[feature]
        if feature == "values":
            assert got.keys() == expected["values"].keys()
            for pos, value in expected["values"].items():
                assert got[pos] == (pytest.approx(value) if isinstance(value, float) else value), pos
        else:
            assert got == expected[feature], feature


@pytest.mark.parametrize("kind", BACKENDS)
def test_each_backend_names_what_it_leaves_out(kind, workbook, tmp_path):
    plan = rich_plan()
    backend, _, notes = written_by(kind, workbook, tmp_path)
    left_out = plan_features(plan) - backend.capabilities
    text = " ".join(notes)
    for feature in left_out:
        assert FEATURES[feature] in text, feature
    assert bool(notes) == bool(left_out)
    assert all(note.startswith(f"The {SHEET} sheet was written without ") for note in notes[:1])


def test_what_the_live_writer_leaves_out_is_what_xlwings_has_no_call_for(workbook, tmp_path):
    backend, _, _ = written_by("live (remote engine)", workbook, tmp_path)
    assert plan_features(rich_plan()) - backend.capabilities == {
        "rich_text", "orientation", "paper", "fit", "scale", "margins", "header", "footer", "repeat_rows",
        "repeat_columns", "page_breaks", "tab_color", "zoom", "chart_series"}


def test_the_splice_and_the_new_file_leave_out_nothing(workbook, tmp_path):
    assert written_by("splice", workbook, tmp_path)[2] == []
    assert written_by("new file", workbook, tmp_path)[2] == []


def test_on_the_desktop_widths_go_in_characters_and_indents_are_named_as_left_out(workbook, monkeypatch):
    """Desktop Excel takes widths in characters, and xlwings cannot indent there (NotImplementedError)."""
    import xlwings as xw
    data = book_json(workbook)
    book = xw.Book(json=data)
    monkeypatch.setattr(type(book.app.engine), "name", property(lambda engine: "excel"))
    # Bringing Excel to the front is the desktop's own business (xlwings refuses it on Linux).
    monkeypatch.setattr(type(book.app), "activate", lambda app, steal_focus=False: None)
    backend = LiveBook(book)
    plan = rich_plan()
    backend.write([SheetWrite(plan, record_for(plan))])
    state = apply_actions(data, book.json()["actions"])[SHEET]
    assert state["widths"] == plan.column_widths
    assert not any("indent" in formats for formats in state["formats"].values())
    assert "indent" not in backend.capabilities
    assert FEATURES["indent"] in " ".join(unrendered_notes([plan], backend))


def test_a_live_refresh_reports_what_it_left_out_and_a_file_refresh_does_not(tmp_path):
    import xlwings as xw
    from scorecard_xl.starter import write_starter
    from scorecard_xl.update.refresh import refresh, refresh_book
    path = tmp_path / "sample.xlsx"
    write_starter(path, sample=True)
    live = refresh_book(xw.Book(json=book_json(path)))
    (note,) = live.unrendered
    assert note in live.summary() and note.startswith("The Scorecard sheet was written without ")
    # The sample's Scorecard is too wide for one readable A4 page, so it prints over more pages wide with its
    # Ref and Indicator columns repeated rather than fitted to the width (pages/printing.py).
    for feature in ("rich_text", "orientation", "paper", "margins", "header", "footer", "repeat_rows",
                    "repeat_columns", "tab_color", "zoom"):
        assert FEATURES[feature] in note, feature
    assert FEATURES["fit"] not in note  # only what the plan asks for and the backend cannot do is named
    assert "set them once in Excel" in note
    assert refresh(path, out=tmp_path / "file.xlsx").unrendered == []
