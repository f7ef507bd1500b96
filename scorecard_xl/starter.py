"""`scorecard new`: a starter workbook (Indicators, Data, Settings, an empty Scorecard, and the hidden
sheet Lists holding the choices of the Indicators sheet's drop-downs).

Built with XlsxWriter from the CSV files in workbook_templates/, so the sample is plain,
reviewable text in the repository and the workbook is always regenerated, never hand-edited.
"""

from __future__ import annotations

import csv
import datetime as _dt
from importlib import resources
from pathlib import Path

import xlsxwriter

from .addressing import area_reference
from .pages.scorecard import wrapped_lines
from .compute.indicators import COLUMNS as INDICATOR_COLUMNS  # noqa: F401  (documents the contract)
from .compute.vocabulary import CHANGE_BASES, DOT_BAND, KINDS, POLARITIES, UNITS, YTD_RULES
from .compute.months import parse_month, month_start
from .pages.sheetplan import OWNED_AREA_NAME

INDICATOR_HEADERS = ["Ref", "Indicator", "Polarity", "Unit", "Section", "Owner", "Reporter", "Outcome",
                     "Kind", "YTD", "Numerator", "Denominator", "Red", "Amber", "Green", "Target", "Annual target",
                     "YTD target", "SN", "England", "Region", "Best SN", "Top quartile", "Change", "Band", DOT_BAND,
                     "Decimals"]
DATA_HEADERS = ["Ref", "Month", "Value", "Numerator", "Denominator"]
DEFAULT_SETTINGS = [("Title", "Children's Services Performance Scorecard"), ("Organisation", ""),
                    ("Region name", "Region"), ("Reporting month", ""), ("Months shown", 7),
                    ("Population 0-17 2020/21", ""), ("Band", 0.1)]
ROW_LINE_HEIGHT = 15  # points per line of 11pt text, Excel's default row
# The choices of the Indicators sheet's drop-downs, one column each on a hidden sheet: a list typed
# into a validation is split at its commas, which would make 'Rate per 10,000' two choices.
LISTS_SHEET = "Lists"
CHOICES = (("Polarity", POLARITIES), ("Unit", UNITS), ("Kind", KINDS), ("YTD", YTD_RULES), ("Change", CHANGE_BASES))
_WIDTHS = {"Ref": 9, "Indicator": 60, "Outcome": 40, "Owner": 22, "Reporter": 22, "Section": 24}


def _template_rows(name: str) -> list[dict]:
    text = resources.files("scorecard_xl.workbook_templates").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _cell(text: str):
    """CSV text -> the value a person would have typed: numbers as numbers, the rest as text."""
    if text is None or text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text else number


PLACEHOLDER = "Run 'scorecard refresh' (or click Refresh scorecard) to fill this sheet."


def write_placeholder(book: xlsxwriter.Workbook, sheet) -> None:
    """The empty Scorecard's A1 text, recorded as the tool's own, so the first refresh may replace
    it on every path (a print area alone is no such record)."""
    sheet.write_string(0, 0, PLACEHOLDER)
    sheet.print_area(0, 0, 0, 0)
    # XlsxWriter has no option for a hidden name: its own flag for one (the last item of each
    # defined name) is set.
    book.define_name(f"{sheet.name}!{OWNED_AREA_NAME}", f"={sheet.name}!$A$1")
    book.defined_names[-1][3] = True


