"""Worksheet functions (scorecard_xl.excel.udfs), called directly and through xlwings' server call path.

Direct calls pass what xlwings hands a function: lists (1-D or 2-D) of floats, None for blanks,
text (placeholders, numbers stored as text), TRUE/FALSE and Excel errors (as "#N/A" text, as
None, or as Windows' COM error numbers).

The server path runs in a child process: xlwings chooses its decorators (classic no-ops on Linux,
or the Office.js ones) once, when it is first imported, from XLWINGS_ON_SERVER. Other tests in
this suite import xlwings without it, and xlwings cannot be re-imported cleanly in one process,
so the child gets XLWINGS_ON_SERVER=true and XLWINGS_LICENSE_KEY=noncommercial in its own
environment and imports xlwings fresh. It reports ``custom_functions_meta`` and the results of
``custom_functions_call`` for the payloads built below as JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard_xl.compute import rules
from scorecard_xl.excel import udf_inputs, udfs
from scorecard_xl.compute.rules import DOWN, SAME, UP
from scorecard_xl.excel.udfs import (AVG12M, DOT, DOTS, MAX12M, MOVEMENT, NOT_AVAILABLE, PCTCHANGE, POLARITY_HELP, PPCHANGE,
                                     RAG, RATE10K, ROLLING12, YTD)

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "ref001_performance_summary.csv"
COM_NA = -2146826246  # #N/A as Windows hands it over without err_to_str
ERROR_CELL = {"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}  # Office.js, raw


def serial(year: int, month: int, day: int = 1) -> int:
    """Excel's date serial number (what Office.js sends for a date cell)."""
    return (dt.date(year, month, day) - dt.date(1899, 12, 30)).days


# ---------------------------------------------------------------------------------------------
# DOT

class TestDot:
    @pytest.mark.parametrize("values, polarity, expected", [
        ([1, 2], "High", UP), ([2, 1], "High", DOWN), ([2, 2], "High", SAME),
        ([1, 2], "Low", DOWN), ([2, 1], "Low", UP),
        ([1, 2], "Info", UP), ([2, 1], "Within limits", DOWN),
    ])
    def test_numbers(self, values, polarity, expected):
        assert DOT(values, polarity) == expected

    def test_latest_against_previous_non_empty_value(self):
        # 5 -> 3 is the change; the blank, placeholders, errors and bools around them are skipped
        assert DOT([9, 5, None, "tbc", "-", "#N/A", True, 3, None, "", "n/a"], "High") == DOWN
        assert DOT([3, 5, 1], "High") == DOWN  # only the last two values count

    def test_numbers_stored_as_text(self):
        assert DOT(["50.7%", "50.8%"], "High") == UP
        assert DOT(["1,954", "1,567"], "Info") == DOWN
        assert DOT([" 12 ", 12.0], "High") == SAME

    @pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", None, COM_NA, ERROR_CELL])
    def test_excel_errors_count_as_missing(self, error):
        assert DOT([1, 2, error], "High") == UP
        assert DOT([1, error], "High") == NOT_AVAILABLE

    def test_bools_are_not_numbers(self):
        assert DOT([True, False], "High") == NOT_AVAILABLE
        assert DOT([1, True], "High") == NOT_AVAILABLE

    @pytest.mark.parametrize("values", [None, [], [[]], [[None]], [None, None], ["tbc", "-"], [5], [[5]],
                                        [[None], [4]], "tbc", 7])
    def test_fewer_than_two_values_is_not_available(self, values):
        assert DOT(values, "High") == NOT_AVAILABLE

    def test_row_and_column_ranges(self):
        assert DOT([[1, 2, None]], "High") == UP
        assert DOT([[1], [2], [None]], "Low") == DOWN
        assert DOT(np.array([[4.0, 3.0]]), "Low") == UP

    def test_block_is_misuse(self):
        assert DOT([[1, 2], [3, 4]], "High") == "values must be one row or one column of cells"

    @pytest.mark.parametrize("polarity", ["high", " HIGH ", "High"])
    def test_polarity_is_case_insensitive(self, polarity):
        assert DOT([1, 2], polarity) == UP

    def test_within_limits_spacing_and_case(self):
        assert DOT([2, 1], "within  LIMITS") == DOWN

    @pytest.mark.parametrize("polarity", ["Hgh", "", None, 1, True, "Within limits (middle)"])
    def test_unknown_polarity_says_what_is_allowed(self, polarity):
        assert DOT([1, 2], polarity) == POLARITY_HELP == "polarity must be High, Low, Info or Within limits"

    def test_polarity_must_be_one_cell(self):
        assert DOT([1, 2], ["High", "Low"]) == "polarity must be one cell"

    def test_bad_polarity_is_reported_even_without_data(self):
        assert DOT([], "Hgh") == POLARITY_HELP

    def test_single_cell_polarity_range(self):
        assert DOT([1, 2], [["Low"]]) == DOWN

    def test_band(self):
        assert DOT([100, 104], "High", 0.05) == SAME
        assert DOT([100, 106], "High", "5%") == UP
        assert DOT([100, 104], "High", None) == UP  # omitted: any change counts
        assert DOT([100, 104], "High", "") == UP
        assert DOT([100, 104], "High", 5) == SAME  # 5 typed in a cell means 5%, as on the Indicators sheet
        assert DOT([100, 106], "High", 5) == UP
        assert DOT([100, 101.5], "High", 1) == UP and DOT([100, 100.5], "High", 1) == SAME  # 1 means 1%
        # With its percent sign a band is that percent, whatever its size: 100% is not 1%.
        assert DOT([100, 104], "High", "100%") == SAME and DOT([100, 160], "High", "60%") == SAME

    @pytest.mark.parametrize("band", [-0.1, "wide", True, "#N/A", [0.1, 0.2], "150%", 150])
    def test_bad_band(self, band):
        assert DOT([1, 2], "High", band) in (udf_inputs.BAND_HELP, "band must be one cell")

    def test_keyword_call(self):
        assert DOT(values=[1, 2], polarity="Low") == DOWN


