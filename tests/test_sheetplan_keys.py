"""Columns of a page are found by their keys, never by their headings' wording (docs/design.md §4)."""

import pytest

from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.pages.board import summary_page
from scorecard_xl.pages.scorecard import monthly_layout
from scorecard_xl.send.export import suppress_plan, suppression_mask
from workbooks import indicator, make_workbook, monthly_series

# Jan-20 .. Feb-21, every figure a count of 1 to 5: each figure and each thing worked out from them is c
SMALL = [2] * 13 + [3]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = make_workbook(tmp_path_factory.mktemp("keys") / "small.xlsx",
                         [indicator("C1", polarity="Info", name="Children adopted"),
                          indicator("C2", polarity="Info", name="Children leaving care")],
                         monthly_series("C1", 2020, 1, SMALL) + monthly_series("C2", 2020, 1, [40] * 14))
    return load_scorecard(path)


def headings(plan) -> dict[str, int]:
    return {cell.value: c for (r, c), cell in plan.cells.items() if r == plan.header_row}


def row_of(plan, ref: str) -> int:
    return next(row for row, key in plan.row_keys.items() if key == ref)


def test_every_column_of_the_monthly_page_has_a_key_apart_from_its_heading(small):
    plan = monthly_layout(small)
    months = [f"month:2020-{m:02d}" for m in range(8, 13)] + ["month:2021-01", "month:2021-02"]
    assert list(plan.columns) == ["ref", "indicator", "owner", "reporter", "outcome", *months, "change_prev_year",
                                  "dot", "spc_variation", "spc_assurance", "avg_12m", "max_12m", "sn", "england", "region", "target", "commentary"]
    assert list(plan.columns.values()) == list(range(len(plan.columns)))
    by_heading = headings(plan)
    assert by_heading["Feb-21"] == plan.columns["month:2021-02"] and by_heading["DoT"] == plan.columns["dot"]
    assert by_heading["% change from Feb-20"] == plan.columns["change_prev_year"]
    assert plan.manual_columns == {"commentary": plan.columns["commentary"]}


REWORDED = {"Feb-21": "This month", "Jan-21": "Last month", "% change from Feb-20": "On a year ago",
            "DoT": "Direction", "12-mnth avg": "Average (a year)", "12-mnth max.": "Highest (a year)"}


def test_suppression_follows_the_columns_when_their_headings_are_reworded(small):
    plan = monthly_layout(small)
    by_heading = headings(plan)
    for old, new in REWORDED.items():
        plan.put(plan.header_row, by_heading[old], new, plan.cells[(plan.header_row, by_heading[old])].style)
    suppressed = suppress_plan(plan, small, suppression_mask(small))
    c1, c2 = row_of(suppressed, "C1"), row_of(suppressed, "C2")
    for old in REWORDED:
        assert suppressed.cells[(c1, by_heading[old])].value == "c", old
    assert suppressed.cells[(c2, by_heading["Feb-21"])].value == 40  # 6 or more stays
    assert suppressed.cells[(plan.header_row, by_heading["Feb-21"])].value == "This month"


def test_a_page_whose_columns_have_no_key_for_a_figure_leaves_it_alone(small):
    # a heading that merely looks like a month is no month column: only keys say what a column holds
    plan = monthly_layout(small)
    outcome = next(c for heading, c in headings(plan).items() if heading.startswith("Outcome"))
    plan.put(plan.header_row, outcome, "Feb-21")
    row = row_of(plan, "C1")
    plan.put(row, outcome, 3.0)
    assert suppress_plan(plan, small, suppression_mask(small)).cells[(row, outcome)].value == 3.0


def test_the_summarys_kpi_table_keys_its_columns_too(small):
    plan = summary_page(small)
    assert list(plan.columns) == ["ref", "indicator", "month:2020-12", "month:2021-01", "month:2021-02", "target",
                                  "benchmark", "change_prev_month", "dot", "rag", "spc_variation", "spc_assurance",
                                  "override", "headline"]
    by_heading = headings(plan)
    assert by_heading["Feb-21"] == plan.columns["month:2021-02"] and by_heading["RAG"] == plan.columns["rag"]
    assert by_heading["Change on Jan-21 (pp or %)"] == plan.columns["change_prev_month"]
    assert plan.manual_columns == {"override": plan.columns["override"], "headline": plan.columns["headline"]}
