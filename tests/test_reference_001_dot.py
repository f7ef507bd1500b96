"""Regression test against a real published report: reference 001 (Dec-20), Performance Summary.

The published "DOT (Month on Month)" arrow of each of the 98 summary rows is compared with
``rules.direction_of_travel(dec_20, nov_20, polarity)`` (exact comparison, band 0) applied to the
Nov-20 and Dec-20 values *as printed*. The reference README states that 97 of the 98 rows follow
the rule; the one that does not is listed in KNOWN_EXCEPTIONS below.

Fixture: tests/fixtures/ref001_performance_summary.csv (see tests/fixtures/README.md).
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pytest

from scorecard_xl.compute.rules import DOWN, HIGH, INFO, LOW, SAME, UP, WITHIN_LIMITS, direction_of_travel

FIXTURE = Path(__file__).parent / "fixtures" / "ref001_performance_summary.csv"

# Printed "GOOD PERF IS" -> the rule's polarity.
# "Within limits (low)" (row 39, 5.3 "Number of Initial CP Conferences (children) per 10,000
# population - rolling 12 month") is read as LOW, i.e. "low is good":
#   * the "(low)" qualifier says which side of the limits is good;
#   * its tolerances are one-sided and all say lower is better: Red "79+", Amber "79<",
#     Target Green "74.1<" (the true "Within Limits" caseload rows 95-98 print a two-sided range
#     instead: "14-20" / "16-22" with "1 above / below range limit");
#   * the published arrow agrees: 116.5 -> 116.1 is printed "↑" (improvement), whereas the
#     "Within limits" rule (arrow = direction of the numbers) would give "↓".
POLARITY = {
    "High": HIGH,
    "Low": LOW,
    "Info": INFO,
    "Within limits": WITHIN_LIMITS,
    "Within Limits": WITHIN_LIMITS,
    "Within limits (low)": LOW,
}

# Published DOT text -> what the rule returns. "n/a" and blank mean no arrow because data are
# missing, which the rule reports as "". Anything else ("-") is kept as printed, so it can only
# match nothing.
PUBLISHED_MISSING = {"n/a", ""}

# row -> (indicator as printed, published arrow, arrow the rule gives)
KNOWN_EXCEPTIONS = {
    # S47 completed, outcome "Not Recorded" (no NO. printed), polarity Low, Nov-20 0.0% -> Dec-20 0.8%.
    # The rule gives "↓" (a rise of a low-is-good measure is worse performance), but the report
    # prints "-": no arrow at all, although both months have data (it is neither an arrow nor the
    # "n/a" used for missing data). The row is a data-quality snapshot ("Not recorded (as at end
    # of each month)" on the S47 completed detail page, whose YTD is also "-"); the report's
    # authors most likely do not rate its movement, so the published figure is not the rule's.
    32: ("% of S47's with an outcome - Not Recorded", "-", DOWN),
}

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_PERCENT = re.compile(r"^-?\d+(\.\d+)?%$")


def parse_printed(text: str) -> float:
    """A summary cell as printed -> float: "50.7%" -> 0.507, "1954" -> 1954.0, "-"/"tbc"/"" -> NaN."""
    text = text.strip()
    if text in ("-", "tbc", "", "n/a"):
        return math.nan
    if _PERCENT.match(text):
        return float(text[:-1]) / 100
    if _NUMBER.match(text):
        return float(text)
    raise ValueError(f"unexpected printed value {text!r}")


def published_arrow(text: str) -> str:
    return "" if text.strip() in PUBLISHED_MISSING else text.strip()


def rule_arrow(row: dict) -> str:
    return direction_of_travel(parse_printed(row["dec_20"]), parse_printed(row["nov_20"]),
                               POLARITY[row["polarity_printed"]])


def _load_rows() -> list[dict]:
    with FIXTURE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["row"] = int(row["row"])
    return rows


ROWS = _load_rows()


def _row_id(row: dict) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "_", row["indicator"]).strip("_")
    return f"row{row['row']:02d}-{words[:40]}"


def test_fixture_has_all_98_summary_rows():
    assert [row["row"] for row in ROWS] == list(range(1, 99))


def test_every_printed_polarity_is_mapped():
    assert {row["polarity_printed"] for row in ROWS} <= set(POLARITY)


def test_every_printed_arrow_is_known():
    assert {row["dot_printed"] for row in ROWS} <= {UP, SAME, DOWN, "n/a", "", "-"}


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_published_dot_follows_the_rule(row):
    published = published_arrow(row["dot_printed"])
    computed = rule_arrow(row)
    if row["row"] in KNOWN_EXCEPTIONS:
        indicator, printed, rule_gives = KNOWN_EXCEPTIONS[row["row"]]
        assert row["indicator"] == indicator
        assert published == printed
        assert computed == rule_gives
        # The exception must still be one: if the rule or the fixture changes so that the row
        # agrees, this fails and the exception should be removed.
        assert computed != published
    else:
        assert computed == published, (
            f"row {row['row']} {row['no']} {row['indicator']!r}: Nov {row['nov_20']!r} -> "
            f"Dec {row['dec_20']!r}, {row['polarity_printed']}: rule {computed!r}, "
            f"published {row['dot_printed']!r}")


def test_exactly_the_known_exception_disagrees():
    disagreeing = {row["row"] for row in ROWS if rule_arrow(row) != published_arrow(row["dot_printed"])}
    assert disagreeing == set(KNOWN_EXCEPTIONS)
    assert len(ROWS) - len(disagreeing) == 97


def test_within_limits_low_must_be_read_as_low_is_good():
    """Row 39 agrees only with LOW; the plain "Within limits" rule would contradict the report."""
    (row,) = [r for r in ROWS if r["polarity_printed"] == "Within limits (low)"]
    nov, dec = parse_printed(row["nov_20"]), parse_printed(row["dec_20"])
    assert published_arrow(row["dot_printed"]) == UP
    assert direction_of_travel(dec, nov, LOW) == UP
    assert direction_of_travel(dec, nov, WITHIN_LIMITS) == DOWN
