"""The rules every page's charts follow (pages/chart_data.py), and the Summary's charts keeping them:
counts and percentages drawn from zero unless a figure is negative, a missing month a gap (an
empty cell, never a zero), and titles whole, however long the indicator's name."""

from __future__ import annotations

import math
import zipfile

import pytest
from lxml import etree

from scorecard_xl.backends.xlsxwriter_book import write_new_workbook
from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.compute.vocabulary import AVERAGE, COUNT, DAYS, PERCENTAGE, RATE
from scorecard_xl.pages.board import summary_page
from scorecard_xl.pages.chart_data import axis_minimum, constant_row, figure_row
from scorecard_xl.pages.sheetplan import Chart, ChartSeries, MarkedPoint, SheetPlan
from scorecard_xl.starter import write_starter
from scorecard_xl.update.refresh import refresh

C = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}


@pytest.mark.parametrize("unit, figures, start", [
    (COUNT, [492, 481, 512], 0.0),
    (PERCENTAGE, [0.94, None, math.nan, 0.97], 0.0),  # 94% to 97% is drawn from 0%, not from 93%
    (COUNT, [], 0.0),
    (COUNT, [-3, 4], None),  # a negative figure: the axis goes below zero as the figures need
    (PERCENTAGE, [-0.125, 0.5], None),
    (RATE, [612.3, 598.1], None),  # rates, days and averages: the axis fits the figures
    (DAYS, [391.5, 432.2], None),
    (AVERAGE, [3.2, 3.4], None),
])
def test_counts_and_percentages_start_at_zero_unless_a_figure_is_negative(unit, figures, start):
    assert axis_minimum(unit, figures) == start


def test_a_missing_figure_is_an_empty_cell_and_a_constant_line_repeats_its_figure():
    plan = SheetPlan("Page")
    assert figure_row(plan, 2, 3, [1.0, None, math.nan, 4]) == (2, 3, 2, 6)
    assert [plan.cells[(2, c)].value for c in range(3, 7)] == [1.0, None, None, 4.0]
    assert constant_row(plan, 3, 3, 0.95, 4) == (3, 3, 3, 6)
    assert {plan.cells[(3, c)].value for c in range(3, 7)} == {0.95}


def test_a_chart_refuses_what_no_backend_can_draw():
    with pytest.raises(ValueError, match="'dotted'"):
        ChartSeries((0, 0, 0, 3), (1, 0, 1, 3), dash="dotted")
    with pytest.raises(ValueError, match="'star'"):
        MarkedPoint(1, "C00000", symbol="star")
    with pytest.raises(ValueError, match=r"\[4\]"):
        ChartSeries((0, 0, 0, 3), (1, 0, 1, 3), marked=(MarkedPoint(4, "C00000"),))
    with pytest.raises(ValueError, match="'middle'"):
        Chart("t", (), "0", (0, 0), 10, 10, legend="middle")


def test_a_missing_month_is_drawn_as_a_gap(tmp_path):
    plan = SheetPlan("Page")
    for c, month in enumerate(["Jan-21", "Feb-21", "Mar-21"], start=1):
        plan.put(0, c, month)
    values = figure_row(plan, 1, 1, [0.5, None, 0.7])
    plan.charts.append(Chart("A gap", (ChartSeries(values, (0, 1, 0, 3)),), "0%", (3, 0), 300, 200))
    with zipfile.ZipFile(write_new_workbook(tmp_path / "gap.xlsx", [plan])) as z:
        chart = etree.fromstring(z.read("xl/charts/chart1.xml"))
    assert chart.find(".//c:dispBlanksAs", C).get("val") == "gap"
    cached = chart.find(".//c:val//c:numCache", C)
    assert [p.get("idx") for p in cached.iterfind("c:pt", C)] == ["0", "2"]  # no zero stands in for February


@pytest.fixture(scope="module")
def sample_summary(tmp_path_factory):
    path = write_starter(tmp_path_factory.mktemp("rules") / "s.xlsx", sample=True)
    refresh(path)
    scorecard = load_scorecard(path)
    return scorecard, summary_page(scorecard)


def charted_refs(plan: SheetPlan) -> list[str]:
    """The Ref each chart draws: the chart data's Ref cell, left of its figures."""
    return [plan.cells[(chart.series[0].values[0], chart.series[0].values[1] - 1)].value for chart in plan.charts]


def test_the_summarys_chart_titles_are_whole_indicator_names(sample_summary):
    scorecard, plan = sample_summary
    names = scorecard.indicators["indicator"]
    titles = [chart.title for chart in plan.charts]
    assert titles == [f"{ref} {names[ref]}" for ref in charted_refs(plan)]
    assert max(map(len, titles)) > 90 and not any(t.endswith("\u2026") for t in titles)


def test_the_summarys_charts_of_counts_and_percentages_start_at_zero(sample_summary):
    scorecard, plan = sample_summary
    units = scorecard.indicators["unit"]
    starts = dict(zip(charted_refs(plan), (chart.axis_min for chart in plan.charts)))
    from_zero = {ref for ref in starts if units[ref] in (COUNT, PERCENTAGE)}
    assert {units[ref] for ref in from_zero} == {COUNT, PERCENTAGE}  # the sample charts both
    assert {ref: starts[ref] for ref in from_zero} == dict.fromkeys(from_zero, 0.0)
    assert [starts[ref] for ref in starts if ref not in from_zero] == [None] * (len(starts) - len(from_zero))
