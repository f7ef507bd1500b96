"""Regression oracle: reference 001's Performance Summary and detail pages, regenerated in place.

The workbook an officer would keep for 001 (tests/ref001_book.py, from tests/fixtures) is refreshed with
Pages = Performance Summary, Indicator pages, and the page is read back with python-calamine and compared
row by row with the 98 rows 001 prints: its words, tolerances, months, YTD, DOT, outturns and benchmarks.
Where 001 disagrees with itself or prints what its own data cannot give, the row is kept below with why.
"""

from __future__ import annotations

import re

import pytest
from python_calamine import CalamineWorkbook

from ref001_book import REFERRALS, SUMMARY, YEARS, printed_decimals, printed_number, ref001_book, ref_of
from scorecard_xl.compute.rules import round_half_away
from scorecard_xl.update.refresh import refresh

MONTHS = (("oct_20", "Oct-20"), ("nov_20", "Nov-20"), ("dec_20", "Dec-20"))

# (row, column) -> why the page cannot show what 001 prints.
KNOWN_MONTHS = {
    (2, "oct_20"): "the summary prints 606; the detail page's month, which the data holds, is 1353",
    (5, "oct_20"): "the summary prints 275; the detail page's month is 686 (of 1353)",
    (47, "nov_20"): "the summary prints 0.22%, the detail page 0.2% (1 of 465), which the data holds",
    (47, "dec_20"): "the summary prints 0.65%, the detail page 0.6% (3 of 462), which the data holds",
}
KNOWN_YTD = {
    # The new contact form started in Nov-20: its YTD counts Nov and Dec only, though Oct is printed.
    1: "new form: Nov + Dec only", 3: "new form: Nov + Dec only", 4: "new form: Nov + Dec only",
    7: "new form: Nov + Dec only", 8: "new form: a percentage printed without its parts",
    # Printed as percentages only: a year's ratio needs the months' numerators and denominators.
    12: "printed without its parts", 18: "printed without its parts", 56: "printed without its parts",
    58: "printed without its parts", 60: "printed without its parts (and no detail page)",
}
KNOWN_DOT = {32: "the report prints '-' for Not Recorded (0.0% to 0.8%, Low): the rule gives \u2193"}
# Printed outturns that are not the position their year closed at in 001's own months (docs/design.md §5.5).
KNOWN_OUTTURNS = {"4.2": "the summary's 2019/20 is 1709; the detail page prints 2617 for Mar-20 and as 2019/20",
                  "6.20": "001 prints 93.4% for 2019/20; its Mar-20 is 94.5% (563 of 596)"}
# Positions at month end whose Mar-20 the detail pages print, but for which 001 publishes no outturn ('-').
UNPUBLISHED_OUTTURNS = {"2.3": "open assessments past 45 working days: 6 at Mar-20",
                        "S32": "S47 outcome not recorded (as at end of each month): 0.0% at Mar-20"}


def page(path, name):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python(skip_empty_area=False)


def summary_rows(path) -> dict[str, dict]:
    rows = page(path, "Performance Summary")
    header = next(i for i, row in enumerate(rows) if row[0] == "NO.")
    names = [b or a for a, b in zip(rows[header], rows[header + 1])]
    return {row[0]: dict(zip(names, row)) for row in rows[header + 2:] if row[0] and row[2]}


def shown(value, printed: str):
    """The page's cell as 001 prints it: a number at the printed decimals, text as it is."""
    if isinstance(value, str):
        return value
    places = printed_decimals(printed) + (2 if printed.strip().endswith("%") else 0)
    return round_half_away(value, places)


def as_printed(printed: str):
    number = printed_number(printed)
    if number is None:
        return printed
    return round_half_away(number, printed_decimals(printed) + (2 if printed.endswith("%") else 0))


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = ref001_book(tmp_path_factory.mktemp("ref001") / "ref001.xlsx")
    report = refresh(path)
    return path, report


@pytest.fixture(scope="module")
def rows(book):
    return summary_rows(book[0])


def test_every_printed_row_is_on_the_page_in_its_order(rows):
    assert [ref for ref in rows if ref != REFERRALS] == [ref_of(row) for row in SUMMARY]


@pytest.mark.parametrize("row", SUMMARY, ids=lambda row: f"row{row['row']}")
def test_the_words_and_tolerances_are_as_printed(row, rows):
    on_page = rows[ref_of(row)]
    assert on_page["INDICATOR"] == row["indicator"]
    assert on_page["GOOD PERF IS"].casefold() == row["polarity_printed"].casefold()
    assert on_page["DATA NOTE (Monthly)"] == row["unit_printed"]
    assert (on_page["Red"], on_page["Amber"], on_page["Target Green"]) == (row["red"], row["amber"], row["green"])


def test_the_months_are_as_printed(rows):
    differing = {}
    for row in SUMMARY:
        on_page = rows[ref_of(row)]
        for key, heading in MONTHS:
            if shown(on_page[heading], row[key]) != as_printed(row[key]):
                differing[(int(row["row"]), key)] = (on_page[heading], row[key])
    assert set(differing) == set(KNOWN_MONTHS), differing


