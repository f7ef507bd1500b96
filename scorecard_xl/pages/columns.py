"""Column keys: what each column of a page holds, named apart from its heading (docs/design.md §4).

A page records its columns under these keys (``SheetPlan.columns``); whatever reads a plan
back (the email copy's suppression, the commentary a refresh keeps) finds a column by its key,
so rewording a heading changes nothing downstream. Where a column shows a measure, its key is
the measure's name in the measures table.
"""

from __future__ import annotations

from ..compute.months import month_key, parse_month

REF, INDICATOR, OWNER, REPORTER, OUTCOME = "ref", "indicator", "owner", "reporter", "outcome"
CHANGE_PREV_YEAR, CHANGE_PREV_MONTH = "change_prev_year", "change_prev_month"
DOT, RAG, AVG_12M, MAX_12M = "dot", "rag", "avg_12m", "max_12m"
SN, ENGLAND, REGION, BENCHMARK, TARGET = "sn", "england", "region", "benchmark", "target"
SPC_VARIATION, SPC_ASSURANCE = "spc_variation", "spc_assurance"  # SPC's verdicts as marks (pages/spc_marks.py)
COMMENTARY = "commentary"  # the column people type into; kept per Ref across refreshes

_MONTH = "month:"


def month_column(month: int) -> str:
    """The key of the column of one month's figures: 'month:2021-02'."""
    return _MONTH + month_key(month)


def column_month(key: str) -> int | None:
    """The month whose figures a column holds, from its key; None for any other column."""
    return parse_month(key[len(_MONTH):]) if key.startswith(_MONTH) else None
