"""The `scorecard` command."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .problems import InputProblems, WorkbookError, file_error, file_error_text


def _table(args) -> int:
    from .compute.engine import load_scorecard
    from .pages.table import scorecard_table, to_csv, to_json

    scorecard = load_scorecard(args.book, args.month)
    table = scorecard_table(scorecard)
    sys.stdout.write(to_json(table) + "\n" if args.format == "json" else to_csv(table))
    return 0


def _check(args) -> int:
    from .compute.months import month_label
    from .update.refresh import check_file

    try:
        scorecard = check_file(Path(args.book), args.month)
    except InputProblems as failure:
        print(failure)
        _explain(args)
        return 1
    notes = scorecard.problems.notes
    print(f"{Path(args.book).name}: no errors. {len(scorecard.indicators)} indicators, "
          f"reporting month {month_label(scorecard.reporting_month)}.")
    if notes:
        print(f"{len(notes)} data-quality note{'s' if len(notes) != 1 else ''}:")
        for note in notes:
            print(f"  - {note}")
    _explain(args)
    return 0


def _explain(args) -> None:
    """With --explain, what each indicator was read as (errors or not: the reading is what an
    officer needs to see then)."""
    if not args.explain:
        return
    from .compute.engine import parse_workbook
    from .compute.explain import explain
    from .compute.sheets import scorecard_sheets

    sheets = scorecard_sheets(args.book)

    print("How each indicator is read:")
    for line in explain(parse_workbook(sheets)):
        print(f"  {line}")


def _new(args) -> int:
    from .starter import write_starter

    path = write_starter(args.book, sample=args.sample)
    print(f"Wrote {path}{' with the sample data' if args.sample else ''}.")
    return 0


def _refresh(args) -> int:
    from .update.refresh import refresh

    with _progress("Refreshing the scorecard"):
        report = refresh(args.book, month=args.month, out=args.out, carry_commentary=args.carry_commentary)
    print(report.summary())
    return 0


def _demo(args) -> int:
    from .demo import run_demo

    with _progress("Building the demo"):
        result = run_demo(args.out)
    print(result)
    return 0


def _export(args) -> int:
    from .send.export import export_copy

    with _progress("Making the email-ready copy"):
        result = export_copy(args.book, out=args.out, pdf=args.pdf, eml=args.eml, suppress=args.suppress,
                             month=args.month, include_commentary=not args.no_commentary,
                             include_comments=args.history)
    print(result.summary())
    return 0


def _lite(args) -> int:
    from . import __version__
    from .excel.lite_code import write_lite_files

    main, requirements = write_lite_files(args.out, __version__, args.wheel_url)
    print(f"Wrote {main} and {requirements}. In Excel: open the workbook, start xlwings Lite (Home > "
          "Add-ins > xlwings Lite), paste requirements.txt into its requirements.txt tab and restart xlwings "
          "Lite when it asks, then paste main.py into its main.py tab. The Refresh scorecard and Check data "
          "scripts appear under the editor's run button.")
    if args.wheel_url is None:
        print("Until scorecard_xl is on the Python package index, give the address of a wheel your "
              "organisation hosts: scorecard lite --out DIR --wheel-url https://.../scorecard_xl-"
              f"{__version__}-py3-none-any.whl (see the README, 'Without installing Python').")
    return 0


def _addin_build(args) -> int:
    from .excel.addin import build_addins

    paths = build_addins(args.out)
    print(f"Wrote the Scorecard tab's add-ins, one per button: {', '.join(p.name for p in paths)} in {args.out}. "
          f"On Windows or Mac install them with: scorecard addin install --from \"{args.out}\"")
    return 0


def _addin_install(args) -> int:
    from .excel.addin import check_configuration, install_addins, missing_addins, user_config_path

    paths = install_addins(args.from_folder)
    print(f"Installed {', '.join(str(p) for p in paths)}. Their settings are in {user_config_path()}. "
          "Restart Excel to see the Scorecard tab.")
    return _report_configuration(check_configuration() + missing_addins())


def _addin_check(args) -> int:
    from .excel.addin import check_configuration, missing_addins

    return _report_configuration(check_configuration(workbook=args.workbook) + missing_addins())


def _report_configuration(messages: list[str]) -> int:
    if not messages:
        print("The add-in's settings are complete.")
    for message in messages:
        print(f"  - {message}")
    return 1 if messages else 0


class _progress:
    """A spinner on the terminal when the work takes more than a second; silent otherwise."""

    def __init__(self, message: str):
        self.message = message
        self.status = None
        self.timer = None

    def __enter__(self):
        import threading

        if not sys.stderr.isatty():
            return self

        def show():
            from rich.console import Console
            self.status = Console(stderr=True).status(self.message + "...")
            self.status.start()
        self.timer = threading.Timer(1.0, show)
        self.timer.start()
        return self

    def __exit__(self, *exc):
        if self.timer:
            self.timer.cancel()
        if self.status:
            self.status.stop()
        return False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scorecard", description="Children's-services performance scorecards.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    table = commands.add_parser("table", help="print every measure, one row per indicator")
    table.add_argument("book", type=Path)
    table.add_argument("--month", help="reporting month, e.g. Feb-21 (default: Settings, else latest)")
    table.add_argument("--format", choices=("csv", "json"), default="csv")
    table.set_defaults(run=_table)

    check = commands.add_parser("check", help="list every problem a refresh would meet, and the data-quality "
                                              "notes; changes nothing")
    check.add_argument("book", type=Path)
    check.add_argument("--month")
    check.add_argument("--explain", action="store_true", help="also say, for each indicator, its kind, year-to-date "
                       "rule, decimals, percent reading and DoT band, and whether each was typed or inferred")
    check.set_defaults(run=_check)

    new = commands.add_parser("new", help="write a starter workbook")
    new.add_argument("book", type=Path)
    new.add_argument("--sample", action="store_true", help="fill it with realistic sample data")
    new.set_defaults(run=_new)

    refresh = commands.add_parser("refresh", help="regenerate the Scorecard (and the other pages the Settings "
                                                  "choose) in place")
    refresh.add_argument("book", type=Path)
    refresh.add_argument("--month", help="reporting month, e.g. Feb-21 (default: Settings, else latest)")
    refresh.add_argument("--out", type=Path, help="write the refreshed workbook here instead of in place")
    refresh.add_argument("--carry-commentary", action="store_true",
                         help="keep last month's commentary in the new month's column (it is archived too)")
    refresh.set_defaults(run=_refresh)

    demo = commands.add_parser("demo", help="make the sample workbook, refresh it and (with LibreOffice) a PDF")
    demo.add_argument("--out", type=Path, default=Path("scorecard-demo"), help="folder for the demo files")
    demo.set_defaults(run=_demo)

    export = commands.add_parser("export", help="write the email-ready copy: the Board summary and the chosen "
                                                "pages, values only")
    export.add_argument("book", type=Path)
    export.add_argument("--out", type=Path, help="the copy's file name (default: '<Title> <Mmm-YY>.xlsx' beside the book)")
    export.add_argument("--pdf", action="store_true", help="also make a PDF of the copy (needs LibreOffice)")
    export.add_argument("--eml", nargs="+", metavar="ADDRESS", help="also make an email draft (.eml) to these addresses")
    export.add_argument("--suppress", action="store_true", help="show counts of 1 to 5 as c (DfE convention, for publishing)")
    export.add_argument("--month", help="reporting month, e.g. Feb-21 (default: the month the Scorecard was refreshed for)")
    export.add_argument("--no-commentary", action="store_true", help="leave the Commentary column empty")
    export.add_argument("--history", action="store_true", help="add a Commentary sheet with the Commentary history")
    export.set_defaults(run=_export)

    lite = commands.add_parser("lite", help="write main.py and requirements.txt for xlwings Lite (no Python to install)")
    lite.add_argument("--out", type=Path, default=Path("scorecard-lite"), help="folder for the two files "
                      "(default: scorecard-lite)")
    lite.add_argument("--wheel-url", metavar="URL", help="install scorecard_xl from this wheel's https:// address "
                      "instead of the package index")
    lite.set_defaults(run=_lite)

    addin = commands.add_parser("addin", help="build, install or check the Excel add-ins (the Scorecard ribbon tab)")
    actions = addin.add_subparsers(dest="addin_command", required=True, metavar="ACTION")
    addin_build = actions.add_parser("build", help="make the add-ins, one per button of the Scorecard tab")
    addin_build.add_argument("--out", type=Path, default=Path("."), help="folder for the add-ins (default: here)")
    addin_build.set_defaults(run=_addin_build)
    addin_install = actions.add_parser("install", help="copy the add-ins into Excel's start-up folder (Windows or Mac)")
    addin_install.add_argument("--from", dest="from_folder", type=Path, metavar="DIR",
                               help="a folder of add-ins built before (default: build fresh ones)")
    addin_install.set_defaults(run=_addin_install)
    addin_check = actions.add_parser("check", help="list the add-ins and settings that are missing, and how to fix them")
    addin_check.add_argument("--workbook", type=Path, help="also read this workbook's myaddin.conf sheet and folder")
    addin_check.set_defaults(run=_addin_check)
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
    except Exception as failure:
        from .update.saving import disk_full

        if disk_full(failure):  # met outside the save step (a PDF, an email draft): one line all the same
            print("scorecard: there is not enough space on the disk to finish. Free some space, then try again.",
                  file=sys.stderr)
            return 2
        if not _about_given_files(failure, args):  # a bug of ours: the traceback is what a report needs
            raise
        print(f"scorecard: {file_error_text(failure)}", file=sys.stderr)
        return 2


def _about_given_files(failure: BaseException, args) -> bool:
    """Whether ``failure`` is the file system refusing a path the person gave (or a file beside it),
    as opposed to, say, a file of the package itself going missing."""
    error = file_error(failure)
    if error is None or not error.filename:
        return False
    from .update.saving import BACKUP_FOLDER

    failed = Path(os.fsdecode(error.filename)).resolve()
    for path in (value.resolve() for value in vars(args).values() if isinstance(value, Path)):
        beside = failed.parent == path.parent or (failed.parent.name == BACKUP_FOLDER and
                                                  failed.parent.parent == path.parent)
        if failed == path or path in failed.parents or beside:  # the path, inside it, or its temp file or backup
            return True
    return False


if __name__ == "__main__":
    sys.exit(main())
