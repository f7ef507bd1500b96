"""The Summary page's text: its lines across the page, and figures and movements in words as a
reader sees them (59%, "up 3.2pp on Jan-21")."""

from __future__ import annotations

import numpy as np

from ..compute import rules
from ..compute.months import month_label
from ..compute.vocabulary import PERCENTAGE
from .scorecard import GREY_TEXT, LINE_HEIGHT, number_format, wrapped_lines
from .sheetplan import SheetPlan, Style

SUPPRESSED = "c"
SUPPRESSION_KEY = "c = 1 to 5, suppressed to protect children's identities"
WIDTHS = (12, 56, 8, 8, 8, 9, 11, 10, 5, 10)  # Ref .. RAG; columns A:B and C:J are about as wide
LAST = len(WIDTHS) - 1
LINE = Style("summary.line", wrap=True, vertical="top", indent=1)
NONE_LINE = Style("summary.none", italic=True, font_color="7F7F7F", indent=1)
HEADING = Style("summary.heading", bold=True, font_size=13, font_color="1F3864")
KEY_WRAPPED = Style("summary.key", font_color=GREY_TEXT, wrap=True, vertical="top")


def wrapped_line(plan: SheetPlan, row: int, text: str, style: Style) -> int:
    """A line of text across the page, as tall as its wrapping needs; returns the next row."""
    plan.put(row, 0, text, style)
    plan.merges.append((row, 0, row, LAST))
    plan.row_heights[row] = LINE_HEIGHT * wrapped_lines(text, sum(WIDTHS) * 1.3) + 3
    return row + 1


def display_places(fmt: str) -> int:
    """Decimal places a number format shows: '#,##0' 0, '0.0%' 1."""
    return len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0


def shown(value, unit: str, decimals) -> str:
    """``value`` as its number format displays it: 59%, 1,297, 62.2."""
    if value is None or np.isnan(value):
        return "no figure"
    fmt = number_format(unit, decimals)
    places = display_places(fmt)
    number = rules.round_half_away(float(value) * (100 if fmt.endswith("%") else 1), places) + 0.0
    text = f"{number:,.{places}f}" if fmt.startswith("#,##0") else f"{number:.{places}f}"
    return text + ("%" if fmt.endswith("%") else "")


def month_change(now, previous, unit: str) -> tuple[float, str]:
    """Change on last month: percentage points for percentages (5.0 = 5pp), else a relative fraction."""
    if unit == PERCENTAGE:
        return float(rules.points_change(now, previous)) * 100, "pp"
    return float(rules.relative_change(now, previous)), "%"


def movement_words(now, previous, unit: str, previous_label: str) -> str:
    change, kind = month_change(now, previous, unit)
    if np.isnan(change):
        return f"no figure for {previous_label} to compare"
    if change == 0:
        return f"unchanged on {previous_label}"
    size = abs(change) if kind == "pp" else abs(change) * 100
    places = 1 if kind == "pp" else 0
    direction = "up" if change > 0 else "down"
    if rules.round_half_away(size, places) == 0:
        return f"{direction} by less than {10 ** -places:g}{kind} on {previous_label}"
    return f"{direction} {rules.round_half_away(size, places):.{places}f}{kind} on {previous_label}"


def list_line(ref: str, info, row, month: int) -> str:
    """'<Ref> <indicator>: <value as displayed> in <Mmm-YY> (<movement in words>)'."""
    previous, name = month_label(month - 1), str(info["indicator"]).rstrip(" .:")
    words = [movement_words(row["value"], row["previous"], info["unit"], previous)]
    if row["polarity"] != rules.INFO:
        if row["worse_run"]:
            words.append("worse three months running")
        elif row["judgement"] in (rules.BETTER, rules.WORSE):
            words.append(row["judgement"])
        if row["rag"] in ("Red", "Amber"):
            words.append(row["rag"])
    return f"{ref} {name}: {shown(row['value'], info['unit'], info['decimals'])} in " \
           f"{month_label(month)} ({', '.join(words)})"
