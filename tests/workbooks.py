"""Build scorecard workbooks by code for tests (never hand-edited binaries)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from prepared import prepared, remembered

INDICATOR_HEADERS = ["Ref", "Indicator", "Polarity", "Unit", "Section", "Kind", "YTD", "Numerator",
                     "Denominator", "Red", "Amber", "Green", "Target", "SN", "England", "Change", "Band"]


def indicator(ref, polarity="High", unit="Count", section="Front door", name=None, **extra):
    row = {"Ref": ref, "Indicator": name or f"Indicator {ref}", "Polarity": polarity, "Unit": unit,
           "Section": section}
    row.update({key.replace("_", " ").title() if key not in ("ytd", "sn") else key.upper(): value
                for key, value in extra.items()})
    return row


def _write(sheet, r, c, value, date_format=None):
    if value is None:
        return
    if isinstance(value, dt.date):
        # a date typed in Excel carries a date format; without one it is just a number
        sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_format)
    elif isinstance(value, str):
        sheet.write_string(r, c, value)
    else:
        sheet.write(r, c, value)


def make_workbook(path: Path, indicators: list[dict], data: list[tuple] = (), settings: dict | None = None,
                  shape: str = "long", extra_sheets: dict[str, list[list]] | None = None,
                  indicator_headers: list[str] | None = None) -> Path:
    """``data`` rows are (ref, month, value[, numerator, denominator]); month is text or a date.

    shape: "long" (Data: Ref, Month, Value, ...), "wide" (Data: Ref then a column per month) or
    "monthly" (one sheet per month named by the month text).
    """
    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    headers = indicator_headers or INDICATOR_HEADERS
    sheet = book.add_worksheet("Indicators")
    sheet.write_row(0, 0, headers)
    for r, row in enumerate(indicators, start=1):
        for c, name in enumerate(headers):
            _write(sheet, r, c, row.get(name), date_format)
    if shape == "long":
        sheet = book.add_worksheet("Data")
        sheet.write_row(0, 0, ["Ref", "Month", "Value", "Numerator", "Denominator"])
        for r, row in enumerate(data, start=1):
            for c, value in enumerate(row):
                _write(sheet, r, c, value, date_format)
    elif shape == "wide":
        months = list(dict.fromkeys(row[1] for row in data))
        refs = list(dict.fromkeys(row[0] for row in data))
        sheet = book.add_worksheet("Data")
        sheet.write(0, 0, "Ref")
        for c, month in enumerate(months, start=1):
            _write(sheet, 0, c, month, date_format)
        lookup = {(row[0], row[1]): row[2] for row in data}
        for r, ref in enumerate(refs, start=1):
            sheet.write(r, 0, ref)
            for c, month in enumerate(months, start=1):
                _write(sheet, r, c, lookup.get((ref, month)), date_format)
    elif shape == "monthly":
        by_month: dict = {}
        for row in data:
            by_month.setdefault(row[1], []).append(row)
        for month, rows in by_month.items():
            sheet = book.add_worksheet(str(month))
            sheet.write_row(0, 0, ["Ref", "Value", "Numerator", "Denominator"])
            for r, row in enumerate(rows, start=1):
                _write(sheet, r, 0, row[0])
                for c, value in enumerate(row[2:], start=1):
                    _write(sheet, r, c, value, date_format)
    if settings:
        sheet = book.add_worksheet("Settings")
        for r, (key, value) in enumerate(settings.items()):
            sheet.write(r, 0, key)
            _write(sheet, r, 1, value, date_format)
    for name, rows in (extra_sheets or {}).items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _write(sheet, r, c, value, date_format)
    book.close()
    return path


def monthly_series(ref, start_year, start_month, values):
    """(ref, 'YYYY-MM', value) rows for consecutive months."""
    rows = []
    year, month = start_year, start_month
    for value in values:
        rows.append((ref, f"{year:04d}-{month:02d}", value))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return rows


def scaled_sample(directory: Path, times: int) -> Path:
    """The sample with each indicator repeated ``times`` times within its section."""
    import csv
    import io
    from importlib import resources

    import xlsxwriter

    def rows(name):
        text = resources.files("scorecard_xl.workbook_templates").joinpath(name).read_text(encoding="utf-8")
        return list(csv.DictReader(io.StringIO(text)))

    def cell(text):
        try:
            return float(text)
        except ValueError:
            return text

    path = directory / f"sample_x{times}.xlsx"
    indicators, data = rows("sample_indicators.csv"), rows("sample_data.csv")
    suffixes = [""] + [f"/{k}" for k in range(2, times + 1)]
    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
    sheet = book.add_worksheet("Indicators")
    headers = list(indicators[0])
    sheet.write_row(0, 0, headers)
    r = 1
    for row in indicators:
        for suffix in suffixes:
            copy = dict(row, Ref=row["Ref"] + suffix)
            for part in ("Numerator", "Denominator"):
                if copy[part] and copy[part] != "population":
                    copy[part] += suffix
            sheet.write_row(r, 0, [copy[h] for h in headers])
            r += 1
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, list(data[0]))
    r = 1
    for row in data:
        for suffix in suffixes:
            sheet.write_row(r, 0, [row["Ref"] + suffix] + [cell(row[k]) for k in list(row)[1:]])
            r += 1
    settings = book.add_worksheet("Settings")
    for i, row in enumerate(rows("sample_settings.csv")):
        settings.write_row(i, 0, [row["Key"], cell(row["Value"])])
    book.add_worksheet("Scorecard")
    book.close()
    return path


def type_commentary(path: Path, texts: dict[str, object]) -> None:
    """A person types commentary into the Scorecard, with another library than ours (openpyxl)."""
    remembered(path, _type_commentary, texts)  # once per process for the same workbook and texts


def _type_commentary(path: Path, texts: dict[str, object]) -> None:
    import openpyxl

    from typing_in import can_type, sheet_values, type_cells

    if can_type(texts.values()):  # text and numbers: typed into the sheet's part (tests/typing_in.py)
        cells = sheet_values(path, "Scorecard")
        header = next(ref[1:] for ref, value in cells.items() if ref[0] == "A" and value == "Ref.")
        column = next(ref.rstrip("0123456789") for ref, value in cells.items()
                      if ref.endswith(header) and ref[:-len(header)].isalpha() and str(value).startswith("Commentary"))
        rows = {value: ref[1:] for ref, value in cells.items()
                if ref[0] == "A" and ref[1:].isdigit() and int(ref[1:]) > int(header)}
        type_cells(path, "Scorecard", {f"{column}{rows[ref]}": text for ref, text in texts.items() if ref in rows})
        return
    book = openpyxl.load_workbook(path)
    sheet = book["Scorecard"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Ref.")
    column = next(c for c in range(1, sheet.max_column + 1)
                  if str(sheet.cell(header, c).value or "").startswith("Commentary"))
    for r in range(header + 1, sheet.max_row + 1):
        ref = sheet.cell(r, 1).value
        if ref in texts:
            cell = sheet.cell(r, column)
            cell.value = texts[ref]
            if isinstance(texts[ref], str) and texts[ref].startswith("="):
                cell.data_type = "s"  # typed as text ('=...), as Excel would store it
    book.save(path)


def refreshed_sample(path: Path, month: str | None = None) -> None:
    """The sample (`scorecard new --sample`) refreshed for ``month`` (None: its latest)."""
    from scorecard_xl.starter import write_starter
    from scorecard_xl.update.refresh import refresh

    write_starter(path, sample=True)
    refresh(path, month=month)


def sample_book(folder: Path, name: str = "book.xlsx", month: str | None = None) -> Path:
    """``folder``/``name``: the refreshed sample, with the backup its refresh kept; made once per test
    process and copied (tests/prepared.py), the same for every module that asks."""
    return prepared(folder / name, refreshed_sample, month)



def openpyxl_sheet(path: Path, name: str, **options):
    """The sheet called ``name`` as openpyxl reads it (``options`` for ``load_workbook``), without the
    cells and charts of the workbook's other sheets, which openpyxl would otherwise read first (the
    sample's Data sheet, every chart of a Board summary: most of the time of reading a page)."""
    import io
    import re
    import zipfile

    import openpyxl

    from damaged_packages import sheet_parts

    others = {part for sheet, part in sheet_parts(path) if sheet != name}
    their_links = {"/_rels/".join(part.rsplit("/", 1)) + ".rels" for part in others}
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in others:
                data = re.sub(rb"<sheetData\b[^>]*>.*</sheetData>", b"<sheetData/>", data, flags=re.S)
                data = re.sub(rb"<(?:legacyD|d)rawing\b[^>]*/>", b"", data)
            elif info.filename in their_links:
                data = b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
            copy.writestr(info, data)
    return openpyxl.load_workbook(buffer, **options)[name]
