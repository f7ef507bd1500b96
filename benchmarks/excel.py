"""Benchmark: the Excel side. Worksheet-function cost, and xlwings calls per refresh.

    python benchmarks/excel.py

1. Python-side cost of one =DOT(...) call and of =DOTS(...) over a 10,000-row block
   (benchmarks/excel_functions.py).
2. The number of calls the live writer makes to Excel for a refresh of the sample and of a
   4x larger scorecard, against a naive writer that sets each cell's value and each of its
   formatting properties one call at a time. Counted with xlwings' remote engine, which
   records each call as an action.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))


def naive_calls(plan) -> int:
    """What a cell-by-cell writer would send: a value call, then one call per set property."""
    calls = 0
    for cell in plan.cells.values():
        calls += 1
        style = plan.styles.get(cell.style) if cell.style else None
        if style:
            calls += sum(1 for name in ("fill", "bold", "italic", "font_size", "font_color", "num_format",
                                        "horizontal", "vertical", "wrap") if getattr(style, name))
    return calls + len(plan.column_widths) + len(plan.row_heights) + len(plan.merges) + 2


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
    book = xlsxwriter.Workbook(str(path))
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


def count_calls(path: Path) -> tuple[int, int, int]:
    from remote_book import open_remote

    from scorecard_xl.backends.xlwings_book import refresh_book
    from scorecard_xl.engine import load_scorecard
    from scorecard_xl.layout import monthly_layout

    book = open_remote(path)
    refresh_book(book)
    plan = monthly_layout(load_scorecard(path))
    return len(plan.row_keys), len(book.json()["actions"]), naive_calls(plan)


def main() -> None:
    try:
        from excel_functions import main as functions_main
    except ImportError:
        functions_main = None
    if functions_main:
        functions_main()
        print()
    print(f"{'workbook':22} {'indicators':>10} {'live writer calls':>18} {'naive calls':>12} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as directory:
        for times in (1, 4):
            indicators, ours, naive = count_calls(scaled_sample(Path(directory), times))
            print(f"{'sample x' + str(times):22} {indicators:>10} {ours:>18} {naive:>12} {naive / ours:>7.1f}")


if __name__ == "__main__":
    main()
