"""The words of the workbook contract, defined once (docs/design.md §3).

Polarities (and how each is judged), units (and a rate's scale, the decimals shown), kinds (and the
wording of a name that makes a count a snapshot), YTD rules, change bases, the placeholders that
mean "missing", and the "similar" bands with their defaults and help text. Parsers, rules, pages
and the worksheet functions all take them from here, so a word is added or spelt in one place.
"""

from __future__ import annotations

import re

# --- polarity: what good performance is ----------------------------------------------------------
HIGH, LOW, INFO, WITHIN_LIMITS = "High", "Low", "Info", "Within limits"
# Reference 001's "Within limits (low)": a figure inside its limits is where it should be; outside
# them it is judged as Low (its tolerances 79+ / 79< / 74.1< say lower is better), and "(high)" as High.
WITHIN_LIMITS_LOW, WITHIN_LIMITS_HIGH = "Within limits (low)", "Within limits (high)"
POLARITIES = (HIGH, LOW, INFO, WITHIN_LIMITS, WITHIN_LIMITS_LOW, WITHIN_LIMITS_HIGH)
_POLARITY_WORDS = {"high": HIGH, "low": LOW, "info": INFO,
                   "within limits": WITHIN_LIMITS, "within limit": WITHIN_LIMITS,
                   "within limits (low)": WITHIN_LIMITS_LOW, "within limit (low)": WITHIN_LIMITS_LOW,
                   "within limits (high)": WITHIN_LIMITS_HIGH, "within limit (high)": WITHIN_LIMITS_HIGH}
POLARITY_HELP = "polarity must be High, Low, Info or Within limits"  # in a cell, where space is short
# The polarity whose rule judges a move outside the limits; every other polarity judges as itself.
JUDGED_AS = {WITHIN_LIMITS_LOW: LOW, WITHIN_LIMITS_HIGH: HIGH}
# Polarities whose green may be a range or a band around a value ("14-20", "+/-5 of 158.8").
TWO_SIDED_POLARITIES = (INFO, WITHIN_LIMITS, WITHIN_LIMITS_LOW, WITHIN_LIMITS_HIGH)
# Polarities whose DoT column shows the direction of the numbers (↑ → ↓), the colour carrying the
# judgement; the others show the judgement itself (▲ ● ▼).
NUMBERS_DIRECTION_POLARITIES = (INFO, WITHIN_LIMITS)

# --- unit: what a figure counts -----------------------------------------------------------------
COUNT, PERCENTAGE, RATE, DAYS, AVERAGE = "Count", "Percentage", "Rate per 10,000", "Days", "Average"
RATE_PER_1000, RATE_PER_100000 = "Rate per 1,000", "Rate per 100,000"
UNITS = (COUNT, PERCENTAGE, RATE, RATE_PER_100000, RATE_PER_1000, DAYS, AVERAGE)
# A rate is so many per this many of the population (a Denominator of "population" scales by it).
RATE_SCALES = {RATE_PER_1000: 1_000, RATE: 10_000, RATE_PER_100000: 100_000}
_UNIT_WORDS = {"count": COUNT, "number": COUNT, "percentage": PERCENTAGE, "percent": PERCENTAGE,
               "%": PERCENTAGE, "rate": RATE, "days": DAYS, "average": AVERAGE,
               "average count": AVERAGE, "ytd average": AVERAGE, "mean": AVERAGE}
for _unit, _scale in RATE_SCALES.items():  # 'Rate per 100,000', 'rate per 100000', 'rate per 100k'
    for _written in (f"{_scale:,}", str(_scale), f"{_scale // 1000}k"):
        _UNIT_WORDS[f"rate per {_written}"] = _unit

# --- kind, year to date, change ------------------------------------------------------------------
FLOW, SNAPSHOT = "flow", "snapshot"
KINDS = (FLOW, SNAPSHOT)
# Words in a count's name that say it is a state at month end, not events in the month. Only
# unambiguous wording counts, as whole words: "open" is not "opened", "current" not "currently".
SNAPSHOT_WORDS = ("at end of", "at the end of", "as at", "open", "current", "caseload", "caseloads")
_SNAPSHOT_PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in SNAPSHOT_WORDS) + r")\b", re.IGNORECASE)
YTD_RULES = ("sum", "ratio", "mean", "latest", "none")
RELATIVE, POINTS = "relative", "points"
CHANGE_BASES = (RELATIVE, POINTS)
_CHANGE_WORDS = {RELATIVE: RELATIVE, POINTS: POINTS, "pp": POINTS}
POPULATION = "population"  # a Denominator that means "the Settings population aged 0-17"

