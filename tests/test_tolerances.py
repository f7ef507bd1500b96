"""RAG tolerances (docs/design.md §5.4), checked against the notation of reference 001's Performance Summary."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard_xl.compute.rules import HIGH, INFO, LOW, WITHIN_LIMITS
from scorecard_xl.compute.tolerances import (AMBER, GREEN, NO_RULE, NOT_RATED, RED, RagRule, ToleranceError,
                                             green_limits, parse_tolerances, rag_rule, rag_status, rule_from_target)

# Reference 001's Performance Summary, transcribed (see fixtures/README.md).
FIXTURE = Path(__file__).parent / "fixtures" / "ref001_performance_summary.csv"
NAN = math.nan


class Row(NamedTuple):
    indicator: str
    polarity: str
    unit: str
    red: str
    amber: str
    green: str


def _polarity(printed: str) -> str:
    word = printed.strip().casefold()
    return WITHIN_LIMITS if word.startswith("within") else {"high": HIGH, "low": LOW, "info": INFO}[word]


def _summary_rows() -> list[Row]:
    """Every indicator row of 001's Performance Summary, with its tolerance cells as printed."""
    import csv

    with open(FIXTURE, encoding="utf-8") as handle:
        return [Row(r["indicator"], _polarity(r["polarity_printed"]), r["unit_printed"], r["red"], r["amber"],
                    r["green"]) for r in csv.DictReader(handle)]


ROWS = _summary_rows()


def row(fragment: str) -> Row:
    found = [r for r in ROWS if fragment in r.indicator]
    assert len(found) == 1, f"{fragment!r} matches {len(found)} rows"
    return found[0]


def rule_of(r: Row) -> RagRule:
    return parse_tolerances(r.red, r.amber, r.green, r.polarity, is_percentage=r.unit == "Percentage")


def statuses(rule: RagRule, values) -> list[str]:
    return list(rag_status(values, [rule] * len(values)))


# --- Reference 001, every form -------------------------------------------------------------------

def test_the_summary_has_98_rows_and_every_tolerance_in_it_parses():
    assert len(ROWS) == 98
    rules = [rule_of(r) for r in ROWS]
    written = [r for r in ROWS if r.green.strip() not in ("", "n/a", "-")]
    assert sum(rule.rated for rule in rules) == len(written) == 46
    assert {r.green for r in written} >= {"95%+", "23%<", "+/-5 of 158.8", "14-20", "85%>", "10%<", "375.5"}


@pytest.mark.parametrize("fragment, texts, cases", [
    ("% of referrals going onto assessment", ("<83%", "83%>", "86%+"),
     [(0.8299, RED), (0.83, AMBER), (0.8599, AMBER), (0.86, GREEN), (np.nextafter(0.86, 0), GREEN), (1.0, GREEN)]),
    ("ceased to be subject to a CP plan per 10K", ("<55", "55>", "59.9+"),
     [(54.99, RED), (55, AMBER), (59.89, AMBER), (59.9, GREEN), (114.9, GREEN)]),
    ("re-referral in 12 months - rolling", ("26%+", "26%<", "23%<"),
     [(0.26, RED), (0.2599, AMBER), (0.23, AMBER), (np.nextafter(0.23, 0), AMBER), (0.2299, GREEN)]),
    ("Initial CP Conferences (children) per 10,000", ("79+", "79<", "74.1<"),
     [(79, RED), (78.99, AMBER), (74.1, AMBER), (74.09, GREEN), (116.1, RED)]),
    ("key safeguarding teams", ("25+", "24<", "22<"),
     [(25, RED), (24.5, AMBER), (22, AMBER), (21.9, GREEN)]),
    ("open CP plans lasting 2 years", ("3.7%+", "3.6%<", "2.6%<"),
     [(0.037, RED), (0.0365, AMBER), (0.026, AMBER), (0.0259, GREEN)]),
    ("S47's per 10,000", ("more than +/-15", "+/-15", "+/-5 of 158.8"),
     [(158.8, GREEN), (153.8, GREEN), (163.8, GREEN), (153.79, AMBER), (163.81, AMBER), (143.8, AMBER),
      (173.8, AMBER), (143.79, RED), (173.81, RED), (368.6, RED)]),
    ("LAC Teams 1-3", ("1+ above range limit", "1 above / below range limit", "14-20"),
     [(14, GREEN), (20, GREEN), (17, GREEN), (13.5, AMBER), (20.5, AMBER), (13.01, AMBER), (20.99, AMBER),
      (21, RED), (13, RED), (30, RED), (5, RED)]),
])
def test_reference_forms_at_their_boundaries(fragment, texts, cases):
    r = row(fragment)
    assert (r.red, r.amber, r.green) == texts
    values, expected = zip(*cases)
    assert statuses(rule_of(r), values) == list(expected)


