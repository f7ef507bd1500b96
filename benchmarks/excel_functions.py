"""Benchmark: the Python cost of the worksheet functions, as Excel calls them.

    python benchmarks/excel_functions.py            # full run
    python benchmarks/excel_functions.py --quick    # fewer repeats, for a smoke test

Targets (docs/design.md §8 and the worksheet functions): one =DOT(...) call under 100 µs; =DOTS(...) over a block of
10,000 indicators x 7 months under 50 ms. Inputs are what xlwings hands a function: lists of
Python floats with None for blanks and the odd placeholder, number stored as text and error.
Times are medians over repeats (timeit), so a stray pause on the machine does not count.
Only the function itself is timed, not Excel's or xlwings' marshalling of the range.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scorecard_xl.excel.udfs import DOT, DOTS  # noqa: E402

DOT_TARGET_US = 100.0
DOTS_TARGET_MS = 50.0
ROWS, MONTHS = 10_000, 7
POLARITIES = ["High", "Low", "Info", "Within limits"]


def excel_block(rows: int, months: int, seed: int = 1) -> list[list]:
    """A block as xlwings delivers it: floats, None for blanks, some placeholders and text."""
    rng = np.random.default_rng(seed)
    values = np.round(rng.uniform(5, 2000, size=(rows, 1)) * rng.normal(1, 0.1, size=(rows, months)), 1)
    block = values.tolist()
    odd = rng.random((rows, months))
    for r, c in zip(*np.nonzero(odd < 0.05)):
        block[r][c] = None
    for r, c in zip(*np.nonzero((odd >= 0.05) & (odd < 0.06))):
        block[r][c] = ["tbc", "-", "1,234", "58.3%", "#N/A"][(r + c) % 5]
    return block


def median_seconds(statement, number: int, repeat: int) -> float:
    """Median over ``repeat`` runs of the time of one call (each run makes ``number`` calls)."""
    return statistics.median(t / number for t in timeit.repeat(statement, number=number, repeat=repeat))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    repeat = 5 if args.quick else 31

    row = [0.507, 0.508, None, "tbc", "57.2%", 0.583, None]  # a scorecard row of 7 months
    assert DOT(row, "High") == "\u2191"
    dot_us = median_seconds(lambda: DOT(row, "High"), number=2000, repeat=repeat) * 1e6

    block = excel_block(ROWS, MONTHS)
    polarities = [[POLARITIES[i % 4]] for i in range(ROWS)]  # a column, as Excel passes it
    arrows = DOTS(block, polarities)
    assert len(arrows) == ROWS and arrows[:50] == [DOT(r, p[0]) for r, p in zip(block[:50], polarities[:50])]
    dots_ms = median_seconds(lambda: DOTS(block, polarities), number=1, repeat=max(repeat // 3, 3)) * 1e3

    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}")
    print(f"{'function':<34}{'median':>12}{'target':>12}  ok")
    print(f"{'DOT, one row of 7 months':<34}{dot_us:>9.1f} µs{DOT_TARGET_US:>9.0f} µs  "
          f"{'yes' if dot_us < DOT_TARGET_US else 'NO'}")
    print(f"{f'DOTS, {ROWS:,} rows x {MONTHS} months':<34}{dots_ms:>9.1f} ms{DOTS_TARGET_MS:>9.0f} ms  "
          f"{'yes' if dots_ms < DOTS_TARGET_MS else 'NO'}")
    print(f"DOTS per row: {dots_ms * 1e3 / ROWS:.2f} µs, {dot_us / (dots_ms * 1e3 / ROWS):.0f}x cheaper than "
          "a DOT call per row")
    return 0 if dot_us < DOT_TARGET_US and dots_ms < DOTS_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
