"""The tidy frame -> a dense panel: one row per series, one column per month.

Measures are column slices of this panel, so they run over every indicator (and every
authority, in a benchmarking file) at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .vocabulary import POPULATION


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
                      ref_positions: pd.Index | None = None) -> None:
    """Fill indicators defined as the ratio of two others (or a count per 10,000 population).

    ``numerator_refs`` / ``denominator_refs`` hold, per panel row, the Ref the row is derived
    from ('' when it is not derived). Rows are computed in dependency order, so a derived
    indicator may use another derived one. Figures computed from parts win over figures typed
    in for the same month; typed figures remain where a part is missing.
    """
    positions = ref_positions if ref_positions is not None else panel.keys
    numerator_refs = np.asarray(numerator_refs, dtype=object)
    denominator_refs = np.asarray(denominator_refs, dtype=object)
    pending = [i for i, (n, d) in enumerate(zip(numerator_refs, denominator_refs)) if n and d]
    done: set[int] = set()
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
            scale = 10_000.0 if d_row is None else 1.0
            computed = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1) * scale, np.nan)
            known = ~np.isnan(computed)
            panel.values[i] = np.where(known, computed, panel.values[i])
            panel.numerators[i] = np.where(known, numerator, panel.numerators[i])
            panel.denominators[i] = np.where(known, denominator, panel.denominators[i])
            done.add(i)
            progressed = True
        if not progressed:
            break


def population_by_month(settings, first_month: int, month_count: int) -> np.ndarray:
    return np.array([settings.population_for(first_month + k) or np.nan for k in range(month_count)], dtype=float)