# ---------------------------------------------------------------------------------------------
# Reference 001: the 98 published DOT arrows of the Performance Summary (Dec-20)

# The report's "Within limits (low)" (row 39) means low is good (tests/test_reference_001_dot.py
# explains why); it is passed as Low here, and as itself in tests/test_polarities_and_units.py.
REF001_POLARITY = {"Within limits (low)": "Low"}
# Row 32, S47 outcome "Not Recorded" (Low, 0.0% -> 0.8%): the report prints "-" although both
# months have data; the rule gives ↓.
REF001_EXCEPTION = {32: ("% of S47's with an outcome - Not Recorded", "-", DOWN)}


def _ref001_rows() -> list[dict]:
    with FIXTURE.open(newline="", encoding="utf-8") as handle:
        return [dict(row, row=int(row["row"])) for row in csv.DictReader(handle)]


REF001 = _ref001_rows()


def _ref001_dot(row: dict) -> str:
    printed = [row["oct_20"], row["nov_20"], row["dec_20"]]  # as printed: "50.7%", "1954", "-"
    polarity = REF001_POLARITY.get(row["polarity_printed"], row["polarity_printed"])
    return DOT(printed, polarity)


def test_reference_001_has_98_rows():
    assert [row["row"] for row in REF001] == list(range(1, 99))


@pytest.mark.parametrize("row", REF001, ids=lambda row: f"row{row['row']:02d}")
def test_reference_001_published_dot(row):
    published = row["dot_printed"]
    if row["row"] in REF001_EXCEPTION:
        indicator, printed, rule_gives = REF001_EXCEPTION[row["row"]]
        assert (row["indicator"], published) == (indicator, printed)
        assert _ref001_dot(row) == rule_gives != published  # still an exception
    else:
        assert _ref001_dot(row) == published, (row["row"], row["indicator"], row["polarity_printed"])


def test_reference_001_only_row_32_differs():
    differing = [row["row"] for row in REF001 if _ref001_dot(row) != row["dot_printed"]]
    assert differing == [32]
    assert sum(row["dot_printed"] == NOT_AVAILABLE for row in REF001) == 6  # rows 64-69, all "-"


# ---------------------------------------------------------------------------------------------
# DOTS

