"""scorecard_xl: monthly performance scorecards for children's services, in Excel."""

from .problems import InputProblems, Problem, WorkbookError

__version__ = "0.1.0"


def refresh(target, month=None, out=None, carry_commentary=False):
    """Refresh the Scorecard of ``target``: a workbook path, or an open ``xlwings.Book``."""
    from .refreshing import refresh as _refresh

    return _refresh(target, month=month, out=out, carry_commentary=carry_commentary)


def main():
    """The add-in's entry point (the ribbon's Refresh scorecard button).

    Refreshes the active workbook; success goes to the status bar, failure to a message box
    in plain English (no traceback: the person clicking cannot act on one).
    """
    import xlwings as xw

    try:
        book = xw.Book.caller()
    except Exception:
        book = xw.books.active
    try:
        report = refresh(book)
    except WorkbookError as failure:  # InputProblems included
        book.app.alert(str(failure), title="Scorecard not refreshed", mode="critical")
        return
    message = " ".join(report.summary().splitlines()[:2])
    try:
        book.app.status_bar = message
    except Exception:  # Excel on the web has no status bar
        book.app.alert(message, title="Scorecard refreshed", mode="info")


__all__ = ["InputProblems", "Problem", "WorkbookError", "main", "refresh", "__version__"]
