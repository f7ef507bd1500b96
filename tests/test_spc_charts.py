"""The charts of the Indicator pages and the Board summary carry each indicator's SPC (pages/chart_data.py):
the mean and process limits of each month as lines of cells (a month without them an empty cell), and
its special-cause points marked in a colour and a shape of their own, by the polarity; in the file a
refresh splices, read back with lxml; and never where a month the limits rest on shows as c.

The expectations are worked by hand from the worked example of the arithmetic: limits fixed on the
baseline 20, 24, 22, 25, 21, 23, 26, 22, 24, 21, 23, 25 (Jan-20 to Dec-20) have mean 23 and average
moving range 31 / 11, so the process limits are 23 +/- 2.66 x 31 / 11 = 15.504 to 30.496; a January
figure of 40 lies beyond the upper one.
"""

from __future__ import annotations

import dataclasses
import zipfile

import pytest
from lxml import etree

from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.pages.board import summary_page
from scorecard_xl.pages.indicator_charts import indicator_chart
from scorecard_xl.pages.indicator_pages import indicator_pages
from scorecard_xl.pages.sheetplan import MarkedPoint, SheetPlan
from scorecard_xl.send.export import export_copy
from scorecard_xl.update.refresh import refresh
from workbooks import INDICATOR_HEADERS, indicator, make_workbook, monthly_series

BASELINE = [20, 24, 22, 25, 21, 23, 26, 22, 24, 21, 23, 25]
LIMIT = 2.66 * 31 / 11
MEAN, UPPER, LOWER = 23.0, 23 + LIMIT, 23 - LIMIT
ORANGE, BLUE = "ED7D31", "2F5597"
SPC_NAMES = ["Mean", "Process limits", "Lower limit"]  # the lower limit unlisted
C = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
     "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


def spc_book(folder, name="spc.xlsx", pages="Indicator pages", january=40, small=None):
    """U1 (higher is better) and D1 (lower is better) with the baseline and 40 in Jan-21; F1 with only
    nine months, too few for limits; W1 with 30 months of 10, 12, 10, ... (mean 11, moving range 2).
    ``small``: (month, figure) put into U1's months instead."""
    baseline = {"SPC baseline": "Jan-20 to Dec-20"}
    inds = [indicator("U1", name="Up is better", Target=10, **{"ytd": "latest"}) | baseline,
            indicator("D1", polarity="Low", name="Down is better", **{"ytd": "latest"}) | baseline,
            indicator("F1", name="Few months", **{"ytd": "latest"}),
            indicator("W1", polarity="Info", name="Thirty months", **{"ytd": "latest"})]
    figures = BASELINE + [january]
    u1 = list(figures)
    for month, figure in small or ():
        u1[month] = figure
    data = monthly_series("U1", 2020, 1, u1) + monthly_series("D1", 2020, 1, figures)
    data += monthly_series("F1", 2020, 5, [5 + k for k in range(9)])
    data += monthly_series("W1", 2018, 8, [10, 12] * 15)  # Aug-18 to Jan-21, 30 months
    return make_workbook(folder / name, inds, data, indicator_headers=INDICATOR_HEADERS + ["SPC baseline"],
                         settings={"Pages": pages})


@pytest.fixture(scope="module")
def scorecard(tmp_path_factory):
    return load_scorecard(spc_book(tmp_path_factory.mktemp("spc")))


def row_values(plan: SheetPlan, cells) -> list:
    first_row, first, _, last = cells
    return [plan.cells[(first_row, c)].value for c in range(first, last + 1)]


def charts_by_ref(plan: SheetPlan) -> dict:
    return {chart.title.split(" ")[0]: chart for chart in plan.charts}


def test_an_indicator_chart_draws_the_mean_and_limits_as_lines_of_cells(scorecard):
    plan = indicator_pages(scorecard)
    u1 = charts_by_ref(plan)["U1"]
    assert [s.name for s in u1.series] == ["Figure"] + SPC_NAMES + ["Target"]
    mean, upper, lower = u1.series[1:4]
    assert row_values(plan, mean.values) == [MEAN] * 13
    assert row_values(plan, upper.values) == pytest.approx([UPPER] * 13)
    assert row_values(plan, lower.values) == pytest.approx([LOWER] * 13)
    assert {(s.color, s.dash, s.markers) for s in (upper, lower)} == {("A6A6A6", "dash", False)}
    assert [s.in_legend for s in u1.series] == [True, True, True, False, True]  # the limits listed once
    assert (mean.color, mean.dash, mean.markers) == ("595959", "solid", False)
    assert u1.legend == "bottom" and u1.axis_min == 0.0  # a count drawn from zero, the limits as they fall


def test_a_special_cause_point_is_marked_by_the_polarity_in_a_shape_of_its_own(scorecard):
    charts = charts_by_ref(indicator_pages(scorecard))
    # Jan-21, the 13th month, is beyond the upper limit: an improvement where up is better, a concern where down is
    assert charts["U1"].series[0].marked == (MarkedPoint(12, BLUE, "square", 8),)
    assert charts["D1"].series[0].marked == (MarkedPoint(12, ORANGE, "diamond", 8),)
    assert all(not s.marked for chart in charts.values() for s in chart.series[1:])


def test_too_few_points_draw_no_limits_and_no_marks(scorecard):
    f1 = charts_by_ref(indicator_pages(scorecard))["F1"]
    assert [s.name for s in f1.series] == ["Figure"] and not f1.series[0].marked