class TestDots:
    def test_column_of_arrows_one_per_row(self):
        block = [[1, 2, 3], [3, 2, None], [None, "tbc", 1], [1, 1, "#N/A"]]
        assert DOTS(block, ["High", "low", "Info", "Within limits"]) == [UP, UP, NOT_AVAILABLE, SAME]

    def test_polarities_as_a_column_range(self):
        assert DOTS([[1, 2], [1, 2]], [["High"], ["Low"]]) == [UP, DOWN]

    def test_one_polarity_for_all_rows(self):
        assert DOTS([[1, 2], [2, 1]], "High") == [UP, DOWN]
        assert DOTS([[1, 2], [2, 1]], [["Low"]]) == [DOWN, UP]

    def test_bad_polarity_is_reported_in_its_row(self):
        assert DOTS([[1, 2], [1, 2], [None, None]], ["High", "Hgh", None]) == [UP, POLARITY_HELP, POLARITY_HELP]

    def test_polarity_count_must_match(self):
        assert DOTS([[1, 2], [1, 2], [1, 2]], ["High", "Low"]) == \
            "polarities must have one cell per row of block (3), not 2"

    def test_single_row_and_empty(self):
        assert DOTS([1, 2], "High") == [UP]
        assert DOTS(None, "High") == [NOT_AVAILABLE]
        assert DOTS([[None]], "High") == [NOT_AVAILABLE]
        assert DOTS([[]], "High") == [NOT_AVAILABLE]

    def test_jagged_block(self):
        assert DOTS([[1, 2], [1]], "High") == "the range must be a rectangle of cells"

    def test_band_and_bad_band(self):
        assert DOTS([[100, 104], [100, 106]], "High", 0.05) == [SAME, UP]
        assert DOTS([[1, 2]], "High", "wide") == udf_inputs.BAND_HELP

    def test_vectorised_one_rule_call_for_all_rows(self, monkeypatch):
        calls = []
        real = rules.direction_of_travel

        def counting(*args, **kwargs):
            calls.append(np.shape(args[0]))
            return real(*args, **kwargs)

        monkeypatch.setattr(udfs.rules, "direction_of_travel", counting)
        block = np.random.default_rng(1).normal(size=(1000, 7)).tolist()
        result = DOTS(block, ["High", "Low"] * 500)
        assert len(result) == 1000 and set(result) <= {UP, DOWN, SAME}
        assert calls == [(1000,)]


CELLS = st.one_of(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.integers(min_value=-1000, max_value=1000),
    st.sampled_from([None, "", "tbc", "-", "n/a", "..", "1,234", "58.3%", " 12 ", "-7", "#N/A", "#DIV/0!",
                     "abc", True, False, math.nan, math.inf, COM_NA, 0, 0.0]),
)
POLARITY_TEXT = st.sampled_from(["High", "low", "INFO", "Within limits", "within  Limits", "Hgh", None, "", 3])


@st.composite
def blocks(draw):
    rows = draw(st.integers(min_value=1, max_value=12))
    columns = draw(st.integers(min_value=1, max_value=8))
    block = draw(st.lists(st.lists(CELLS, min_size=columns, max_size=columns), min_size=rows, max_size=rows))
    polarities = draw(st.lists(POLARITY_TEXT, min_size=rows, max_size=rows))
    band = draw(st.one_of(st.none(), st.floats(min_value=0, max_value=0.5)))
    return block, polarities, band


@settings(max_examples=300, deadline=None)
@given(blocks())
def test_dots_equals_dot_row_by_row(case):
    block, polarities, band = case
    assert DOTS(block, polarities, band) == [DOT(row, polarity, band) for row, polarity in zip(block, polarities)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=0, max_size=6),
       st.lists(st.sampled_from([None, "", "tbc", "#N/A", True, "abc"]), min_size=0, max_size=6),
       st.randoms(use_true_random=False), st.sampled_from(rules.POLARITIES))
def test_dot_skips_missing_cells_wherever_they_are(numbers, missing, random, polarity):
    mixed = list(numbers)
    for cell in missing:
        mixed.insert(random.randint(0, len(mixed)), cell)
    assert DOT(mixed, polarity) == DOT(numbers, polarity)


# ---------------------------------------------------------------------------------------------
# MOVEMENT, PCTCHANGE, PPCHANGE

YEAR = [100] + [None] * 11  # a base month then 11 blank months: the 13th cell is compared with it


class TestMovement:
    def test_arrow_on_change_as_displayed(self):
        assert MOVEMENT(YEAR + [115]) == UP
        assert MOVEMENT(YEAR + [90.3]) == DOWN  # -9.7% shows as -10%: ↓ with the 10% band
        assert MOVEMENT(YEAR + [90.6]) == SAME  # -9.4% shows as -9%
        assert MOVEMENT(YEAR + [100]) == SAME

    def test_blanks_are_months(self):
        assert MOVEMENT([100, None, 150], 2) == UP
        assert MOVEMENT([100, 200, None, 150], 2) == DOWN  # against 200, two cells back

    def test_months_back_and_band(self):
        assert MOVEMENT([100, 104], 1) == SAME
        assert MOVEMENT([100, 104], 1, 0.04) == UP
        assert MOVEMENT([100, 104], "1", "4%") == UP

    @pytest.mark.parametrize("values", [YEAR + [None], [None] * 12 + [5], [0] + [None] * 11 + [5],
                                        YEAR + ["tbc"], YEAR + ["#N/A"], YEAR + [True], [], None, [1, 2, 3]])
    def test_not_available(self, values):
        assert MOVEMENT(values) == NOT_AVAILABLE

    def test_text_numbers(self):
        assert MOVEMENT(["1,000", "1,200"], 1) == UP

    @pytest.mark.parametrize("months_back", [0, -1, 1.5, "twelve", True])
    def test_bad_months_back(self, months_back):
        assert MOVEMENT([1, 2], months_back) == udf_inputs.MONTHS_BACK_HELP

    def test_bad_band(self):
        assert MOVEMENT([1, 2], 1, "big") == udf_inputs.BAND_HELP

    def test_block_is_misuse(self):
        assert MOVEMENT([[1, 2], [3, 4]], 1) == "values must be one row or one column of cells"