@pytest.mark.parametrize("fragment, green, cases", [
    ("% of LAC in a family based setting", "85%>",  # High: target 85%, amber down to 76.5%
     [(0.85, GREEN), (0.8499, AMBER), (0.765, AMBER), (0.7649, RED), (0.808, AMBER)]),
    ("% of agency staff", "10%<",  # Low: strictly below 10% green, amber up to 11%
     [(0.0999, GREEN), (0.10, AMBER), (0.11, AMBER), (0.1101, RED), (0.0784, GREEN)]),
    ("Number of CIN per 10K", "375.5",  # Low, a plain number: green at or below, amber to +10%
     [(375.5, GREEN), (413.05, AMBER), (413.06, RED), (443.5, RED)]),
])
def test_reference_green_alone_is_a_target(fragment, green, cases):
    r = row(fragment)
    assert (r.red, r.amber, r.green) == ("", "", green)
    values, expected = zip(*cases)
    assert statuses(rule_of(r), values) == list(expected)


def test_reference_info_rows_with_na_are_not_rated():
    r = row("No. contacts identified as 'harm' at source")
    assert (r.red, r.amber, r.green) == ("", "", "n/a")
    assert rule_of(r) == NO_RULE
    assert rag_status([606.0], [rule_of(r)])[0] == NOT_RATED


def test_boundaries_and_inclusivity_as_parsed():
    high = parse_tolerances("<92%", "92%>", "95%+", HIGH, is_percentage=True)
    assert (high.ok_low, high.ok_low_inclusive, high.green_low, high.green_low_inclusive) == (0.92, True, 0.95, True)
    assert (high.ok_high, high.green_high) == (math.inf, math.inf)
    assert high.description == "green 95%+, red <92%"
    low = parse_tolerances("3.7%+", "3.6%<", "2.6%<", LOW, is_percentage=True)
    assert (low.ok_high, low.ok_high_inclusive, low.green_high, low.green_high_inclusive) == (0.037, False, 0.026, False)
    around = parse_tolerances("more than +/-15", "+/-15", "+/-5 of 158.8", INFO)
    assert (around.green_low, around.green_high) == pytest.approx((153.8, 163.8))
    assert (around.ok_low, around.ok_high) == pytest.approx((143.8, 173.8))
    assert around.ok_low_inclusive and around.ok_high_inclusive
    ranged = parse_tolerances("1+ above range limit", "1 above / below range limit", "14-20", WITHIN_LIMITS)
    assert (ranged.green_low, ranged.green_high, ranged.ok_low, ranged.ok_high) == (14, 20, 13, 21)
    assert not ranged.ok_low_inclusive and not ranged.ok_high_inclusive


def test_excel_numbers_and_bare_numbers_follow_polarity_and_column():
    text = parse_tolerances("<92%", "92%>", "95%+", HIGH, is_percentage=True)
    for cells in [(0.92, 0.92, 0.95), (92, 92, 95), ("92", "92", "95"), ("<92", "92>", "95+"), (92.0, None, "95%+")]:
        rule = parse_tolerances(*cells, HIGH, is_percentage=True)
        assert (rule.ok_low, rule.ok_low_inclusive, rule.green_low) == (0.92, True, 0.95), cells
        assert rule.green_low_inclusive and rule.ok_high == text.ok_high == math.inf
    low = parse_tolerances(0.26, 0.26, 0.23, LOW, is_percentage=True)
    assert (low.ok_high, low.ok_high_inclusive, low.green_high, low.green_high_inclusive) == (0.26, False, 0.23, False)
    assert parse_tolerances(26, 26, 23, LOW, is_percentage=True).ok_high == 0.26
    count = parse_tolerances(55, 55, 59.9, HIGH)  # not a percentage: numbers are taken as they are
    assert (count.ok_low, count.green_low) == (55, 59.9)
    assert parse_tolerances(0.5, None, 0.8, HIGH, is_percentage=True).green_low == 0.8  # fractions stay fractions
    assert parse_tolerances(25, 24, 22, LOW).ok_high == 25  # the amber step check works on numbers too


