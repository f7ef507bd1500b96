"""Reading what Excel hands a worksheet function: cells to numbers, arguments to checked values.

Shared by every function in udfs.py. Anything that is not a number counts as missing; an
argument that cannot be used raises _Misuse, whose text the cell shows (see udfs.py).
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
from numbers import Real

import numpy as np

from ..compute import rules
from ..compute.cells import NotANumber, read_number
from ..compute.months import parse_month
from ..compute.tolerances import ToleranceError
from ..compute.vocabulary import BAND_CELL_HELP, MOST_BAND, POLARITY_HELP, band_fraction, judged_as, polarity_of
from ..compute.vocabulary import YTD_RULES as VOCABULARY_YTD_RULES

NOT_AVAILABLE = "n/a"
BAND_HELP = BAND_CELL_HELP
MONTHS_BACK_HELP = "months_back must be a whole number of 1 or more, such as 12 or 1"
YTD_RULES = tuple(rule for rule in VOCABULARY_YTD_RULES if rule in ("sum", "mean", "latest"))  # a cell has no parts
RULE_HELP = "rule must be sum, mean or latest"
SPC_WHAT = ("variation", "assurance")
SPC_WHAT_HELP = "what must be variation (the default) or assurance"
TARGET_HELP = "target must be a number, such as 95% or 158.8, or left out"
_NAN = math.nan
# Windows (COM) hands error cells over as these integers unless err_to_str is set:
# #NULL!, #DIV/0!, #VALUE!, #REF!, #NAME?, #NUM!, #N/A. A scorecard never holds such a count.
_COM_ERRORS = frozenset({-2146826288, -2146826281, -2146826273, -2146826265, -2146826259, -2146826252,
                         -2146826246})
_EXCEL_EPOCH = _dt.date(1899, 12, 30)  # day 0 of Excel's date serials from March 1900 on (its 29 Feb 1900 never was)

# Short examples for tolerance messages, by polarity and cell.
_TOLERANCE_EXAMPLES = {
    rules.HIGH: {"Red": "<92%", "Amber": "92%>", "Green": "95%+"},
    rules.LOW: {"Red": "26%+", "Amber": "26%<", "Green": "23%<"},
    rules.INFO: {"Red": "more than +/-15", "Amber": "+/-15", "Green": "+/-5 of 158.8"},
    rules.WITHIN_LIMITS: {"Red": "1+ above range limit", "Amber": "1 above / below range limit",
                          "Green": "14-20"},
}
_TARGET_EXAMPLE = "95% or 158.8"


class _Misuse(ValueError):
    """An argument the function cannot work with; its text is what the cell shows."""


def _worksheet_function(function):
    """Innermost decorator of every worksheet function (below the xlwings ones, so that they see
    its result): the docstring becomes one line of Excel help (Excel keeps 255 characters), and
    misuse becomes a short message in the cell instead of #VALUE!."""
    function.__doc__ = " ".join((function.__doc__ or "").split())

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except _Misuse as problem:
            return str(problem)

    return wrapper


# ---------------------------------------------------------------------------------------------
# Reading what Excel hands over (the one shared cleaning helper and its small companions)

def _number(cell) -> float:
    """A cell's number, NaN when it is missing or not a number (blank, placeholder, text, error,
    TRUE/FALSE, a date). Numbers stored as text ("1,234", "58.3%") are read as numbers."""
    kind = type(cell)
    if kind is float:
        return cell if math.isfinite(cell) else _NAN
    if cell is None or kind is bool:
        return _NAN
    if kind is int:
        return _NAN if cell in _COM_ERRORS else float(cell)
    if kind is str:
        if cell[:1] == "#":  # "#N/A", "#DIV/0!": an Excel error passed as text
            return _NAN
        try:
            value = read_number(cell)
        except NotANumber:
            return _NAN
        return _NAN if value is None else value
    if isinstance(cell, dict):  # an Office.js cell value: an error or an entity with a basic value
        return _NAN if cell.get("type") == "Error" else _number(cell.get("basicValue"))
    if isinstance(cell, (np.bool_, _dt.date, _dt.time, _dt.timedelta)):
        return _NAN
    if isinstance(cell, Real):  # numpy numbers
        value = float(cell)
        return value if math.isfinite(value) else _NAN
    return _NAN


def _grid(values) -> list[list]:
    """Any argument as rows of cells: None -> [], a single value -> [[value]], a 1-D list -> one
    row, a 2-D list -> itself. Raises _Misuse for rows of unequal length."""
    if values is None:
        return []
    if isinstance(values, np.ndarray):
        values = values.tolist()
    if not isinstance(values, (list, tuple)):
        return [[values]]
    if not values:
        return []
    if not any(isinstance(row, (list, tuple)) for row in values):
        return [list(values)]
    rows = [list(row) if isinstance(row, (list, tuple)) else [row] for row in values]
    if len({len(row) for row in rows}) > 1:
        raise _Misuse("the range must be a rectangle of cells")
    return rows