class TestChange:
    def test_percentage_change(self):
        assert PCTCHANGE(YEAR + [115]) == pytest.approx(0.15)
        assert PCTCHANGE([-10, -5], 1) == pytest.approx(0.5)
        assert PCTCHANGE([[80], [None], [100]], 2) == pytest.approx(0.25)

    def test_points_change(self):
        assert PPCHANGE(["50.0%", "55.5%"], 1) == pytest.approx(0.055)
        assert PPCHANGE([0, 0.1], 1) == pytest.approx(0.1)  # a base of 0 is fine in points

    @pytest.mark.parametrize("function", [PCTCHANGE, PPCHANGE])
    @pytest.mark.parametrize("values", [[1, None], [None, 1], ["tbc", 1], ["#DIV/0!", 1], [True, 1], [],
                                        None, [5]])
    def test_not_available(self, function, values):
        assert function(values, 1) == NOT_AVAILABLE

    def test_zero_base_is_not_available_for_percent(self):
        assert PCTCHANGE([0, 5], 1) == NOT_AVAILABLE

    def test_default_is_twelve_back(self):
        assert PCTCHANGE(list(range(1, 13))) == NOT_AVAILABLE  # only 12 cells: no base
        assert PCTCHANGE(list(range(1, 14))) == pytest.approx(12.0)

    def test_results_are_python_floats(self):
        assert type(PCTCHANGE([1, 2], 1)) is float and type(PPCHANGE([1, 2], 1)) is float

    @pytest.mark.parametrize("function", [PCTCHANGE, PPCHANGE])
    def test_bad_months_back(self, function):
        assert function([1, 2], "x") == udf_inputs.MONTHS_BACK_HELP


# ---------------------------------------------------------------------------------------------
# RAG

class TestRag:
    @pytest.mark.parametrize("value, expected", [(0.96, "Green"), (0.95, "Green"), (0.93, "Amber"),
                                                 (0.92, "Amber"), (0.919, "Red"), ("95%", "Green"),
                                                 ("91.9%", "Red")])
    def test_high_tolerances(self, value, expected):
        assert RAG(value, "High", "<92%", "92%>", "95%+") == expected

    @pytest.mark.parametrize("value, expected", [(0.22, "Green"), (0.23, "Amber"), (0.26, "Red")])
    def test_low_tolerances(self, value, expected):
        assert RAG(value, "low", "26%+", "26%<", "23%<") == expected

    @pytest.mark.parametrize("value, expected", [(160, "Green"), (170, "Amber"), (175, "Red")])
    def test_around_tolerances(self, value, expected):
        assert RAG(value, "Within limits", "more than +/-15", "+/-15", "+/-5 of 158.8") == expected

    @pytest.mark.parametrize("value, expected", [(17, "Green"), (20.5, "Amber"), (22, "Red"), (12, "Red")])
    def test_range_tolerances(self, value, expected):
        assert RAG(value, "Within limits", "1+ above range limit", "1 above / below range limit", "14-20") == \
            expected

    @pytest.mark.parametrize("value, expected", [(0.95, "Green"), (0.90, "Amber"), (0.80, "Red")])
    def test_three_arguments_is_a_target(self, value, expected):
        assert RAG(value, "High", 0.95) == expected
        assert RAG(value, "High", "95%") == expected

    def test_a_bare_number_target_is_taken_as_typed(self):
        # documented: the function cannot see the cell's format, so 95 is ninety-five, not 95%
        assert RAG(96, "High", 95) == "Green"
        assert RAG(0.96, "High", 95) == "Red"
        assert RAG(0.96, "High", "95%") == "Green"

    def test_low_target(self):
        assert RAG(10, "Low", 10) == "Green" and RAG(10.5, "Low", 10) == "Amber" and RAG(12, "Low", 10) == "Red"

    def test_blank_cells_in_the_five_argument_form_are_not_a_target(self):
        assert RAG(0.9, "High", 0.92) == "Amber"  # target 92%: amber within 10% below it
        assert RAG(0.9, "High", 0.92, "", "") == "Red: '0.92' is given without a Green boundary; write Green like 95%+"
        assert RAG(0.9, "Low", "", "26%<", "23%<") == \
            "Amber: '26%<' is given without a Red boundary; write Red like 26%+"

    def test_green_alone(self):
        assert RAG(0.96, "High", "", "", "95%+") == "Green"

    @pytest.mark.parametrize("args", [("", "", ""), (None, None, None), ("n/a", "", "n/a"), ("",)])
    def test_no_tolerances_is_grey(self, args):
        assert RAG(0.5, "High", *args) == "Grey"

    @pytest.mark.parametrize("value", [None, "", "tbc", "-", "#N/A", COM_NA, ERROR_CELL, True, [[None]]])
    def test_missing_value_is_blank(self, value):
        assert RAG(value, "High", "<92%", "92%>", "95%+") == ""
        assert RAG(value, "High", 0.95) == ""

    def test_ill_formed_tolerance_is_a_short_message(self):
        assert RAG(0.5, "High", "<9x", "92%>", "95%+") == "Red: '<9x' not understood; write like <92%"
        assert RAG(0.5, "Low", "26%+", "26%<", "23%<<") == "Green: '23%<<' not understood; write like 23%<"
        assert RAG(0.5, "High", "high") == "Target: 'high' not understood; write like 95% or 158.8"

    def test_contradictory_tolerances_say_why(self):
        message = RAG(0.5, "High", "26%+", "26%<", "23%<")
        assert message.startswith("Red: '26%+' makes values above it red, which contradicts High polarity")
        assert message.endswith("write like <92%") and len(message) < 160

    def test_tolerance_message_even_without_a_value(self):
        assert RAG(None, "High", "<9x", "", "95%+").startswith("Red: '<9x'")

    @pytest.mark.parametrize("polarity", ["Good", None, ""])
    def test_bad_polarity(self, polarity):
        assert RAG(0.5, polarity, 0.95) == POLARITY_HELP

    def test_value_must_be_one_cell(self):
        assert RAG([0.5, 0.6], "High", 0.95) == "value must be one cell"
        assert RAG([[0.96]], [["High"]], [["<92%"]], [["92%>"]], [["95%+"]]) == "Green"


