"""Worksheet functions for analysts: =DOT(B4:H4,"High"), =RAG(H4,"High","<92%","92%>","95%+"), ...

Thin wrappers (docs/design.md §4): every figure and arrow comes from ``rules``, ``measures`` or
``tolerances``; this module only cleans what Excel hands over and turns "cannot be computed"
into the text a cell should show.

* Ranges arrive as lists (1-D or 2-D) holding floats, None for blanks, text (placeholders such
  as "tbc", numbers stored as text "1,234" and "58.3%"), TRUE/FALSE and Excel errors (as text
  "#N/A" with ``err_to_str``, as None without it, or, on Windows without it, as COM error codes).
  One helper, ``_number``, reads every cell: anything that is not a number counts as missing,
  as in Excel's own AVERAGE.
* Missing data gives "n/a" (or "" for RAG, as the scorecard leaves the fill empty): never an
  exception, which Excel would show as #VALUE!.
* Misuse (an unknown polarity, a bad band, ill-formed tolerances) gives a short message saying
  what to write instead.

Excel names: function names that look like cell references (AVG12 is column AVG, row 12) cannot
be called from a worksheet, so the 12-month average and maximum are AVG12M and MAX12M.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import xlwings as xw

from ..compute import measures, rules, spc
from ..compute.vocabulary import DEFAULT_BAND, is_placeholder, polarity_of
from ..compute.months import financial_year_start, month_label
from ..compute.panel import Panel
from ..compute.tolerances import ToleranceError, rag_rule, rag_status

from .udf_inputs import (NOT_AVAILABLE, POLARITY_HELP, RULE_HELP, YTD_RULES, _Misuse, _NAN,
                         _answer, _band, _blank, _cells, _grid, _month, _now_and_base,
                         _number, _polarity, _scalar, _series, _spc_what, _target, _tolerance_message,
                         _worksheet_function)


# ---------------------------------------------------------------------------------------------
# The worksheet functions

# Every argument is read with err_to_str=True: error cells arrive as "#N/A" text on every
# platform, never as Windows' error numbers.
_VALUES_DOC = "The monthly values, one row or one column, oldest first. Blanks, tbc, n/a and errors count as missing."


@xw.func
@xw.arg("values", ndim=2, err_to_str=True, doc=_VALUES_DOC)
@xw.arg("polarity", err_to_str=True, doc="What good performance is: High, Low, Info or Within limits.")
@xw.arg("band", err_to_str=True, doc="Optional. A change smaller than this share of the previous value "
        "counts as no change (→): 0.05, 5% and 5 all mean 5%. Default 0: any change counts.")
@_worksheet_function
def DOT(values, polarity, band=None):
    """Direction of travel: the last value against the one before (blanks skipped). ↑ performance
    improved, ↓ worse, → no change; for Info and Within limits the arrow follows the numbers
    (Within limits (low) and (high): as Low and High). n/a under two values."""
    polarity = _polarity(polarity)
    band = _band(band, rules.DEFAULT_DOT_BAND)
    series = _series(values)
    present = np.flatnonzero(~np.isnan(series))
    if len(present) < 2:
        return NOT_AVAILABLE
    return rules.direction_of_travel(series[present[-1]], series[present[-2]], polarity, band)


@xw.func
@xw.arg("block", ndim=2, err_to_str=True, doc="The indicators' monthly values: one row per indicator, "
        "months across, oldest first.")
@xw.arg("polarities", ndim=2, err_to_str=True, doc="One polarity per row of block (High, Low, Info or "
        "Within limits), or one for all rows.")
@xw.arg("band", err_to_str=True, doc="Optional. A change smaller than this share of the previous value "
        "counts as no change (→): 0.05, 5% and 5 all mean 5%. Default 0.")
@xw.ret(transpose=True)
@_worksheet_function
def DOTS(block, polarities, band=None):
    """DOT for every row of a block at once; spills a column of arrows, one per row. ↑ improved,
    ↓ worse, → no change, n/a when a row has fewer than two values."""
    band = _band(band, rules.DEFAULT_DOT_BAND)
    grid = _grid(block)
    names = [cell for row in _grid(polarities) for cell in row]
    if not grid or not grid[0]:
        return [NOT_AVAILABLE] * max(len(grid), 1)
    if len(names) == 1:
        names = names * len(grid)
    if len(names) != len(grid):
        raise _Misuse(f"polarities must have one cell per row of block ({len(grid)}), not {len(names)}")
    known = [polarity_of(name) for name in names]
    columns = len(grid[0])
    cells = [cell for row in grid for cell in row]
    values = np.fromiter(map(_number, cells), dtype=float, count=len(cells)).reshape(len(grid), columns)

    present = ~np.isnan(values)
    enough = present.sum(axis=1) >= 2
    rows = np.arange(len(grid))
    latest = columns - 1 - present[:, ::-1].argmax(axis=1)
    present[rows, latest] = False
    previous = columns - 1 - present[:, ::-1].argmax(axis=1)
    now = np.where(enough, values[rows, latest], _NAN)
    polarity = np.array([p or rules.INFO for p in known], dtype=object)
    arrows = rules.direction_of_travel(now, values[rows, previous], polarity, band)
    arrows = np.where(enough, arrows, NOT_AVAILABLE)
    arrows = np.where(np.array([p is None for p in known]), POLARITY_HELP, arrows)
    return arrows.tolist()


@xw.func
@xw.arg("values", ndim=2, err_to_str=True, doc=_VALUES_DOC + " Blank months still count as months.")
@xw.arg("months_back", err_to_str=True, doc="Optional. How many cells back the base is: 12 (default) "
        "for the same month last year, 1 for the previous month.")
@xw.arg("band", err_to_str=True, doc="Optional. The change that earns an arrow, as displayed in whole "
        "percent: 0.1, 10% and 10 all mean 10%. Default 10%.")
@_worksheet_function
def MOVEMENT(values, months_back=None, band=None):
    """Movement arrow: ↑ when the change of the last value from the one months_back cells before
    it shows as +band or more (whole percent), ↓ at -band or less, → between. n/a when either is
    missing or the base is 0."""
    band = _band(band, rules.DEFAULT_MOVEMENT_BAND)
    now, base = _now_and_base(values, months_back)
    arrow = rules.movement_arrow(rules.relative_change(now, base), band)
    return arrow or NOT_AVAILABLE


@xw.func
@xw.arg("values", ndim=2, err_to_str=True, doc=_VALUES_DOC + " Blank months still count as months.")
@xw.arg("months_back", err_to_str=True, doc="Optional. How many cells back the base is: 12 (default) "
        "for the same month last year, 1 for the previous month.")
@_worksheet_function
def PCTCHANGE(values, months_back=None):
    """Percentage change of the last value from the one months_back cells before it:
    (now - base) / |base|, as a fraction (format the cell as %). n/a when either is missing or the
    base is 0."""
    return _answer(rules.relative_change(*_now_and_base(values, months_back)))


@xw.func
@xw.arg("values", ndim=2, err_to_str=True, doc=_VALUES_DOC + " Blank months still count as months.")
@xw.arg("months_back", err_to_str=True, doc="Optional. How many cells back the base is: 12 (default) "
        "for the same month last year, 1 for the previous month.")
@_worksheet_function
def PPCHANGE(values, months_back=None):
    """Percentage-point change of the last value from the one months_back cells before it:
    now - base (0.05 is 5pp; format the cell as %). n/a when either is missing."""
    return _answer(rules.points_change(*_now_and_base(values, months_back)))


@xw.func
@xw.arg("value", err_to_str=True, doc="The value to rate, usually the reporting month's.")
@xw.arg("polarity", err_to_str=True, doc="What good performance is: High, Low, Info or Within limits.")
@xw.arg("red_or_target", err_to_str=True, doc="The Red tolerance (such as <92%) when Amber or Green follow; "
        "on its own, a Target (such as 95%).")
@xw.arg("amber", err_to_str=True, empty="", doc="Optional. The Amber tolerance, such as 92%>.")
@xw.arg("green", err_to_str=True, empty="", doc="Optional. The Green tolerance, such as 95%+.")
@_worksheet_function
def RAG(value, polarity, red_or_target, amber=None, green=None):
    """RAG rating: Red, Amber or Green by tolerances (<92%, 92%>, 95%+) or a single target (amber
    within 10%). Grey when none; blank when the value is missing. A percentage's target is 95% or
    0.95 (95 means ninety-five)."""
    polarity = _polarity(polarity)
    value = _number(_scalar(value, "value"))
    red_or_target = _scalar(red_or_target, "red_or_target")
    amber, green = _scalar(amber, "amber"), _scalar(green, "green")
    try:
        if amber is None and green is None:  # three arguments: a Target
            rule = rag_rule(None, None, None, red_or_target, polarity, band=DEFAULT_BAND)
        else:
            rule = rag_rule(red_or_target, amber, green, None, polarity)
    except ToleranceError as error:
        return _tolerance_message(error, polarity)
    return rag_status([value], [rule])[0]


def _over_last_twelve(statistic, values):
    """A 12-month statistic of measures (a function of a (rows, months) array and an end column)
    applied to one range: the range is one row whose last cell is the reporting month."""
    series = _series(values)
    return _answer(statistic(series[None, :], len(series) - 1)[0]) if len(series) else NOT_AVAILABLE


@xw.func
@xw.arg("values", ndim=2, err_to_str=True, doc=_VALUES_DOC)
@_worksheet_function
def AVG12M(values):
    """12-month average: the mean of the last 12 cells of the range, missing months left out.
    n/a when all are missing."""
    return _over_last_twelve(measures.average_12m, values)


@xw.func
@xw.arg("values", ndim=2, err_to_str=True, doc=_VALUES_DOC)
@_worksheet_function
def MAX12M(values):
    """12-month maximum: the largest of the last 12 cells of the range, missing months left out.
    n/a when all are missing."""
    return _over_last_twelve(measures.maximum_12m, values)


@xw.func
@xw.arg("values", ndim=2, err_to_str=True, doc=_VALUES_DOC)
@_worksheet_function
def ROLLING12(values):
    """Rolling 12 months: the sum of the last 12 cells of the range. n/a unless all 12 are
    there, as a partial sum would understate the year."""
    return _over_last_twelve(measures.rolling_12m, values)


@xw.func
@xw.arg("values", ndim=2, err_to_str=True, doc=_VALUES_DOC)
@xw.arg("months", ndim=2, err_to_str=True, doc="The month of each value, the same size as values: dates "
        "or text such as Feb-21.")
@xw.arg("rule", err_to_str=True, doc="Optional. sum (default, for counts of events), mean, or latest "
        "(for snapshots).")
@_worksheet_function
def YTD(values, months, rule=None):
    """Financial year to date (April to March), up to the latest month in months: the sum, mean
    or latest of the values from April. Missing months are left out; n/a when none is there."""
    rule = _scalar(rule, "rule")
    rule = "sum" if _blank(rule) else str(rule).strip().casefold()
    if rule not in YTD_RULES:
        raise _Misuse(RULE_HELP + (" (ratio needs numerators and denominators)" if rule == "ratio" else ""))
    series = _series(values)
    month_cells = _cells(months, "months")
    if len(month_cells) != len(series):
        raise _Misuse(f"values and months must be the same size, not {len(series)} and {len(month_cells)} cells")
    columns: dict[int, float] = {}
    for cell, value in zip(month_cells, series):
        if is_placeholder(cell):
            if not math.isnan(value):
                raise _Misuse("months: every value needs its month; one is blank")
            continue
        month = _month(cell)
        if month in columns:
            raise _Misuse(f"months: {month_label(month)} appears twice")
        columns[month] = value
    if not columns:
        return NOT_AVAILABLE
    first, last = min(columns), max(columns)
    if rule != "latest" and first > financial_year_start(last):
        raise _Misuse(f"months must reach back to {month_label(financial_year_start(last))}, "
                      "where the financial year starts")
    row = np.full((1, last - first + 1), _NAN)
    for month, value in columns.items():
        row[0, month - first] = value
    panel = Panel(pd.RangeIndex(1), first, row, np.full_like(row, _NAN), np.full_like(row, _NAN))
    return _answer(measures.year_to_date(panel, np.array([rule], dtype=object), last - first)[0])


@xw.func
@xw.arg("count", err_to_str=True, doc="The number of children, such as referrals in the last 12 months.")
@xw.arg("population", err_to_str=True, doc="The population aged 0-17.")
@_worksheet_function
def RATE10K(count, population):
    """Rate per 10,000 children: count / population aged 0-17 x 10,000. n/a when either is
    missing or the population is 0."""
    return _answer(rules.rate_per_10k(_number(_scalar(count, "count")),
                                      _number(_scalar(population, "population"))))


TOO_FEW_POINTS, NO_TARGET = "too few points", "no target"


@xw.func
@xw.arg("values", ndim=2, err_to_str=True, doc=_VALUES_DOC + " The last value present is judged.")
@xw.arg("polarity", err_to_str=True, doc="What good performance is: High, Low, Info or Within limits.")
@xw.arg("target", err_to_str=True, doc="Optional. The target the assurance is judged against, such as 95%.")
@xw.arg("what", err_to_str=True, doc="Optional. variation (default): is the last value a signal or noise; "
        "assurance: will the process meet the target.")
@_worksheet_function
def SPC(values, polarity, target=None, what=None):
    """Making Data Count: common cause, improvement, concern or special cause for the last value, by the
    XmR limits of the last 24 values (12 needed, else too few points); with what assurance: consistently
    passing, consistently failing or hit and miss."""
    polarity, target, what = _polarity(polarity), _target(target), _spc_what(what)
    series = _series(values)
    present = np.flatnonzero(~np.isnan(series))
    if not len(present):
        return TOO_FEW_POINTS
    series = series[:present[-1] + 1]  # blank months after the last figure are months still to come
    result = spc.xmr(series[None, :], len(series) - 1, np.array([polarity], dtype=object),
                     target=np.array([target]))
    if np.isnan(result.mean[0, -1]):
        return TOO_FEW_POINTS
    if what == "assurance":
        return NO_TARGET if math.isnan(target) else result.assurance[0].replace("_", " ")
    return result.variation[0].replace("_", " ")


WORKSHEET_FUNCTIONS = (DOT, DOTS, MOVEMENT, PCTCHANGE, PPCHANGE, RAG, AVG12M, MAX12M, ROLLING12, YTD, RATE10K, SPC)