def _cells(values, name: str = "values") -> list:
    """The cells of a one-row or one-column range, in order."""
    grid = _grid(values)
    if len(grid) > 1 and len(grid[0]) > 1:
        raise _Misuse(f"{name} must be one row or one column of cells")
    return [cell for row in grid for cell in row]


def _series(values, name: str = "values") -> np.ndarray:
    """A row or column of cells as floats, NaN where missing (positions are kept)."""
    cells = _cells(values, name)
    return np.fromiter(map(_number, cells), dtype=float, count=len(cells))


def _scalar(value, name: str):
    """The one cell of a single-cell argument (None when blank)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        cells = [cell for row in _grid(value) for cell in row]
        if len(cells) > 1:
            raise _Misuse(f"{name} must be one cell")
        return cells[0] if cells else None
    return value


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _polarity(polarity) -> str:
    polarity = _scalar(polarity, "polarity")
    known = polarity_of(polarity)
    if known:
        return known
    raise _Misuse(POLARITY_HELP)


def _band(band, default: float) -> float:
    band = _scalar(band, "band")
    if _blank(band):
        return default
    value = band_fraction(_number(band), band)  # None also for text, TRUE/FALSE, an error
    if value is None or value > MOST_BAND:
        raise _Misuse(BAND_HELP)
    return value


def _months_back(months_back) -> int:
    months_back = _scalar(months_back, "months_back")
    if _blank(months_back):
        return 12
    value = _number(months_back)
    if not (value >= 1 and value.is_integer()):
        raise _Misuse(MONTHS_BACK_HELP)
    return int(value)


def _spc_what(what) -> str:
    """What =SPC answers: variation (blank) or assurance, in any case."""
    what = _scalar(what, "what")
    if _blank(what):
        return SPC_WHAT[0]
    if isinstance(what, str) and what.strip().casefold() in SPC_WHAT:
        return what.strip().casefold()
    raise _Misuse(SPC_WHAT_HELP)


def _target(target) -> float:
    """An optional target figure: NaN when blank; text or an error is misuse, not a missing target."""
    target = _scalar(target, "target")
    if _blank(target):
        return _NAN
    value = _number(target)
    if math.isnan(value):
        raise _Misuse(TARGET_HELP)
    return value


def _month(cell) -> int:
    """A month cell (date, Excel date serial or text such as Feb-21) as a month index."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if not (math.isfinite(cell) and 1 <= cell < 2958466):  # Excel's dates end in 9999
            raise _Misuse(f"months: {cell:g} is not a date")
        return parse_month(_EXCEL_EPOCH + _dt.timedelta(days=int(cell)))
    if isinstance(cell, dict):
        cell = cell.get("basicValue")
    month = parse_month(cell)
    if month is None:
        raise _Misuse(f"months: '{cell}' is not a month; write like Feb-21, 2021-02 or a date")
    return month


def _answer(number) -> float | str:
    """A computed number for the cell, "n/a" when it could not be computed."""
    number = float(number)
    return number if math.isfinite(number) else NOT_AVAILABLE


def _now_and_base(values, months_back) -> tuple[float, float]:
    """The last position of the range and the one ``months_back`` positions before it
    (NaN when the range is too short)."""
    back = _months_back(months_back)
    series = _series(values)
    if len(series) <= back:
        return (series[-1] if len(series) else _NAN), _NAN
    return series[-1], series[-1 - back]


def _tolerance_message(error: ToleranceError, polarity: str) -> str:
    """ToleranceError's message, shortened for a cell: "Red: '<9x' not understood; write like <92%"."""
    text = error.text if len(error.text) <= 40 else error.text[:37] + "..."
    problem = error.message.partition("; write it like")[0]
    prefix = f"{error.column} tolerance '{text}' "
    problem = problem[len(prefix):] if problem.startswith(prefix) else problem
    if problem == "is not a tolerance this tool can read":
        problem = "not understood"
    if error.column == "Target":
        return f"Target: '{text}' {problem}; write like {_TARGET_EXAMPLE}"
    examples = _TOLERANCE_EXAMPLES[judged_as(polarity)]  # Within limits (low) is written as Low is
    missing = re.search(r"without a (Red|Green) boundary", problem)
    if missing:  # the fault is the empty cell: say what to put in it
        return f"{error.column}: '{text}' {problem}; write {missing.group(1)} like {examples[missing.group(1)]}"
    return f"{error.column}: '{text}' {problem}; write like {examples[error.column]}"
