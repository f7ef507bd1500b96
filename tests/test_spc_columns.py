"""SPC verdicts per indicator through the whole pipeline: workbook -> scorecard table columns.

Expected limits are worked by hand from the XmR rules (mean ± 2.66 × average moving range, moving
ranges of 3.267 × their average or more screened out), not read from the code.
"""

from __future__ import annotations

import pytest

from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.pages.table import scorecard_table
from scorecard_xl.problems import InputProblems
from workbooks import INDICATOR_HEADERS, indicator, make_workbook, monthly_series

HEADERS = INDICATOR_HEADERS + ["SPC baseline", "SPC recalculate from"]
STEADY = [48, 52] * 11 + [48]  # 23 months, Apr-19 .. Feb-21, moving ranges all 4


def table(tmp_path, indicators, data):
    path = make_workbook(tmp_path / "spc.xlsx", indicators, data, indicator_headers=HEADERS)
    return scorecard_table(load_scorecard(path)).set_index("ref")


def test_a_point_beyond_the_upper_limit_is_improvement_concern_or_neither_by_polarity(tmp_path):
    figures = STEADY + [80]
    rows = table(tmp_path, [indicator("H", "High"), indicator("L", "Low"), indicator("I", "Info")],
                 [row for ref in "HLI" for row in monthly_series(ref, 2019, 4, figures)])
    # mean 1228 / 24; the last moving range (32) is screened out, so mR-bar is 4 and the limits ± 10.64
    assert rows.at["H", "spc_mean"] == pytest.approx(1228 / 24)
    assert rows.at["H", "spc_upper"] == pytest.approx(1228 / 24 + 10.64)
    assert rows.at["H", "spc_lower"] == pytest.approx(1228 / 24 - 10.64)
    assert rows["spc_variation"].to_dict() == {"H": "improvement", "L": "concern", "I": "special_cause"}


def test_common_cause_and_too_few_points(tmp_path):
    rows = table(tmp_path, [indicator("A"), indicator("B")],
                 monthly_series("A", 2019, 4, STEADY + [50]) + monthly_series("B", 2020, 4, [48, 52] * 5 + [50]))
    assert rows.at["A", "spc_variation"] == "common_cause"
    assert rows.at["B", "spc_variation"] == "" and rows["spc_mean"].isna()["B"]  # 11 points: no limits


def test_assurance_against_the_target_or_the_edge_of_green(tmp_path):
    shares = [0.90, 0.91] * 12  # mean 90.5%, mR-bar 1 point: limits 90.5% ± 2.66 points
    rows = table(tmp_path, [indicator("P", "High", "Percentage", Green="85%+"),
                            indicator("F", "High", "Percentage", Target=95),
                            indicator("M", "High", "Percentage", Green="91%+"),
                            indicator("N", "High", "Percentage")],
                 [row for ref in "PFMN" for row in monthly_series(ref, 2019, 4, shares)])
    assert rows["spc_assurance"].to_dict() == {"P": "consistently_passing", "F": "consistently_failing",
                                               "M": "hit_and_miss", "N": ""}


def test_a_baseline_period_fixes_the_limits_the_later_months_are_judged_by(tmp_path):
    figures = [48, 52] * 6 + [59, 61] * 6  # Apr-19 .. Mar-20 around 50, then around 60
    rows = table(tmp_path, [{**indicator("B"), "SPC baseline": "Apr-19 to Mar-20"}, indicator("U")],
                 monthly_series("B", 2019, 4, figures) + monthly_series("U", 2019, 4, figures))
    assert rows.at["B", "spc_mean"] == pytest.approx(50)
    assert rows.at["B", "spc_upper"] == pytest.approx(50 + 2.66 * 4)
    assert rows.at["B", "spc_variation"] == "improvement"  # 61 is above 60.64, and 12 points sit above 50
    assert rows.at["U", "spc_mean"] == pytest.approx(55)  # no baseline: all 24 months


def test_a_recalculation_starts_a_phase_with_its_own_limits(tmp_path):
    figures = [48, 52] * 6 + [59, 61] * 6
    rows = table(tmp_path, [{**indicator("R"), "SPC recalculate from": "Apr-20"}], monthly_series("R", 2019, 4, figures))
    assert rows.at["R", "spc_mean"] == pytest.approx(60)
    assert rows.at["R", "spc_upper"] == pytest.approx(60 + 2.66 * 2)
    assert rows.at["R", "spc_variation"] == "common_cause"


@pytest.mark.parametrize("column, typed, words", [
    ("SPC baseline", "last year", "X has SPC baseline 'last year'"),
    ("SPC baseline", "Apr-20 to Mar-19", "X has SPC baseline 'Apr-20 to Mar-19'"),
    ("SPC recalculate from", "Apr-20, soon", "X has SPC recalculate from 'Apr-20, soon'"),
])
def test_a_choice_that_cannot_be_read_is_an_error_naming_its_cell(tmp_path, column, typed, words):
    path = make_workbook(tmp_path / "bad.xlsx", [{**indicator("X"), column: typed}],
                         monthly_series("X", 2019, 4, STEADY), indicator_headers=HEADERS)
    cell = "R2" if column == "SPC baseline" else "S2"
    with pytest.raises(InputProblems) as refused:
        load_scorecard(path)
    (problem,) = refused.value.problems
    assert (problem.sheet, problem.cell) == ("Indicators", cell) and words in problem.found