# --- missing values --------------------------------------------------------------------------------
# What officers type for "no figure yet"; en and em dashes are what Excel's autocorrect makes of "-".
PLACEHOLDERS = frozenset({"tbc", "tba", "-", "n/a", "na", "..", "", "\u2013", "\u2014"})
LOCAL = "local"  # a benchmark cell saying the measure has no published comparator

# --- the "similar" band ------------------------------------------------------------------------------
DEFAULT_BAND = 0.10  # movement arrows and a single target's amber zone: "Increase 10% or more"
DEFAULT_DOT_BAND = 0.0  # direction of travel: any change counts, as published reports judge it
DOT_BAND = "DoT band"  # the Indicators column and the Settings row that give the direction of travel a band
MOST_BAND = 1.0  # 100%: a wider band would call every movement "similar"
BAND_HELP = "Write the band as a fraction of 0 or more, such as 0.1, 10% or 10 (1 or more is read as percent)."
BAND_RANGE_HELP = "Write a band from 0 to 100%, such as 0.1, 10% or 10 (1 or more is read as percent)."
BAND_CELL_HELP = "band must be from 0 to 100%, such as 0.1, 10% or 10 (1 or more means percent)"


def _words(text) -> str:
    return " ".join(str(text).split()).casefold() if isinstance(text, str) else ""


def polarity_of(text) -> str | None:
    """The polarity a cell names (any case, spacing, 'Within limit'), else None."""
    return _POLARITY_WORDS.get(_words(text))


def judged_as(polarity: str) -> str:
    """The polarity whose rule judges ``polarity`` outside its limits: Low for Within limits (low),
    High for Within limits (high), else the polarity itself."""
    return JUDGED_AS.get(polarity, polarity)


def unit_of(text) -> str | None:
    return _UNIT_WORDS.get(_words(text))


def population_scale(unit: str) -> float:
    """What a count over the Settings population is multiplied by for ``unit``: 100,000 for a rate
    per 100,000, 1,000 per 1,000, else 10,000 (a rate per 10,000, the contract's first rate)."""
    return float(RATE_SCALES.get(unit, RATE_SCALES[RATE]))


def default_decimals(unit: str) -> int:
    """Decimals shown when none are typed: none for counts and percentages (58%), one for the rest."""
    return 0 if unit in (COUNT, PERCENTAGE) else 1


def snapshot_wording(name) -> tuple[str, ...]:
    """The words of SNAPSHOT_WORDS in an indicator's name, lower case, in order; () when none."""
    if not isinstance(name, str):
        return ()
    return tuple(dict.fromkeys(match.casefold() for match in _SNAPSHOT_PATTERN.findall(" ".join(name.split()))))


def kind_of(text) -> str | None:
    return {FLOW: FLOW, SNAPSHOT: SNAPSHOT}.get(_words(text))


def ytd_rule_of(text) -> str | None:
    word = _words(text)
    return word if word in YTD_RULES else None


def change_basis_of(text) -> str | None:
    return _CHANGE_WORDS.get(_words(text))


def is_placeholder(value) -> bool:
    """Empty, or one of the words that mean a figure is missing."""
    return value is None or (isinstance(value, str) and value.strip().casefold() in PLACEHOLDERS)


def band_fraction(number: float, typed: object = None) -> float | None:
    """A band as people type it (0.1, 10% or 10) as a fraction; None when it cannot be one
    (negative or not a number). A bare number of 1 or more reads as percent (1 = 1%, 10 = 10%): a
    band is always under 100%, and a bare 1 is far likelier to mean 1% than "everything is
    similar". ``typed``, the cell as typed: text with a percent sign ("100%", "150%") says its
    number is a fraction already, whatever its size."""
    if not number >= 0:  # also NaN
        return None
    if isinstance(typed, str) and typed.strip().endswith("%"):
        return float(number)
    return number / 100 if number >= 1 else float(number)
