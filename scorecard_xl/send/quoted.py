"""Commentary and headlines that quote a small number (README: Sending it).

Under --suppress the copy shows counts of 1 to 5 as c, but what people typed is theirs and goes into
the copy as typed: the export lists each commentary or headline cell that quotes a number from 1 to
5, and each such archived commentary when the copy carries the history, by its cell in the workbook,
so the officer can reword it before sending.
"""

from __future__ import annotations

import re

from ..addressing import cell_name, cell_reference
from ..backends.record import MANUAL_COLUMN
from ..pages.board import HEADLINE
from ..pages.board_text import typed_text
from ..update.manual import HISTORY_TEXT_COLUMN, history_rows
from ..update.typed import TypedPage

# A whole number from 1 to 5 standing alone: not part of a larger number (35, 10,000, 3.5), a
# percentage (3%), a word or code (Q3, M5, 1st), a range or a date written with digits (0-17, 1/5).
SMALL_NUMBER = re.compile(r"(?<![\w.,/£$€-])[1-5](?![\w%]|[.,:/-]?\d)")
QUOTED = 60  # characters of the text quoted in the list


def quotes_small_number(text: str) -> bool:
    return SMALL_NUMBER.search(text) is not None


def quoted_small_numbers(pages: list[TypedPage], keys=(MANUAL_COLUMN, HEADLINE)) -> list[str]:
    """'Scorecard!U10: "Just 3 children…"' for each cell of those manual columns, copied into the
    copy, whose text quotes a number from 1 to 5; in the pages' order, then the sheet's."""
    found = []
    for page in pages:
        for key in keys:
            content, carried = page.previous.get(key), page.carried.get(key)
            if content is None or carried is None:
                continue
            for ref, cell in sorted(content.cells.items(), key=lambda item: item[1]):
                text = typed_text(content.by_ref[ref])
                if ref in carried.placed and quotes_small_number(text):
                    found.append(_listed(page.plan.name, cell, text))
    return found


def quoted_in_history(history: dict[tuple[int, int], object] | None, sheet_name: str) -> list[str]:
    """The same for the commentary history a copy carries (--history), each Text cell by its cell
    in the workbook's history sheet ``sheet_name``."""
    found = []
    for row, _, _, typed in history_rows(history):
        text = typed_text(typed)
        if quotes_small_number(text):
            found.append(_listed(sheet_name, (row, HISTORY_TEXT_COLUMN), text))
    return found


def _listed(sheet_name: str, cell: tuple[int, int], text: str) -> str:
    quoted = text if len(text) <= QUOTED else text[:QUOTED].rstrip() + "\u2026"
    return f'{cell_reference(sheet_name, cell_name(*cell))}: "{quoted}"'
