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


def count_calls(path: Path) -> tuple[int, int, int]:
    from remote_book import open_remote

    from scorecard_xl.update.refresh import refresh_book
    from scorecard_xl.compute.engine import load_scorecard
    from scorecard_xl.pages.scorecard import monthly_layout

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
            from workbooks import scaled_sample
            indicators, ours, naive = count_calls(scaled_sample(Path(directory), times))
            print(f"{'sample x' + str(times):22} {indicators:>10} {ours:>18} {naive:>12} {naive / ours:>7.1f}")


if __name__ == "__main__":
    main()