def test_spelling_variants_read_the_same():
    spaced = parse_tolerances(" < 92 % ", "92%>", "95% +", HIGH, True)
    assert replace(spaced, description="") == replace(parse_tolerances("<92%", "92%>", "95%+", HIGH, True),
                                                      description="")
    around = parse_tolerances("MORE THAN \u00b1 15", "\u00b115", "\u00b1 5 of 158.8", INFO)
    assert (around.ok_low, around.green_high) == pytest.approx((143.8, 163.8))
    assert parse_tolerances("1+ above range limit", "", "14 \u2013 20", WITHIN_LIMITS).green_high == 20
    assert parse_tolerances("N/A", " - ", None, HIGH) == NO_RULE
    assert parse_tolerances(NAN, NAN, NAN, LOW) == NO_RULE
    assert parse_tolerances("", "", "", "high") == NO_RULE


def test_percentage_widths_and_ranges_follow_their_centre():
    around = parse_tolerances("more than +/-15", "+/-15", "+/-5 of 60", INFO, is_percentage=True)
    assert (around.green_low, around.ok_high) == pytest.approx((0.55, 0.75))
    ranged = parse_tolerances("1+ above range limit", "1 above / below range limit", "14-20", WITHIN_LIMITS, True)
    assert (ranged.green_low, ranged.green_high, ranged.ok_low, ranged.ok_high) == pytest.approx((0.14, 0.2, 0.13, 0.21))


# --- Errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("red, amber, green, polarity, column", [
    ("blah", "", "95%+", HIGH, "Red"),
    ("<92%", "", "ninety", HIGH, "Green"),
    ("<92%", "maybe", "95%+", HIGH, "Amber"),
    ("95%+", "", "95%+", HIGH, "Red"),                    # red on the good side of High
    ("<92%", "92%>", "23%<", LOW, "Red"),                 # <92% with Low polarity
    ("<92%", "90%>", "95%+", HIGH, "Amber"),              # amber's number is neither red's nor green's
    ("<92%", "92%<", "95%+", HIGH, "Amber"),              # amber points the same way as red
    ("26%+", "27%<", "23%<", LOW, "Amber"),               # a step away from red, but not towards green
    ("<95%", "", "92%+", HIGH, "Red"),                    # red boundary above the green one
    ("26%+", "", "30%<", LOW, "Red"),
    ("<92%", "", "95%<", HIGH, "Green"),
    ("more than +/-15", "+/-15", "+/-x of", INFO, "Green"),
    ("more than +/-15", "+/-15", "+/-5 of", INFO, "Green"),
    ("more than +/-15", "+/-15", "+/-5", INFO, "Green"),  # no centre
    ("more than +/-15", "", "more than +/-5 of 158.8", INFO, "Green"),
    ("+/-15", "", "+/-5 of 158.8", INFO, "Red"),          # red must say "more than"
    ("more than +/-15", "+/-10", "+/-5 of 158.8", INFO, "Amber"),
    ("more than +/-15 of 100", "", "+/-5 of 158.8", INFO, "Red"),
    ("more than +/-3", "", "+/-5 of 158.8", INFO, "Red"),  # red inside green
    ("1+ above range limit", "", "14-", WITHIN_LIMITS, "Green"),
    ("1+ above range limit", "", "20-14", WITHIN_LIMITS, "Green"),
    ("1 above / below range limit", "", "14-20", WITHIN_LIMITS, "Red"),
    ("1+ above range limit", "2 above / below range limit", "14-20", WITHIN_LIMITS, "Amber"),
    ("1+ above range limit", "1+ above range limit", "14-20", WITHIN_LIMITS, "Amber"),
    ("more than 1+ above range limit", "", "14-20", WITHIN_LIMITS, "Red"),
    ("<92%", "", "+/-5 of 158.8", INFO, "Red"),           # red and green of different kinds
    ("more than +/-15", "", "95%+", INFO, "Red"),
    ("1+ above range limit", "", "95%+", INFO, "Red"),
    ("more than +/-15", "", "14-20", WITHIN_LIMITS, "Red"),
    ("<92%", "+/-15", "95%+", HIGH, "Amber"),
    ("14-20", "", "95%+", HIGH, "Red"),                   # a range is only a green form
    ("", "", "1 above range limit", WITHIN_LIMITS, "Green"),
    ("", "", "+/-5 of 158.8", HIGH, "Green"),             # around / range do not suit High or Low
    ("", "", "14-20", LOW, "Green"),
    ("<92%", "92%>", "", HIGH, "Red"),                    # red without green
    ("", "92%>", "", HIGH, "Amber"),
    ("", "92%>", "95%+", HIGH, "Amber"),                  # amber without red
    ("", "", "10%<", HIGH, "Green"),                      # green alone on the wrong side
    ("", "", "85%>", LOW, "Green"),
    (0.92, "", 0.95, INFO, "Red"),                        # bare numbers say no direction for Info
    (math.inf, "", "95%+", HIGH, "Red"),
    (True, "", "95%+", HIGH, "Red"),
    ("9" * 400 + "%", "", "95%+", HIGH, "Red"),
    ("<92%", "", ["95%"], HIGH, "Green"),
])
def test_ill_formed_or_contradictory_tolerances_name_the_column(red, amber, green, polarity, column):
    with pytest.raises(ToleranceError) as caught:
        parse_tolerances(red, amber, green, polarity, is_percentage=True)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.column == column
    found = {"Red": red, "Amber": amber, "Green": green}[column]
    shown = " ".join(found.split()) if isinstance(found, str) else "92%" if found == 0.92 else str(found)
    assert error.text == shown
    assert error.column in str(error) and "write it like" in str(error)


