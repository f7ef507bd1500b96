"""The ribbon's other buttons, Check data and Export for email (each its own add-in: excel/check_button.py, excel/export_button.py)."""

from __future__ import annotations

from pathlib import Path

from .alerts import boxed_problems, capped_list, on_clicked_book, tell
from ..problems import InputProblems, WorkbookError


def check_data() -> None:
    """List every problem and data-quality note of the open workbook; changes nothing."""
    book, outcome = on_clicked_book(_check, "Scorecard data not checked",
                                    "Save the workbook, then run 'scorecard check' on it from a command prompt.")
    if outcome is not None:
        tell(book, *outcome)


def _check(book) -> tuple[str, str, str]:
    from ..compute.months import month_label
    from ..update.refresh import check_book

    try:
        scorecard = check_book(book)
    except InputProblems as failure:
        return boxed_problems(failure), "Scorecard data: problems to fix", "critical"
    except WorkbookError as refused:  # what a refresh would refuse (a person's content in its way, say)
        return str(refused), "Scorecard data: problems to fix", "critical"
    notes = scorecard.problems.notes
    lines = [f"No errors: {len(scorecard.indicators)} indicators, reporting month "
             f"{month_label(scorecard.reporting_month)}."]
    if notes:
        lines.append(f"{len(notes)} data-quality note{'s' if len(notes) != 1 else ''}:")
        lines += capped_list(notes, "run 'scorecard check' on the saved workbook for all of them.")
    return "\n".join(lines), "Scorecard data", "info"


def export_for_email() -> None:
    """Write the email-ready copy of the saved workbook beside it, and say where."""
    book, message = on_clicked_book(_export, "Email copy not made",
                                    "Run 'scorecard export' on the saved workbook from a command prompt.")
    if message is not None:
        tell(book, message + "\n(Made from the saved file: save first if you have changed it since.)",
             "Email copy made")


def _export(book) -> str:
    from ..send.export import export_for_email_from_path

    # A workbook opened from SharePoint or OneDrive has a web address for a name; xlwings turns it
    # into the synced local file when it can, and fails when it cannot.
    try:
        name = str(book.fullname)
    except Exception:
        name = ""
    if not name or "://" in name or not Path(name).exists():
        raise WorkbookError("Save the workbook to a folder on this computer first (File > Save a Copy): "
                            "the email copy is made from the saved file.")
    return export_for_email_from_path(Path(name))