# ---------------------------------------------------------------------------------------------
# AVG12M, MAX12M, ROLLING12

class TestTwelveMonths:
    def test_last_twelve_positions(self):
        values = [1000] + list(range(1, 13))  # the 1000 is the 13th month back: outside
        assert AVG12M(values) == pytest.approx(6.5)
        assert MAX12M(values) == 12
        assert ROLLING12(values) == 78

    def test_missing_months_left_out_of_average_and_maximum(self):
        values = [50, 1, None, "tbc", "#N/A", True, "3"]
        assert AVG12M(values) == pytest.approx(18)
        assert MAX12M(values) == 50

    def test_rolling_needs_all_twelve(self):
        assert ROLLING12([1] * 12) == 12
        assert ROLLING12([1] * 11) == NOT_AVAILABLE  # fewer than 12 months in the range
        assert ROLLING12([1] * 11 + ["tbc"]) == NOT_AVAILABLE
        assert ROLLING12(["1,000"] * 12) == 12000

    @pytest.mark.parametrize("function", [AVG12M, MAX12M, ROLLING12])
    @pytest.mark.parametrize("values", [None, [], [[None]], ["tbc", "-", "#N/A", True]])
    def test_nothing_there(self, function, values):
        assert function(values) == NOT_AVAILABLE

    @pytest.mark.parametrize("function", [AVG12M, MAX12M, ROLLING12])
    def test_block_is_misuse(self, function):
        assert function([[1, 2], [3, 4]]) == "values must be one row or one column of cells"

    def test_column_range(self):
        assert AVG12M([[2], [4]]) == 3 and type(AVG12M([[2], [4]])) is float


# ---------------------------------------------------------------------------------------------
# YTD

FY20 = ["Apr-20", "May-20", "Jun-20", "Jul-20", "Aug-20", "Sep-20", "Oct-20", "Nov-20", "Dec-20",
        "Jan-21", "Feb-21", "Mar-21"]