def test_error_message_says_what_was_found_and_what_to_write():
    with pytest.raises(ToleranceError) as caught:
        parse_tolerances("95%+", "", "95%+", HIGH, is_percentage=True)
    message = str(caught.value)
    assert "'95%+'" in message and "High" in message and "<92%, 92%> and 95%+" in message


def test_unknown_polarity_is_a_plain_value_error():
    with pytest.raises(ValueError) as caught:
        parse_tolerances("<92%", "", "95%+", "Higher")
    assert not isinstance(caught.value, ToleranceError)


# --- Targets -------------------------------------------------------------------------------------

@pytest.mark.parametrize("target, polarity, cases", [
    (0.9, HIGH, [(0.9, GREEN), (1.0, GREEN), (0.85, AMBER), (0.81, AMBER), (0.8099, RED)]),
    (10, LOW, [(10, GREEN), (0, GREEN), (10.5, AMBER), (11, AMBER), (11.01, RED)]),
    (100, INFO, [(90, GREEN), (110, GREEN), (100, GREEN), (89.9, RED), (110.1, RED)]),
    (100, WITHIN_LIMITS, [(90, GREEN), (110, GREEN), (89.9, RED), (110.1, RED)]),
])
def test_rule_from_target(target, polarity, cases):
    values, expected = zip(*cases)
    assert statuses(rule_from_target(target, polarity, band=0.10), values) == list(expected)


def test_target_band_and_missing_target():
    assert rule_from_target(0.9, HIGH, band=0.0).ok_low == 0.9
    assert rule_from_target(50, LOW, band=0.2).ok_high == 60
    assert rule_from_target(NAN, HIGH) == NO_RULE
    with pytest.raises(ValueError):
        rule_from_target(0.9, HIGH, band=-0.1)


