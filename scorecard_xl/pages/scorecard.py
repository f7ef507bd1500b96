"""The "monthly" layout (reference 000): a Scorecard -> a SheetPlan.

Knows indicators and measures, not backends. Numbers stay numbers: the movement arrow of the
% change column is part of the cell's number format ("↑ "0%), so the cell still holds -0.23
for anyone who filters, sorts or charts it.
"""

from __future__ import annotations

import math

import numpy as np

from ..compute import rules
from ..compute.engine import Scorecard
from ..compute.vocabulary import COUNT, NUMBERS_DIRECTION_POLARITIES, PERCENTAGE, default_decimals
from ..compute.months import month_key, month_label
from . import columns as keys
from . import spc_marks
from .printing import LINE_HEIGHT, fit_row_heights, page_setup, wrapped_lines  # noqa: F401  (pages import them here)
from .sheetplan import RichRun, RichText, SheetPlan, Style

SHEET_NAME = "Scorecard"

NAVY, WHITE, GREY_TEXT = "1F3864", "FFFFFF", "595959"
RAG_FILLS = {"Red": ("C00000", WHITE), "Amber": ("FFC000", "000000"), "Green": ("00B050", "000000"),
             "Grey": ("D9D9D9", "000000")}
JUDGEMENT_COLOURS = {rules.BETTER: "00863D", rules.WORSE: "C00000", rules.SIMILAR: "7F7F7F",
                     rules.NEUTRAL: "7F7F7F", "": "7F7F7F"}
SECTION_FILL = "D9E1F2"
HEADER = Style("header", bold=True, fill=NAVY, font_color=WHITE, wrap=True, vertical="center",
               horizontal="center", border="thin", border_color="8EA9DB")
HEADER_LEFT = Style("header.left", bold=True, fill=NAVY, font_color=WHITE, wrap=True, vertical="center",
                    horizontal="left", border="thin", border_color="8EA9DB")
TITLE = Style("title", bold=True, font_size=16, font_color=NAVY)
SUBTITLE = Style("subtitle", italic=True, font_color=GREY_TEXT)
KEY_TEXT = Style("key.text", font_color=GREY_TEXT, horizontal="left")
SECTION = Style("section", bold=True, fill=SECTION_FILL, font_color=NAVY, border="thin", border_color="BFBFBF")
TEXT = Style("text", vertical="top", wrap=True, border="thin", border_color="BFBFBF")
OUTCOME = Style("outcome", vertical="top", wrap=True, italic=True, font_color=GREY_TEXT, border="thin",
                border_color="BFBFBF")
REF = Style("ref", vertical="top", bold=True, border="thin", border_color="BFBFBF")
COMMENT = Style("commentary", vertical="top", wrap=True, border="thin", border_color="BFBFBF")
NOT_AVAILABLE = Style("na", vertical="top", horizontal="center", font_color="7F7F7F", border="thin",
                      border_color="BFBFBF")
# A rule's green boundary can be wider than the Target column ("+/-5 of 64.1"): it wraps in its cell
# rather than spilling over the benchmark beside it.
TARGET_TEXT = Style("target_text", vertical="top", horizontal="center", wrap=True, font_color="7F7F7F",
                    border="thin", border_color="BFBFBF")

_COLUMN_WIDTHS = {keys.REF: 11, keys.INDICATOR: 36, keys.OWNER: 12, keys.REPORTER: 12, keys.OUTCOME: 30,
                  "month": 7.5, keys.CHANGE_PREV_YEAR: 10, keys.DOT: 5, keys.AVG_12M: 8, keys.MAX_12M: 8,
                  keys.SN: 7, keys.ENGLAND: 7, keys.REGION: 7, keys.TARGET: 8, keys.COMMENTARY: 50,
                  **spc_marks.WIDTHS}


def change_heading(bases: set[str], base_month: str) -> str:
    """'% change from Feb-20', 'pp change from …' when every indicator compares in points, or
    '% or pp change from …' for a mix."""
    kind = "pp" if bases == {"points"} else "%" if bases <= {"relative"} else "% or pp"
    return f"{kind} change from {base_month}"