class TestYtd:
    def test_sum_from_april(self):
        assert YTD([5, 1, 2, 3], ["Mar-20", "Apr-20", "May-20", "Jun-20"]) == 6
        assert YTD([5, 1, 2, 3], ["Jan-21", "Feb-21", "Mar-21", "Apr-21"]) == 3  # a new year opens in April

    def test_rules(self):
        values, months = [4, None, 2, "tbc"], ["Apr-20", "May-20", "Jun-20", "Jul-20"]
        assert YTD(values, months, "sum") == 6
        assert YTD(values, months, "Mean") == 3
        assert YTD(values, months, "latest") == NOT_AVAILABLE  # Jul-20 is missing
        assert YTD(values[:3], months[:3], "latest") == 2

    def test_months_as_dates_serials_and_text(self):
        months = [dt.date(2020, 4, 1), dt.datetime(2020, 5, 1), serial(2020, 6, 30), "2020-07", "Aug 2020"]
        assert YTD([1, 2, 3, 4, 5], months) == 15

    def test_months_in_a_column_and_out_of_order(self):
        assert YTD([[3], [1], [2]], [["Jun-20"], ["Apr-20"], ["May-20"]], "latest") == 3

    def test_blank_trailing_months_are_ignored(self):
        assert YTD([1, 2, None], ["Apr-20", "May-20", None]) == 3

    def test_future_months_of_the_year_may_be_blank(self):
        assert YTD([1, 2] + [None] * 10, FY20) == 3
        assert YTD([1, 2] + [None] * 10, FY20, "latest") == NOT_AVAILABLE  # Mar-21 not reported yet

    def test_nothing_there(self):
        assert YTD([None, "tbc"], ["Apr-20", "May-20"]) == NOT_AVAILABLE
        assert YTD([], []) == NOT_AVAILABLE
        assert YTD(None, None) == NOT_AVAILABLE

    def test_range_must_reach_back_to_april(self):
        assert YTD([1, 2], ["Nov-20", "Dec-20"]) == "months must reach back to Apr-20, where the financial year starts"
        assert YTD([1, 2], ["Nov-20", "Dec-20"], "latest") == 2

    @pytest.mark.parametrize("rule, message", [("ratio", "rule must be sum, mean or latest (ratio needs numerators "
                                                "and denominators)"), ("total", "rule must be sum, mean or latest")])
    def test_bad_rule(self, rule, message):
        assert YTD([1], ["Apr-20"], rule) == message

    def test_bad_months(self):
        assert YTD([1, 2], ["Apr-20"]) == "values and months must be the same size, not 2 and 1 cells"
        assert YTD([1, 2], ["Apr-20", "Smarch-20"]) == \
            "months: 'Smarch-20' is not a month; write like Feb-21, 2021-02 or a date"
        assert YTD([1, 2], ["Apr-20", "Apr-20"]) == "months: Apr-20 appears twice"
        assert YTD([1, 2], ["Apr-20", None]) == "months: every value needs its month; one is blank"
        assert YTD([1], [True]) == "months: 'True' is not a month; write like Feb-21, 2021-02 or a date"
        assert YTD([1], [-5]) == "months: -5 is not a date"


# ---------------------------------------------------------------------------------------------
# RATE10K

class TestRate:
    def test_rate(self):
        assert RATE10K(120, 45000) == pytest.approx(26.6667, rel=1e-4)
        assert RATE10K("1,200", "45,000") == pytest.approx(266.667, rel=1e-4)
        assert RATE10K([[120]], [[45000]]) == pytest.approx(26.6667, rel=1e-4)

    @pytest.mark.parametrize("count, population", [(None, 45000), ("tbc", 45000), ("#N/A", 45000),
                                                   (True, 45000), (120, 0), (120, None), (120, "-"), ([], 45000)])
    def test_not_available(self, count, population):
        assert RATE10K(count, population) == NOT_AVAILABLE

    def test_one_cell_each(self):
        assert RATE10K([1, 2], 45000) == "count must be one cell"


# ---------------------------------------------------------------------------------------------
# The shared cleaning helper

@pytest.mark.parametrize("cell, expected", [
    (1.5, 1.5), (2, 2.0), (np.float64(3), 3.0), (np.int64(4), 4.0), ("1,234", 1234.0), ("58.3%", 0.583),
    (" 12 ", 12.0), ("-7", -7.0), (None, None), ("", None), ("tbc", None), ("TBC", None), ("-", None),
    ("n/a", None), ("..", None), ("#N/A", None), ("#DIV/0!", None), (COM_NA, None), (ERROR_CELL, None),
    ({"type": "Double", "basicValue": 8}, 8.0), (True, None), (False, None), (np.bool_(True), None),
    ("abc", None), (math.nan, None), (math.inf, None), (dt.date(2020, 1, 1), None), (object(), None),
])
def test_number_cleaning(cell, expected):
    value = udfs._number(cell)
    assert (math.isnan(value) if expected is None else value == pytest.approx(expected))


# ---------------------------------------------------------------------------------------------
# Names and help as Excel shows them

