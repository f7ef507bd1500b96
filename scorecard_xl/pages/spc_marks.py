"""The SPC marks on the pages (docs/design.md §5.7): each indicator's variation and assurance for the
reporting month, and the key that explains them, as the Scorecard, the Performance Summary and the
Board summary's KPI table show them.

A mark is words, with an arrow for the side of a signal ("Concern ↑": unusually high), so that it
reads the same in Excel and LibreOffice and prints in black and white; its font takes the colour
NHS England's Making Data Count gives the icon (blue improvement, orange concern, grey common
cause, purple special cause where neither side is better). Under small-number suppression the
marks of an indicator whose verdict rests on a figure shown as c are c themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compute.classify import spc_through_suppressed
from ..compute.engine import Scorecard
from ..compute.rules import DOWN, UP
from ..compute.spc import (COMMON_CAUSE, CONCERN, CONSISTENTLY_FAILING, CONSISTENTLY_PASSING, HIT_AND_MISS,
                           IMPROVEMENT, LIMIT, MIN_POINTS, SPECIAL_CAUSE, WINDOW)
from . import columns as keys
from .printing import SMALLEST_SCALE, one_page_scale
from .sheetplan import SheetPlan, Style

BLUE, ORANGE, GREY, PURPLE = "2F5597", "ED7D31", "7F7F7F", "7030A0"
SUPPRESSED = "c"  # as every page shows a hidden figure (pages/board_text.py)
_VARIATIONS = {COMMON_CAUSE: ("Common", GREY), IMPROVEMENT: ("Improving", BLUE), CONCERN: ("Concern", ORANGE),
               SPECIAL_CAUSE: ("Special", PURPLE)}
_ASSURANCES = {CONSISTENTLY_PASSING: ("Pass", BLUE), CONSISTENTLY_FAILING: ("Fail", ORANGE),
               HIT_AND_MISS: ("Hit & miss", GREY)}
_SIDES = {1: UP, -1: DOWN}
COLUMNS = (keys.SPC_VARIATION, keys.SPC_ASSURANCE)
HEADINGS = {keys.SPC_VARIATION: "SPC variation", keys.SPC_ASSURANCE: "SPC assurance"}
# "Improving ↑" and "Hit & miss" in bold on one line, in Calibri and in LibreOffice's stand-in for it: a
# mark never wraps, so a row's height cannot tell a mark shown as c from the mark behind it.
WIDTHS = {keys.SPC_VARIATION: 11, keys.SPC_ASSURANCE: 10.5}  # and the Scorecard still one A3 page wide
KEY = (f"SPC (Making Data Count, over the last {WINDOW} months; limits mean \u00b1 {LIMIT} \u00d7 average moving "
       f"range; needs {MIN_POINTS} months): Common = no signal; Improving or Concern = special cause variation "
       f"this month on the better or the worse side, high {UP} or low {DOWN}; Special = special cause where "
       "neither side is better. Assurance against the target: Pass = the whole process is on the good side of "
       "it, Fail = on the bad side, Hit & miss = either; blank: too few months or no target.")
SUPPRESSED_KEY = f"SPC {SUPPRESSED}: a figure of its {WINDOW} months shows as {SUPPRESSED}."
KEY_STYLE = Style("spc.key", font_color="595959", wrap=True, vertical="top")


@dataclass(frozen=True)
class Mark:
    text: str | None  # None: no verdict (too few points, no target)
    colour: str


def variation_mark(variation: str, side: int) -> Mark:
    """'Common', 'Improving ↑', 'Concern ↓', 'Special ↑' (the arrow: the side of the latest point's
    signal, high or low); no text for too few points."""
    if variation not in _VARIATIONS:
        return Mark(None, GREY)
    word, colour = _VARIATIONS[variation]
    return Mark(f"{word} {_SIDES[side]}" if variation != COMMON_CAUSE and side in _SIDES else word, colour)


def assurance_mark(assurance: str) -> Mark:
    """'Pass', 'Fail', 'Hit & miss'; no text without a target."""
    word, colour = _ASSURANCES.get(assurance, (None, GREY))
    return Mark(word, colour)


def shown(scorecard: Scorecard) -> bool:
    """Whether the pages show the marks and their key (the Settings row SPC)."""
    return scorecard.settings.spc


def spc_marks(scorecard: Scorecard, suppressed: np.ndarray | None = None) -> dict[str, tuple[Mark, Mark]]:
    """Each indicator's (variation, assurance) marks by Ref; ``suppressed`` (panel-shaped, True = shows
    as c) makes c of both marks wherever a figure they rest on shows as c."""
    measures = scorecard.measures
    sides = scorecard.spc.signal[:, -1] if scorecard.spc is not None else np.zeros(len(measures), dtype=int)
    hidden = spc_through_suppressed(suppressed, scorecard)
    marks = {}
    for i, (ref, variation, assurance) in enumerate(zip(measures.index, measures["spc_variation"],
                                                        measures["spc_assurance"])):
        if hidden[i]:
            marks[ref] = (Mark(SUPPRESSED, GREY), Mark(SUPPRESSED, GREY))
        else:
            marks[ref] = (variation_mark(variation, int(sides[i])), assurance_mark(assurance))
    return marks


def mark_style(colour: str) -> Style:
    return Style(f"spc.mark.{colour}", bold=True, font_color=colour, horizontal="center", vertical="top",
                 border="thin", border_color="BFBFBF")


def put_marks(plan: SheetPlan, row: int, marks: tuple[Mark, Mark]) -> None:
    """The two marks in the plan's SPC columns (by key) of ``row``."""
    for key, mark in zip(COLUMNS, marks):
        plan.put(row, plan.columns[key], mark.text, mark_style(mark.colour))


def put_key(plan: SheetPlan, row: int, paper: str, repeated_column: int) -> None:
    """The key under a table whose columns are laid out: across the table where it prints one page
    wide, else wrapped across the columns printed on every page (up to ``repeated_column``), where
    no page break can cut it."""
    last = max(c for _, c in plan.cells)
    one_wide = one_page_scale(plan, (row, 0, row, last), paper) * 100 >= SMALLEST_SCALE
    plan.put(row, 0, KEY, KEY_STYLE)
    plan.merges.append((row, 0, row, last if one_wide else repeated_column))


def key_text(suppressing: bool) -> str:
    return KEY + (f" {SUPPRESSED_KEY}" if suppressing else "")


def hide_marks(plan: SheetPlan, scorecard: Scorecard, suppressed: np.ndarray) -> None:
    """Show as c the marks of every row (by Ref) whose verdict rests on a figure shown as c: for a page
    the email copy suppresses column by column (the Scorecard), after it is laid out."""
    if not set(COLUMNS) <= set(plan.columns):
        return
    marks = spc_marks(scorecard, suppressed)
    for row, ref in plan.row_keys.items():
        if marks[ref][0].text == SUPPRESSED:
            put_marks(plan, row, marks[ref])
    for position, cell in list(plan.cells.items()):
        if cell.value == KEY:
            plan.put(*position, key_text(True), KEY_STYLE)
