"""Open a workbook file as an xlwings remote-engine Book (the JSON an Excel client would send).

xlwings' remote engine records every write as an action instead of calling Excel, so the
live-workbook backend can be tested on Linux; ``apply_actions`` replays the value and fill
actions onto plain grids, as Excel would.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # allowed for non-commercial and government use

from python_calamine import CalamineWorkbook  # noqa: E402

from scorecard_xl.backends.xlsx_file import sheet_print_area  # noqa: E402
from scorecard_xl.problems import cell_name  # noqa: E402


def _json_value(value):
    if value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def book_json(path: Path) -> dict:
    import xlwings as xw

    source = CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in source.sheet_names:
        values = source.get_sheet_by_name(name).to_python(skip_empty_area=False) or [[]]
        area = sheet_print_area(path, name)
        sheets.append({"name": name, "values": [[_json_value(v) for v in row] for row in values],
                       "pictures": [], "tables": [], "shapes": [], "charts": [], "notes": [],
                       "show_gridlines": True, "pivot_tables": [],
                       "print_area": f"{cell_name(*area[:2])}:{cell_name(*area[2:])}" if area else None})
    # The Office.js client (Excel's add-in platform) supports every call the writer makes.
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"}, "names": [], "sheets": sheets}


def open_remote(path: Path):
    import xlwings as xw

    return xw.Book(json=book_json(path))


def apply_actions(book_data: dict, actions: list[dict]) -> dict[str, dict]:
    """Replay values and fills: {sheet name: {"values": {(r, c): v}, "fills": {(r, c): "#RRGGBB"}}}."""
    names = [s["name"] for s in book_data["sheets"]]
    state = {}
    for sheet in book_data["sheets"]:
        values = {(r, c): v for r, row in enumerate(sheet["values"]) for c, v in enumerate(row) if v is not None}
        state[sheet["name"]] = {"values": values, "fills": {}}
    for action in actions:
        func = action["func"]
        if func == "addSheet":
            position, name = action["args"]
            names.insert(position, name)
            state[name] = {"values": {}, "fills": {}}
            continue
        if action.get("sheet_position") is None:
            continue
        target = state[names[action["sheet_position"]]]
        r0, c0 = action["start_row"], action["start_column"]
        cells = [(r0 + r, c0 + c) for r in range(action["row_count"] or 0) for c in range(action["column_count"] or 0)]
        if func in ("rangeClear", "rangeClearContents"):
            for cell in cells:
                target["values"].pop(cell, None)
                if func == "rangeClear":
                    target["fills"].pop(cell, None)
        elif func == "setValues":
            for r, row in enumerate(action["values"]):
                for c, value in enumerate(row):
                    if value is None or value == "":  # xlwings sends blanks as "", which empties the cell
                        target["values"].pop((r0 + r, c0 + c), None)
                    elif isinstance(value, str) and value.startswith("'"):
                        target["values"][(r0 + r, c0 + c)] = value[1:]  # Excel's text mark, not stored
                    else:
                        target["values"][(r0 + r, c0 + c)] = value
        elif func == "setRangeColors":
            for r, row in enumerate(action["args"][0]):
                for c, colour in enumerate(row):
                    if colour == "keep":
                        continue
                    if colour is None:
                        target["fills"].pop((r0 + r, c0 + c), None)
                    else:
                        target["fills"][(r0 + r, c0 + c)] = colour.upper()
        elif func == "setRangeColor":
            for cell in cells:
                target["fills"][cell] = action["args"].upper()
    return state
