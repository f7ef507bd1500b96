"""The polarities and units of references 000 and 001: Within limits (low) and (high), rates per
100,000 and per 1,000, and 001's "Average count" (README, "The workbook contract", "The arithmetic")."""

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.compute.rules import DOWN, UP, direction_of_travel, judgement
from scorecard_xl.excel.udfs import DOT, DOTS, RAG
from scorecard_xl.starter import write_starter
from scorecard_xl.update.refresh import refresh
from workbooks import indicator, make_workbook, openpyxl_sheet

# Reference 001, Performance Summary row 5.3 (Oct-20, Nov-20, Dec-20 and its tolerances, as printed):
# "Within limits (low)", Rate per 10,000, 118.6 116.5 116.1, DOT ↑, Red 79+, Amber 79<, Green 74.1<.
ROW_5_3 = [("I", "2020-10", 118.6), ("I", "2020-11", 116.5), ("I", "2020-12", 116.1)]
TOLERANCES_5_3 = {"Red": "79+", "Amber": "79<", "Green": "74.1<"}


def scorecard_row(path, ref):
    """The refreshed Scorecard's row for ``ref``, read back by python-calamine, with its headings."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Scorecard").to_python()
    heading = next(r for r, row in enumerate(rows) if row and row[0] == "Ref.")
    row = next(row for row in rows if row and row[0] == ref)
    return dict(zip(rows[heading], row))


def row_5_3(tmp_path, polarity="Within limits (low)", data=ROW_5_3, **tolerances):
    inds = [indicator("I", polarity=polarity, unit="Rate per 10,000", **(tolerances or TOLERANCES_5_3))]
    return make_workbook(tmp_path / "b.xlsx", inds, data)


# --- Within limits (low) and (high) -----------------------------------------------------------------

def test_reference_001_row_5_3_within_limits_low(tmp_path):
    path = row_5_3(tmp_path)
    scorecard = load_scorecard(path)
    assert scorecard.indicators.loc["I", "polarity"] == "Within limits (low)"
    measures = scorecard.measures.loc["I"]
    assert measures["dot"] == UP  # as published: 116.5 -> 116.1 is an improvement
    assert measures["judgement"] == "better"
    assert measures["rag"] == "Red"  # 116.1 is 79 or more
    refresh(path)
    assert scorecard_row(path, "I")["DoT"] == "\u25b2"  # ▲, as for a Low indicator


def test_within_limits_low_is_judged_as_low_outside_the_limits_and_similar_within(tmp_path):
    assert judgement(80, 78, "Within limits (low)", lower=float("nan"), upper=74.1) == "worse"
    assert judgement(76, 74, "Within limits (low)", lower=float("nan"), upper=74.1) == "worse"
    assert judgement(70, 73, "Within limits (low)", lower=float("nan"), upper=74.1) == "similar"
    assert judgement(70, 73, "Within limits (low)") == "better"  # no limits known: as Low
    assert direction_of_travel(70, 73, "Within limits (low)") == UP


def test_within_limits_high_mirrors_it(tmp_path):
    path = row_5_3(tmp_path, "Within limits (high)", [("I", "2020-11", 50), ("I", "2020-12", 52)],
                   Red="<55", Amber="55>", Green="59.9+")
    measures = load_scorecard(path).measures.loc["I"]
    assert (measures["dot"], measures["judgement"], measures["rag"]) == (UP, "better", "Red")
    assert direction_of_travel(50, 52, "Within limits (high)") == DOWN


def test_within_limits_low_takes_a_range_too(tmp_path):
    path = row_5_3(tmp_path, data=[("I", "2020-11", 25), ("I", "2020-12", 23)], Red="1+ above range limit",
                   Amber="1 above / below range limit", Green="14-20")
    measures = load_scorecard(path).measures.loc["I"]
    assert (measures["dot"], measures["judgement"], measures["rag"]) == (UP, "better", "Red")


def test_a_single_target_for_within_limits_low_works_as_for_low(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("I", polarity="Within limits (low)", Target=20)],
                         [("I", "2021-02", 19)])
    assert load_scorecard(path).measures.loc["I", "rag"] == "Green"


def test_worksheet_functions_take_the_new_polarities():
    assert DOT([118.6, 116.5, 116.1], "Within limits (low)") == UP
    assert DOT([50, 52], "within limits (HIGH)") == UP
    assert DOTS([[118.6, 116.5, 116.1]], [["Within limits (low)"]]) == [UP]
    assert RAG(116.1, "Within limits (low)", "79+", "79<", "74.1<") == "Red"
    assert RAG(74, "Within limits (low)", "79+", "79<", "74.1<") == "Green"
    message = RAG(74, "Within limits (low)", "79+", "9x<", "74.1<")  # a message for the cell, not a crash
    assert message.startswith("Amber: '9x<'") and "write like 26%<" in message


# --- rates per 100,000 and per 1,000 --------------------------------------------------------------------

@pytest.mark.parametrize("unit, scale", [("Rate per 100,000", 100_000), ("Rate per 1,000", 1_000),
                                         ("Rate per 10,000", 10_000)])
def test_a_population_rate_follows_its_unit(tmp_path, unit, scale):
    # reference 000's YO2: first-time entrants to the youth justice system per 100,000
    inds = [indicator("YO2a", polarity="Low"),
            indicator("YO2", polarity="Low", unit=unit, Numerator="YO2a", Denominator="population")]
    path = make_workbook(tmp_path / "b.xlsx", inds, [("YO2a", "2021-02", 3)],
                         settings={"Population 0-17 2020/21": 57521})
    scorecard = load_scorecard(path)
    assert scorecard.indicators.loc["YO2", "unit"] == unit
    assert scorecard.measures.loc["YO2", "value"] == pytest.approx(3 / 57521 * scale)


def test_a_rate_per_100000_shows_one_decimal(tmp_path):
    inds = [indicator("YO2", polarity="Low", unit="Rate per 100,000")]
    path = make_workbook(tmp_path / "b.xlsx", inds, [("YO2", "2021-01", 417), ("YO2", "2021-02", 327.25)])
    refresh(path)
    sheet = openpyxl_sheet(path, "Scorecard")
    row = next(r for r in sheet.iter_rows() if r[0].value == "YO2")
    feb = next(cell for cell in row if cell.value == 327.25)
    assert feb.number_format == "0.0"


@pytest.mark.parametrize("unit", ["Rate per 100,000", "Rate per 1,000"])
def test_a_rate_below_zero_is_an_error_naming_its_unit(tmp_path, unit):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("R", unit=unit)], [("R", "2021-02", -4)])
    with pytest.raises(Exception) as failure:
        load_scorecard(path)
    assert f"a {unit.lower()} cannot be" in str(failure.value)


# --- Average count (reference 001, section 11) ----------------------------------------------------------

def test_reference_001_average_count_row_11_5(tmp_path):
    """11.5 Average number of cases per qualified social worker in LAC Teams 1-3: Within Limits,
    Average count, 18.2 18.1 16.7, DOT ↓ (the direction of the numbers), green 14-20."""
    inds = [indicator("11.5", polarity="Within Limits", unit="Average count", Red="1+ above range limit",
                      Amber="1 above / below range limit", Green="14-20")]
    path = make_workbook(tmp_path / "b.xlsx", inds, [("11.5", "2020-10", 18.2), ("11.5", "2020-11", 18.1),
                                                     ("11.5", "2020-12", 16.7)])
    scorecard = load_scorecard(path)
    assert scorecard.indicators.loc["11.5", "unit"] == "Average"
    assert scorecard.measures.loc["11.5", "dot"] == DOWN
    assert scorecard.measures.loc["11.5", "rag"] == "Green"
    assert scorecard.measures.loc["11.5", "ytd"] != scorecard.measures.loc["11.5", "ytd"]  # none: an average


# --- the starter workbook offers every word ----------------------------------------------------------------

def test_the_starter_lists_offer_every_polarity_and_unit_whole(tmp_path):
    """A list typed into a validation is split at its commas, so 'Rate per 10,000' would become two
    choices and the word itself be refused: the starter's lists must hold each word whole."""
    path = write_starter(tmp_path / "new.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Indicators"]
    headings = [cell.value for cell in sheet[1]]
    offered = {}
    for validation in sheet.data_validations.dataValidation:
        column = headings[min(validation.sqref.ranges).min_col - 1]
        source = validation.formula1
        if source.startswith('"'):
            offered[column] = source.strip('"').split(",")
        else:
            target, cells = source.lstrip("=").split("!")
            first, last = cells.replace("$", "").split(":")
            offered[column] = [c.value for r in book[target.strip("'")][f"{first}:{last}"] for c in r
                               if c.value is not None]
    assert {"Within limits (low)", "Within limits (high)"} <= set(offered["Polarity"])
    assert {"Rate per 10,000", "Rate per 100,000", "Rate per 1,000"} <= set(offered["Unit"])
    assert "DoT band" in headings


def test_reference_001_dot_with_its_printed_polarities():
    """The 98 published DOT arrows of 001's Performance Summary, each row given the polarity as
    printed ("Within limits (low)" as itself): 97 follow the rule, as with Low put in its place."""
    import csv
    from pathlib import Path

    from test_reference_001_dot import KNOWN_EXCEPTIONS, parse_printed, published_arrow

    fixture = Path(__file__).parent / "fixtures" / "ref001_performance_summary.csv"
    with fixture.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    matched = [int(row["row"]) for row in rows
               if direction_of_travel(parse_printed(row["dec_20"]), parse_printed(row["nov_20"]),
                                      row["polarity_printed"].replace("Within Limits", "Within limits"))
               == published_arrow(row["dot_printed"])]
    assert len(rows) == 98 and len(matched) == 97
    assert set(range(1, 99)) - set(matched) == set(KNOWN_EXCEPTIONS)