def write_starter(path: str | Path, sample: bool = False) -> Path:
    """Write a new workbook at ``path``; refuses to overwrite an existing file."""
    path = Path(path)
    if path.exists():
        from .problems import WorkbookError
        raise WorkbookError(f"{path} already exists; choose another name (nothing was changed).")
    indicators = _template_rows("sample_indicators.csv") if sample else []
    data = _template_rows("sample_data.csv") if sample else []
    settings = ([(row["Key"], _cell(row["Value"])) for row in _template_rows("sample_settings.csv")]
                if sample else DEFAULT_SETTINGS)
    units = {row["Ref"]: row["Unit"] for row in indicators}

    book = xlsxwriter.Workbook(str(path), {"in_memory": True})  # not a temporary file for each part
    header = book.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "text_wrap": True,
                              "valign": "top", "border": 1})
    percent = book.add_format({"num_format": "0.0%", "valign": "top"})
    top = book.add_format({"valign": "top"})  # a tall row reads from its top, like its wrapped text
    month_format = book.add_format({"num_format": "mmm-yy", "align": "left"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    sheet = book.add_worksheet("Indicators")
    sheet.write_row(0, 0, INDICATOR_HEADERS, header)
    for c, name in enumerate(INDICATOR_HEADERS):
        sheet.set_column(c, c, _WIDTHS.get(name, 11), wrap if name in ("Indicator", "Outcome") else None)
    for r, row in enumerate(indicators, start=1):
        # Wrapped text does not grow its row in every reader (LibreOffice keeps 15pt), so say how tall.
        lines = max(wrapped_lines(row.get(name, ""), _WIDTHS[name] * 1.1) for name in ("Indicator", "Outcome"))
        if lines > 1:
            sheet.set_row(r, ROW_LINE_HEIGHT * lines)
        for c, name in enumerate(INDICATOR_HEADERS):
            value = _cell(row.get(name, ""))
            if value is None:
                continue
            cell_format = wrap if name in ("Indicator", "Outcome") else top
            if isinstance(value, str):
                sheet.write_string(r, c, value, cell_format)  # tolerances like "<92%" stay text, never a formula
            elif row["Unit"] == "Percentage" and name in ("Target", "SN", "England", "Region", "Best SN",
                                                           "Top quartile"):
                sheet.write_number(r, c, value, percent)
            else:
                sheet.write_number(r, c, value, cell_format)
    rows = max(len(indicators) + 200, 500)
    for list_column, (name, choices) in enumerate(CHOICES):
        c = INDICATOR_HEADERS.index(name)
        source = "=" + area_reference(LISTS_SHEET, 1, list_column, len(choices), list_column)
        sheet.data_validation(1, c, rows, c, {"validate": "list", "source": source,
                                              "error_message": f"Choose one of: {', '.join(choices)}"})
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(len(indicators), 1), len(INDICATOR_HEADERS) - 1)

    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, DATA_HEADERS, header)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 10, month_format)
    sheet.set_column(2, 4, 12)
    for r, row in enumerate(data, start=1):
        sheet.write_string(r, 0, row["Ref"])
        month = parse_month(row["Month"])
        if month is not None:
            sheet.write_datetime(r, 1, _dt.datetime.combine(month_start(month), _dt.time()), month_format)
        else:
            sheet.write_string(r, 1, row["Month"])
        fmt = percent if units.get(row["Ref"]) == "Percentage" else None
        for c, name in enumerate(("Value", "Numerator", "Denominator"), start=2):
            value = _cell(row.get(name, ""))
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write_number(r, c, value, fmt if name == "Value" else None)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(data), 1), len(DATA_HEADERS) - 1)

    sheet = book.add_worksheet("Settings")
    sheet.write_row(0, 0, ["Setting", "Value"], header)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 44)
    for r, (key, value) in enumerate(settings, start=1):
        sheet.write_string(r, 0, key)
        if key.casefold() == "reporting month" and isinstance(value, str) and parse_month(value) is not None:
            sheet.write_datetime(r, 1, _dt.datetime.combine(month_start(parse_month(value)), _dt.time()),
                                 month_format)
        elif isinstance(value, str):
            sheet.write_string(r, 1, value)
        elif value is not None:
            sheet.write_number(r, 1, value)

    sheet = book.add_worksheet(LISTS_SHEET)
    for list_column, (name, choices) in enumerate(CHOICES):
        sheet.write_column(0, list_column, [name, *choices])
    sheet.hide()

    sheet = book.add_worksheet("Scorecard")
    write_placeholder(book, sheet)
    book.get_worksheet_by_name("Indicators").activate() if not sample else sheet.activate()
    book.close()
    return path
