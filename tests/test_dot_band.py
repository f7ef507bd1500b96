"""The "similar" band of the direction of travel: a column DoT band and a Settings row DoT band,
default 0 (an exact comparison, as reference 001 judges it)."""

import pytest
from python_calamine import CalamineWorkbook

from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.problems import InputProblems
from scorecard_xl.update.refresh import refresh
from workbooks import INDICATOR_HEADERS, indicator, make_workbook

MOVE = [("A", "2021-01", 508), ("A", "2021-02", 507)]
HEADERS = INDICATOR_HEADERS + ["DoT band"]


def with_dot_band(row: dict, band) -> dict:
    return row if band is None else {**row, "DoT band": band}  # indicator() would title-case the heading


def book(tmp_path, dot_band=None, settings=None, polarity="High"):
    return make_workbook(tmp_path / "b.xlsx", [with_dot_band(indicator("A", polarity=polarity), dot_band)], MOVE,
                         settings, indicator_headers=HEADERS)


def dot_and_judgement(path):
    measures = load_scorecard(path).measures.loc["A"]
    return measures["dot"], measures["judgement"]


def test_no_band_is_an_exact_comparison(tmp_path):
    assert dot_and_judgement(book(tmp_path)) == ("\u2193", "worse")


@pytest.mark.parametrize("typed", [0.01, "1%", 1])
def test_an_indicators_dot_band_makes_a_small_move_similar(tmp_path, typed):
    path = book(tmp_path, typed)
    assert dot_and_judgement(path) == ("\u2192", "similar")
    refresh(path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Scorecard").to_python()
    heading = next(row for row in rows if row and row[0] == "Ref.")
    row = next(row for row in rows if row and row[0] == "A")
    assert row[heading.index("DoT")] == "\u25cf"  # ● similar


def test_a_move_beyond_the_band_still_counts(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [with_dot_band(indicator("A"), 0.001)], MOVE,
                         indicator_headers=HEADERS)
    assert dot_and_judgement(path) == ("\u2193", "worse")  # 1 is more than 0.1% of 508


def test_the_settings_dot_band_is_every_indicators_default(tmp_path):
    assert dot_and_judgement(book(tmp_path, settings={"DoT band": "1%"})) == ("\u2192", "similar")


def test_an_indicators_own_band_wins_over_the_settings(tmp_path):
    assert dot_and_judgement(book(tmp_path, 0, settings={"DoT band": "1%"})) == ("\u2193", "worse")


def test_the_movement_band_is_not_the_dot_band(tmp_path):
    """Band (the movement arrows') leaves the direction of travel exact."""
    assert dot_and_judgement(book(tmp_path, settings={"Band": "10%"})) == ("\u2193", "worse")


def test_the_band_holds_for_within_limits_variants(tmp_path):
    path = book(tmp_path, 0.01, polarity="Within limits (low)")
    assert dot_and_judgement(path) == ("\u2192", "similar")


@pytest.mark.parametrize("where, settings, typed", [("Indicators!R2", None, 500), ("Settings!B1", {"DoT band": -1}, None),
                                                    ("Indicators!R2", None, "wide")])
def test_a_band_that_cannot_be_is_an_error_naming_its_cell(tmp_path, where, settings, typed):
    with pytest.raises(InputProblems) as failure:
        load_scorecard(book(tmp_path, typed, settings))
    assert any(str(p).startswith(where + ":") for p in failure.value.problems), failure.value.problems


# --- a band typed with its percent sign is a fraction already ----------------------------------------

WIDE_MOVE = [("A", "2021-01", 100), ("A", "2021-02", 150)]  # up 50%


def wide_book(tmp_path, dot_band=None, settings=None):
    return make_workbook(tmp_path / "b.xlsx", [with_dot_band(indicator("A"), dot_band)], WIDE_MOVE, settings,
                         indicator_headers=HEADERS)


@pytest.mark.parametrize("typed, settings, read_as", [
    ("100%", None, 1.0), ("60%", None, 0.6), (" 60 % ", None, 0.6), (60, None, 0.6), (0.6, None, 0.6),
    ("1%", None, 0.01), (1, None, 0.01),  # a bare 1 is 1%, as the contract says
    (None, {"DoT band": "100%"}, 1.0)])
def test_a_band_typed_with_a_percent_sign_means_that_percent_whatever_its_size(tmp_path, typed, settings, read_as):
    scorecard = load_scorecard(wide_book(tmp_path, typed, settings))
    assert scorecard.indicators.at["A", "dot_band"] == pytest.approx(read_as)
    judged = ("\u2192", "similar") if read_as >= 0.5 else ("\u2191", "better")  # the move is 50%
    assert (scorecard.measures.at["A", "dot"], scorecard.measures.at["A", "judgement"]) == judged


@pytest.mark.parametrize("where, typed, settings", [("Indicators!R2", "150%", None),
                                                    ("Settings!B1", None, {"DoT band": "150%"}),
                                                    ("Settings!B1", None, {"Band": "101%"})])
def test_a_band_over_100_percent_is_refused_however_it_is_typed(tmp_path, where, typed, settings):
    with pytest.raises(InputProblems) as failure:
        load_scorecard(wide_book(tmp_path, typed, settings))
    (problem,) = [p for p in failure.value.problems if str(p).startswith(where + ":")]
    assert "Write a band from 0 to 100%" in str(problem)
