"""scorecard_xl: monthly performance scorecards for children's services, in Excel."""

from .problems import InputProblems, Problem, WorkbookError

__version__ = "0.1.0"


def refresh(target, month=None, out=None, carry_commentary=False):
    """Refresh the Scorecard of ``target``: a workbook path, or an open ``xlwings.Book``."""
    from .update.refresh import refresh as _refresh

    return _refresh(target, month=month, out=out, carry_commentary=carry_commentary)


def main():
    """The add-in's entry point (the ribbon's Refresh scorecard button).

    Refreshes the active workbook; success goes to the status bar, failure to a message box
    in plain English (no traceback: the person clicking cannot act on one).
    """
    from .excel.alerts import on_clicked_book, tell

    book, report = on_clicked_book(refresh, "Scorecard not refreshed",
                                   "Save the workbook, then run 'scorecard refresh' on a copy of it from a "
                                   "command prompt to see the details.")
    if report is None:
        return
    message = " ".join(report.summary().splitlines()[:2])
    try:
        book.app.status_bar = message
    except Exception:  # Excel on the web has no status bar
        tell(book, message, "Scorecard refreshed")


__all__ = ["InputProblems", "Problem", "WorkbookError", "main", "refresh", "__version__"]
