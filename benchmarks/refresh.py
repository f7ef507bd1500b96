"""Benchmark: the whole `scorecard refresh` process vs an openpyxl load-and-save of the same file.

    python benchmarks/refresh.py [--repeat 3]

Cases: (a) the sample workbook; (b) the sample plus a 50,000-row raw export sheet and three
charts. Every timing is a whole new process (interpreter start and imports included), the
median of --repeat runs, each on a fresh copy. The ratio column is refresh / openpyxl; the
refresh should cost what the Scorecard costs, not what the workbook weighs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OPENPYXL_ROUND_TRIP = ("import sys, openpyxl; b = openpyxl.load_workbook(sys.argv[1], keep_vba=True); "
                       "b.save(sys.argv[1])")


def build_cases(directory: Path) -> dict[str, Path]:
    import openpyxl  # noqa: F401  (fail early if missing)
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from scorecard_xl.starter import write_placeholder, write_starter

    sample = directory / "sample.xlsx"
    write_starter(sample, sample=True)

    # (b): the same contract sheets, plus what a real workbook accumulates.
    big = directory / "sample_plus_export.xlsx"
    source = CalamineWorkbook.from_path(str(sample))
    book = xlsxwriter.Workbook(str(big), {"constant_memory": False})
    for name in source.sheet_names:
        sheet = book.add_worksheet(name)
        if name == "Scorecard":
            write_placeholder(book, sheet)  # as `scorecard new` marks it: A1 is the tool's
            continue
        for r, row in enumerate(source.get_sheet_by_name(name).to_python(skip_empty_area=False)):
            for c, value in enumerate(row):
                if value != "":
                    sheet.write(r, c, value if not hasattr(value, "year") else str(value))
    export = book.add_worksheet("Raw export")
    export.write_row(0, 0, ["Case ID", "Child ID", "Team", "Contact date", "Outcome", "Days open"])
    for r in range(1, 50_001):
        export.write_row(r, 0, [f"C{r:07d}", f"P{(r * 7919) % 90_000:06d}", f"Team {r % 12}",
                                f"2020-{r % 12 + 1:02d}-{r % 28 + 1:02d}", ("NFA", "CIN", "CP", "EH")[r % 4], r % 97])
    charts = book.add_worksheet("Charts")
    for n in range(3):
        chart = book.add_chart({"type": "line"})
        chart.add_series({"values": ["Raw export", 1, 5, 400, 5], "name": f"Series {n}"})
        charts.insert_chart(n * 18, 1, chart)
    book.close()
    return {"a: sample workbook": sample, "b: sample + 50,000-row export + 3 charts": big}


def timed(command: list[str], workbook: Path, repeat: int, scratch: Path) -> float:
    times = []
    for _ in range(repeat):
        copy = scratch / ("run" + workbook.suffix)
        shutil.copy(workbook, copy)
        started = time.perf_counter()
        result = subprocess.run(command + [str(copy)], capture_output=True, text=True)
        if result.returncode:
            raise SystemExit(f"{' '.join(command[:4])} failed:\n{result.stderr}")
        times.append(time.perf_counter() - started)
        shutil.rmtree(scratch / "scorecard backups", ignore_errors=True)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scorecard = [sys.executable, "-m", "scorecard_xl.cli", "refresh"]
    openpyxl_cmd = [sys.executable, "-c", OPENPYXL_ROUND_TRIP]
    print(f"{'case':45} {'size MB':>8} {'refresh s':>10} {'openpyxl s':>11} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as directory:
        directory = Path(directory)
        for name, workbook in build_cases(directory).items():
            scratch = directory / "scratch"
            scratch.mkdir(exist_ok=True)
            ours = timed(scorecard, workbook, args.repeat, scratch)
            theirs = timed(openpyxl_cmd, workbook, args.repeat, scratch)
            size = workbook.stat().st_size / 1e6
            print(f"{name:45} {size:>8.2f} {ours:>10.2f} {theirs:>11.2f} {ours / theirs:>6.2f}")


if __name__ == "__main__":
    main()
