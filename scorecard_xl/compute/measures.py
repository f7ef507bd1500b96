"""Measures: every computed column of the scorecard, for all series at once (docs/design.md §5).

Pure numpy/pandas over a Panel; nothing here knows about Excel or layouts. Each statistic
is a small named function over a (rows, months) array, so each can be tested alone.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from . import rules
from .months import financial_year_start, month_key
from .panel import Panel
from .tolerances import rag_status

WORSE_RUN_MOVES = 3  # "worse three months running": three month-on-month moves, four months


def window(matrix: np.ndarray, end: int, length: int) -> np.ndarray:
    """Columns end-length+1 .. end; columns before the panel starts are missing (NaN)."""
    start = end - length + 1
    if start >= 0:
        return matrix[:, start:end + 1]
    pad = np.full((matrix.shape[0], -start), np.nan)
    return np.hstack([pad, matrix[:, :end + 1]])


def column(matrix: np.ndarray, index: int) -> np.ndarray:
    if 0 <= index < matrix.shape[1]:
        return matrix[:, index]
    return np.full(matrix.shape[0], np.nan)


def _quietly(function, block: np.ndarray) -> np.ndarray:
    """nanmean & co. warn on all-missing rows; an all-missing row is simply missing."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return function(block, axis=1)


def average_12m(values: np.ndarray, end: int) -> np.ndarray:
    """Mean of the 12 months ending at ``end``, missing months excluded."""
    return _quietly(np.nanmean, window(values, end, 12))


def maximum_12m(values: np.ndarray, end: int) -> np.ndarray:
    return _quietly(np.nanmax, window(values, end, 12))


def minimum_12m(values: np.ndarray, end: int) -> np.ndarray:
    return _quietly(np.nanmin, window(values, end, 12))


def rolling_12m(values: np.ndarray, end: int) -> np.ndarray:
    """Sum of the last 12 monthly values; missing when any of the 12 is missing.

    A partial sum would understate the year without anyone noticing, so it is not given.
    """
    block = window(values, end, 12)
    return np.where(np.isnan(block).any(axis=1), np.nan, block.sum(axis=1))


def sum_present(block: np.ndarray) -> np.ndarray:
    """Row sums over present values; missing when nothing is present."""
    present = ~np.isnan(block)
    return np.where(present.any(axis=1), np.where(present, block, 0.0).sum(axis=1), np.nan)


def ratio_of_sums(numerators: np.ndarray, denominators: np.ndarray) -> np.ndarray:
    """Σ numerators / Σ denominators over months where both are known ("5639 of 9903")."""
    both = ~np.isnan(numerators) & ~np.isnan(denominators)
    top = np.where(both, numerators, 0.0).sum(axis=1)
    bottom = np.where(both, denominators, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / bottom, np.nan)


def year_to_date(panel: Panel, ytd_rules: np.ndarray, end: int) -> np.ndarray:
    """Financial-year-to-date figure at column ``end``, by each row's YTD rule."""
    start = financial_year_start(panel.first_month + end) - panel.first_month
    length = end - start + 1
    values = window(panel.values, end, length)
    result = np.full(panel.values.shape[0], np.nan)
    for rule, compute in (
        ("sum", lambda: sum_present(values)),
        ("ratio", lambda: ratio_of_sums(window(panel.numerators, end, length),
                                        window(panel.denominators, end, length))),
        ("mean", lambda: _quietly(np.nanmean, values)),
        ("latest", lambda: column(panel.values, end)),
    ):
        rows = ytd_rules == rule
        if rows.any():
            result[rows] = compute()[rows]
    return result


def year_to_date_parts(panel: Panel, ytd_rules: np.ndarray, end: int) -> tuple[np.ndarray, np.ndarray]:
    """Σ numerators and Σ denominators of a ratio year to date at column ``end`` ("5639 of 9903"),
    over the months where both are known, as ratio_of_sums takes them; NaN for other rules."""
    start = financial_year_start(panel.first_month + end) - panel.first_month
    length = end - start + 1
    numerators, denominators = window(panel.numerators, end, length), window(panel.denominators, end, length)
    both = ~np.isnan(numerators) & ~np.isnan(denominators)
    ratio = (ytd_rules == "ratio") & both.any(axis=1)
    return (np.where(ratio, np.where(both, numerators, 0.0).sum(axis=1), np.nan),
            np.where(ratio, np.where(both, denominators, 0.0).sum(axis=1), np.nan))


