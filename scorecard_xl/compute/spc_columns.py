"""Each indicator's SPC verdicts for the reporting month, as measures' columns (docs/design.md §5.7).

compute/spc.py does the arithmetic on arrays; this module gives it the workbook's figures: the
months up to the reporting month, each indicator's polarity, the target its assurance is judged
against, and the baseline and recalculation months typed in the Indicators sheet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import spc
from .panel import Panel
from .vocabulary import HIGH, LOW

COLUMNS = ["spc_mean", "spc_lower", "spc_upper", "spc_variation", "spc_assurance", "spc_points"]


def assurance_target(indicators: pd.DataFrame) -> np.ndarray:
    """The figure a process is judged against: the typed Target, else the edge of Green on the side
    that matters (at least 95% for High, at most 12% for Low); NaN where there is neither."""
    target = indicators["target"].to_numpy(dtype=float)
    polarity = indicators["polarity"].to_numpy(dtype=object)
    edge = np.select([polarity == HIGH, polarity == LOW],
                     [indicators["green_low"].to_numpy(dtype=float), indicators["green_high"].to_numpy(dtype=float)],
                     np.nan)
    return np.where(np.isnan(target), edge, target)


def _limits_choices(panel: Panel, indicators: pd.DataFrame) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """Per indicator: the panel columns where a phase starts, and how many of a phase's first points
    its limits rest on (0: all of them). A baseline period starts a phase and fixes its limits on
    the figures present in the period."""
    starts, baseline = [], np.zeros(len(indicators), dtype=np.int64)
    for row, (period, restarts) in enumerate(zip(indicators["spc_baseline"], indicators["spc_recalculate"])):
        columns = {panel.column(month) for month in restarts or ()}
        if period:
            first, last = panel.column(period[0]), panel.column(period[1])
            columns.add(first)
            block = panel.values[row, max(first, 0):max(last + 1, 0)]
            baseline[row] = max(int(np.count_nonzero(~np.isnan(block))), 1)
        starts.append(tuple(sorted(columns)))
    return starts, baseline


def spc_table(panel: Panel, indicators: pd.DataFrame, reporting_month: int) -> tuple[pd.DataFrame, spc.Spc]:
    """The columns spc_mean, spc_lower, spc_upper (the limits the reporting month is judged by),
    spc_variation, spc_assurance ('' where there are too few points) and spc_points (how many
    points the limits rest on), with the per-point statistics behind them for the charts."""
    starts, baseline = _limits_choices(panel, indicators)
    result = spc.xmr(panel.values, panel.column(reporting_month), indicators["polarity"].to_numpy(dtype=object),
                     target=assurance_target(indicators), baseline_points=baseline, phase_starts=starts)
    mean, sigma = result.mean[:, -1], result.sigma[:, -1]
    enough = ~np.isnan(mean)
    table = pd.DataFrame({
        "spc_mean": mean, "spc_lower": mean - 3 * sigma, "spc_upper": mean + 3 * sigma,
        "spc_variation": np.where(enough, result.variation, ""),
        "spc_assurance": np.where(enough, result.assurance, ""),
        "spc_points": np.where(enough, result.points, 0),
    }, index=panel.keys)
    return table, result
