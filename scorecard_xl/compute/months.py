"""Months as plain integers, and the UK financial year.

A month is stored as one integer, ``year * 12 + (month - 1)``, so that month arithmetic is
integer arithmetic and whole columns of months can be handled by numpy. Labels are always
English (``Feb-21``) whatever the machine's locale, because the workbooks are.
"""

from __future__ import annotations

import datetime as _dt
import re

from .cells import is_number

MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Every spelling staff use for a month name, lower case -> month number.
_MONTH_NAMES: dict[str, int] = {}
for _number, _abbr in enumerate(MONTH_ABBREVIATIONS, start=1):
    _MONTH_NAMES[_abbr.lower()] = _number
for _number, _full in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"), start=1):
    _MONTH_NAMES[_full] = _number
_MONTH_NAMES["sept"] = 9

_NAME_PATTERN = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_NAMED = re.compile(rf"^\s*({_NAME_PATTERN})\.?[\s\-/_']*(\d{{2}}|\d{{4}})\s*$", re.IGNORECASE)
_ISO = re.compile(r"^\s*(\d{4})[\-/\.](\d{1,2})(?:[\-/\.](\d{1,2}))?(?P<time>[ T].*)?\s*$")
_MONTH_FIRST = re.compile(r"^\s*(\d{1,2})[\-/\.](\d{4})\s*$")

FINANCIAL_YEAR_START_MONTH = 4  # April

MONTH_FORMAT_HELP = "a month such as Feb-21, Feb 2021, 2021-02 or a date"
# Excel's day numbers for 1970 to 2099: a month cell holding one is a date that lost its date format.
_DATE_SERIALS = (25569, 73050)


def unreadable_month_fix(value, write: str = "Write", after: str = ".") -> str:
    """What to do about a month cell that cannot be read: ``write`` a month (``after`` it, the rest
    of the sentence), or, for a plain number that is a date in Excel's day count (43862 in a cell
    formatted General), first of all give the cell a date format."""
    if is_number(value) and _DATE_SERIALS[0] <= value <= _DATE_SERIALS[1]:
        return ("It is a date kept as a plain number: format the cell as a date (Home > Number Format > "
                f"Short Date), or {write[0].lower()}{write[1:]} {MONTH_FORMAT_HELP}{after}")
    return f"{write} {MONTH_FORMAT_HELP}{after}"


def month_index(year: int, month: int) -> int:
    """The integer for ``month`` (1-12) of ``year``."""
    if not 1 <= month <= 12:
        raise ValueError(f"month number {month} is not 1-12")
    return year * 12 + (month - 1)


def year_of(index: int) -> int:
    return index // 12


def month_of(index: int) -> int:
    """Calendar month number, 1-12."""
    return index % 12 + 1


def month_label(index: int) -> str:
    """``Feb-21``: the label the reference scorecards use in headers."""
    return f"{MONTH_ABBREVIATIONS[index % 12]}-{year_of(index) % 100:02d}"


def month_key(index: int) -> str:
    """``2021-02``: the stable, sortable key used in machine-readable output."""
    return f"{year_of(index):04d}-{month_of(index):02d}"


def month_start(index: int) -> _dt.date:
    return _dt.date(year_of(index), month_of(index), 1)


def _two_digit_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Scorecards cover recent years; 2-digit years are this century.
        year += 2000
    return year


def parse_month(value: object) -> int | None:
    """The month a cell means, or None when it does not name one.

    Accepts real dates and datetimes, and text such as ``Feb-21``, ``Feb 2021``,
    ``February 2021``, ``Sept-20``, ``2021-02``, ``2021-02-01`` and ``02/2021``.
    """
    if isinstance(value, _dt.datetime):
        return month_index(value.year, value.month)
    if isinstance(value, _dt.date):
        return month_index(value.year, value.month)
    if not isinstance(value, str):
        return None
    return _month_of_text(value, time_allowed=True)


def sheet_month(name: str) -> int | None:
    """The month a sheet's name means when the whole name is that month (``Feb-21``, ``2021-02``).

    Stricter than a cell: a cell may hold a date and time as text (``2021-02-01 00:00:00``), but
    a sheet named ``2021-03 notes`` or ``2021-03 12`` is a person's own sheet, not that month's data.
    """
    return _month_of_text(name, time_allowed=False)


def _month_of_text(text: str, time_allowed: bool) -> int | None:
    text = text.strip()
    if not text:
        return None
    named = _NAMED.match(text)
    if named:
        return month_index(_two_digit_year(named.group(2)), _MONTH_NAMES[named.group(1).lower()])
    iso = _ISO.match(text)
    if iso and (time_allowed or iso.group("time") is None):
        month = int(iso.group(2))
        return month_index(int(iso.group(1)), month) if 1 <= month <= 12 else None
    month_first = _MONTH_FIRST.match(text)
    if month_first:
        month = int(month_first.group(1))
        return month_index(int(month_first.group(2)), month) if 1 <= month <= 12 else None
    return None


def financial_year_start(index: int) -> int:
    """The April that opens the UK financial year containing ``index``."""
    offset = (month_of(index) - FINANCIAL_YEAR_START_MONTH) % 12
    return index - offset


def financial_year_label(index: int) -> str:
    """``2020/21`` for any month from Apr-20 to Mar-21."""
    start_year = year_of(financial_year_start(index))
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_financial_year(text: str) -> int | None:
    """The April opening the financial year written ``2020/21``, ``2020-21`` or ``2020/2021``."""
    match = re.fullmatch(r"\s*(\d{4})\s*[/\-]\s*(\d{2}|\d{4})\s*", str(text))
    if not match:
        return None
    start = int(match.group(1))
    end = int(match.group(2))
    if end % 100 != (start + 1) % 100:
        return None
    return month_index(start, FINANCIAL_YEAR_START_MONTH)