def test_months_outside_the_spc_window_are_gaps_in_the_limits(scorecard):
    """Thirty months shown: the six before the 24-month window have no limits (empty cells)."""
    wide = dataclasses.replace(scorecard, settings=dataclasses.replace(scorecard.settings, months_shown=30))
    plan = SheetPlan("Page")
    indicator_chart(plan, wide, "W1", 0, (0, 0), (400, 300))
    figures, mean, upper = (row_values(plan, s.values) for s in plan.charts[0].series[:3])
    assert figures == [10, 12] * 15
    assert mean == [None] * 6 + [11.0] * 24
    assert upper[:6] == [None] * 6 and upper[6:] == pytest.approx([11 + 2.66 * 2] * 24)
    assert not plan.charts[0].series[0].marked


def test_the_limits_can_be_left_off(scorecard):
    plan = SheetPlan("Page")
    indicator_chart(plan, scorecard, "U1", 0, (0, 0), (400, 300), limits=False)
    assert [s.name for s in plan.charts[0].series] == ["Figure", "Target"] and not plan.charts[0].series[0].marked


def test_the_board_summarys_charts_carry_the_limits_and_marks(scorecard):
    plan = summary_page(scorecard)
    charts = charts_by_ref(plan)
    assert {"U1", "D1"} <= set(charts)
    d1 = charts["D1"]
    assert [s.name for s in d1.series] == ["D1"] + SPC_NAMES
    assert row_values(plan, d1.series[1].values) == [MEAN] * 12
    assert row_values(plan, d1.series[2].values) == pytest.approx([UPPER] * 12)
    assert d1.series[0].marked == (MarkedPoint(11, ORANGE, "diamond", 8),)  # the 12th month: Jan-21


def _chart_parts(path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as z:
        return [etree.fromstring(z.read(name)) for name in sorted(z.namelist())
                if name.startswith("xl/charts/chart") and name.endswith(".xml")]


def _series_view(chart) -> list[tuple]:
    """Each line's name, colour, dash and its points' markers (index, symbol, colour), from the chart XML."""
    view = []
    for ser in chart.iterfind(".//c:ser", C):
        colour = ser.find("c:spPr/a:ln/a:solidFill/a:srgbClr", C).get("val")
        dash = ser.find("c:spPr/a:ln/a:prstDash", C)
        points = tuple((int(p.find("c:idx", C).get("val")), p.find("c:marker/c:symbol", C).get("val"),
                        p.find("c:marker/c:spPr/a:solidFill/a:srgbClr", C).get("val")) for p in ser.iterfind("c:dPt", C))
        view.append((ser.find("c:tx//c:v", C).text, colour, None if dash is None else dash.get("val"), points))
    return view


def test_the_spliced_file_draws_them(tmp_path):
    path = spc_book(tmp_path, pages="Indicator pages, Board summary")
    refresh(path)
    charts = _chart_parts(path)
    views = [_series_view(chart) for chart in charts]
    u1 = next(view for view in views if view[0][0] == "Figure" and view[0][3] == ((12, "square", BLUE),))
    unlisted = [[int(entry.find("c:idx", C).get("val")) for entry in chart.iterfind(".//c:legendEntry", C)
                 if entry.find("c:delete", C).get("val") == "1"] for chart in charts]
    assert unlisted[views.index(u1)] == [3]  # the lower limit, listed with the upper as "Process limits"
    assert u1[1:4] == [("Mean", "595959", None, ()), ("Process limits", "A6A6A6", "dash", ()),
                       ("Lower limit", "A6A6A6", "dash", ())]
    assert any(view[0] == ("D1", "1F3864", None, ((11, "diamond", ORANGE),)) for view in views)  # the board's


def test_under_suppression_the_board_draws_no_limits_resting_on_a_month_shown_as_c(tmp_path):
    """U1's Jan-20 is 3, shown as c: the 12 months charted are all shown, but the limits rest on Jan-20."""
    path = spc_book(tmp_path, pages="Board summary", small=[(0, 3)])
    plain = charts_by_ref(summary_page(load_scorecard(path)))
    assert [s.name for s in plain["U1"].series][:4] == ["U1"] + SPC_NAMES
    copy = export_copy(path, out=tmp_path / "copy.xlsx", suppress=True).workbook
    views = {view[0][0]: view for view in map(_series_view, _chart_parts(copy))}
    assert [line[0] for line in views["U1"]] == ["U1", "Target"] and views["U1"][0][3] == ()
    assert [line[0] for line in views["D1"]] == ["D1"] + SPC_NAMES  # nothing of D1's is small


def test_under_suppression_an_indicator_page_draws_no_limits_resting_on_a_month_shown_as_c(tmp_path):
    """S1's Apr-19 is 3, shown as c: older than the 13 months its page charts (Jan-20 to Jan-21), but
    inside the 24 its limits rest on; K1 has nothing small."""
    figures = [10, 12] * 12  # Feb-19 .. Jan-21
    small = list(figures)
    small[2] = 3
    path = make_workbook(tmp_path / "window.xlsx", [indicator("S1", ytd="latest"), indicator("K1", ytd="latest")],
                         monthly_series("S1", 2019, 2, small) + monthly_series("K1", 2019, 2, figures),
                         settings={"Pages": "Indicator pages"})
    plain = indicator_pages(load_scorecard(path))
    assert [[s.name for s in chart.series] for chart in plain.charts] == [["Figure"] + SPC_NAMES] * 2
    copy = export_copy(path, out=tmp_path / "copy.xlsx", suppress=True).workbook
    pages = [[line[0] for line in view] for view in map(_series_view, _chart_parts(copy)) if view[0][0] == "Figure"]
    assert sorted(pages) == [["Figure"], ["Figure"] + SPC_NAMES]
