"""The `scorecard` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .problems import InputProblems, WorkbookError


def _table(args) -> int:
    from .engine import load_scorecard
    from .table import scorecard_table, to_csv, to_json

    scorecard = load_scorecard(args.book, args.month)
    table = scorecard_table(scorecard)
    sys.stdout.write(to_json(table) + "\n" if args.format == "json" else to_csv(table))
    return 0


def _check(args) -> int:
    from .engine import build_scorecard
    from .months import month_label
    from .reader import read_workbook

    sheets = read_workbook(args.book)
    try:
        scorecard = build_scorecard(sheets, args.month)
    except InputProblems as failure:
        print(failure)
        return 1
    notes = scorecard.problems.notes
    print(f"{Path(args.book).name}: no errors. {len(scorecard.indicators)} indicators, "
          f"reporting month {month_label(scorecard.reporting_month)}.")
    if notes:
        print(f"{len(notes)} data-quality note{'s' if len(notes) != 1 else ''}:")
        for note in notes:
            print(f"  - {note}")
    return 0


def _new(args) -> int:
    from .starter import write_starter

    path = write_starter(args.book, sample=args.sample)
    print(f"Wrote {path}{' with the sample data' if args.sample else ''}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scorecard", description="Children's-services performance scorecards.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    table = commands.add_parser("table", help="print every measure, one row per indicator")
    table.add_argument("book", type=Path)
    table.add_argument("--month", help="reporting month, e.g. Feb-21 (default: Settings, else latest)")
    table.add_argument("--format", choices=("csv", "json"), default="csv")
    table.set_defaults(run=_table)

    check = commands.add_parser("check", help="list every problem and data-quality note")
    check.add_argument("book", type=Path)
    check.add_argument("--month")
    check.set_defaults(run=_check)

    new = commands.add_parser("new", help="write a starter workbook")
    new.add_argument("book", type=Path)
    new.add_argument("--sample", action="store_true", help="fill it with realistic sample data")
    new.set_defaults(run=_new)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except InputProblems as failure:
        print(failure, file=sys.stderr)
        return 1
    except WorkbookError as failure:
        print(f"scorecard: {failure}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
