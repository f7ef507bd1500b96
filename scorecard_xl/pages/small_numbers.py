"""Which figures of the year a page must show as ``c`` under small-number suppression (README: Sending it).

The email copy's mask (panel-shaped, True where a month's figure shows as c) says which months are
hidden; this module says what else is, by the rule that nothing shown may give a hidden figure
away. A figure built from months (a year to date, a rolling 12 months and its rate, an outturn) is
c when any of its months is, since the months shown beside it would give the hidden one by
subtraction; and when it is itself a count of 1 to 5, or a ratio whose numerator or denominator is.
"""

from __future__ import annotations

import numpy as np

from ..compute.engine import Scorecard
from ..compute.measures import window
from ..compute.months import financial_year_start
from ..compute.rules import round_half_away
from ..compute.vocabulary import COUNT
from .board_text import display_places
from .scorecard import number_format

LARGEST_SUPPRESSED = 5  # DfE convention: counts of 1 to 5 are not published


def small_count(values, places) -> np.ndarray:
    """Above zero and displayed, at ``places`` decimals, as 5 or less: 3, 5.4 (shows 5) and 0.4 (shows 0,
    yet is not none) are small; 0 and 5.5 (shows 6) are not."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return (values > 0) & (round_half_away(values, places) <= LARGEST_SUPPRESSED)


def month_hidden(mask: np.ndarray, scorecard: Scorecard, month: int) -> np.ndarray:
    """Per indicator: does ``month``'s figure show as c (False for a month outside the data)?"""
    c = scorecard.panel.column(month)
    if not 0 <= c < scorecard.panel.month_count:
        return np.zeros(len(scorecard.indicators), dtype=bool)
    return mask[:, c].astype(bool)


def months_hidden(mask: np.ndarray, scorecard: Scorecard, first: int, last: int) -> np.ndarray:
    """Per indicator: does any month from ``first`` to ``last`` show as c?"""
    panel = scorecard.panel
    end = min(panel.column(last), panel.month_count - 1)
    start = max(panel.column(first), 0)
    if end < start:
        return np.zeros(len(scorecard.indicators), dtype=bool)
    return (window(mask.astype(float), end, end - start + 1) > 0).any(axis=1)


def _small_counts(scorecard: Scorecard, values) -> np.ndarray:
    """Counts (by the indicator's unit) that display as 1 to 5 at the indicator's decimals."""
    info = scorecard.indicators
    places = np.array([display_places(number_format(u, d)) for u, d in zip(info["unit"], info["decimals"])])
    counts = (info["unit"] == COUNT).to_numpy()
    return counts & np.array([bool(small_count(v, p)) for v, p in zip(np.asarray(values, float), places)])


def ytd_hidden(mask: np.ndarray, scorecard: Scorecard) -> np.ndarray:
    """Per indicator: is the year to date (and its "X of Y") c?"""
    month, measures = scorecard.reporting_month, scorecard.measures
    parts = small_count(measures["ytd_numerator"], 0) | small_count(measures["ytd_denominator"], 0)
    return months_hidden(mask, scorecard, financial_year_start(month), month) | \
        _small_counts(scorecard, measures["ytd"]) | parts


def rolling_hidden(mask: np.ndarray, scorecard: Scorecard) -> np.ndarray:
    """Per indicator: is the rolling 12 months (and its rate per 10,000) c?"""
    month = scorecard.reporting_month
    return months_hidden(mask, scorecard, month - 11, month) | \
        _small_counts(scorecard, scorecard.measures["rolling_12m"])


def outturn_hidden(mask: np.ndarray, scorecard: Scorecard, april: int, figures) -> np.ndarray:
    """Per indicator: is the outturn of the year from ``april`` (``figures``, as shown) c?"""
    return months_hidden(mask, scorecard, april, april + 11) | _small_counts(scorecard, figures)
