"""What the ribbon buttons say to the person who clicked: one readable message box, never a traceback.

A message box cannot scroll, so long problem lists are cut short with a pointer to the command
that prints them all.
"""

from __future__ import annotations

import sys
from typing import Callable, TypeVar

from ..problems import InputProblems, WorkbookError, file_error_text

LISTED_IN_A_BOX = 15
T = TypeVar("T")


class NoWorkbook(Exception):
    """No workbook could be found for the button that was clicked."""


def capped_list(items: list, more: str, limit: int = LISTED_IN_A_BOX) -> list[str]:
    """The first ``limit`` items as '  - item' lines, then one line saying how many more there are."""
    lines = [f"  - {item}" for item in items[:limit]]
    if len(items) > limit:
        lines.append(f"  ... and {len(items) - limit} more: {more}")
    return lines


def boxed_problems(failure: InputProblems) -> str:
    """The problem list as a message box shows it: the first problems and a count of the rest."""
    count = len(failure.problems)
    return "\n".join([f"The workbook has {count} problem{'s' if count != 1 else ''} to fix first:",
                      *capped_list(failure.problems, "run 'scorecard check' on the saved workbook from a "
                                                     "command prompt for the full list.")])


def plain_message(failure: BaseException, advice: str) -> str:
    """The failure in words the person clicking can act on; ``advice`` says what to try when the
    failure is a fault of ours."""
    if isinstance(failure, InputProblems):
        return boxed_problems(failure)
    if isinstance(failure, WorkbookError):
        return str(failure)
    if isinstance(failure, NoWorkbook):
        return "No workbook is open here. Open the scorecard workbook, then click the button in its window."
    if file_error_text(failure):
        return f"{file_error_text(failure)}. Nothing was saved."
    # The last line is for whoever supports the add-in: the person clicking can pass it on.
    return (f"scorecard_xl could not finish, through a fault of its own. Nothing was saved. {advice}\n\n"
            f"(For support: {type(failure).__name__}: {failure})")


def tell(book, text: str, title: str, mode: str = "info") -> None:
    """A message box in the clicked workbook's Excel; if even that fails, the message goes to stderr
    (xlwings shows it) rather than a second, confusing error."""
    try:
        if book is None:
            import xlwings as xw

            xw.apps.active.alert(text, title=title, mode=mode)
        else:
            book.app.alert(text, title=title, mode=mode)
    except Exception:
        print(f"{title}: {text}", file=sys.stderr)


def active_book():
    """The workbook whose button was clicked (Book.caller finds the right Excel when several run)."""
    import xlwings as xw

    try:
        return xw.Book.caller()
    except Exception:
        return xw.books.active


def on_clicked_book(action: Callable[[object], T], failed_title: str, advice: str) -> tuple[object, T | None]:
    """Run ``action(book)`` on the workbook whose button was clicked. Any failure, finding that
    workbook included, becomes one message box; the result is then None."""
    book = None
    try:
        try:
            book = active_book()
        except Exception as failure:
            raise NoWorkbook() from failure
        return book, action(book)
    except Exception as failure:  # a bug of ours too: the person clicking cannot act on a traceback
        tell(book, plain_message(failure, advice), failed_title, "critical")
        return book, None