def _is_cell_reference(name: str) -> bool:
    a1 = re.fullmatch(r"([A-Z]{1,3})([0-9]+)", name.upper())
    if a1:
        column = 0
        for letter in a1.group(1):
            column = column * 26 + ord(letter) - 64
        return column <= 16384 and 1 <= int(a1.group(2)) <= 1048576
    return bool(re.fullmatch(r"R[0-9]*C[0-9]*", name.upper()))


def test_no_function_name_is_a_cell_reference():
    assert _is_cell_reference("AVG12") and _is_cell_reference("MAX12") and _is_cell_reference("R1C1")
    assert not any(_is_cell_reference(function.__name__) for function in udfs.WORKSHEET_FUNCTIONS)
    assert all(function.__name__.isupper() and len(function.__name__) >= 3 for function in udfs.WORKSHEET_FUNCTIONS)


def test_help_fits_excel():
    for function in udfs.WORKSHEET_FUNCTIONS:
        doc = function.__doc__
        assert doc and "\n" not in doc and "  " not in doc and len(doc) <= 255, function.__name__


EXPECTED_SIGNATURES = {
    "DOT": ["values", "polarity", "band"], "DOTS": ["block", "polarities", "band"],
    "MOVEMENT": ["values", "months_back", "band"], "PCTCHANGE": ["values", "months_back"],
    "PPCHANGE": ["values", "months_back"], "RAG": ["value", "polarity", "red_or_target", "amber", "green"],
    "AVG12M": ["values"], "MAX12M": ["values"], "ROLLING12": ["values"], "YTD": ["values", "months", "rule"],
    "RATE10K": ["count", "population"], "SPC": ["values", "polarity", "target", "what"],
}


def test_signatures():
    assert {f.__name__: list(inspect.signature(f).parameters) for f in udfs.WORKSHEET_FUNCTIONS} == EXPECTED_SIGNATURES


# ---------------------------------------------------------------------------------------------
# Through xlwings' server call path (Office.js custom functions), in a child process

SERVER_RUNNER = r"""
import asyncio, json, os, sys
assert os.environ["XLWINGS_ON_SERVER"] == "true", "set before xlwings is imported"
assert "xlwings" not in sys.modules
import xlwings as xw
import xlwings.server as server
from scorecard_xl.excel import udfs

request = json.load(sys.stdin)
report = {"decorated": [f.__name__ for f in udfs.WORKSHEET_FUNCTIONS if hasattr(f, "__xlfunc__")],
          "meta": server.custom_functions_meta(udfs), "calls": {}}
for name, call in request.items():
    data = {"func_name": call["func_name"], "args": call["args"], "caller_address": "Scorecard!N4",
            "version": xw.__version__, "client": "Office.js", "runtime": "1.4",
            "culture_info_name": "en-GB", "date_format": "dd/mm/yyyy"}
    try:
        report["calls"][name] = {"result": asyncio.run(server.custom_functions_call(data, udfs))}
    except Exception as error:  # reported, so that the test shows it
        report["calls"][name] = {"error": repr(error)}
json.dump(report, sys.stdout)
"""


def cell(value):
    """One cell as Office.js sends it to a matrix parameter; a blank cell is ""."""
    return [["" if value is None else value]]


def row(*values):
    return [["" if v is None else v for v in values]]


