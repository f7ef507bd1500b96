"""Numbers and names people type are held to what a scorecard can be: each one outside its limits
is a problem naming its cell, never a traceback, a runaway file or a silently ignored value."""

import hashlib
import time

import pytest

from scorecard_xl.cli import main
from scorecard_xl.engine import load_scorecard
from test_bad_input import only, problems_of
from workbooks import INDICATOR_HEADERS, indicator, make_workbook

GOOD = [("A", "2021-01", 1), ("A", "2021-02", 2)]
WITH_DECIMALS = INDICATOR_HEADERS + ["Decimals"]  # Decimals lands in column R


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- Decimals ----------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [300, 1e300, 1e9, -1, 2.5])
def test_decimals_outside_zero_to_four_name_their_cell(tmp_path, typed):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A", decimals=typed)], GOOD, indicator_headers=WITH_DECIMALS)
    message = only(problems_of(path), "Indicators!R2")
    assert "Decimals" in message and "whole number from 0 to 4" in message
    assert len(message) < 300  # 1e300 is shown as Excel shows it, not as 301 digits


def test_decimals_within_limits_are_used(tmp_path):
    from scorecard_xl.layout import number_format
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A", decimals=4)], GOOD, indicator_headers=WITH_DECIMALS)
    scorecard = load_scorecard(path)
    assert number_format("Count", scorecard.indicators.loc["A", "decimals"]) == "#,##0.0000"


def test_a_billion_decimals_is_refused_at_once_and_the_workbook_untouched(tmp_path, capsys):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A", decimals=1e9)], GOOD, indicator_headers=WITH_DECIMALS)
    before = digest(path)
    started = time.monotonic()
    assert main(["refresh", str(path)]) == 1
    assert time.monotonic() - started < 10
    assert "Indicators!R2" in capsys.readouterr().err
    assert digest(path) == before


# --- Bands, months shown, populations ------------------------------------------------------------

def test_indicator_band_over_a_hundred_percent_names_its_cell(tmp_path):
    inds = [indicator("A", band=500), indicator("B", band=1e300), indicator("C", band=100)]
    messages = problems_of(path := make_workbook(tmp_path / "b.xlsx", inds, GOOD))
    assert "A has Band 500" in only(messages, "Indicators!Q2") and "0 to 100%" in only(messages, "Indicators!Q2")
    assert "B has Band 1E+300" in only(messages, "Indicators!Q3")
    assert len(messages) == 2, messages  # 100 is 100%: allowed
    assert path.exists()


def test_settings_band_over_a_hundred_percent_names_its_cell(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD, settings={"Band": 1e300})
    message = only(problems_of(path), "Settings!B1")
    assert "Band is 1E+300" in message and "0 to 100%" in message


def test_months_shown_far_too_large_is_shown_as_excel_shows_it(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD, settings={"Months shown": 1e300})
    message = only(problems_of(path), "Settings!B1")
    assert "Months shown is 1E+300" in message and "1 to 24" in message and len(message) < 200


@pytest.mark.parametrize("typed", [0, -5, 1e-300, 3e7])
def test_population_outside_one_to_twenty_million_names_its_cell(tmp_path, typed):
    settings = {"Population 0-17 2020/21": 57521, "Population 0-17 2021/22": typed}
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD, settings=settings)
    message = only(problems_of(path), "Settings!B2")
    assert "Population 0-17 2021/22" in message and "1 to 20,000,000" in message


# --- An Indicators sheet with headings only -------------------------------------------------------

def test_indicators_sheet_with_headings_only_is_an_error_and_the_refs_in_data_are_flagged(tmp_path, capsys):
    path = make_workbook(tmp_path / "b.xlsx", [], GOOD)
    messages = problems_of(path)
    message = only(messages, "Indicators!A2")
    assert "no indicators" in message and "Add one row per indicator" in message
    assert "'A'" in only(messages, "Data!C2") and "no indicator has that Ref" in only(messages, "Data!C2")
    before = digest(path)
    assert main(["refresh", str(path)]) == 1
    assert "0 indicators" not in capsys.readouterr().out
    assert digest(path) == before


def test_misspelt_indicator_headings_do_not_flag_every_ref_in_the_data(tmp_path):
    headers = ["Ref", "Indicator", "Polarty", "Unit", "Section"]
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD, indicator_headers=headers)
    assert [m.split(":")[0] for m in problems_of(path)] == ["Indicators!A1"]


