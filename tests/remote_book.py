"""Open a workbook file as an xlwings remote-engine Book (the JSON an Excel client would send).

xlwings' remote engine records every write as an action instead of calling Excel, so the
live-workbook backend can be tested on Linux; ``apply_actions`` replays the value, format and
chart actions onto plain state, as Excel would.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # allowed for non-commercial and government use

from python_calamine import CalamineWorkbook  # noqa: E402

from scorecard_xl.read.ooxml_package import MAIN, Package, local_name, parse_xml  # noqa: E402
from scorecard_xl.addressing import cell_name, parse_reference  # noqa: E402
from scorecard_xl.backends.xlsx_file import sheet_print_area  # noqa: E402


def _json_value(value):
    if value == "":
        return None
    if isinstance(value, dt.date):  # as Excel's clients send every date: JavaScript's toISOString()
        moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return value


def book_json(path: Path) -> dict:
    import xlwings as xw

    source = CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in source.sheet_names:
        values = source.get_sheet_by_name(name).to_python(skip_empty_area=False) or [[]]
        area = sheet_print_area(path, name)
        sheets.append({"name": name, "values": [[_json_value(v) for v in row] for row in values],
                       "pictures": [], "tables": [], "shapes": [], "charts": charts_on(path, name), "notes": [],
                       "show_gridlines": True, "pivot_tables": [],
                       "print_area": f"{cell_name(*area[:2])}:{cell_name(*area[2:])}" if area else None})
    # The Office.js client (Excel's add-in platform) supports every call the writer makes.
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": defined_names(path, source.sheet_names), "sheets": sheets}


def defined_names(path: Path, sheet_names: list[str]) -> list[dict]:
    """The workbook's names as the Office.js client lists them (xlwings-server's named-items.js):
    hidden ones too, sheet-scoped ones with their sheet, each with its formula ("refers_to") and
    type; a range's sheet and address, a constant's neither. Excel's built-in names (the print
    area) are not among them (the print area is reported with its sheet)."""
    positions = {name.casefold(): index for index, name in enumerate(sheet_names)}
    names = []
    with Package(path) as package:
        for element in package.workbook_root().iterfind(f"{{{MAIN}}}definedNames/{{{MAIN}}}definedName"):
            name, scope, formula = element.get("name", ""), element.get("localSheetId"), element.text or ""
            if name.startswith("_xlnm."):
                continue
            reference = parse_reference(formula)
            sheet_index = address = None
            if reference is not None and reference[0] in positions:
                top, left, bottom, right = reference[1]
                sheet_index = positions[reference[0]]
                address = cell_name(top, left) + ("" if (top, left) == (bottom, right) else ":" + cell_name(bottom, right))
            names.append({"name": name, "refers_to": "=" + formula,
                          "type": "Range" if address else "String" if formula.startswith('"') else "Error",
                          "sheet_index": sheet_index, "address": address, "book_scope": scope is None,
                          "scope_sheet_name": sheet_names[int(scope)] if scope is not None else None,
                          "scope_sheet_index": int(scope) if scope is not None else None})
    return names


DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CHART_TYPES = {"lineChart": "Line", "barChart": "ColumnClustered", "pieChart": "Pie", "areaChart": "Area"}


def charts_on(path: Path, sheet_name: str) -> list[dict]:
    """The charts floating over a sheet as the Office.js client lists them: each one's name (its
    drawing object's name), type and place."""
    found = []
    with Package(path) as package:
        entry = package.find_sheet(sheet_name)
        for drawing in [rel.part for rel in package.relationships(entry.part) if rel.type.endswith("/drawing")]:
            charts = {rel.id: rel.part for rel in package.relationships(drawing) if rel.type.endswith("/chart")}
            for frame in parse_xml(package.read(drawing)).iter(f"{DRAWING}graphicFrame"):
                chart = frame.find(f".//{CHART}chart")
                plot = parse_xml(package.read(charts[chart.get(RELATIONSHIP_ID)])).find(f".//{CHART}plotArea")
                kind = next(local_name(e) for e in plot if local_name(e).endswith("Chart"))
                found.append({"name": frame.find(f"{DRAWING}nvGraphicFramePr/{DRAWING}cNvPr").get("name"),
                              "chart_type": CHART_TYPES.get(kind, kind), "left": 0, "top": 0, "width": 0, "height": 0})
    return found


def open_remote(path: Path):
    import xlwings as xw

    return xw.Book(json=book_json(path))