@pytest.mark.parametrize("green, polarity, is_percentage, cases", [
    ("85%>", HIGH, True, [(0.85, GREEN), (0.8499, AMBER), (0.765, AMBER), (0.7649, RED)]),
    ("0.85", HIGH, True, [(0.85, GREEN), (0.765, AMBER), (0.7649, RED)]),
    ("85", HIGH, True, [(0.85, GREEN), (0.765, AMBER), (0.7649, RED)]),
    ("10%<", LOW, True, [(0.0999, GREEN), (0.1, AMBER), (0.11, AMBER), (0.1101, RED)]),
    (0.1, LOW, True, [(0.1, GREEN), (0.11, AMBER), (0.1101, RED)]),
    ("50%", INFO, True, [(0.45, GREEN), (0.55, GREEN), (0.4499, RED), (0.5501, RED)]),
    (50, WITHIN_LIMITS, False, [(45, GREEN), (55, GREEN), (44.99, RED), (55.01, RED)]),
    ("50+", WITHIN_LIMITS, False, [(50, GREEN), (45, AMBER), (44.99, RED)]),  # the notation gives the direction
    ("+/-5 of 158.8", INFO, False, [(153.8, GREEN), (163.8, GREEN), (153.79, RED), (163.81, RED)]),
    ("14-20", WITHIN_LIMITS, False, [(14, GREEN), (20, GREEN), (13.99, RED), (20.01, RED)]),
])
def test_green_alone_is_a_target_at_that_boundary(green, polarity, is_percentage, cases):
    rule = parse_tolerances(None, None, green, polarity, is_percentage=is_percentage)
    values, expected = zip(*cases)
    assert statuses(rule, values) == list(expected)


def test_rag_rule_prefers_tolerances_then_target():
    tolerances = rag_rule("<92%", "92%>", "95%+", 0.5, HIGH, is_percentage=True)
    assert tolerances == parse_tolerances("<92%", "92%>", "95%+", HIGH, is_percentage=True)
    assert rag_rule("", "", "n/a", 0.9, HIGH) == rule_from_target(0.9, HIGH)
    assert rag_rule(None, None, None, 90, HIGH, is_percentage=True) == rule_from_target(0.9, HIGH)
    assert rag_rule(None, None, None, "90%", LOW, band=0.2) == rule_from_target(0.9, LOW, band=0.2)
    assert rag_rule(None, None, None, NAN, HIGH) == NO_RULE
    assert rag_rule("-", "-", "-", "n/a", INFO) == NO_RULE
    with pytest.raises(ToleranceError) as caught:
        rag_rule(None, None, None, "95%+", HIGH)
    assert caught.value.column == "Target"
    with pytest.raises(ToleranceError) as caught:
        rag_rule("<92%", None, None, 0.95, HIGH)  # a target does not rescue a half-written tolerance
    assert caught.value.column == "Red"


# --- rag_status and green_limits -----------------------------------------------------------------

def test_rag_status_mixes_rules_missing_values_and_no_rule():
    high = parse_tolerances("<92%", "92%>", "95%+", HIGH, is_percentage=True)
    low = parse_tolerances("26%+", "26%<", "23%<", LOW, is_percentage=True)
    around = parse_tolerances("more than +/-15", "+/-15", "+/-5 of 158.8", INFO)
    ranged = parse_tolerances("1+ above range limit", "1 above / below range limit", "14-20", WITHIN_LIMITS)
    rules = [high, high, NO_RULE, NO_RULE, low, around, ranged, high, low]
    values = np.array([0.96, NAN, 5.0, NAN, 0.30, 158.8, 21.0, 0.93, 0.2])
    result = rag_status(values, rules)
    assert result.dtype == object
    assert list(result) == [GREEN, "", NOT_RATED, "", RED, GREEN, RED, AMBER, GREEN]
    one_at_a_time = [rag_status([v], [r])[0] for v, r in zip(values, rules)]
    assert list(result) == one_at_a_time
    assert list(rag_status([], [])) == []
    with pytest.raises(ValueError):
        rag_status([1.0, 2.0], [high])


def test_rag_status_treats_near_equal_as_equal():
    high = parse_tolerances("<92%", "92%>", "95%+", HIGH, is_percentage=True)
    computed = 0.1 * 9.5  # 0.9500000000000001; and 19 / 20 == 0.95
    assert list(rag_status([computed, np.nextafter(0.95, 0), 19 / 20, np.nextafter(0.92, 0), 0.9199],
                           [high] * 5)) == [GREEN, GREEN, GREEN, AMBER, RED]


def test_green_limits():
    assert green_limits(parse_tolerances("<92%", "", "95%+", HIGH, True)) == pytest.approx((0.95, NAN), nan_ok=True)
    assert green_limits(parse_tolerances("26%+", "", "23%<", LOW, True)) == pytest.approx((NAN, 0.23), nan_ok=True)
    assert green_limits(parse_tolerances("", "", "14-20", WITHIN_LIMITS)) == (14, 20)
    assert all(math.isnan(v) for v in green_limits(NO_RULE))


