"""A person typing into a workbook, as a spreadsheet program saves it: the cells typed into change,
every other part stays as it was. Text goes into the shared strings, as Excel keeps it.

openpyxl, the other way the tests type, rewrites the whole workbook (and leaves out the charts it did
not make); that costs a tenth of a second or more a workbook, which dozens of tests paid only to type
a few words. Rich text, dates and other typed values still go through openpyxl (workbooks.py).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from damaged_packages import MAIN, sheet_part

TYPED_HERE = (str, int, float, type(None))  # what this module types; anything else goes through openpyxl
_CELL = re.compile(r"([A-Z]+)(\d+)$")
_NS = {"m": MAIN}


def can_type(values) -> bool:
    return all(type(value) in TYPED_HERE for value in values)


def type_cells(path: Path, sheet: str, values: dict[str, str | int | float | None]) -> None:
    """Type each value into its cell ('U10': text, a number, or None to clear what is there) of ``sheet``."""
    part = sheet_part(path, sheet)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: (info, archive.read(info)) for info in archive.infolist()}
    root = etree.fromstring(parts[part][1])
    strings_part = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in parts else None
    strings = etree.fromstring(parts[strings_part][1]) if strings_part else None
    for ref, value in values.items():
        if type(value) not in TYPED_HERE:
            raise TypeError(f"{value!r} is not typed here; type it with openpyxl")
        cell = _cell(root, ref)
        for child in list(cell):
            if child.tag in (f"{{{MAIN}}}v", f"{{{MAIN}}}is", f"{{{MAIN}}}f"):
                cell.remove(child)
        cell.attrib.pop("t", None)
        if isinstance(value, str):
            if strings is not None:
                cell.set("t", "s")
                etree.SubElement(cell, f"{{{MAIN}}}v").text = str(_shared(strings, value))
            else:
                cell.set("t", "inlineStr")
                text = etree.SubElement(etree.SubElement(cell, f"{{{MAIN}}}is"), f"{{{MAIN}}}t")
                text.text = value
                text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        elif value is not None:
            etree.SubElement(cell, f"{{{MAIN}}}v").text = repr(value)
    changed = {part: etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)}
    if strings is not None:
        changed[strings_part] = etree.tostring(strings, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w") as out:
        for name, (info, data) in parts.items():
            out.writestr(info, changed.get(name, data))


def _shared(strings, text: str) -> int:
    """The index of ``text`` among the shared strings, added at the end as Excel adds it."""
    items = strings.findall("m:si", _NS)
    item = etree.SubElement(strings, f"{{{MAIN}}}si")
    node = etree.SubElement(item, f"{{{MAIN}}}t")
    node.text = text
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    strings.set("uniqueCount", str(len(items) + 1))
    strings.set("count", str(int(strings.get("count", len(items))) + 1))
    return len(items)


def _cell(root, ref: str):
    """The <c> element of ``ref``, made where Excel keeps it (rows and cells in order) if it is not there."""
    letters, row_number = _CELL.match(ref).groups()
    data = root.find("m:sheetData", _NS)
    rows = data.findall("m:row", _NS)
    row = next((r for r in rows if r.get("r") == row_number), None)
    if row is None:
        row = etree.Element(f"{{{MAIN}}}row", r=row_number)
        later = next((r for r in rows if int(r.get("r")) > int(row_number)), None)
        data.insert(data.index(later), row) if later is not None else data.append(row)
    cells = row.findall("m:c", _NS)
    cell = next((c for c in cells if c.get("r") == ref), None)
    if cell is None:
        cell = etree.Element(f"{{{MAIN}}}c", r=ref)
        column = column_index_from_string(letters)
        later = next((c for c in cells if column_index_from_string(_CELL.match(c.get("r")).group(1)) > column), None)
        row.insert(row.index(later), cell) if later is not None else row.append(cell)
    return cell


def sheet_values(path: Path, sheet: str) -> dict[str, object]:
    """'A1' -> value of every cell of ``sheet`` with one, as python-calamine reads them."""
    from python_calamine import CalamineWorkbook

    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return {f"{get_column_letter(c + 1)}{r + 1}": value for r, row in enumerate(grid) for c, value in enumerate(row)
            if value != ""}


def append_row(path: Path, sheet: str, values: list[str | int | float | None]) -> None:
    """Type ``values`` into the row below the last that holds something, from column A."""
    from python_calamine import CalamineWorkbook

    row = len(CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)) + 1
    type_cells(path, sheet, {f"{get_column_letter(c + 1)}{row}": value for c, value in enumerate(values)})
