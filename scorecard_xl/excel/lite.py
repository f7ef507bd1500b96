"""The scorecard in xlwings Lite: what a workbook's *Refresh scorecard* and *Check data* scripts do.

xlwings Lite runs Python inside Excel (Pyodide, on Windows, Mac and Excel on the web) and hands
a script the open workbook as xlwings' remote ``Book``: reads come from the values Excel sent
with the click, writes are queued as actions that Excel applies once the script returns. The
live backend therefore runs unchanged here; these functions only say what happened, with
``print``, because Lite shows printed text in its Output pane and has neither a status bar nor
message boxes.

Only what Pyodide provides is imported on this path (numpy, pandas, lxml, openpyxl, XlsxWriter
and pure-Python code; never python-calamine, msoffcrypto or rich), and nothing is read from or
written to disk: Lite's Python never sees the workbook's file. The workbook's ``main.py`` that
calls these is written by ``scorecard lite`` (``lite_code.py``).
"""

from __future__ import annotations

from ..problems import InputProblems, WorkbookError

# What the desktop and the command line do that Lite cannot, said once per Lite session: the
# things that write files (Lite has no file of the workbook to copy, nor a folder to put one in).
LITE_LIMITS = (
    "In xlwings Lite the scorecard changes the open workbook only: it cannot make the email copy "
    "(nor its PDF or email draft) and keeps no backup of the previous version. Excel's own version "
    "history (File > Info > Version History) stands in for the backup; make the email copy with the "
    "desktop add-in's Export for email button or with 'scorecard export' on the saved workbook."
)
_FAULT_ADVICE = "Pass this message, and the lines under it, to whoever supports the scorecard."
_limits_said = False


def refresh_scorecard(book) -> None:
    """Regenerate the Scorecard sheet of the open workbook, keeping the commentary typed in it."""
    from ..update.refresh import refresh

    try:
        report = _refusing_cleanly(book, lambda: refresh(book))
    except (InputProblems, WorkbookError) as failure:
        said = str(failure)
        unchanged = "" if "Nothing was changed" in said else "\nNothing in the workbook was changed."
        print(f"Scorecard not refreshed.\n{said}{unchanged}")
    else:
        print(report.summary())
    _say_limits_once()


def check_data(book) -> None:
    """List every problem and data-quality note of the open workbook; changes nothing."""
    from ..compute.months import month_label
    from ..update.refresh import check_book

    try:
        scorecard = _refusing_cleanly(book, lambda: check_book(book))
    except (InputProblems, WorkbookError) as failure:
        print(failure)  # the Output pane scrolls: every problem, not a message box's first few
    else:
        notes = scorecard.problems.notes
        print(f"No errors: {len(scorecard.indicators)} indicators, reporting month "
              f"{month_label(scorecard.reporting_month)}.")
        if notes:
            print(f"{len(notes)} data-quality note{'s' if len(notes) != 1 else ''}:")
            print("\n".join(f"  - {note}" for note in notes))
    _say_limits_once()


def _refusing_cleanly(book, work):
    """``work()``, with every change it queued discarded if it fails.

    Lite applies a script's queued actions when the script returns normally, so a refusal that
    came after the first write was queued would otherwise leave half a scorecard. A fault of
    ours is printed in plain words and raised again: Lite then applies nothing and shows the
    traceback, which is what support needs.
    """
    try:
        return work()
    except BaseException as failure:
        # Book.json() is the live record of the queued actions, not a copy of it.
        book.json()["actions"].clear()
        if not isinstance(failure, WorkbookError):
            from .alerts import plain_message

            print(plain_message(failure, _FAULT_ADVICE))
        raise


def _say_limits_once() -> None:
    global _limits_said
    if not _limits_said:
        _limits_said = True
        print(f"\n{LITE_LIMITS}")
