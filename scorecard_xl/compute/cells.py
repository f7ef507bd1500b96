"""Reading single cells the way performance officers write them.

Shared by every sheet parser: header lookup, numbers, percentages and the placeholders
that mean "missing".
"""

from __future__ import annotations

import datetime as _dt
import math
import re

from ..addressing import cell_name
from .vocabulary import BAND_HELP, BAND_RANGE_HELP, MOST_BAND, band_fraction, is_placeholder  # noqa: F401

PLACEHOLDER_HELP = "a number (e.g. 1234 or 58.3%), or tbc / n/a / - for a missing value"

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")
EXCEL_LARGEST = 9.99999999999999e307  # the largest number Excel accepts in a cell
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits and shows bigger whole numbers as 1E+15


class NotANumber(ValueError):
    """The cell holds something that is neither a number nor a placeholder."""

    detail = ""  # said after the cell's content in a message, when there is more to say


class BeyondExcel(NotANumber):
    """A number no Excel cell can hold: infinite, NaN, or beyond Excel's largest.

    Only a damaged or hand-made file holds one; written back, Excel would refuse the file.
    """

    detail = f", which no Excel cell can hold (Excel's largest number is {EXCEL_LARGEST:.{EXCEL_DIGITS}G})"


def normalise_header(value) -> str:
    """'Ref.' / ' REF ' / 'Ref:' -> 'ref'; headers are matched without case or punctuation."""
    if value is None:
        return ""
    text = str(value).strip().casefold()
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(".:").strip()


def is_number(value) -> bool:
    """A number as a cell holds it (TRUE and FALSE are bools, and Python counts those as numbers)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def header_map(row: list, aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Canonical column name -> 0-based column index, for the headers present in ``row`` (the
    first, when one is repeated: ``refuse_unread_repeats`` says when the other holds anything)."""
    key_of = header_key(aliases)
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        canonical = key_of(value)
        if canonical and canonical not in found:
            found[canonical] = index
    return found


def header_key(aliases: dict[str, tuple[str, ...]]):
    """The canonical name a heading reads as under ``aliases`` (None for any other heading)."""
    wanted = {alias: canonical for canonical, names in aliases.items() for alias in names}
    return lambda value: wanted.get(normalise_header(value))


def same_heading(aliases: dict[str, tuple[str, ...]]):
    """A heading read under ``aliases``, as written (case and spaces aside); None for any other. Two
    columns headed alike mean the same; another name for it (Date beside Month) may head a column
    of the person's own, which is left alone as before."""
    key_of = header_key(aliases)
    return lambda value: normalise_header(value) if key_of(value) else None


def refuse_unread_repeats(sheet, key_of, problems) -> None:
    """An error at each heading in row 1 whose meaning (``key_of``; None for a heading not read) an
    earlier heading already has, when its column holds anything below it: only the first is read,
    so the rest would be lost without a word. An empty repeated column is harmless."""
    headings = sheet.rows[0] if sheet.rows else []
    first: dict[object, int] = {}
    for column, heading in enumerate(headings):
        key = key_of(heading)
        if key is None:
            continue
        if key not in first:
            first[key] = column
        elif any(column < len(row) and text_of(row[column]).strip() for _, row in sheet.body_rows()):
            read = cell_name(0, first[key])
            problems.error(sheet.name, cell_name(0, column),
                           f"the heading {describe(heading)} means the same as {read}'s, and only the column "
                           f"under {read} is read, so what is typed under this one would be lost",
                           f"Keep one column: move what is typed here into the column under {read}, then delete "
                           "this column.")



def read_number(value) -> float | None:
    """The number a cell means, None for a placeholder; raises NotANumber otherwise.

    Accepts numbers, numbers stored as text ("1,234", " 12 ") and percentages as text
    ("58.3%" -> 0.583).
    """
    if is_placeholder(value):
        return None
    if isinstance(value, bool) or isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
        raise NotANumber(str(value))
    if isinstance(value, (int, float)):
        return _within_excel(value)
    text = str(value).strip().replace("\u00a0", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    if not _NUMBER.match(text):
        raise NotANumber(str(value))
    number = _within_excel(float(text.replace(",", "")))  # 400 digits of text read as infinity
    return number / 100 if percent else number


def _within_excel(value) -> float:
    try:
        number = float(value)
    except OverflowError:
        raise BeyondExcel(str(value)) from None
    if not abs(number) <= EXCEL_LARGEST:  # also NaN
        raise BeyondExcel(str(value))
    return number


def within(number: float, low: float, high: float, whole: bool = False) -> bool:
    """``number`` lies from ``low`` to ``high`` (and is a whole number, when asked)."""
    return low <= number <= high and (not whole or float(number).is_integer())


def checked_band(typed: float, cell: object = None) -> tuple[float | None, str | None]:
    """The band a typed number means (0.1, 10% and 10 are all 10%), else None and what to write
    instead; ``cell``, the value as typed (text with a percent sign is a fraction already)."""
    band = band_fraction(typed, cell)
    if band is None:
        return None, BAND_HELP
    if band > MOST_BAND:
        return None, BAND_RANGE_HELP
    return band, None


def text_of(value) -> str:
    """A cell as text for names and labels ('' when empty); whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 10 ** EXCEL_DIGITS:
        return str(int(value))
    if isinstance(value, float) and math.isfinite(value) and abs(value) >= 10 ** EXCEL_DIGITS:
        return f"{value:.{EXCEL_DIGITS}G}"  # 1E+300 as Excel shows it, not 301 digits
    return str(value).strip()


def single_line(text: str) -> str:
    """``text`` on one line: line breaks and runs of spaces become one space.

    For texts that end up where a line break cannot go: a page header, an email subject, a file name.
    """
    return " ".join(text.split())


EXCEL_ERRORS = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


def describe(value) -> str:
    """A cell's content as a person would describe it in a message."""
    if value is None:
        return "an empty cell"
    if isinstance(value, str) and value in EXCEL_ERRORS:
        return f"the Excel error {value} (a formula that failed)"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and math.isinf(value):
        return "an infinite number"
    if isinstance(value, float) and math.isnan(value):
        return "NaN (not a number)"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return f"the date {value:%d/%m/%Y}"
    return text_of(value)
