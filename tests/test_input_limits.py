"""Numbers and names people type are held to what a scorecard can be: each one outside its limits
is a problem naming its cell, never a traceback, a runaway file or a silently ignored value."""

import email
import email.policy
import hashlib
import time
import warnings
import zipfile

import pytest
from hypothesis import given, strategies as st
from lxml import etree

from scorecard_xl.cli import main
from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.send.export import export_copy
from scorecard_xl.pages.scorecard import HEADER_LIMIT, page_header
from scorecard_xl.compute.months import parse_month
from scorecard_xl.compute.sheets import is_scorecard_sheet
from scorecard_xl.update.refresh import refresh
from test_bad_input import only, problems_of
from test_splice import rewrite_member
from workbooks import INDICATOR_HEADERS, indicator, make_workbook, monthly_series

GOOD = [("A", "2021-01", 1), ("A", "2021-02", 2)]
WITH_DECIMALS = INDICATOR_HEADERS + ["Decimals"]  # Decimals lands in column R
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def replace_in_data_sheet(path, old: str, new: str):
    """Put text into the Data sheet's XML that no spreadsheet program would write (1e999, NaN)."""
    def change(xml: bytes) -> bytes:
        assert old.encode() in xml
        return xml.replace(old.encode(), new.encode())
    rewrite_member(path, "xl/worksheets/sheet2.xml", change)  # Indicators is sheet1, Data sheet2


# --- Decimals ----------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [300, 1e300, 1e9, -1, 2.5])
def test_decimals_outside_zero_to_four_name_their_cell(tmp_path, typed):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A", decimals=typed)], GOOD, indicator_headers=WITH_DECIMALS)
    message = only(problems_of(path), "Indicators!R2")
    assert "Decimals" in message and "whole number from 0 to 4" in message
    assert len(message) < 300  # 1e300 is shown as Excel shows it, not as 301 digits


def test_decimals_within_limits_are_used(tmp_path):
    from scorecard_xl.pages.scorecard import number_format
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


# --- Numbers beyond Excel's -------------------------------------------------------------------

def test_a_figure_beyond_excels_largest_number_names_its_cell(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD + [("A", "2021-03", 1e308)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # today: numpy's overflow warning, then 1e308 written out
        message = only(problems_of(path), "Data!C4")
    assert "1E+308" in message and "9.99999999999999E+307" in message


@pytest.mark.parametrize("typed, shown", [("1e999", "an infinite number"), ("NaN", "NaN")])
def test_infinite_and_nan_cells_are_errors_not_missing_figures(tmp_path, typed, shown):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD + [("A", "2021-03", 12345)])
    replace_in_data_sheet(path, "<v>12345</v>", f"<v>{typed}</v>")
    message = only(problems_of(path), "Data!C4")
    assert shown in message and "Excel" in message


def test_a_target_beyond_excels_largest_number_names_its_cell(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A", target=1e308)], GOOD)
    message = only(problems_of(path), "Indicators!M2")
    assert "Target" in message and "9.99999999999999E+307" in message


# --- Negative figures -----------------------------------------------------------------------------

def test_a_negative_count_names_its_cell(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD + [("A", "2021-03", -3)])
    message = only(problems_of(path), "Data!C4")
    assert "A: -3" in message and "count" in message and "0 or more" in message


def test_negative_numerator_and_denominator_name_their_cells(tmp_path):
    data = GOOD + [("P", "2021-02", None, -4, 10), ("P", "2021-01", None, 4, -10)]
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A"), indicator("P", unit="Percentage")], data)
    messages = problems_of(path)
    assert "numerator -4" in only(messages, "Data!D4")
    assert "denominator -10" in only(messages, "Data!E5")


def test_negative_percentages_and_rates_are_errors_other_units_may_go_below_zero(tmp_path):
    inds = [indicator("A"), indicator("P", unit="Percentage"), indicator("R", unit="Rate per 10,000"),
            indicator("V", unit="Average"), indicator("D", unit="Days")]
    data = GOOD + [("P", "2021-02", -0.05), ("R", "2021-02", -12), ("V", "2021-02", -1.5), ("D", "2021-02", -2)]
    messages = problems_of(make_workbook(tmp_path / "b.xlsx", inds, data))
    assert "percentage" in only(messages, "Data!C4") and "rate" in only(messages, "Data!C5")
    assert len(messages) == 2, messages


# --- All at once ---------------------------------------------------------------------------------

def test_check_lists_every_limit_problem_at_once_and_changes_nothing(tmp_path, capsys):
    inds = [indicator("A", decimals=300), indicator("B", band=500)]
    data = [("A", "2021-01", 1), ("A", "2021-02", -3), ("B", "2021-02", 1e308), ("A", "1900-01", 4)]
    path = make_workbook(tmp_path / "b.xlsx", inds, data, indicator_headers=WITH_DECIMALS,
                         settings={"Population 0-17": 0, "Band": 500})
    before = digest(path)
    assert main(["check", str(path)]) == 1
    printed = capsys.readouterr().out
    assert "7 problems" in printed
    for where in ("Indicators!R2", "Indicators!Q3", "Data!C3", "Data!C4", "Data!B5", "Settings!B1", "Settings!B2"):
        assert f"{where}:" in printed
    assert digest(path) == before


# --- Months far in the past -----------------------------------------------------------------------

def test_a_month_before_1990_is_a_mistyped_year(tmp_path):
    started = time.monotonic()
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD + [("A", "0201-03", 1)])
    message = only(problems_of(path), "Data!B4")
    assert "0201-03" in message and "before 1990" in message and "check the year" in message
    assert time.monotonic() - started < 10


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


# --- A Data sheet that is not the tool's ----------------------------------------------------------

def test_a_pivot_source_named_data_does_not_block_month_sheets(tmp_path):
    pivot_source = [["Team", "Cases"], ["North", 12], ["South", 9]]
    data = monthly_series("A", 2021, 1, [1, 2])
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], data, shape="monthly",
                         extra_sheets={"Data": pivot_source})
    scorecard = load_scorecard(path)
    assert scorecard.measures.loc["A", "value"] == 2
    (note,) = [p for p in scorecard.problems.notes if p.sheet == "Data"]
    assert note.cell == "A1" and "not read" in note.found and "month sheets" in note.found


