"""Charts, the print area and page breaks are elements of the SheetPlan, and the XlsxWriter backend
draws them from the plan (docs/design.md §4)."""

import re
import zipfile

import openpyxl
import pytest
from lxml import etree

from scorecard_xl.backends.xlsxwriter_book import write_new_workbook
from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.compute.months import month_label
from scorecard_xl.pages.board import summary_page
from scorecard_xl.pages.sheetplan import Chart, ChartSeries, PrintSetup, SheetPlan
from scorecard_xl.send.export import export_copy
from scorecard_xl.starter import write_starter
from scorecard_xl.update.refresh import refresh
from workbooks import openpyxl_sheet

NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"}


def chart_parts(path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as archive:
        names = sorted((n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
                       key=lambda n: int(re.search(r"\d+", n).group()))
        return [etree.fromstring(archive.read(name)) for name in names]


def ranges(chart) -> tuple[str, str]:
    return chart.findtext(".//c:cat//c:f", namespaces=NS), chart.findtext(".//c:val//c:f", namespaces=NS)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = write_starter(tmp_path_factory.mktemp("charts") / "s.xlsx", sample=True)
    refresh(path)
    return path


def test_the_summarys_charts_are_in_its_plan_with_their_figures_as_plan_cells(sample):
    scorecard = load_scorecard(sample)
    plan = summary_page(scorecard)
    assert plan.charts, "the sample has indicators to do better"
    months = [month_label(scorecard.reporting_month - k) for k in range(11, -1, -1)]
    for chart in plan.charts:
        series = chart.series[0]  # the indicator's own figures; its target and benchmarks follow
        top, left, bottom, right = series.categories
        assert top == bottom and [plan.cells[(top, c)].value for c in range(left, right + 1)] == months
        top, left, bottom, right = series.values
        ref = plan.cells[(top, left - 1)].value  # the chart data's Ref column, left of the figures
        assert chart.title.startswith(ref + " ")
        i = scorecard.panel.keys.get_loc(ref)
        figures = [plan.cells[(top, c)].value for c in range(left, right + 1)]
        end = scorecard.panel.column(scorecard.reporting_month)
        assert figures == pytest.approx(list(scorecard.panel.values[i, end - 11:end + 1]), nan_ok=True)
    assert plan.print_setup.area[3] == 11 and plan.print_setup.page_breaks  # A:L prints; the chart data does not


def test_the_copys_charts_have_literal_titles_and_the_plans_series_ranges(sample, tmp_path):
    plan = summary_page(load_scorecard(sample))
    charts = chart_parts(export_copy(sample, out=tmp_path / "copy.xlsx").workbook)
    assert len(charts) == len(plan.charts)
    for part, chart in zip(charts, plan.charts):
        assert ranges(part) == tuple(f"'Board summary'!{absolute(area)}"
                                     for area in (chart.series[0].categories, chart.series[0].values))
        assert "".join(part.find(".//c:title", NS).itertext()) == chart.title
        assert part.findall(".//c:title//c:f", NS) == []


def absolute(area) -> str:
    """'$M$4:$X$4' for a plan's (first row, first column, last row, last column)."""
    letter = openpyxl.utils.get_column_letter
    return f"${letter(area[1] + 1)}${area[0] + 1}:${letter(area[3] + 1)}${area[2] + 1}"


def test_a_chart_on_any_plan_is_drawn_where_and_as_the_plan_says(tmp_path):
    plan = SheetPlan("Trend")
    for c, (label, value) in enumerate([("Jan-21", 4.0), ("Feb-21", None), ("Mar-21", 6.5)], start=1):
        plan.put(0, c, label)
        plan.put(1, c, value)
    plan.charts.append(Chart("=HYPERLINK(\"x\") Sheet1!A1", (ChartSeries((1, 1, 1, 3), (0, 1, 0, 3), color="C00000"),),
                             "0.0", anchor=(3, 2), width=300, height=150, offset=(6, 4)))
    plan.print_setup = PrintSetup(area=(0, 0, 1, 3), page_breaks=(2,))
    path = write_new_workbook(tmp_path / "trend.xlsx", [plan])
    (chart,) = chart_parts(path)
    assert ranges(chart) == ("Trend!$B$1:$D$1", "Trend!$B$2:$D$2")
    assert "".join(chart.find(".//c:title", NS).itertext()) == "=HYPERLINK(\"x\") Sheet1!A1"
    assert chart.find(".//c:ser/c:spPr/a:ln/a:solidFill/a:srgbClr", NS).get("val") == "C00000"
    assert chart.find(".//c:valAx/c:numFmt", NS).get("formatCode") == "0.0"
    with zipfile.ZipFile(path) as archive:
        drawing = etree.fromstring(archive.read("xl/drawings/drawing1.xml"))
    start = drawing.find(".//xdr:from", NS)
    assert (start.findtext("xdr:row", namespaces=NS), start.findtext("xdr:col", namespaces=NS)) == ("3", "2")
    sheet = openpyxl_sheet(path, "Trend")
    assert sheet.print_area == "'Trend'!$A$1:$D$2"
    assert [b.id for b in sheet.row_breaks.brk] == [2]


def test_a_series_of_a_kind_the_backend_cannot_draw_is_refused_not_drawn_as_a_line(tmp_path):
    plan = SheetPlan("Bars")
    plan.put(0, 0, 1.0)
    plan.charts.append(Chart("Bars", (ChartSeries((0, 0, 0, 0), (0, 0, 0, 0), kind="column"),), "0", (2, 0), 100, 100))
    with pytest.raises(ValueError, match="'column'"):
        write_new_workbook(tmp_path / "bars.xlsx", [plan])
