"""What a worksheet cell holds, as python-calamine reads it: numbers as floats, text (shared,
inline or rich, flattened), booleans, dates and times decided by the cell's number format (and the
workbook's 1900 or 1904 date system), durations for elapsed-time formats, and Excel's error
values as their text (#N/A, ...). Empty text and a bare midnight are nothing (None).
"""

from __future__ import annotations

import datetime as _dt

from .ooxml_package import MAIN, Package, parse_xml, q
from .ooxml_text import unescape_excel

DATE, DURATION = "date", "duration"
_BUILTIN_FORMATS = {**{n: DATE for n in (*range(14, 23), 45, 47)}, 46: DURATION}
_EPOCH_1900 = _dt.datetime(1899, 12, 30)
_EPOCH_1904 = _dt.datetime(1904, 1, 1)
_MS_PER_DAY = 86_400_000
_XML_SPACES = " \t\r\n"
_BOOLEANS = {"1": True, "true": True, "0": False, "false": False}


def format_kind(code: str) -> str | None:
    """DATE, DURATION or None for a number format code, judged by its first section: a d, m, y,
    h or s (or AM/PM) outside quotes, brackets and escapes makes a date; [h], [mm] or [ss] an
    elapsed time."""
    escaped = quoted = am_pm = elapsed = False
    brackets = 0
    previous = " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\*":  # the next character is a literal (or a padding or fill character)
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return None
        elif ch == "[":
            brackets += 1
        elif ch == "]":
            if brackets == 1 and elapsed:
                return DURATION
            brackets = max(brackets - 1, 0)
        elif brackets == 0 and not am_pm and ch in "aA":
            am_pm = True
        elif brackets == 0 and am_pm and ch in "pmPM/":
            return DATE
        elif brackets == 0 and not am_pm and ch in "dmhysDMHYS":
            return DATE
        elif not (elapsed and ch.lower() == previous.lower()):
            elapsed = previous == "[" and ch in "hmsHMS"
        previous = ch
    return None


def style_kinds(package: Package) -> dict[str, str]:
    """Cell style index (as written in ``s="..."``) -> DATE or DURATION, for the styles whose
    number format shows a date, time or duration."""
    rel = package.workbook_relationship("styles")
    if rel is None or not rel.part or not package.has(rel.part):
        return {}
    root = parse_xml(package.read(rel.part))
    codes = {}
    for fmt in root.iterfind(f"{q(MAIN, 'numFmts')}/{q(MAIN, 'numFmt')}"):
        number = fmt.get("numFmtId", "")
        if number.isdigit():
            codes[int(number)] = fmt.get("formatCode", "")
    kinds = {}
    for index, xf in enumerate(root.iterfind(f"{q(MAIN, 'cellXfs')}/{q(MAIN, 'xf')}")):
        number = xf.get("numFmtId", "0")
        number = int(number) if number.isdigit() else 0
        kind = format_kind(codes[number]) if number in codes else _BUILTIN_FORMATS.get(number)
        if kind:
            kinds[str(index)] = kind
    return kinds


def uses_1904_dates(package: Package) -> bool:
    pr = package.workbook_root().find(q(MAIN, "workbookPr"))
    return pr is not None and pr.get("date1904", "false").lower() in ("1", "true")


def serial_date(serial: float, date1904: bool):
    """A date serial as calamine gives it: a time for less than a day, a date for a whole number,
    else a datetime; the serial itself when it is outside the years 1-9999."""
    days = serial
    if not date1904 and days < 60:
        days += 1  # Excel's 29 February 1900 that never was: serials before it are a day off
    try:
        moment = (_EPOCH_1904 if date1904 else _EPOCH_1900) + _dt.timedelta(milliseconds=round(days * _MS_PER_DAY))
    except (OverflowError, ValueError):  # past the year 9999, or not a number at all
        return serial
    if serial < 1:
        time = moment.time()
        return None if time == _dt.time(0) else time  # a bare midnight: an empty cell with a date format
    return moment.date() if serial == int(serial) else moment


def serial_duration(serial: float):
    try:
        return _dt.timedelta(milliseconds=round(serial * _MS_PER_DAY))
    except (OverflowError, ValueError):
        return serial


def iso_date(text: str):
    """A cell of type d (ISO 8601, as some writers store dates): a date, a datetime, or the text."""
    try:
        moment = _dt.datetime.fromisoformat(text.strip().removesuffix("Z"))
    except ValueError:
        return text or None
    return moment.date() if moment.time() == _dt.time(0) else moment


def number(text: str):
    """A number cell's text as a float; text that is not a number (Excel never writes one) stays text."""
    try:
        value = float(text)
    except ValueError:
        return text or None
    if "_" in text or not text.isascii() or text.strip(_XML_SPACES) != text:
        return text  # float() reads these, Excel's readers do not
    return value


class MissingSharedString(Exception):
    """A cell refers to a shared string the workbook does not hold (the caller knows which cell)."""

    def __init__(self, index: str, count: int):
        super().__init__(index, count)
        self.index, self.count = index, count


class CellValues:
    """Turns a cell's type, style and text into its value, for one workbook."""

    def __init__(self, strings: list[str], kinds: dict[str, str], date1904: bool):
        self.strings, self.kinds, self.date1904 = strings, kinds, date1904

    def value(self, kind: str | None, style: str | None, text: str | None):
        """``text`` is the <v> text, or for an inline string the text of its <is>."""
        if text is None:
            return None
        if kind is None or kind == "n":
            value = number(text)
            if style is not None and type(value) is float and style in self.kinds:
                return serial_date(value, self.date1904) if self.kinds[style] == DATE else serial_duration(value)
            return value
        if kind == "s":
            return self.shared(text)
        if kind == "inlineStr":
            return text or None
        if kind == "b":
            return _BOOLEANS.get(text.strip(_XML_SPACES), text or None)
        if kind == "d":
            return iso_date(text)
        return unescape_excel(text) or None  # str (a formula's text) and e (an error: #N/A, ...)

    def shared(self, text: str):
        try:
            index = int(text)
            if index < 0:
                raise IndexError(index)
            return self.strings[index] or None
        except (ValueError, IndexError):
            raise MissingSharedString(text.strip(_XML_SPACES), len(self.strings)) from None


def string_text(parts: list[tuple[str, bool]]) -> str:
    """The text of an <si> or <is> from its <t> pieces (text, xml:space="preserve"): pieces not
    marked preserve lose surrounding XML white space, as calamine reads them; _xHHHH_ escapes undone."""
    if len(parts) == 1:  # nearly every string: one piece, without the join
        text, keep = parts[0]
        return unescape_excel(text if keep else text.strip(_XML_SPACES))
    return unescape_excel("".join(text if keep else text.strip(_XML_SPACES) for text, keep in parts))