def number_format(unit: str, decimals) -> str:
    """The display format for one indicator's figures (docs/design.md §6); decimals None/NaN = the unit's default."""
    decimals = None if decimals is None or (isinstance(decimals, float) and math.isnan(decimals)) else int(decimals)
    if unit == PERCENTAGE:
        places = 0 if decimals is None else decimals
        return "0%" if places == 0 else "0." + "0" * places + "%"
    if unit == COUNT:
        places = 0 if decimals is None else decimals
        return "#,##0" if places == 0 else "#,##0." + "0" * places
    places = default_decimals(unit) if decimals is None else decimals
    return "0" if places == 0 else "0." + "0" * places


def change_format(arrow: str, basis: str) -> str:
    """The arrow is a literal in the number format, so the cell stays numeric: '↑ 15%'.

    Points are written as percentage points (5 for 5pp), relative change as a fraction.
    """
    body = '0"pp"' if basis == "points" else "0%"
    return f'"{arrow} "{body};"{arrow} -"{body};"{arrow} "{body}'


def change_cell_value(change: float, basis: str) -> float:
    """The change as the cell holds it; one that rounds to zero where it shows (whole percent or
    points) is held as 0, so it shows 0% beside its → arrow, never -0% (the arrow is judged on the
    same rounding, docs/design.md §5.2)."""
    value = float(change) * 100 if basis == "points" else float(change)
    return shown_or_zero(value, 0 if basis == "points" else 2)


def shown_or_zero(value: float, places: int) -> float:
    """``value``, or 0.0 when it rounds to zero at ``places`` decimals (a number format would show -0)."""
    return 0.0 if rules.round_half_away(value, places) == 0 else value


def figure_style(fmt: str, fill: str | None = None, font: str | None = None, bold=False) -> Style:
    name = f"fig[{fmt}]" + (f".fill{fill}" if fill else "") + (f".font{font}" if font else "") + (".b" if bold else "")
    return Style(name, num_format=fmt, fill=fill, font_color=font, bold=bold, vertical="top", horizontal="right",
                 border="thin", border_color="BFBFBF")


def mark_style(colour: str) -> Style:
    return Style(f"mark.{colour}", bold=True, font_color=colour, horizontal="center", vertical="top",
                 border="thin", border_color="BFBFBF")


