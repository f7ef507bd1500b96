"""Outturns: the figure each financial year closed at, the "year on year trend" (docs/design.md §5.5).

Computed from the data for every financial year it covers: the whole year by the indicator's YTD
rule (the months added up, Σ numerators / Σ denominators, their mean) when the indicator's figures
start at or before that year's April, since a part year passed off as a year would mislead; or the
year's March figure, the position the year closed at, where the year to date is the latest month,
or where there is none and the indicator is a position at month end (Kind snapshot: a caseload, a
rate of children in care, a rolling figure). A share of the month's events (Kind flow) without its
parts has no year's figure to compute.

Typed by officers in Indicators columns headed ``Outturn 2019/20``, for the years before the data
starts: what was published. What is typed stands (a figure, as a typed ratio does, §5.5, or text
such as ``-`` or ``tbc``, shown as typed) and the computed figure fills the years with nothing
typed; a typed figure further from the computed one than rounding to the indicator's decimals
explains is a data-quality note naming the typed cell and the data's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cells import normalise_header
from .measures import column, year_to_date
from .months import financial_year_label, financial_year_start, month_label, parse_financial_year
from .panel import Panel, _shown_apart, _places, rounding_tolerance
from ..addressing import cell_reference
from ..problems import Problems
from .vocabulary import SNAPSHOT

OUTTURN_YEARS = 5  # the years before the reporting month's, as published reports print them
WHOLE_YEAR_RULES = ("sum", "ratio", "mean")  # rules that need the whole year's months
_HEADING = re.compile(r"^outturn\s+(\d{4}\s*[/-]\s*\d{2,4})$")


@dataclass(frozen=True)
class TypedOutturn:
    """An outturn as typed: its figure (NaN for text that means none: tbc, -), text and cell."""

    value: float
    text: str
    cell: str


def outturn_year(heading) -> int | None:
    """The April opening the year a heading names: 'Outturn 2019/20' (or 2019-20, 2019/2020); else None."""
    match = _HEADING.match(normalise_header(heading))
    return parse_financial_year(match.group(1)) if match else None


def outturn_columns(headings: list) -> dict[int, int]:
    """April of each year -> the column of its `Outturn` heading (the first, when one is repeated)."""
    found: dict[int, int] = {}
    for c, heading in enumerate(headings):
        april = outturn_year(heading)
        if april is not None and april not in found:
            found[april] = c
    return found


def shown_years(reporting_month: int) -> list[int]:
    """The Aprils of the five financial years before the reporting month's, oldest first."""
    current = financial_year_start(reporting_month)
    return [current - 12 * k for k in range(OUTTURN_YEARS, 0, -1)]


def outturn_key(april: int) -> str:
    """'outturn_2019-20': the measure's (and the page column's) name."""
    return "outturn_" + financial_year_label(april).replace("/", "-")


def first_figures(panel: Panel) -> np.ndarray:
    """Per row, the month of its first figure (a value), or a month after the panel when it has none."""
    present = ~np.isnan(panel.values)
    first = np.where(present.any(axis=1), present.argmax(axis=1), panel.month_count)
    return panel.first_month + first


def computed_outturns(panel: Panel, ytd_rules: np.ndarray, kinds: np.ndarray, years: list[int]) -> dict[int, np.ndarray]:
    """April -> each row's outturn for that year from the data (NaN where it gives none)."""
    starts = first_figures(panel)
    whole = np.isin(ytd_rules, WHOLE_YEAR_RULES)
    closing = (ytd_rules == "latest") | ((ytd_rules == "none") & (kinds == SNAPSHOT))
    result = {}
    for april in years:
        march = panel.column(april + 11)
        if not 0 <= march < panel.month_count:
            result[april] = np.full(len(ytd_rules), np.nan)
            continue
        by_rule = year_to_date(panel, ytd_rules, march)
        result[april] = np.where(whole, np.where(starts <= april, by_rule, np.nan),
                                 np.where(closing, column(panel.values, march), np.nan))
    return result


def outturn_table(panel: Panel, indicators: pd.DataFrame, reporting_month: int, tidy: pd.DataFrame,
                  problems: Problems) -> pd.DataFrame:
    """The outturns shown with the reporting month: a column per year (outturn_key) among the five
    before it that has a figure for some indicator, typed figures standing, each difference noted."""
    years = shown_years(reporting_month)
    rules = indicators["ytd_rule"].to_numpy(dtype=object)
    computed = computed_outturns(panel, rules, indicators["kind"].to_numpy(dtype=object), years)
    typed = indicators["outturns_typed"] if "outturns_typed" in indicators else pd.Series([{}] * len(indicators))
    out = {}
    for april in years:
        figures = computed[april].copy()
        for i, entries in enumerate(typed):
            entry = entries.get(april) if isinstance(entries, dict) else None
            if entry is None:
                continue
            if np.isnan(entry.value):  # typed as text ('-', 'tbc'): no figure was published, as typed
                figures[i] = np.nan
                continue
            info = indicators.iloc[i]
            if not np.isnan(figures[i]) and \
                    abs(entry.value - figures[i]) > rounding_tolerance(info["unit"], info["decimals"]):
                _note_difference(problems, info, april, entry, float(figures[i]), tidy)
            figures[i] = entry.value
        if not np.isnan(figures).all():
            out[outturn_key(april)] = figures
    return pd.DataFrame(out, index=indicators.index)


def _note_difference(problems: Problems, info, april: int, entry: TypedOutturn, computed: float,
                     tidy: pd.DataFrame) -> None:
    ref, unit = info["ref"], info["unit"]
    shown_typed, shown_computed = _shown_apart(unit, _places(unit, info["decimals"]), entry.value, computed)
    year = financial_year_label(april)
    first = april if info["ytd_rule"] in WHOLE_YEAR_RULES else april + 11
    problems.note("Indicators", entry.cell,
                  f"{ref}: {shown_typed} is typed as the {year} outturn, but the data gives {shown_computed} "
                  f"({_source(tidy, ref, first, april + 11)})",
                  "The typed figure is shown, as the one published; if it is a slip, correct it or clear it (the "
                  "figure from the data is then shown), or else correct the months it is calculated from.")


def _source(tidy: pd.DataFrame, ref: str, first: int, last: int) -> str:
    """Where the computed outturn comes from: the months and their cells ('Mar-20, Data!C14')."""
    months = month_label(first) if first == last else f"{month_label(first)} to {month_label(last)}"
    rows = tidy[(tidy["ref"] == ref) & (tidy["month"] >= first) & (tidy["month"] <= last)].sort_values("month")
    if not len(rows):
        return f"{months}, from its Numerator and Denominator"
    cells = [cell_reference(sheet, cell) for sheet, cell in zip(rows["sheet"], rows["cell"])]
    return f"{months}, {cells[0]}" if len(cells) == 1 else f"{months}, {cells[0]} to {cells[-1]}"