def apply_actions(book_data: dict, actions: list[dict]) -> dict[str, dict]:
    """Replay actions as Excel would: {sheet name: state}, each state holding "values" and "fills"
    ({(r, c): v}, {(r, c): "#RRGGBB"}), "formats" ({(r, c): {property: value}}: number_format,
    bold, italic, size, color, horizontal, vertical, wrap, indent, and border_<edge> as (line
    style, colour)), "widths" and "heights" ({index: the size sent}), "merges" (areas), "freeze"
    (the cell), "gridlines", "print_area", "names" ({name: formula}) and "active" (the sheet Excel shows)."""
    names = [s["name"] for s in book_data["sheets"]]
    state = {}
    for sheet in book_data["sheets"]:
        values = {(r, c): v for r, row in enumerate(sheet["values"]) for c, v in enumerate(row) if v is not None}
        state[sheet["name"]] = _new_state(values, sheet.get("show_gridlines", True), sheet.get("print_area"))
        state[sheet["name"]]["charts"] = [{"axis": {}, **chart} for chart in sheet.get("charts", [])]
    for name in book_data.get("names", []):
        if name.get("scope_sheet_name") in state and "refers_to" in name:
            state[name["scope_sheet_name"]]["names"][name["name"]] = name["refers_to"]
    for action in actions:
        func = action["func"]
        if func == "addSheet":
            position, name = action["args"]
            names.insert(position, name)
            state[name] = _new_state({}, True, None)
            continue
        if func == "activateSheet":  # the one sheet Excel shows, whichever it showed before
            for name, sheet_state in state.items():
                sheet_state["active"] = name == names[action["args"][0]]
            continue
        if action.get("sheet_position") is None:
            continue
        target = state[names[action["sheet_position"]]]
        r0, c0 = action["start_row"], action["start_column"]
        cells = [(r0 + r, c0 + c) for r in range(action["row_count"] or 0) for c in range(action["column_count"] or 0)]
        args = action["args"]
        if func in ("rangeClear", "rangeClearContents"):
            for cell in cells:
                target["values"].pop(cell, None)
        if func in ("rangeClear", "rangeClearFormats"):
            for cell in cells:
                target["fills"].pop(cell, None)
                target["formats"].pop(cell, None)
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
            for r, row in enumerate(args[0]):
                for c, colour in enumerate(row):
                    if colour == "keep":
                        continue
                    if colour is None:
                        target["fills"].pop((r0 + r, c0 + c), None)
                    else:
                        target["fills"][(r0 + r, c0 + c)] = colour.upper()
        elif func == "setRangeColor":
            for cell in cells:
                target["fills"][cell] = args.upper()
        elif func in _CELL_FORMATS:
            name, value = _CELL_FORMATS[func](args)
            for cell in cells:
                target["formats"].setdefault(cell, {})[name] = value
        elif func == "rangeAdjustIndent":
            for cell in cells:
                formats = target["formats"].setdefault(cell, {})
                formats["indent"] = formats.get("indent", 0) + int(args[0] if isinstance(args, list) else args)
        elif func == "setColumnWidth":
            target["widths"].update({c: args[0] for c in range(c0, c0 + action["column_count"])})
        elif func == "setRowHeight":
            target["heights"].update({r: args[0] for r in range(r0, r0 + action["row_count"])})
        elif func == "rangeMerge":
            target["merges"].append((r0, c0, r0 + action["row_count"] - 1, c0 + action["column_count"] - 1))
        elif func in _SHEET_SETTINGS:
            target[_SHEET_SETTINGS[func]] = args[0]
        elif func == "namesAdd":
            target["names"][args[0]] = args[1]
        elif func == "setNameRefersTo":
            target["names"][args[0]] = args[3]
        elif func == "nameDelete":
            target["names"].pop(args[2], None)
        elif func in _CHART_ACTIONS:
            _CHART_ACTIONS[func](target["charts"], args)
    return state


def _new_state(values: dict, gridlines: bool, print_area: str | None) -> dict:
    return {"values": values, "fills": {}, "formats": {}, "widths": {}, "heights": {}, "merges": [], "freeze": None,
            "gridlines": gridlines, "print_area": print_area, "names": {}, "charts": [], "active": False}


def _add_chart(charts: list, args) -> None:
    name, chart_type, sheet, source, left, top, width, height, plot_by, anchor, style = args
    charts.append({"name": name, "chart_type": chart_type, "source": f"{sheet}!{source}", "plot_by": plot_by,
                   "anchor": anchor, "width": width, "height": height, "axis": {}, "legend_visible": True})


def _set_legend(charts: list, args) -> None:
    index, what, value = args
    charts[index]["legend_visible" if what == "visible" else "legend_position"] = value


# Chart action -> how Excel applies it to the sheet's charts (a list, indexed as Excel indexes them).
_CHART_ACTIONS = {
    "addChart": _add_chart,
    "deleteChart": lambda charts, args: charts.pop(args[0]),
    "setChartName": lambda charts, args: charts[args[0]].update(name=args[1]),
    "setChartTitle": lambda charts, args: charts[args[0]].update(title=args[1]),
    "setChartXAxisValues": lambda charts, args: charts[args[0]].update(categories=f"{args[1]}!{args[2]}"),
    "setChartAxis": lambda charts, args: charts[args[0]]["axis"].setdefault(args[1], {}).update(args[2]),
    "setChartLegend": _set_legend,
}


def _border(args):
    edge, attribute, value = args
    return f"border_{edge}.{attribute}", value.upper() if attribute == "color" else value


# Action -> the (property, value) it sets on each cell of its range.
_CELL_FORMATS = {
    "setNumberFormat": lambda args: ("number_format", args[0]),
    "setFontProperty": lambda args: (args[0], args[1].upper() if args[0] == "color" else args[1]),
    "setHorizontalAlignment": lambda args: ("horizontal", args[0].lower()),
    "setVerticalAlignment": lambda args: ("vertical", args[0].lower()),
    "setWrapText": lambda args: ("wrap", args[0]),
    "setBorderProperty": _border,
}
_SHEET_SETTINGS = {"freezePaneAtRange": "freeze", "setShowGridlines": "gridlines", "setPrintArea": "print_area"}
