"""Targets for the financial year: an annual target and a year-to-date target (docs/design.md §5.4).

A monthly ``Target`` rates each month. A target for the year must not: 50 adoptions a year against
December's 2 would be red in every month. So the year's targets rate the year to date instead:

- ``Annual target``: what the financial year should come to. Where the year to date adds the months
  up (YTD ``sum``), the target to date is the annual target's share of the months gone, the year's
  pace: 50 a year is 37.5 by December (9 of 12 months). Under any other YTD rule (a ratio, a mean,
  the latest month) the year to date is compared with the annual target itself.
- ``YTD target``: where the year to date should be now, as typed; it stands in place of the pace.

The year to date is rated against that target as a single Target rates a month (tolerances.
rule_from_target): green when met, amber within the indicator's band of it, red beyond. The month's
own RAG is unchanged: with only a year's target, the month is not rated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .months import financial_year_start
from .tolerances import rag_status, rule_from_target

MONTHS_A_YEAR = 12


def months_gone(reporting_month: int) -> int:
    """Months of the financial year up to and including the reporting month: 9 for December."""
    return reporting_month - financial_year_start(reporting_month) + 1


def ytd_targets(indicators: pd.DataFrame, reporting_month: int) -> np.ndarray:
    """Per indicator, the figure its year to date is compared with at the reporting month (NaN: none)."""
    annual = indicators["annual_target"].to_numpy(dtype=float)
    typed = indicators["ytd_target_typed"].to_numpy(dtype=float)
    summed = indicators["ytd_rule"].to_numpy(dtype=object) == "sum"
    pace = np.where(summed, annual * months_gone(reporting_month) / MONTHS_A_YEAR, annual)
    return np.where(np.isnan(typed), pace, typed)


def ytd_rag(ytd: np.ndarray, targets: np.ndarray, indicators: pd.DataFrame) -> np.ndarray:
    """Red, Amber or Green for each year to date against its target; Grey without a target, "" without a
    year to date."""
    rules = [rule_from_target(target, polarity, band) for target, polarity, band in
             zip(targets, indicators["polarity"], indicators["band"])]
    return rag_status(np.asarray(ytd, dtype=float), rules)


def year_target_table(indicators: pd.DataFrame, ytd: np.ndarray, reporting_month: int) -> pd.DataFrame:
    """The measures ytd_target and ytd_rag, one row per indicator."""
    targets = ytd_targets(indicators, reporting_month)
    return pd.DataFrame({"ytd_target": targets, "ytd_rag": ytd_rag(ytd, targets, indicators)},
                        index=indicators.index)
