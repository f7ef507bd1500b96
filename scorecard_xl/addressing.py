"""A1 addressing, the one place it is done: column letters, cell names, areas, sheet-name quoting.

Positions are 0-based (row, column) everywhere in the code; only this module turns them into the
1-based A1 notation people and Excel read, and back. Like XlsxWriter's utility module, it knows
nothing of workbooks.
"""

from __future__ import annotations

import re

LAST_ROW, LAST_COLUMN = 1_048_575, 16_383  # Excel's grid, 0-based: XFD1048576
Area = tuple[int, int, int, int]  # 0-based top, left, bottom, right

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_AREA = re.compile(r"^\$?([A-Z]{1,3})?\$?(\d+)?(?::\$?([A-Z]{1,3})?\$?(\d+)?)?$")


def column_letter(column: int) -> str:
    """Spreadsheet letters for a 0-based column: 0 -> A, 26 -> AA."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """Spreadsheet column letters -> 0-based column: 'A' -> 0, 'AB' -> 27 (any case)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number - 1


def cell_name(row: int, column: int) -> str:
    """``C14`` for 0-based (row 13, column 2)."""
    return f"{column_letter(column)}{row + 1}"


def parse_cell(name: str) -> tuple[int, int] | None:
    """'AB12' (or '$AB$12') -> 0-based (11, 27); None when it is not a cell name."""
    match = _CELL.match(name or "")
    if not match:
        return None
    return int(match.group(2)) - 1, column_index(match.group(1))


def quote_sheet(name: str, always: bool = False) -> str:
    """A sheet name as a reference writes it: quoted (apostrophes doubled) when it must be, or
    ``always`` (defined names are written that way, whatever the name)."""
    if not always and name.replace("_", "").isalnum():
        return name
    return "'" + name.replace("'", "''") + "'"


def cell_reference(sheet: str, cell: str) -> str:
    """``Data!B14``, ``'Feb 21'!C3``, or the sheet alone when ``cell`` is empty, as Excel writes them."""
    return f"{quote_sheet(sheet)}!{cell}" if cell else quote_sheet(sheet)


def area_name(area: Area) -> str:
    """``A1:K40`` for an area; a single cell is named alone."""
    first, last = cell_name(*area[:2]), cell_name(*area[2:])
    return first if first == last else f"{first}:{last}"


def area_reference(sheet: str, top: int, left: int, bottom: int, right: int) -> str:
    """``'Sheet'!$A$1:$K$40``, as defined names hold an area."""
    return f"{quote_sheet(sheet, always=True)}!${column_letter(left)}${top + 1}:${column_letter(right)}${bottom + 1}"


def rows_reference(sheet: str, first: int, last: int) -> str:
    """``'Sheet'!$7:$7``: whole rows, as print titles hold them."""
    return f"{quote_sheet(sheet, always=True)}!${first + 1}:${last + 1}"


def one_based(area: Area) -> tuple[tuple[int, int], tuple[int, int]]:
    """An area as the 1-based (row, column) corners xlwings' ``sheet.range`` takes."""
    first_row, first_col, last_row, last_col = area
    return (first_row + 1, first_col + 1), (last_row + 1, last_col + 1)


def split_areas(formula: str) -> list[str]:
    """``'a,b'!$A$1,Sheet!$5:$6`` -> its comma-separated parts (commas in quoted sheet names kept)."""
    parts, current, quoted = [], "", False
    for ch in formula:
        if ch == "'":
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [part.strip() for part in parts]


def parse_reference(text: str) -> tuple[str, Area] | None:
    """One area, ``'It''s'!$B$2:$D$9`` -> ("it's", (1, 1, 8, 3)): the sheet name case-folded
    ("" when the reference names none) and the 0-based area; None if it is not an area
    (``#REF!``, a formula)."""
    sheet, _, cells = text.strip().rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'") and len(sheet) > 1:
        sheet = sheet[1:-1].replace("''", "'")
    match = _AREA.match(cells.upper())
    if not match or not any(match.groups()):
        return None
    c1, r1, c2, r2 = match.groups()
    if c2 is None and r2 is None:
        c2, r2 = c1, r1
    top = int(r1) - 1 if r1 else 0
    bottom = int(r2) - 1 if r2 else LAST_ROW
    left = column_index(c1) if c1 else 0
    right = column_index(c2) if c2 else LAST_COLUMN
    return sheet.casefold(), (top, left, bottom, right)


def parse_area(formula: str) -> Area | None:
    """``'Sheet'!$A$1:$K$40`` (the first area of a list) -> 0-based (top, left, bottom, right)."""
    parsed = parse_reference(split_areas(formula)[0])
    return parsed[1] if parsed else None


def is_whole_rows(area: Area) -> bool:
    return area[1] == 0 and area[3] == LAST_COLUMN


def same_reference(old: str, new: str) -> bool:
    """Whether two defined-name formulas refer to the same areas (sheet names compared without
    quotes and case; the order of a list of areas does not matter)."""
    if old == new:
        return True
    parsed_old = [parse_reference(part) for part in split_areas(old)]
    parsed_new = [parse_reference(part) for part in split_areas(new)]
    if None in parsed_old or None in parsed_new:
        return False
    return sorted(parsed_old) == sorted(parsed_new)
