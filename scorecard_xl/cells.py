"""Reading single cells the way performance officers write them.

Shared by every sheet parser: header lookup, numbers, percentages and the placeholders
that mean "missing".
"""

from __future__ import annotations

import datetime as _dt
import math
import re

from .problems import cell_name

PLACEHOLDERS = frozenset({"tbc", "tba", "-", "n/a", "na", "..", "", "\u2013", "\u2014"})
PLACEHOLDER_HELP = "a number (e.g. 1234 or 58.3%), or tbc / n/a / - for a missing value"

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")


class NotANumber(ValueError):
    """The cell holds something that is neither a number nor a placeholder."""


def normalise_header(value) -> str:
    """'Ref.' / ' REF ' / 'Ref:' -> 'ref'; headers are matched without case or punctuation."""
    if value is None:
        return ""
    text = str(value).strip().casefold()
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(".:").strip()


def header_map(row: list, aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Canonical column name -> 0-based column index, for the headers present in ``row``."""
    wanted = {alias: canonical for canonical, names in aliases.items() for alias in names}
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        canonical = wanted.get(normalise_header(value))
        if canonical and canonical not in found:
            found[canonical] = index
    return found


def is_placeholder(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip().casefold() in PLACEHOLDERS)


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
        if math.isnan(value) or math.isinf(value):
            return None
        return float(value)
    text = str(value).strip().replace("\u00a0", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    if not _NUMBER.match(text):
        raise NotANumber(str(value))
    number = float(text.replace(",", ""))
    return number / 100 if percent else number


def text_of(value) -> str:
    """A cell as text for names and labels ('' when empty); whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


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
    if isinstance(value, (_dt.date, _dt.datetime)):
        return f"the date {value:%d/%m/%Y}"
    return text_of(value)


def where(row: int, column: int) -> str:
    return cell_name(row, column)
