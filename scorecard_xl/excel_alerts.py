"""What the ribbon buttons say to the person who clicked: one readable message box, never a traceback.

A message box cannot scroll, so long problem lists are cut short with a pointer to the command
that prints them all.
"""

from __future__ import annotations

import sys
from typing import Callable, TypeVar

from .problems import InputProblems, WorkbookError, file_error_text

LISTED_IN_A_BOX = 15
T = TypeVar("T")


def boxed_problems(failure: InputProblems, limit: int = LISTED_IN_A_BOX) -> str:
    """The problem list as a message box shows it: the first ``limit`` and a count of the rest."""
    lines = str(failure).splitlines()
    heading, items = lines[0], lines[1:]
    if len(items) <= limit:
        return str(failure)
    return "\n".join([heading, *items[:limit],
                      f"  ... and {len(items) - limit} more: run 'scorecard check' on the saved workbook "
                      "from a command prompt for the full list."])


def plain_message(failure: BaseException) -> str:
    """The failure in words the person clicking can act on."""
    if isinstance(failure, InputProblems):
        return boxed_problems(failure)
    if isinstance(failure, WorkbookError):
        return str(failure)
    if file_error_text(failure):
        return f"{file_error_text(failure)}. Nothing was saved."
    return (f"Something went wrong inside scorecard_xl ({type(failure).__name__}: {failure}). Nothing was "
            "saved. Save the workbook, then run 'scorecard check' and 'scorecard refresh' on a copy of it "
            "from a command prompt to see the details.")


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


def on_clicked_book(action: Callable[[object], T], failed_title: str) -> tuple[object, T | None]:
    """Run ``action(book)`` on the workbook whose button was clicked. Any failure, finding that
    workbook included, becomes one message box; the result is then None."""
    from . import active_book

    book = None
    try:
        book = active_book()
        return book, action(book)
    except Exception as failure:  # a bug of ours too: the person clicking cannot act on a traceback
        tell(book, plain_message(failure), failed_title, "critical")
        return book, None
