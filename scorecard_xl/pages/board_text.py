"""The Board summary's words: each listed indicator's plain-English headline, as reference 004 writes
them ("Re-referrals fell to 12% in Dec-20, the lowest this year"), figures as a reader sees them
(59%, "5.0pp"), and the page's lines across its columns."""

from __future__ import annotations

import numpy as np

from ..compute import rules
from ..compute.cells import single_line, text_of
from ..compute.months import month_label
from ..compute.spc import CONCERN, IMPROVEMENT
from ..compute.vocabulary import PERCENTAGE
from .printing import merged_width, text_height
from .scorecard import GREY_TEXT, number_format, shown_or_zero
from .sheetplan import SheetPlan, Style
from .spc_marks import WIDTHS as SPC_WIDTHS

SUPPRESSED = "c"
SUPPRESSION_KEY = "c = 1 to 5, suppressed to protect children's identities"
# Ref, Indicator, three months, Target, Benchmark, Change, DoT, RAG, SPC variation and assurance: what
# prints (A:L, one A4 page wide in landscape at about 97%); the Override and Headline columns people
# type into follow.
WIDTHS = (11, 40, 8, 8, 8, 9, 20, 10, 5, 10, *SPC_WIDTHS.values())
LAST = len(WIDTHS) - 1
TYPED_WIDTHS = (18, 50)  # Override, Headline
LINE = Style("summary.line", wrap=True, vertical="top", indent=1)
NONE_LINE = Style("summary.none", italic=True, font_color="7F7F7F", indent=1, wrap=True, vertical="top")
HEADING = Style("summary.heading", bold=True, font_size=13, font_color="1F3864")
KEY_WRAPPED = Style("summary.key", font_color=GREY_TEXT, wrap=True, vertical="top")
YEAR = 12  # months the headline's "highest" and "lowest" look back over


def wrapped_line(plan: SheetPlan, row: int, text: str, style: Style) -> int:
    """A line of text across the printed columns, as tall as its wrapping needs; returns the next row."""
    plan.put(row, 0, text, style)
    plan.merges.append((row, 0, row, LAST))
    plan.row_heights[row] = text_height(text, merged_width(WIDTHS) - 2 * style.indent, style.bold, style.font_size)
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


POINTS_PLACES, PERCENT_PLACES = 1, 0  # a month's change in points is shown to 0.1pp, a relative one to 1%


def month_change(now, previous, unit: str) -> tuple[float, str]:
    """Change on last month: percentage points for percentages (5.0 = 5pp), else a relative fraction;
    one that rounds to zero where it shows is 0 (never -0.0pp or -0%)."""
    if unit == PERCENTAGE:
        return shown_or_zero(float(rules.points_change(now, previous)) * 100, POINTS_PLACES), "pp"
    return shown_or_zero(float(rules.relative_change(now, previous)), PERCENT_PLACES + 2), "%"


def movement_words(now, previous, unit: str, decimals) -> str:
    """'rose 5.0pp to 60%', 'fell 11% to 1,297', 'held at 59%', 'edged up to 59%', 'was 59%'."""
    value = shown(now, unit, decimals)
    change, kind = month_change(now, previous, unit)
    if np.isnan(change):
        return f"was {value}"
    size = abs(change) if kind == "pp" else abs(change) * 100
    if size == 0:
        if rules.round_half_away(float(now) - float(previous), 12) == 0:
            return f"held at {value}"
        return f"edged {'up' if now > previous else 'down'} to {value}"
    places = POINTS_PLACES if kind == "pp" else PERCENT_PLACES
    return f"{'rose' if change > 0 else 'fell'} {rules.round_half_away(size, places):.{places}f}{kind} to {value}"


def extreme_words(row, window_known: bool) -> str:
    """'the highest in 12 months' or 'the lowest in 12 months' when this month's figure is; '' otherwise
    (or when a month of the window cannot be compared: a gap, or a figure shown as c)."""
    value, top, bottom = row["value"], row["max_12m"], row["min_12m"]
    if not window_known or np.isnan(value) or top == bottom:
        return ""
    if value == top:
        return f"the highest in {YEAR} months"
    if value == bottom:
        return f"the lowest in {YEAR} months"
    return ""


def judgement_words(info, row, target) -> list[str]:
    """Why the indicator is judged as it is: a run of worse months, a month unusual for it (SPC's
    special cause improvement or concern, where the lists may use SPC), its place against its
    benchmark where it has no target, its RAG against the target."""
    if row["polarity"] == rules.INFO:
        return []
    words = []
    if row["worse_run"]:
        words.append("worse three months running")
    if row.get("spc_variation") in (IMPROVEMENT, CONCERN):
        words.append(f"unusual for this indicator: special cause {row['spc_variation']}")
    if row["rag"] == "Grey" and row["against"]:
        words.append(f"{row['against']} {row['benchmark_name']} ({shown(row['benchmark'], info['unit'], info['decimals'])})")
    if row["rag"] in ("Red", "Amber"):
        goal = shown(target, info["unit"], info["decimals"]) if isinstance(target, float) else target
        words.append(f"rated {row['rag'].lower()}" + (f" against a target of {goal}" if goal else ""))
    return words


def headline(info, row, month: int, target, window_known: bool = True) -> str:
    """'<Indicator> rose 5.0pp to 60% in Feb-21, the highest in 12 months, better than statistical
    neighbours (50%)': the figure as displayed, its move on last month, and why it is listed."""
    name = str(info["indicator"]).rstrip(" .:")
    words = [f"{name} {movement_words(row['value'], row['previous'], info['unit'], info['decimals'])} in "
             f"{month_label(month)}", extreme_words(row, window_known), *judgement_words(info, row, target)]
    return ", ".join(word for word in words if word)


def typed_text(value) -> str:
    """What a person typed in a cell, as one line of plain text (rich text without its fonts)."""
    return single_line(text_of(getattr(value, "text", getattr(value, "value", value))))