def test_the_year_to_date_is_as_printed_wherever_the_months_give_it(rows):
    differing = {}
    for row in SUMMARY:
        on_page = rows[ref_of(row)]["YTD"]
        printed = row["ytd"] or "-"  # 5.10 prints nothing where the rest print '-'
        if shown(on_page, printed) != as_printed(printed):
            differing[int(row["row"])] = (on_page, printed)
    assert set(differing) == set(KNOWN_YTD), differing
    assert rows["S6"]["YTD (X of Y)"] == "5,639 of 9,903" and round(rows["S6"]["YTD"], 3) == 0.569
    assert rows["5.13"]["YTD (X of Y)"] == "927 of 960" and rows["10.3"]["YTD (X of Y)"] == "4 of 26"


def test_dot_follows_the_rule_in_97_of_98_rows(rows):
    differing = {int(row["row"]) for row in SUMMARY
                 if rows[ref_of(row)]["DOT (Month on Month)"] != (row["dot_printed"] or "n/a")}
    assert differing == set(KNOWN_DOT) and len(SUMMARY) - len(differing) == 97


def test_rag_from_001s_tolerances(rows):
    assert rows["3.3"]["RAG (in month)"] == "Red"  # 368.6 against +/-5 of 158.8 (red beyond +/-15)
    assert rows["S6"]["RAG (in month)"] == "Red"  # 57.2% against <92%
    assert rows["11.5"]["RAG (in month)"] == "Green"  # 16.7 within 14-20
    assert rows["11.8"]["RAG (in month)"] == "Green" and rows["11.3"]["RAG (in month)"] == "Red"  # 20 in 16-22; 31, 25+
    assert rows["5.3"]["RAG (in month)"] == "Red"  # 116.1 against 79+
    assert rows["1.1"]["RAG (in month)"] == ""  # Target Green n/a: not rated


@pytest.mark.parametrize("row", SUMMARY, ids=lambda row: f"row{row['row']}")
def test_the_year_on_year_trend_and_benchmarks_are_as_printed(row, rows):
    on_page = rows[ref_of(row)]
    for year in YEARS:
        printed = row[f"fy_{year}"]
        assert shown(on_page[year.replace("_", "/")], printed) == as_printed(printed), year
    for key, heading in (("sn_avg", "STAT NEIGH AVE"), ("best_sn", "BEST STAT NEIGH"), ("nat_avg", "NAT AVE"),
                         ("nat_top_quartile", "NAT TOP QTILE THRESHOLD")):
        assert shown(on_page[heading], row[key]) == (as_printed(row[key]) if row[key] else ""), heading


def test_a_typed_outturn_the_data_contradicts_is_a_note_naming_both_cells(book):
    notes = [str(note) for note in book[1].notes if "outturn" in str(note)]
    assert {re.search(r": (\S+): ", note).group(1) for note in notes} == set(KNOWN_OUTTURNS)
    assert any(note.startswith("Indicators!V35: 4.2: 1,709 is typed as the 2019/20 outturn, but the data gives "
                               "2,617 (Mar-20, Data!C") for note in notes)


def test_outturns_derived_from_the_data_are_the_printed_ones(tmp_path):
    path = ref001_book(tmp_path / "untyped.xlsx", pages="Performance Summary", typed_outturns=False)
    refresh(path)
    computed = summary_rows(path)
    derived = {ref_of(row): (computed[ref_of(row)]["2019/20"], row["fy_2019_20"]) for row in SUMMARY
               if not isinstance(computed[ref_of(row)]["2019/20"], str)}
    assert len(derived) >= 30  # every position at month end whose Mar-20 the detail pages print
    differing = {ref for ref, (value, printed) in derived.items() if shown(value, printed) != as_printed(printed)}
    assert differing == set(KNOWN_OUTTURNS) | set(UNPUBLISHED_OUTTURNS)
    assert all(computed[ref_of(row)][year.replace("_", "/")] == "-" for row in SUMMARY for year in YEARS[:4])


def pair(rows, ref: str, label: str):
    """On the Indicator pages, the value beside ``label`` in the block of ``ref``."""
    start = next(i for i, row in enumerate(rows) if isinstance(row[0], str) and row[0].startswith(f"{ref}  "))
    for row in rows[start:]:
        if row[0] == ref:
            break
        for c, value in enumerate(row[:-2]):
            if isinstance(value, str) and value.startswith(label):
                return row[c + 2]
    raise KeyError(label)


def test_the_indicator_pages_give_001s_detail_figures(book):
    pages = page(book[0], "Indicator pages")
    assert pair(pages, REFERRALS, "Rolling 12 months") == \
        "3,522 / 57,521 \u00d7 10,000 = 612.3 per 10,000 children aged 0-17"
    assert pair(pages, "5.4", "Rolling 12 months") == "668 / 57,521 \u00d7 10,000 = 116.1 per 10,000 children aged 0-17"
    assert pair(pages, "S6", "Year to date 2020/21") == "5,639 of 9,903 = 56.9%"
    assert pair(pages, "5.12", "Year to date 2020/21") == "23 of 451 = 5.1%"
    assert pair(pages, "S6", "Year on year trend") == \
        "2015/16: 96.5%;  2016/17: 86.0%;  2017/18: 79.5%;  2018/19: 80.9%;  2019/20: 59.5%"
