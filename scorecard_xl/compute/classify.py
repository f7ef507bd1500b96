"""The board lists: which indicators are going well, to watch, or to do better (docs/design.md §6).

Judgements over the measures table, one small pure function per rule; the Summary page only lays
out what they decide. Under small-number suppression (a panel-shaped mask, True where a figure
shows as c) an indicator is judged only on figures that show, so that no list can hint at a
hidden one. SPC's verdict on the reporting month (compute/spc.py) counts as one of the rules
unless the Settings row SPC says No.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import rules
from .cells import normalise_header
from .engine import Scorecard
from .measures import WORSE_RUN_MOVES, window
from .spc import CONCERN, IMPROVEMENT
from .vocabulary import HIGH, LOW, judged_as

GOING_WELL, TO_WATCH, DO_BETTER = "Going well or better", "Ones to watch", "Things to do better"
LISTS = (GOING_WELL, TO_WATCH, DO_BETTER)
NOT_LISTED = "Not listed"
# What an officer may write in the Board summary's Override column, and the list each puts it in.
OVERRIDE_WORDS = ("Going well", TO_WATCH, DO_BETTER, NOT_LISTED)
_OVERRIDES = {"going well": GOING_WELL, "going well or better": GOING_WELL, "ones to watch": TO_WATCH,
              "one to watch": TO_WATCH, "things to do better": DO_BETTER, "to do better": DO_BETTER,
              "not listed": ""}
# The benchmarks an indicator without a target is judged against, in order: the first one known.
BENCHMARKS = (("sn", "statistical neighbours"), ("england", "England"))
BETTER_THAN, LEVEL_WITH, WORSE_THAN = "better than", "in line with", "worse than"


def override_list(text: str) -> str | None:
    """The list an Override names ('' for Not listed; case, spaces and end punctuation aside), None
    when it names none."""
    return _OVERRIDES.get(normalise_header(text))


def suppressed_in(suppressed: np.ndarray | None, scorecard: Scorecard, month: int) -> np.ndarray:
    """Per indicator: True where the figure for ``month`` shows as c (never, when not suppressing)."""
    index = scorecard.panel.column(month)
    if suppressed is None or not 0 <= index < suppressed.shape[1]:
        return np.zeros(len(scorecard.indicators), dtype=bool)
    return suppressed[:, index]


def run_through_suppressed(suppressed: np.ndarray | None, scorecard: Scorecard) -> np.ndarray:
    """Per indicator: True where a month of its worse run (measures' ``worse_run``) shows as c."""
    if suppressed is None:
        return np.zeros(len(scorecard.indicators), dtype=bool)
    end = scorecard.panel.column(scorecard.reporting_month)
    return (window(suppressed.astype(float), end, WORSE_RUN_MOVES + 1) == 1).any(axis=1)


def spc_through_suppressed(suppressed: np.ndarray | None, scorecard: Scorecard) -> np.ndarray:
    """Per indicator: True where a figure its SPC statistics rest on shows as c: a month of the SPC
    window (the 24 months up to the reporting month), or one a fixed phase's limits were taken from,
    however old (a typed SPC baseline fixes every phase, the one before it too)."""
    if suppressed is None or scorecard.spc is None:
        return np.zeros(len(scorecard.indicators), dtype=bool)
    behind = scorecard.spc.rests_on
    columns = min(behind.shape[1], suppressed.shape[1])
    return (suppressed[:, :columns] & behind[:, :columns]).any(axis=1)


def judged_table(scorecard: Scorecard, suppressed: np.ndarray | None = None) -> pd.DataFrame:
    """The measures table plus ``polarity``, ``worse_run`` (worse three moves running, and none of
    its months shown as c), ``assessed`` (False where this month's or last month's figure shows
    as c: every judgement rests on them) and ``spc_variation`` as the lists may use it: '' where the
    Settings row SPC says No, or a figure the verdict rests on shows as c."""
    table = scorecard.measures.copy()
    month = scorecard.reporting_month
    table["polarity"] = scorecard.indicators["polarity"]
    table["worse_run"] = table["worse_run"].astype(bool) & ~run_through_suppressed(suppressed, scorecard)
    usable = scorecard.settings.spc & ~spc_through_suppressed(suppressed, scorecard)
    table["spc_variation"] = table["spc_variation"].where(usable, "")
    table["assessed"] = ~(suppressed_in(suppressed, scorecard, month) | suppressed_in(suppressed, scorecard, month - 1))
    return table.join(against_benchmark(scorecard.indicators, table["value"]))


def against_benchmark(indicators: pd.DataFrame, values: pd.Series) -> pd.DataFrame:
    """Per indicator: ``benchmark`` (its SN figure, else England's), ``benchmark_name`` and
    ``against`` (better than, in line with, worse than, or '' where there is no benchmark, no figure,
    or no direction that is better: Info and Within limits)."""
    benchmark, name = pd.Series(np.nan, index=indicators.index), pd.Series("", index=indicators.index)
    for column, words in reversed(BENCHMARKS):  # the first known one wins
        known = indicators[column].notna()
        benchmark, name = benchmark.where(~known, indicators[column]), name.where(~known, words)
    direction = indicators["polarity"].map(judged_as).map({HIGH: 1.0, LOW: -1.0})
    with np.errstate(invalid="ignore"):
        sign = np.sign((values.astype(float) - benchmark) * direction)
    against = pd.Series(np.select([sign > 0, sign == 0, sign < 0], [BETTER_THAN, LEVEL_WITH, WORSE_THAN], ""),
                        index=indicators.index)
    return pd.DataFrame({"benchmark": benchmark, "benchmark_name": name, "against": against})


def is_judged(table: pd.DataFrame) -> pd.Series:
    """Info indicators carry no judgement of good or bad."""
    return table["polarity"] != rules.INFO


def moved(table: pd.DataFrame) -> pd.Series:
    """The month-on-month movement arrow is ↑ or ↓ (a move of at least the indicator's band)."""
    return table["arrow_prev_month"].isin([rules.UP, rules.DOWN])


def spc_says(table: pd.DataFrame, verdict: str) -> pd.Series:
    """SPC's variation on the reporting month is ``verdict`` (improvement or concern), from limits
    with room between them; never where the table leaves SPC out (judged_table). Limits of no width
    (every moving range 0, or screened out) make a signal of any difference at all, down to the
    rounding of a figure, which is no ground for a board list."""
    if "spc_variation" not in table:
        return pd.Series(False, index=table.index)
    with np.errstate(invalid="ignore"):
        room = (table["spc_upper"] - table["spc_lower"]).to_numpy(dtype=float) > 0
    return (table["spc_variation"] == verdict) & room


def do_better(table: pd.DataFrame) -> pd.Series:
    return is_judged(table) & ((table["rag"] == "Red") | table["worse_run"].astype(bool) | spc_says(table, CONCERN))


def going_well(table: pd.DataFrame) -> pd.Series:
    """Green, or (not rated: no target or tolerance) at least as good as its benchmark or showing
    special cause improvement; and not worse. One also to do better is listed there (classify)."""
    unrated = table["rag"] == "Grey"
    lifted = unrated & (table["against"].isin([BETTER_THAN, LEVEL_WITH]) | spc_says(table, IMPROVEMENT))
    return is_judged(table) & ((table["rag"] == "Green") | lifted) & (table["judgement"] != rules.WORSE)


def ones_to_watch(table: pd.DataFrame) -> pd.Series:
    """Moved this month, or Amber; one also in another list is listed there (classify)."""
    amber = is_judged(table) & (table["rag"] == "Amber")
    return moved(table) | amber


def classify(table: pd.DataFrame) -> pd.Series:
    """Each indicator's list on the Summary, from this month's measures:

    - Things to do better: RAG Red, or judged worse in each of the last three month-on-month
      moves (e.g. Nov->Dec, Dec->Jan, Jan->Feb), or special cause concern this month (SPC: the
      month is unusual for the indicator, on its worse side), whatever its RAG.
    - Going well or better: RAG Green, or not rated (no target or tolerance) and either at least
      as good as its statistical neighbours' figure (England's where there is no SN figure) or
      showing special cause improvement; and this month's judgement is not worse than last month.
      SPC's verdicts count only from limits with room between them (``spc_says``).
      SPC lifts only an indicator that is not rated: one rated Amber stays one to watch whatever
      its process does, since its tolerances are the officer's own word on what is good enough.
    - Ones to watch: any other indicator that moved this month (month-on-month arrow ↑ or ↓:
      a change of at least its band, 10% unless set), or is RAG Amber.
    - Not listed: the rest (steady and Grey / not rated, or Green but slightly worse).
    Info indicators are never judged: never going well or to do better; they are ones to watch
    only when they moved by the band or more. Each indicator is in at most one list.
    Under suppression an indicator whose figure this month or last shows as c is in none of
    them (``assessed`` False): which list it is in would hint at that figure; and SPC places none
    whose 24 months (or SPC baseline) hold a figure shown as c. The Settings row SPC No leaves SPC
    out of the lists. An officer's Override wins over all of these (``with_overrides``).
    """
    # np.select takes the first list whose rule holds: to do better, then going well, then to watch
    lists = pd.Series(np.select([do_better(table), going_well(table), ones_to_watch(table)],
                                [DO_BETTER, GOING_WELL, TO_WATCH], ""), index=table.index)
    return lists.where(table["assessed"], "") if "assessed" in table else lists


def with_overrides(lists: pd.Series, overrides: dict[str, str], assessed: pd.Series) -> pd.Series:
    """The lists with an officer's Override (Ref -> its text) in place of the judgement; an indicator
    not assessed (under suppression) stays in none, whatever the override says, since its place would
    hint at the hidden figure. Overrides naming no list were refused before (update/typed.py)."""
    lists = lists.copy()
    for ref, text in overrides.items():
        verdict = override_list(text)
        if ref in lists.index and verdict is not None and bool(assessed[ref]):
            lists[ref] = verdict
    return lists