def worse_run(values: np.ndarray, end: int, polarity: np.ndarray, lower: np.ndarray, upper: np.ndarray,
              moves: int = WORSE_RUN_MOVES, dot_band=rules.DEFAULT_DOT_BAND) -> np.ndarray:
    """True where each of the ``moves`` month-on-month moves ending at ``end`` was judged worse
    (rules.judgement, as the DoT colour judges one move, within the same band); a missing month
    breaks the run."""
    block = window(values, end, moves + 1)
    band = np.broadcast_to(np.asarray(dot_band, dtype=float), (len(values),))[:, None]
    verdicts = rules.judgement(block[:, 1:], block[:, :-1], polarity[:, None], band, lower=lower[:, None],
                               upper=upper[:, None])
    return (np.asarray(verdicts) == rules.WORSE).all(axis=1)


def change_between(now, base, basis: np.ndarray) -> np.ndarray:
    """Relative change, or percentage points where the indicator asks for points."""
    return np.where(basis == "points", rules.points_change(now, base), rules.relative_change(now, base))


def compute_measures(panel: Panel, params: pd.DataFrame, reporting_month: int, months_shown: int,
                     population: np.ndarray) -> pd.DataFrame:
    """One row per panel row: shown months and every computed column (docs/design.md §5).

    ``params`` is aligned with the panel's rows and has columns polarity, change, band,
    ytd_rule, kind, unit, rag_rule, green_low, green_high.
    """
    r = panel.column(reporting_month)
    values = panel.values
    polarity = params["polarity"].to_numpy(dtype=object)
    basis = params["change"].to_numpy(dtype=object)
    band = params["band"].to_numpy(dtype=float)
    now, previous, year_ago = column(values, r), column(values, r - 1), column(values, r - 12)

    out = {}
    for k in range(months_shown - 1, -1, -1):
        out[month_key(reporting_month - k)] = column(values, r - k)
    out["value"] = now
    out["change_prev_month"] = change_between(now, previous, basis)
    out["arrow_prev_month"] = rules.movement_arrow(out["change_prev_month"], band)
    out["change_prev_year"] = change_between(now, year_ago, basis)
    out["arrow_prev_year"] = rules.movement_arrow(out["change_prev_year"], band)
    green_low, green_high = params["green_low"].to_numpy(dtype=float), params["green_high"].to_numpy(dtype=float)
    # The DoT's own "similar" band (docs/design.md §5.3), 0 unless the workbook gives one.
    dot_band = (params["dot_band"].to_numpy(dtype=float) if "dot_band" in params
                else np.full(len(polarity), rules.DEFAULT_DOT_BAND))
    out["dot"] = rules.direction_of_travel(now, previous, polarity, dot_band)
    out["judgement"] = rules.judgement(now, previous, polarity, dot_band, lower=green_low, upper=green_high)
    out["worse_run"] = worse_run(values, r, polarity, green_low, green_high, dot_band=dot_band)
    out["rag"] = rag_status(now, list(params["rag_rule"]))
    out["avg_12m"] = average_12m(values, r)
    out["max_12m"] = maximum_12m(values, r)
    out["min_12m"] = minimum_12m(values, r)
    ytd_rules = params["ytd_rule"].to_numpy(dtype=object)
    out["ytd"] = year_to_date(panel, ytd_rules, r)
    out["ytd_numerator"], out["ytd_denominator"] = year_to_date_parts(panel, ytd_rules, r)
    # Rolling totals add up events: only counts of events in the month (flows) have one.
    is_count_flow = (params["kind"].to_numpy(dtype=object) == "flow") & (params["unit"].to_numpy(dtype=object) == "Count")
    out["rolling_12m"] = np.where(is_count_flow, rolling_12m(values, r), np.nan)
    out["rolling_12m_rate_10k"] = np.where(is_count_flow,
                                           rules.rate_per_10k(out["rolling_12m"], column(population[None, :], r)),
                                           np.nan)
    return pd.DataFrame(out, index=panel.keys)
