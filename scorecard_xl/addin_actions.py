"""The ribbon's other buttons (macros/ScorecardButtons.bas): Check data and Export for email."""

from __future__ import annotations

from pathlib import Path

from . import active_book
from .problems import InputProblems, WorkbookError


def check_data() -> None:
    """List every problem and data-quality note of the open workbook; changes nothing."""
    from .backends.xlwings_book import read_sheets
    from .engine import build_scorecard
    from .months import month_label

    book = active_book()
    try:
        scorecard = build_scorecard(read_sheets(book))
    except InputProblems as failure:
        book.app.alert(str(failure), title="Scorecard data: problems to fix", mode="critical")
        return
    notes = scorecard.problems.notes
    lines = [f"No errors: {len(scorecard.indicators)} indicators, reporting month "
             f"{month_label(scorecard.reporting_month)}."]
    if notes:
        lines.append(f"{len(notes)} data-quality note{'s' if len(notes) != 1 else ''}:")
        lines += [f"- {note}" for note in notes[:15]]
        if len(notes) > 15:
            lines.append(f"... and {len(notes) - 15} more (run 'scorecard check' for all).")
    book.app.alert("\n".join(lines), title="Scorecard data", mode="info")


def export_for_email() -> None:
    """Write the email-ready copy of the saved workbook beside it, and say where."""
    from .export import export_for_email_from_path

    book = active_book()
    try:
        path = Path(book.fullname)
        if not path.exists():
            raise WorkbookError("Save the workbook first: the email copy is made from the saved file.")
        message = export_for_email_from_path(path)
    except WorkbookError as failure:
        book.app.alert(str(failure), title="Email copy not made", mode="critical")
        return
    book.app.alert(message + "\n(Made from the saved file: save first if you have changed it since.)",
                   title="Email copy made", mode="info")