# --- Properties ----------------------------------------------------------------------------------

REAL_TEXTS = ["<92%", "92%>", "95%+", "26%+", "26%<", "23%<", "79+", "79<", "74.1<", "more than +/-15", "+/-15",
              "+/-5 of 158.8", "1+ above range limit", "1 above / below range limit", "14-20", "n/a", "-", "",
              "85%>", "10%<", "375.5", "3.7%+", "3.6%<", "2.6%<"]
CELL = st.one_of(st.text(), st.text(alphabet="0123456789.%+-<>/ ofmrethanbvwlig\u00b1", max_size=12),
                 st.sampled_from(REAL_TEXTS), st.none(), st.floats(), st.integers(-1000, 1000))
POLARITY = st.sampled_from([HIGH, LOW, INFO, WITHIN_LIMITS])


def _green_inside_not_red(rule: RagRule) -> bool:
    low_ok = rule.green_low > rule.ok_low or (rule.green_low == rule.ok_low and (
        rule.ok_low_inclusive or not rule.green_low_inclusive))
    high_ok = rule.green_high < rule.ok_high or (rule.green_high == rule.ok_high and (
        rule.ok_high_inclusive or not rule.green_high_inclusive))
    return low_ok and high_ok and rule.green_low <= rule.green_high


@settings(max_examples=600, deadline=None)
@given(CELL, CELL, CELL, POLARITY, st.booleans())
def test_any_cells_give_a_rule_or_a_tolerance_error(red, amber, green, polarity, is_percentage):
    try:
        rule = parse_tolerances(red, amber, green, polarity, is_percentage)
    except ToleranceError as error:
        assert error.column in ("Red", "Amber", "Green") and error.message
        return
    assert isinstance(rule, RagRule)
    if rule.rated:
        assert _green_inside_not_red(rule)
        bounds = (rule.green_low, rule.green_high, rule.ok_low, rule.ok_high)
        assert not any(math.isnan(b) for b in bounds)


def _written(tenths: int) -> str:
    return f"{tenths // 10}.{tenths % 10}" if tenths % 10 else str(tenths // 10)


@given(st.integers(1, 999), st.integers(0, 999), st.booleans())
def test_well_formed_high_round_trips(red_tenths, gap, percent):
    green_tenths = min(red_tenths + gap, 1000)
    unit, divisor = ("%", 1000) if percent else ("", 10)
    red, green = _written(red_tenths) + unit, _written(green_tenths) + unit
    rule = parse_tolerances(f"<{red}", f"{red}>", f"{green}+", HIGH, is_percentage=percent)
    assert rule.ok_low == pytest.approx(red_tenths / divisor, rel=1e-12) and rule.ok_low_inclusive
    assert rule.green_low == pytest.approx(green_tenths / divisor, rel=1e-12) and rule.green_low_inclusive
    assert (rule.ok_high, rule.green_high) == (math.inf, math.inf)
    below, at_red, at_green = rag_status([rule.ok_low * (1 - 1e-6), rule.ok_low, rule.green_low], [rule] * 3)
    assert (below, at_red, at_green) == (RED, GREEN if gap == 0 or green_tenths == red_tenths else AMBER, GREEN)


@given(st.integers(1, 1000), st.integers(0, 999), st.booleans())
def test_well_formed_low_round_trips(red_tenths, gap, percent):
    green_tenths = max(red_tenths - gap, 1)
    unit, divisor = ("%", 1000) if percent else ("", 10)
    red, green = _written(red_tenths) + unit, _written(green_tenths) + unit
    rule = parse_tolerances(f"{red}+", f"{red}<", f"{green}<", LOW, is_percentage=percent)
    assert rule.ok_high == pytest.approx(red_tenths / divisor, rel=1e-12) and not rule.ok_high_inclusive
    assert rule.green_high == pytest.approx(green_tenths / divisor, rel=1e-12) and not rule.green_high_inclusive
    assert (rule.ok_low, rule.green_low) == (-math.inf, -math.inf)
    at_red, at_green, under = rag_status([rule.ok_high, rule.green_high, rule.green_high * (1 - 1e-6)], [rule] * 3)
    assert (at_red, at_green, under) == (RED, RED if green_tenths == red_tenths else AMBER, GREEN)
