"""`scorecard table`: the measures as one flat row per indicator, with stable column keys.

The keys are documented in the README; scripts and other tools read them, so they change
only with a version note.
"""

from __future__ import annotations

import json
import math

import pandas as pd

from ..compute.engine import Scorecard
from ..compute.indicators import BENCHMARKS

IDENTITY_COLUMNS = ["ref", "section", "indicator", "polarity", "unit"]
MEASURE_COLUMNS = ["value", "change_prev_month", "arrow_prev_month", "change_prev_year", "arrow_prev_year",
                   "dot", "judgement", "rag", "avg_12m", "max_12m", "min_12m", "ytd", "ytd_numerator",
                   "ytd_denominator", "ytd_target", "ytd_rag", "rolling_12m", "rolling_12m_rate_10k",
                   "spc_mean", "spc_lower", "spc_upper", "spc_variation", "spc_assurance"]
# The targets as typed: the month's, the year's, and the tolerances' text ("<92%", "+/-5 of 158.8").
TOLERANCE_TEXT = {"red_text": "red", "amber_text": "amber", "green_text": "green"}
TARGET_COLUMNS = ["target", "annual_target", *TOLERANCE_TEXT.values(), *BENCHMARKS]


def scorecard_table(scorecard: Scorecard) -> pd.DataFrame:
    """One row per indicator in workbook order: identity, shown months (YYYY-MM), measures,
    targets (as typed) and benchmarks, then annual outturns (outturn_YYYY-YY)."""
    indicators, measures = scorecard.indicators, scorecard.measures
    month_columns = [c for c in measures.columns if c[:4].isdigit()]
    outturns = [c for c in measures.columns if c.startswith("outturn_")]
    targets = indicators.rename(columns=TOLERANCE_TEXT)[TARGET_COLUMNS]
    table = pd.concat([indicators[IDENTITY_COLUMNS], measures[month_columns + MEASURE_COLUMNS],
                       targets, measures[outturns]], axis=1)
    return table.reset_index(drop=True)


def _plain(value):
    """Numbers without float noise (10 significant digits); missing as None."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return float(f"{value:.10g}")
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    if value == "":
        return None
    return value


def table_records(table: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in table.to_dict(orient="records")]


def to_csv(table: pd.DataFrame) -> str:
    records = table_records(table)
    frame = pd.DataFrame(records, columns=list(table.columns))
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.10g")


def to_json(table: pd.DataFrame) -> str:
    return json.dumps(table_records(table), ensure_ascii=False, indent=1)
