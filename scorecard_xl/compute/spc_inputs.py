"""What an officer types per indicator to steer its SPC limits (docs/design.md §5.7).

Two optional Indicators columns:

- ``SPC baseline``: a period such as ``Apr-19 to Mar-20``: the limits are fixed on the months of
  that period and the later months are judged against them.
- ``SPC recalculate from``: one or more months (``Apr-21`` or ``Apr-21, Oct-22``) where the
  process changed (a new service, a new definition): a new phase with its own mean and limits
  starts at each.
"""

from __future__ import annotations

import re

from .cells import describe, text_of
from .months import MONTH_FORMAT_HELP, month_label, parse_month
from ..problems import Problems
from ..read.sheet import Sheet

COLUMNS = {
    "spc_baseline": ("spc baseline", "baseline"),
    "spc_recalculate": ("spc recalculate from", "spc recalculate", "recalculate from"),
}
_PERIOD = re.compile(r"^\s*(.+?)\s+(?:to|until|-|–)\s+(.+?)\s*$", re.IGNORECASE)
_LIST = re.compile(r"\s*[,;]\s*")


def baseline_period(raw, sheet: Sheet, cell: str, ref: str, problems: Problems) -> tuple[int, int] | None:
    """The first and last month of a typed baseline period, or None (empty, or refused with a problem)."""
    text = text_of(raw)
    if not text:
        return None
    match = _PERIOD.match(text)
    months = (parse_month(match.group(1)), parse_month(match.group(2))) if match else (None, None)
    if None in months or months[0] > months[1]:
        problems.error(sheet.name, cell, f"{ref} has SPC baseline {describe(raw)}",
                       f"Write the period its limits are fixed on as two months with 'to' between, e.g. "
                       f"'Apr-19 to Mar-20' ({MONTH_FORMAT_HELP}), or leave it empty.")
        return None
    return months


def recalculation_months(raw, sheet: Sheet, cell: str, ref: str, problems: Problems) -> tuple[int, ...]:
    """The months typed in 'SPC recalculate from', in order; () when empty or refused."""
    text = text_of(raw)
    if not text:
        return ()
    if not isinstance(raw, str):  # a date typed in the cell
        month = parse_month(raw)
        return () if month is None else (month,)
    months = [parse_month(part) for part in _LIST.split(text.strip()) if part]
    if None in months:
        problems.error(sheet.name, cell, f"{ref} has SPC recalculate from {describe(raw)}",
                       f"Write the month the process changed, e.g. 'Apr-21', or several with commas between "
                       f"('Apr-21, Oct-22'); {MONTH_FORMAT_HELP}.")
        return ()
    return tuple(sorted(set(months)))


def describe_choices(period: tuple[int, int] | None, restarts: tuple[int, ...]) -> str:
    """The choices in words, for `scorecard check --explain`."""
    words = []
    if period:
        words.append(f"SPC limits fixed on {month_label(period[0])} to {month_label(period[1])}")
    if restarts:
        words.append("SPC recalculated from " + ", ".join(month_label(m) for m in restarts))
    return "; ".join(words)