# name -> (function, args as Office.js sends them, result as xlwings returns it to Excel)
SERVER_CALLS = {
    "dot_row": ("DOT", [row(0.507, 0.508, None, ERROR_CELL, "57.2%"), cell("High")], [[UP]]),
    "dot_column": ("DOT", [[[1], [2], [""]], cell("low")], [[DOWN]]),
    "dot_band": ("DOT", [row(100, 104), cell("High"), cell(0.05)], [[SAME]]),
    "dot_band_omitted": ("DOT", [row(100, 104), cell("High"), None], [[UP]]),
    "dot_one_blank_cell": ("DOT", [cell(None), cell("High")], [[NOT_AVAILABLE]]),
    "dot_bad_polarity": ("DOT", [row(1, 2), cell("Hgh")], [[POLARITY_HELP]]),
    "dot_block": ("DOT", [[[1, 2], [3, 4]], cell("High")], [["values must be one row or one column of cells"]]),
    "dots": ("DOTS", [[[1, 2, 3], [3, 2, ""], ["", "tbc", 1], [0.5, ERROR_CELL, "50%"]],
                      [["High"], ["Low"], ["Info"], ["Within limits"]]],
             [[UP], [UP], [NOT_AVAILABLE], [SAME]]),
    "dots_one_polarity": ("DOTS", [[[1, 2], [2, 1]], cell("High")], [[UP], [DOWN]]),
    "dots_bad_count": ("DOTS", [[[1, 2], [2, 1]], [["High"], ["Low"], ["Info"]]],
                       [["polarities must have one cell per row of block (2), not 3"]]),
    "rag_tolerances": ("RAG", [cell(0.93), cell("High"), cell("<92%"), cell("92%>"), cell("95%+")], [["Amber"]]),
    "rag_target": ("RAG", [cell(0.9), cell("High"), cell(0.92)], [["Amber"]]),
    "rag_target_omitted_args": ("RAG", [cell(0.9), cell("High"), cell(0.92), None, None], [["Amber"]]),
    "rag_blank_tolerance_cells": ("RAG", [cell(0.9), cell("High"), cell(0.92), cell(None), cell(None)],
                                  [["Red: '0.92' is given without a Green boundary; write Green like 95%+"]]),
    "rag_bad_tolerance": ("RAG", [cell(0.5), cell("High"), cell("<9x"), cell("92%>"), cell("95%+")],
                          [["Red: '<9x' not understood; write like <92%"]]),
    "rag_error_value": ("RAG", [[[ERROR_CELL]], cell("High"), cell("<92%"), cell("92%>"), cell("95%+")], [[""]]),
    "rag_not_rated": ("RAG", [cell(0.5), cell("Info"), cell(None)], [["Grey"]]),
    "pctchange": ("PCTCHANGE", [row(80, None, 100), cell(2)], [[0.25]]),
    "ytd_date_serials": ("YTD", [row(5, 1, 2, 3), row(serial(2020, 3), serial(2020, 4), serial(2020, 5),
                                                      serial(2020, 6))], [[6]]),
    "rate10k_missing": ("RATE10K", [cell("tbc"), cell(45000)], [[NOT_AVAILABLE]]),
    # tests/test_spc_function.py works these out by hand
    "spc_improvement": ("SPC", [row(20, 24, 22, 25, 21, 23, 26, 22, 24, 21, 23, 25, 40), cell("High")],
                        [["improvement"]]),
    "spc_concern_column_omitted_args": ("SPC", [[[v] for v in (20, 24, 22, 25, 21, 23, 26, 22, 24, 21, 23, 25, 40)]
                                                + [[""]], cell("Low"), None, None], [["concern"]]),
    "spc_assurance": ("SPC", [row(20, 24, 22, 25, 21, 23, 26, 22, 24, 21, 23, 25, 40), cell("High"), cell(0.1e2),
                              cell("assurance")], [["consistently passing"]]),
    "spc_blank_target": ("SPC", [row(20, 24, 22, 25, 21, 23, 26, 22, 24, 21, 23, 25, 40), cell("High"), cell(None),
                                 cell("assurance")], [["no target"]]),
    "spc_too_few": ("SPC", [row(20, 24, 22), cell("High")], [["too few points"]]),
    "spc_bad_what": ("SPC", [row(1, 2), cell("High"), cell(None), cell("signal")],
                     [["what must be variation (the default) or assurance"]]),
}


@pytest.fixture(scope="module")
def server():
    request = {name: {"func_name": function, "args": args} for name, (function, args, _) in SERVER_CALLS.items()}
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", SERVER_RUNNER], input=json.dumps(request), capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_server_decorates_every_function(server):
    assert server["decorated"] == [f.__name__ for f in udfs.WORKSHEET_FUNCTIONS]


def test_server_meta_exposes_every_function_with_help(server):
    meta = {function["name"]: function for function in server["meta"]["functions"]}
    assert sorted(meta) == sorted(EXPECTED_SIGNATURES)
    for function in udfs.WORKSHEET_FUNCTIONS:
        exposed = meta[function.__name__]
        assert exposed["id"] == function.__name__
        assert exposed["description"] == function.__doc__
        parameters = inspect.signature(function).parameters
        assert [p["name"] for p in exposed["parameters"]] == list(parameters)
        for parameter in exposed["parameters"]:
            assert not parameter["description"].startswith("Positional argument"), (function.__name__, parameter)
            assert len(parameter["description"]) <= 255
            optional = parameters[parameter["name"]].default is not inspect.Parameter.empty
            assert parameter.get("optional", False) == optional, (function.__name__, parameter["name"])
            assert parameter["description"].startswith("Optional.") == optional


def test_server_meta_help_text(server):
    meta = {function["name"]: function for function in server["meta"]["functions"]}
    assert meta["DOT"]["description"].startswith("Direction of travel")
    assert meta["DOT"]["parameters"][1]["description"] == \
        "What good performance is: High, Low, Info or Within limits."
    assert meta["RAG"]["parameters"][2]["description"].startswith("The Red tolerance")


@pytest.mark.parametrize("name", list(SERVER_CALLS))
def test_server_call(server, name):
    expected = SERVER_CALLS[name][2]
    assert server["calls"][name] == {"result": expected}
