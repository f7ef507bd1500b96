"""The tidy frame -> a dense panel: one row per series, one column per month; then the indicators
calculated from others (docs/design.md §5.5).

Measures are column slices of this panel, so they run over every indicator (and every
authority, in a benchmarking file) at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..problems import Problems
from .months import month_label
from .rules import round_half_away
from .vocabulary import PERCENTAGE, POPULATION, RATE, default_decimals, population_scale


@dataclass
class Panel:
    keys: pd.Index  # one per row: a Ref, or (authority, Ref)
    first_month: int
    values: np.ndarray  # (rows, months), NaN = missing
    numerators: np.ndarray
    denominators: np.ndarray

    @property
    def month_count(self) -> int:
        return self.values.shape[1]

    @property
    def last_month(self) -> int:
        return self.first_month + self.month_count - 1

    def months(self) -> np.ndarray:
        return np.arange(self.first_month, self.first_month + self.month_count)

    def column(self, month: int) -> int:
        return month - self.first_month


def build_panel(tidy: pd.DataFrame, keys: pd.Index, first_month: int, last_month: int,
                key_columns: list[str] | str = "ref") -> Panel:
    """Scatter the tidy observations into (key, month) arrays; unknown keys are dropped."""
    width = last_month - first_month + 1
    shape = (len(keys), width)
    arrays = {name: np.full(shape, np.nan) for name in ("value", "numerator", "denominator")}
    if len(tidy):
        key_values = tidy[key_columns] if isinstance(key_columns, str) else pd.MultiIndex.from_frame(tidy[key_columns])
        rows = keys.get_indexer(key_values)
        columns = tidy["month"].to_numpy() - first_month
        keep = (rows >= 0) & (columns >= 0) & (columns < width)
        for name, array in arrays.items():
            array[rows[keep], columns[keep]] = tidy[name].to_numpy(dtype=float)[keep]
    # A percentage given only as its parts still has a value.
    values, numerators, denominators = arrays["value"], arrays["numerator"], arrays["denominator"]
    from_parts = np.isnan(values) & ~np.isnan(numerators) & (denominators > 0)
    values[from_parts] = numerators[from_parts] / denominators[from_parts]
    return Panel(keys, first_month, values, numerators, denominators)


def derive_from_parts(panel: Panel, numerator_refs, denominator_refs, population_by_month: np.ndarray,
                      ref_positions: pd.Index | None = None, scales=None) -> list[tuple[int, int, float, float, float]]:
    """Fill indicators defined as the ratio of two others (or a count per so many of the population).

    ``numerator_refs`` / ``denominator_refs`` hold, per panel row, the Ref the row is derived
    from ('' when it is not derived); ``scales``, per row, what a count over the population is
    multiplied by (10,000 for every row when not given). Rows are computed in dependency order,
    so a derived indicator may use another derived one. A figure typed for the derived
    indicator itself stands (it is what was published); the computed ratio fills the months not
    typed. Returns ``(row, column, computed, numerator, denominator)`` wherever a typed figure
    stands beside a computed one, for the caller to compare.
    """
    positions = ref_positions if ref_positions is not None else panel.keys
    numerator_refs = np.asarray(numerator_refs, dtype=object)
    denominator_refs = np.asarray(denominator_refs, dtype=object)
    scales = np.full(len(numerator_refs), population_scale(RATE)) if scales is None else np.asarray(scales, float)
    pending = [i for i, (n, d) in enumerate(zip(numerator_refs, denominator_refs)) if n and d]
    done: set[int] = set()
    beside: list[tuple[int, int, float, float, float]] = []
    for _ in range(len(pending) + 1):
        progressed = False
        for i in pending:
            if i in done:
                continue
            n_row = positions.get_loc(numerator_refs[i])
            d_ref = denominator_refs[i]
            d_row = None if d_ref == POPULATION else positions.get_loc(d_ref)
            if n_row in pending and n_row not in done or (d_row in pending and d_row not in done):
                continue
            numerator = panel.values[n_row]
            denominator = population_by_month if d_row is None else panel.values[d_row]
            scale = scales[i] if d_row is None else 1.0
            computed = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1) * scale, np.nan)
            known = ~np.isnan(computed)
            typed = ~np.isnan(panel.values[i])
            beside += [(i, int(c), float(computed[c]), float(numerator[c]), float(denominator[c]))
                       for c in np.flatnonzero(known & typed)]
            own_parts = ~np.isnan(panel.numerators[i]) & ~np.isnan(panel.denominators[i])
            take_parts = known & ~own_parts
            panel.values[i] = np.where(known & ~typed, computed, panel.values[i])
            panel.numerators[i] = np.where(take_parts, numerator, panel.numerators[i])
            panel.denominators[i] = np.where(take_parts, denominator, panel.denominators[i])
            done.add(i)
            progressed = True
        if not progressed:
            break
    return beside


def derive_indicators(panel: Panel, indicators: pd.DataFrame, population: np.ndarray, tidy: pd.DataFrame,
                      problems: Problems) -> None:
    """The ratio indicators of the Indicators sheet (derive_from_parts, a population rate scaled by
    its unit), with a data-quality note for each typed figure beyond the rounding of its computed one."""
    scales = indicators["unit"].map(population_scale).to_numpy(dtype=float)
    beside = derive_from_parts(panel, indicators["numerator"], indicators["denominator"], population, scales=scales)
    tolerances = [rounding_tolerance(unit, decimals)
                  for unit, decimals in zip(indicators["unit"], indicators["decimals"])]
    for row, column, computed, numerator, denominator in beside:
        typed = float(panel.values[row, column])
        if abs(typed - computed) > tolerances[row]:
            _note_difference(problems, indicators.iloc[row], panel.first_month + column, typed, computed, numerator,
                             denominator, tidy)


def rounding_tolerance(unit: str, decimals) -> float:
    """How far a typed figure may lie from the computed one and still be that figure rounded: half
    a unit in the last decimal the indicator shows (0.5% for a percentage shown as 57%, 0.05 for a
    rate shown as 612.3), with room for binary fractions (0.245 is not exactly 24.5%)."""
    places = _places(unit, decimals) + (2 if unit == PERCENTAGE else 0)
    return 0.5 * 10.0 ** -places * (1 + 1e-9) + 1e-12


def _places(unit: str, decimals) -> int:
    return default_decimals(unit) if decimals is None or decimals != decimals else int(decimals)


def _note_difference(problems: Problems, info, month: int, typed: float, computed: float, numerator: float,
                     denominator: float, tidy: pd.DataFrame) -> None:
    ref = info["ref"]
    shown_typed, shown_computed = _shown_apart(info["unit"], _places(info["unit"], info["decimals"]), typed, computed)
    if info["denominator"] == POPULATION:
        parts = f"{numerator:,.10g} per {denominator:,.10g} children aged 0-17"
    else:
        parts = f"{numerator:,.10g} of {denominator:,.10g}"
    found = tidy[(tidy["ref"] == ref) & (tidy["month"] == month)]
    sheet, cell = (found["sheet"].iloc[0], found["cell"].iloc[0]) if len(found) else ("Data", "")
    problems.note(sheet, cell, f"{ref}: {shown_typed} is typed for {month_label(month)}, but its Numerator "
                  f"({info['numerator']}) and Denominator ({info['denominator']}) give {shown_computed} ({parts})",
                  "The typed figure is shown, as the one published; if it is a slip, correct it or clear it "
                  "(the computed figure is then shown), or else correct the figures it is calculated from.")


def _shown_apart(unit: str, places: int, *values: float) -> list[str]:
    """The values as the indicator shows them, with as many more decimals (up to three) as it takes
    to tell them apart: 57% and 56%, but 55.5% and 56.4% rather than 56% twice."""
    for extra in range(4):
        shown = [_shown(unit, places + extra, value) for value in values]
        if len(set(shown)) == len(shown):
            break
    return shown


def _shown(unit: str, places: int, value: float) -> str:
    """As the Scorecard shows it: halves rounded away from zero, as Excel does."""
    if unit == PERCENTAGE:
        return f"{round_half_away(value * 100, places):.{places}f}%"
    return f"{round_half_away(value, places):,.{places}f}"


def population_by_month(settings, first_month: int, month_count: int) -> np.ndarray:
    return np.array([settings.population_for(first_month + k) or np.nan for k in range(month_count)], dtype=float)

