"""The scorecard's arithmetic rules, one small named function each (docs/design.md §5).

Every function takes scalars or numpy arrays (broadcasting) and returns the same shape.
Missing values are NaN in and NaN / "" out; no rule raises on missing data.
"""

from __future__ import annotations

import numpy as np

from .vocabulary import DEFAULT_BAND as DEFAULT_MOVEMENT_BAND
from .vocabulary import (DEFAULT_DOT_BAND, HIGH, INFO, JUDGED_AS, LOW, POLARITIES, WITHIN_LIMITS,  # noqa: F401
                         WITHIN_LIMITS_HIGH, WITHIN_LIMITS_LOW, band_fraction)

UP, SAME, DOWN = "\u2191", "\u2192", "\u2193"  # ↑ → ↓
BETTER_MARK, SIMILAR_MARK, WORSE_MARK = "\u25b2", "\u25cf", "\u25bc"  # ▲ ● ▼

BETTER, WORSE, SIMILAR, NEUTRAL = "better", "worse", "similar", "neutral"
QUALITATIVE_MARKS = {BETTER: BETTER_MARK, SIMILAR: SIMILAR_MARK, WORSE: WORSE_MARK}

def _float_array(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def round_half_away(values, decimals: int = 0):
    """Round as Excel does: halves away from zero (38.5 -> 39, -0.5 -> -1).

    Binary floating point stores 0.385 as 0.38499999..., so values are first rounded to 12
    significant digits, as Excel works to 15, before the half is judged.
    """
    x = _float_array(values)
    scale = 10.0 ** decimals
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = x * scale
        magnitude = np.abs(scaled)
        digits = np.where(magnitude > 0, 11 - np.floor(np.log10(np.where(magnitude > 0, magnitude, 1))), 0)
        # Values far below one unit round to zero anyway; capping keeps 10**digits finite.
        digits = np.clip(digits, -300, 300)
        cleaned = np.round(magnitude * 10.0 ** digits) / 10.0 ** digits
    result = np.sign(scaled) * np.floor(cleaned + 0.5) / scale
    # A figure too large to scale (a change from a near-zero base) has no decimals left to round.
    result = np.where(np.isinf(scaled) & np.isfinite(x), x, result)
    return result if result.ndim else float(result)


def relative_change(now, base):
    """(now - base) / |base|; NaN when either is missing or the base is zero."""
    now, base = _float_array(now), _float_array(base)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # a minute base: an infinite change
        change = np.where(base != 0, (now - base) / np.abs(base), np.nan)
    return change if change.ndim else float(change)


def points_change(now, base):
    """now - base, for percentages compared in percentage points (0.05 = 5pp)."""
    change = _float_array(now) - _float_array(base)
    return change if change.ndim else float(change)


def movement_arrow(change, band=DEFAULT_MOVEMENT_BAND, display_decimals: int = 2):
    """↑ / → / ↓ of reference 000's key, judged on the change *as displayed*.

    ``change`` is a fraction (0.15 = 15%); it is shown to ``display_decimals`` decimals of the
    fraction (2 = whole percent), so -9.7% shows as -10% and, with a 10% band, gets ↓.
    A change on the band counts as movement; with a band of 0, a change displayed as 0 (or
    -0) is →. Missing change gives "".
    """
    shown = _float_array(round_half_away(change, display_decimals))
    band = _float_array(band)
    with np.errstate(invalid="ignore"):
        arrows = np.where((shown >= band) & (shown > 0), UP, np.where((shown <= -band) & (shown < 0), DOWN, SAME))
    arrows = np.where(np.isnan(shown), "", arrows).astype(object)
    return arrows if arrows.ndim else str(arrows)


def _movement_sign(now, previous, band):
    """+1 risen, -1 fallen, 0 within the band, NaN when either value is missing.

    The band is relative to the previous value (0 = any difference counts).
    """
    now, previous, band = _float_array(now), _float_array(previous), _float_array(band)
    difference = now - previous
    with np.errstate(invalid="ignore"):
        within = np.abs(difference) <= band * np.abs(previous)
        sign = np.where(within, 0.0, np.sign(difference))
    return np.where(np.isnan(difference), np.nan, sign)


def _polarity_array(polarity, shape) -> np.ndarray:
    return np.broadcast_to(np.asarray(polarity, dtype=object), shape)


def _judged_as(polarity: np.ndarray) -> np.ndarray:
    """vocabulary.judged_as over an array: Within limits (low) -> Low, (high) -> High."""
    for variant, base in JUDGED_AS.items():
        polarity = np.where(polarity == variant, base, polarity)
    return polarity


def direction_of_travel(now, previous, polarity, band=DEFAULT_DOT_BAND):
    """Reference 001's DOT: ↑ performance improved, ↓ worse, → no change.

    High and Within limits (high): up is better; Low and Within limits (low): down is better
    (001 prints ↑ for its row 5.3 falling from 116.5 to 116.1). Info and Within limits: the arrow
    shows the direction of the numbers (the judgement carries whether that is good). "" when missing.
    """
    sign = _movement_sign(now, previous, band)
    polarity = _judged_as(_polarity_array(polarity, sign.shape))
    performance = np.where(polarity == LOW, -sign, sign)
    with np.errstate(invalid="ignore"):
        arrows = np.where(performance > 0, UP, np.where(performance < 0, DOWN, SAME))
    arrows = np.where(np.isnan(sign), "", arrows).astype(object)
    return arrows if arrows.ndim else str(arrows)


def distance_outside(values, lower, upper):
    """How far each value lies outside [lower, upper]; 0 inside, NaN when no limits."""
    values, lower, upper = _float_array(values), _float_array(lower), _float_array(upper)
    below = np.where(np.isnan(lower), 0.0, np.maximum(lower - values, 0.0))
    above = np.where(np.isnan(upper), 0.0, np.maximum(values - upper, 0.0))
    distance = below + above
    no_limits = np.isnan(lower) & np.isnan(upper)
    return np.where(no_limits | np.isnan(values), np.nan, distance)


def judgement(now, previous, polarity, band=DEFAULT_DOT_BAND, lower=np.nan, upper=np.nan):
    """better / worse / similar / neutral, the colour behind the DoT arrow.

    Info is always neutral. Within limits is judged by the distance from the range
    [lower, upper] (closer is better), and is neutral when no range is known. Within limits
    (low) and (high) are judged as Low and High, except that two figures both within the limits
    are similar: inside them a figure is where it should be. "" when a value is missing.
    """
    sign = _movement_sign(now, previous, band)
    polarity = _polarity_array(polarity, sign.shape)
    performance = np.where(_judged_as(polarity) == LOW, -sign, sign)
    now_off = distance_outside(now, lower, upper)
    previous_off = distance_outside(previous, lower, upper)
    limits_known = ~np.isnan(now_off) & ~np.isnan(previous_off)
    limit_performance = np.sign(np.where(limits_known, previous_off - now_off, 0.0))
    performance = np.where(polarity == WITHIN_LIMITS, limit_performance, performance)
    both_within = limits_known & (now_off == 0) & (previous_off == 0)
    variant = (polarity == WITHIN_LIMITS_LOW) | (polarity == WITHIN_LIMITS_HIGH)
    performance = np.where(variant & both_within, 0.0, performance)
    with np.errstate(invalid="ignore"):
        verdict = np.where(performance > 0, BETTER, np.where(performance < 0, WORSE, SIMILAR))
    neutral = (polarity == INFO) | ((polarity == WITHIN_LIMITS) & ~limits_known)
    verdict = np.where(neutral, NEUTRAL, verdict)
    verdict = np.where(np.isnan(sign), "", verdict).astype(object)
    return verdict if verdict.ndim else str(verdict)


def qualitative_mark(verdict):
    """▲ better, ▼ worse, ● similar (reference 000's DoT column); "" otherwise."""
    marks = np.vectorize(lambda v: QUALITATIVE_MARKS.get(v, ""), otypes=[object])(
        np.asarray(verdict, dtype=object))
    return marks if marks.ndim else str(marks)


def rate_per_10k(count, population):
    """count / population × 10,000; NaN when the population is missing or zero."""
    count, population = _float_array(count), _float_array(population)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rate = np.where(population > 0, count / population * 10_000, np.nan)
    return rate if rate.ndim else float(rate)
