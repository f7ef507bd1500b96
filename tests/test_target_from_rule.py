"""The Target column comes from the RAG rule's data, and the Red / Amber / Green text people typed is
kept on the indicator (docs/design.md §5.4)."""

import dataclasses

import pytest

from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.pages import columns as keys
from scorecard_xl.pages.board import summary_page
from scorecard_xl.pages.printing import text_height, wrapped_lines
from scorecard_xl.pages.scorecard import monthly_layout
from workbooks import indicator, make_workbook, monthly_series

INDICATORS = [
    indicator("T", unit="Percentage", red="<92%", amber="92%>", green="95%+"),
    indicator("N", unit="Percentage", red=0.92, green=0.95),  # numbers typed: High, so 95% or more is green
    indicator("A", polarity="Info", red="more than +/-15", amber="+/-15", green="+/-5 of 158.8"),
    indicator("R", polarity="Within limits", red="1+ above range limit", green="14-20"),
    indicator("G", unit="Percentage", green="90%"),  # Green alone works as a target
    indicator("S", target=50),
    indicator("U"),
]
TARGETS = {"T": "95%+", "N": "95%+", "A": "+/-5 of 158.8", "R": "14-20", "G": "90%", "S": 50.0, "U": None}


@pytest.fixture(scope="module")
def scorecard(tmp_path_factory):
    data = [row for spec in INDICATORS for row in monthly_series(spec["Ref"], 2021, 1, [0.9, 0.93])]
    return load_scorecard(make_workbook(tmp_path_factory.mktemp("target") / "t.xlsx", INDICATORS, data))


def target_cells(plan, column: int) -> dict:
    return {ref: plan.cells[(row, column)].value for row, ref in plan.row_keys.items()}


def test_the_red_amber_and_green_text_typed_is_kept_on_the_indicator(scorecard):
    info = scorecard.indicators
    assert (info.at["T", "red_text"], info.at["T", "amber_text"], info.at["T", "green_text"]) == ("<92%", "92%>", "95%+")
    assert (info.at["N", "red_text"], info.at["N", "amber_text"], info.at["N", "green_text"]) == ("0.92", "", "0.95")
    assert info.at["R", "red_text"] == "1+ above range limit" and info.at["U", "green_text"] == ""


def test_the_target_column_shows_the_target_else_the_green_boundary(scorecard):
    plan = monthly_layout(scorecard)
    assert target_cells(plan, plan.columns[keys.TARGET]) == TARGETS


def test_the_target_column_does_not_read_the_rules_display_words(scorecard):
    # the rule's description is for people; rewording it changes no cell
    info = scorecard.indicators.copy()
    info["rag_rule"] = [dataclasses.replace(rule, description="rated, see the Indicators sheet")
                        for rule in info["rag_rule"]]
    reworded = dataclasses.replace(scorecard, indicators=info)
    plan = monthly_layout(reworded)
    assert target_cells(plan, plan.columns[keys.TARGET]) == TARGETS
    kpi = summary_page(reworded)
    ref, target = kpi.columns[keys.REF], kpi.columns[keys.TARGET]
    shown = {kpi.cells[(r, ref)].value: kpi.cells[(r, target)].value for (r, c) in kpi.cells
             if c == target and r > kpi.header_row and kpi.cells[(r, ref)].value in TARGETS}
    assert shown == TARGETS


@pytest.mark.parametrize("page", [monthly_layout, summary_page])
def test_a_target_wider_than_its_column_wraps_in_its_own_cell(scorecard, page):
    # "+/-5 of 158.8" is wider than the Target column: unwrapped, it would print over the benchmark beside it
    plan = page(scorecard)
    ref, target = plan.columns[keys.REF], plan.columns[keys.TARGET]
    (row,) = [r for (r, c), cell in plan.cells.items() if c == ref and cell.value == "A"]
    cell = plan.cells[(row, target)]
    style = plan.styles[cell.style]
    width = plan.column_widths[target]
    assert cell.value == "+/-5 of 158.8" and wrapped_lines(cell.value, width) > 1
    assert style.wrap and plan.row_heights[row] >= text_height(cell.value, width, style.bold, style.font_size)