def test_a_data_sheet_without_ref_and_no_month_sheets_is_still_an_error(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], extra_sheets={"Data": [["Team", "Cases"]]},
                         shape="none")
    assert "no Ref heading" in only(problems_of(path), "Data!A1")


# --- Sheets named like a month with words after it ------------------------------------------------

@pytest.mark.parametrize("name", ["2021-03 notes", "Feb-21 (draft)", "2021-03 12", "2021-03T"])
def test_a_sheet_named_like_a_month_with_words_after_it_is_not_month_data(tmp_path, name):
    data = monthly_series("A", 2021, 1, [1, 2])
    own = [["Ref", "Value"], ["A", 99], ["Not a Ref", "some notes"]]
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], data, shape="monthly", extra_sheets={name: own})
    scorecard = load_scorecard(path)
    assert scorecard.reporting_month == parse_month("2021-02") and not scorecard.problems.errors
    assert not is_scorecard_sheet(name)


@pytest.mark.parametrize("name", ["2021-03", "Mar-21", "March 2021", " Mar 21 ", "2021-03-01", "03-2021"])
def test_sheets_named_by_the_month_alone_are_month_data(name):
    assert is_scorecard_sheet(name)


def test_cell_values_keep_their_looser_reading():
    assert parse_month("2021-03-01 00:00:00") == parse_month("2021-03")


# --- Title, Organisation and the page header ------------------------------------------------------

def excel_length(text: str) -> int:
    """Characters as Excel counts them: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def test_long_title_and_organisation_give_a_page_header_within_excels_limit(tmp_path):
    title, organisation = "Children's Services & Early Help " * 8, "Metropolitan Borough Council & Partners " * 3
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD,
                         settings={"Title": title, "Organisation": organisation})
    refresh(path)
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        headers = [etree.fromstring(archive.read(n)).find(f".//{MAIN}oddHeader") for n in names]
    (header,) = [h.text for h in headers if h is not None]
    assert excel_length(header) <= 255
    assert header.startswith('&L&"-,Bold"Children\'s Services && Early Help') and header.endswith("\u2026&RFeb-21")


@given(st.text(min_size=0, max_size=400), st.sampled_from(["Feb-21", "Summary & more"]))
def test_page_header_always_fits_and_never_cuts_an_ampersand_code(title, right):
    header = page_header(title, right)
    assert excel_length(header) <= HEADER_LIMIT == 255
    left = header[len('&L&"-,Bold"'):header.rindex("&R")]
    assert left.replace("&&", "").count("&") == 0  # every & of the title is doubled, none left single
    shown = left.replace("&&", "&")
    assert shown == title or (shown.endswith("\u2026") and title.startswith(shown[:-1]))


def test_a_title_with_a_line_break_is_one_line_in_the_email_draft(tmp_path):
    settings = {"Title": "Performance\nScorecard", "Organisation": "Sample\r\nCouncil"}
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD, settings=settings)
    result = export_copy(path, out=tmp_path / "copy.xlsx", eml=[])
    message = email.message_from_bytes(result.eml.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Performance Scorecard \u2014 Feb-21"
    assert load_scorecard(path).settings.organisation == "Sample Council"
