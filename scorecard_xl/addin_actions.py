"""The ribbon's other buttons (macros/ScorecardButtons.bas): Check data and Export for email."""

from __future__ import annotations

from pathlib import Path

from .excel_alerts import LISTED_IN_A_BOX, boxed_problems, on_clicked_book, tell
from .problems import InputProblems, WorkbookError


def check_data() -> None:
    """List every problem and data-quality note of the open workbook; changes nothing."""
    book, outcome = on_clicked_book(_check, "Scorecard data not checked")
    if outcome is not None:
        tell(book, *outcome)


def _check(book) -> tuple[str, str, str]:
    from .backends.xlwings_book import read_sheets
    from .engine import build_scorecard
    from .months import month_label

    try:
        scorecard = build_scorecard(read_sheets(book))
    except InputProblems as failure:
        return boxed_problems(failure), "Scorecard data: problems to fix", "critical"
    notes = scorecard.problems.notes
    lines = [f"No errors: {len(scorecard.indicators)} indicators, reporting month "
             f"{month_label(scorecard.reporting_month)}."]
    if notes:
        lines.append(f"{len(notes)} data-quality note{'s' if len(notes) != 1 else ''}:")
        lines += [f"- {note}" for note in notes[:LISTED_IN_A_BOX]]
        if len(notes) > LISTED_IN_A_BOX:
            lines.append(f"... and {len(notes) - LISTED_IN_A_BOX} more (run 'scorecard check' for all).")
    return "\n".join(lines), "Scorecard data", "info"


def export_for_email() -> None:
    """Write the email-ready copy of the saved workbook beside it, and say where."""
    book, message = on_clicked_book(_export, "Email copy not made")
    if message is not None:
        tell(book, message + "\n(Made from the saved file: save first if you have changed it since.)",
             "Email copy made")


def _export(book) -> str:
    from .export import export_for_email_from_path

    # A workbook opened from SharePoint or OneDrive has a web address, not a file, for a name.
    name = str(book.fullname)
    path = Path(name)
    if "://" in name or not path.exists():
        raise WorkbookError("Save the workbook to a folder on this computer first (File > Save a Copy): "
                            "the email copy is made from the saved file.")
    return export_for_email_from_path(path)
