"""The words of the workbook contract, defined once (docs/design.md §3).

Polarities, units, kinds, YTD rules, change bases, the placeholders that mean "missing", and the
"similar" band with its default and help text. Parsers, rules, pages and the worksheet functions
all take them from here, so a word is added or spelt in one place.
"""

from __future__ import annotations

# --- polarity: what good performance is ----------------------------------------------------------
HIGH, LOW, INFO, WITHIN_LIMITS = "High", "Low", "Info", "Within limits"
POLARITIES = (HIGH, LOW, INFO, WITHIN_LIMITS)
_POLARITY_WORDS = {"high": HIGH, "low": LOW, "info": INFO, "within limits": WITHIN_LIMITS, "within limit": WITHIN_LIMITS}
POLARITY_HELP = "polarity must be High, Low, Info or Within limits"  # in a cell, where space is short

# --- unit: what a figure counts -----------------------------------------------------------------
COUNT, PERCENTAGE, RATE, DAYS, AVERAGE = "Count", "Percentage", "Rate per 10,000", "Days", "Average"
UNITS = (COUNT, PERCENTAGE, RATE, DAYS, AVERAGE)
_UNIT_WORDS = {"count": COUNT, "number": COUNT, "percentage": PERCENTAGE, "percent": PERCENTAGE,
               "%": PERCENTAGE, "rate per 10,000": RATE, "rate per 10000": RATE, "rate per 10k": RATE,
               "rate": RATE, "days": DAYS, "average": AVERAGE, "average count": AVERAGE, "ytd average": AVERAGE,
               "mean": AVERAGE}

# --- kind, year to date, change ------------------------------------------------------------------
FLOW, SNAPSHOT = "flow", "snapshot"
KINDS = (FLOW, SNAPSHOT)
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
MOST_BAND = 1.0  # 100%: a wider band would call every movement "similar"
BAND_HELP = "Write the band as a fraction of 0 or more, such as 0.1, 10% or 10 (1 or more is read as percent)."
BAND_RANGE_HELP = "Write a band from 0 to 100%, such as 0.1, 10% or 10 (1 or more is read as percent)."
BAND_CELL_HELP = "band must be 0 or more, such as 0.1, 10% or 10 (1 or more means percent)"


def _words(text) -> str:
    return " ".join(str(text).split()).casefold() if isinstance(text, str) else ""


def polarity_of(text) -> str | None:
    """The polarity a cell names (any case, spacing, 'Within limit'), else None."""
    return _POLARITY_WORDS.get(_words(text))


def unit_of(text) -> str | None:
    return _UNIT_WORDS.get(_words(text))


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


def band_fraction(number: float) -> float | None:
    """A band as people type it (0.1, 10% or 10) as a fraction; None when it cannot be one
    (negative or not a number). 1 or more reads as percent (1 = 1%, 10 = 10%): a band is always
    under 100%, and a bare 1 is far likelier to mean 1% than "everything is similar"."""
    if not number >= 0:  # also NaN
        return None
    return number / 100 if number >= 1 else float(number)
