"""scorecard_xl: monthly performance scorecards for children's services, in Excel."""

from .problems import InputProblems, Problem, WorkbookError

__version__ = "0.1.0"


def refresh(target, month=None, out=None, carry_commentary=False):
    """Refresh the Scorecard of ``target``: a workbook path, or an open ``xlwings.Book``."""
    from .refreshing import refresh as _refresh

    return _refresh(target, month=month, out=out, carry_commentary=carry_commentary)


def active_book():
    """The workbook whose button was clicked (Book.caller finds the right Excel when several run)."""
    import xlwings as xw

    try:
        return xw.Book.caller()
    except Exception:
        return xw.books.active


def main():
    """The add-in's entry point (the ribbon's Refresh scorecard button).

    Refreshes the active workbook; success goes to the status bar, failure to a message box
    in plain English (no traceback: the person clicking cannot act on one).
    """
    book = active_book()
    try:
        report = refresh(book)
    except WorkbookError as failure:  # InputProblems included
        book.app.alert(str(failure), title="Scorecard not refreshed", mode="critical")
        return
    except Exception as failure:  # a bug of ours: still no traceback for the person clicking
        book.app.alert(f"Something went wrong inside scorecard_xl ({type(failure).__name__}: {failure}). "
                       "Your workbook was not changed by the failed step. Run 'scorecard refresh' on a saved "
                       "copy from a command prompt to see the details.", title="Scorecard not refreshed",
                       mode="critical")
        return
    message = " ".join(report.summary().splitlines()[:2])
    try:
        book.app.status_bar = message
    except Exception:  # Excel on the web has no status bar
        book.app.alert(message, title="Scorecard refreshed", mode="info")


__all__ = ["InputProblems", "Problem", "WorkbookError", "main", "refresh", "__version__"]