def _is_number(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def target_text(row) -> object:
    """The Target column: the numeric target, else the green boundary as the rule reads it (e.g. 95%+)."""
    if _is_number(row["target"]):
        return float(row["target"])
    rule = row["rag_rule"]
    return (rule.green_text or None) if getattr(rule, "rated", False) else None


def monthly_layout(scorecard: Scorecard) -> SheetPlan:
    settings, indicators = scorecard.settings, scorecard.indicators
    months = scorecard.shown_months
    reporting = scorecard.reporting_month
    year_ago = month_label(reporting - 12)
    plan = SheetPlan(SHEET_NAME, show_gridlines=False, zoom=85, tab_color=NAVY)

    columns = [(keys.REF, "Ref."), (keys.INDICATOR, "Indicator"), (keys.OWNER, "Owner"),
               (keys.REPORTER, "Reporter"),
               (keys.OUTCOME, "Outcome (what impact will monitoring these measures have on the experiences of "
                              "our children)")]
    columns += [(keys.month_column(m), month_label(m)) for m in months]
    with_spc = spc_marks.shown(scorecard)
    columns += [(keys.CHANGE_PREV_YEAR, change_heading(set(indicators["change"]), year_ago)), (keys.DOT, "DoT")]
    columns += [(key, spc_marks.HEADINGS[key]) for key in spc_marks.COLUMNS if with_spc]
    columns += [(keys.AVG_12M, "12-mnth avg"), (keys.MAX_12M, "12-mnth max."), (keys.SN, "SN"),
                (keys.ENGLAND, "ENG"), (keys.REGION, settings.region_name or "Region"), (keys.TARGET, "Target"),
                (keys.COMMENTARY, f"Commentary ({month_label(reporting)})")]
    col = plan.columns = {key: i for i, (key, _) in enumerate(columns)}
    last_col = len(columns) - 1

    # Title and key rows (reference 000's legend).
    title = settings.title + (f" \u2014 {settings.organisation}" if settings.organisation else "")
    plan.put(0, 0, title, TITLE)  # on screen; on paper the page header carries it (PRINTED_FROM)
    plan.put(1, 0, f"Reporting month: {month_label(reporting)}.  Figures for {len(indicators)} indicators; "
                   f"% change compares {month_label(reporting)} with {year_ago}.", SUBTITLE)
    # The key sits in the Ref and Indicator columns as rich text, so each mark keeps its colour.
    label = (("bold", True), ("color", GREY_TEXT))

    def key_line(row: int, heading: str, runs: list[RichRun]) -> None:
        plan.put(row, 0, RichText((RichRun(heading + "  ", label), *runs)), KEY_TEXT)

    key_line(2, "Qualitative measures:", [
        RichRun(f"{mark} {word}    ", (("bold", True), ("color", JUDGEMENT_COLOURS[verdict])))
        for mark, word, verdict in ((rules.BETTER_MARK, "Positive", rules.BETTER),
                                    (rules.SIMILAR_MARK, "Similar", rules.SIMILAR),
                                    (rules.WORSE_MARK, "Negative", rules.WORSE))])
    band = f"{round(settings.band * 100):g}%"
    key_line(3, "Key to direction of travel:", [RichRun(
        f"{rules.UP} Increase {band} or more    {rules.SAME} Similar    {rules.DOWN} Decrease {band} or more",
        (("color", GREY_TEXT),))])
    key_line(4, "RAG (reporting month):", [RichRun("Grey = not rated (no tolerance or target)",
                                                   (("color", GREY_TEXT),))])
    first_month_column = 5
    for offset, name in enumerate(("Red", "Amber", "Green", "Grey")):
        fill, font = RAG_FILLS[name]
        plan.put(4, first_month_column + offset, name,
                 Style(f"key.rag.{name}", fill=fill, font_color=font, horizontal="center"))

    header_row = 6
    plan.header_row = header_row
    for key, label in columns:
        left = key in (keys.INDICATOR, keys.OUTCOME, keys.COMMENTARY)
        plan.put(header_row, col[key], label, HEADER_LEFT if left else HEADER)
    plan.manual_columns[keys.COMMENTARY] = col[keys.COMMENTARY]

    row = header_row + 1
    marks = spc_marks.spc_marks(scorecard) if with_spc else {}
    infos, figures = scorecard.indicator_rows, scorecard.measure_rows
    for section, members in indicators.groupby("section", sort=False):
        section_band(plan, row, section, last_col)
        row += 1
        for ref in members.index:
            _indicator_row(plan, row, col, ref, infos[ref], figures[ref], months)
            if with_spc:
                spc_marks.put_marks(plan, row, marks[ref])
            plan.row_keys[row] = ref
            row += 1

    for key, c in col.items():
        plan.column_widths[c] = _COLUMN_WIDTHS["month" if keys.column_month(key) is not None else key]
    if with_spc:
        spc_marks.put_key(plan, row + 1, settings.paper, col[keys.INDICATOR])
    fit_row_heights(plan)
    plan.freeze = (header_row + 1, 2)
    plan.print_setup = page_setup(plan, settings.paper, (PRINTED_FROM, 0, plan.last_row, last_col),
                                  repeat_rows=(header_row, header_row),
                                  repeat_columns=(col[keys.REF], col[keys.INDICATOR]),
                                  header=page_header(title, month_label(reporting)),
                                  footer=f"&LReporting month {month_label(reporting)}&RPage &P of &N")
    return plan


def section_band(plan: SheetPlan, row: int, section: str, last_col: int) -> None:
    """A shaded row naming the section, across the whole table."""
    plan.put(row, 0, section or "Other indicators", SECTION)
    for c in range(1, last_col + 1):
        plan.put(row, c, None, SECTION)


# The first row printed: the title in row 1 is the page header's on paper, so it prints once a page.
PRINTED_FROM = 1
HEADER_LIMIT = 255  # Excel refuses a longer header or footer, &-codes included
_BOLD_LEFT = '&L&"-,Bold"'


def page_header(title: str, right_text: str) -> str:
    """The print header: ``title`` in bold on the left, ``right_text`` on the right.

    Within Excel's 255 characters, counted as Excel counts them (UTF-16 units, &-codes
    included); a longer title is cut with an ellipsis, never inside a doubled &.
    """
    right = "&R" + _header_text(right_text)
    room = HEADER_LIMIT - _excel_length(_BOLD_LEFT + right)
    left = _header_text(title)
    if _excel_length(left) > room:
        left, room = "", room - 1  # the ellipsis
        for character in title:
            piece = _header_text(character)
            if _excel_length(left + piece) > room:
                break
            left += piece
        left += "\u2026"
    return _BOLD_LEFT + left + right


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # a single & would start a header code


def _excel_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _indicator_row(plan: SheetPlan, row: int, col: dict, ref: str, info, figures, months) -> None:
    fmt = number_format(info["unit"], info["decimals"])
    plan.put(row, col[keys.REF], ref, REF)
    plan.put(row, col[keys.INDICATOR], info["indicator"], TEXT)
    plan.put(row, col[keys.OWNER], info.get("owner", ""), TEXT)
    plan.put(row, col[keys.REPORTER], info.get("reporter", ""), TEXT)
    plan.put(row, col[keys.OUTCOME], info.get("outcome", ""), OUTCOME)
    plain = figure_style(fmt)
    for m in months:
        value = figures[month_key(m)]
        style = plain
        if m == months[-1]:
            fill, font = RAG_FILLS.get(figures["rag"], (None, None))
            style = figure_style(fmt, fill, font if font != "000000" else None, bold=True)
        plan.put(row, col[keys.month_column(m)], float(value) if _is_number(value) else None, style)

    change = figures["change_prev_year"]
    if _is_number(change):
        arrow = figures["arrow_prev_year"]
        colour = _change_colour(info["polarity"], arrow)
        plan.put(row, col[keys.CHANGE_PREV_YEAR], change_cell_value(change, info["change"]),
                 figure_style(change_format(arrow, info["change"]), font=colour))
    else:
        plan.put(row, col[keys.CHANGE_PREV_YEAR], "n/a", NOT_AVAILABLE)

    judgement = figures["judgement"]
    if info["polarity"] in NUMBERS_DIRECTION_POLARITIES:
        mark = figures["dot"]  # docs/design.md §5.3: the direction of the numbers; the colour is the judgement
    else:
        mark = rules.qualitative_mark(judgement)
    plan.put(row, col[keys.DOT], mark or "n/a", mark_style(JUDGEMENT_COLOURS.get(judgement, "7F7F7F")))

    for key in (keys.AVG_12M, keys.MAX_12M):  # the keys are the measures' names
        value = figures[key]
        plan.put(row, col[key], float(value) if _is_number(value) else None, plain)
    for key in (keys.SN, keys.ENGLAND, keys.REGION):
        value = info[key]
        if _is_number(value):
            plan.put(row, col[key], float(value), plain)
        else:
            plan.put(row, col[key], info.get(f"{key}_text", "") or None, NOT_AVAILABLE)
    target = target_text(info)
    plan.put(row, col[keys.TARGET], target, plain if isinstance(target, float) else TARGET_TEXT)
    plan.put(row, col[keys.COMMENTARY], None, COMMENT)


def _change_colour(polarity: str, arrow: str) -> str:
    """A movement is coloured by what it means for performance: up is good only when High."""
    if arrow == rules.SAME or polarity not in (rules.HIGH, rules.LOW):
        return JUDGEMENT_COLOURS[rules.NEUTRAL]
    good = (arrow == rules.UP) == (polarity == rules.HIGH)
    return JUDGEMENT_COLOURS[rules.BETTER if good else rules.WORSE]


def rag_counts(scorecard: Scorecard) -> dict[str, int]:
    values, counts = np.unique(scorecard.measures["rag"].to_numpy(dtype=object).astype(str), return_counts=True)
    found = dict(zip(values, counts.tolist()))
    return {name: found.get(name, 0) for name in ("Red", "Amber", "Green", "Grey")} | {"no figure": found.get("", 0)}
