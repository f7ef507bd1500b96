"""The Performance Summary (reference 001): a Scorecard -> a SheetPlan.

One row per indicator under its section's band, in 001's columns and words: NO., INDICATOR, GOOD
PERF IS, DATA NOTE, the last three months, YTD (and, for a ratio, "X of Y"), DOT, RAG, the Red,
Amber and Target Green tolerances as typed, the YR ON YR TREND of five years' outturns and the
LATEST BENCHMARKING; 001's key to the DOT and the polarities above it. ``-`` is a figure there is
none of, ``n/a`` a direction that cannot be judged, and text typed for a benchmark or an outturn
(``Local``, ``tbc``, ``12.3% (2017)``) is shown as typed; a cell is blank where nothing is known.
"""

from __future__ import annotations

import math

import numpy as np

from ..compute import rules
from ..compute.engine import Scorecard
from ..compute.months import financial_year_label, month_label, month_start
from ..compute.outturns import outturn_key, shown_years
from . import columns as keys
from . import spc_marks
from .board_text import SUPPRESSED, SUPPRESSION_KEY
from .printing import fit_row_heights, page_setup
from .scorecard import (HEADER, HEADER_LEFT, JUDGEMENT_COLOURS, KEY_TEXT, NOT_AVAILABLE, RAG_FILLS,
                        REF, SUBTITLE, TEXT, TITLE, figure_style, mark_style, number_format, page_header,
                        section_band)
from .sheetplan import SheetPlan, Style
from .small_numbers import month_hidden, outturn_hidden, ytd_hidden

SHEET_NAME = "Performance Summary"
NONE_SHOWN = "-"  # 001: a figure there is none of
POLARITY, UNIT, YTD, YTD_PARTS = "polarity", "unit", "ytd", "ytd_parts"
RED, AMBER, GREEN = "red", "amber", "green"
BENCHMARKS = (("sn", "STAT NEIGH AVE"), ("best_sn", "BEST STAT NEIGH"), ("england", "NAT AVE"),
              ("top_quartile", "NAT TOP QTILE THRESHOLD"))
DOT_KEY = ("\"DOT\" - Direction of travel represents the direction of 'performance' since the previous month "
           "with reference to the polarity of 'good' performance for that measure. Colours have been added to "
           "help distinguish better and worse performance. Key Below:-")
DOT_LINES = ((rules.UP, "improvement in performance / increase in numbers", rules.BETTER),
             (rules.SAME, "no movement - numbers stable with last month", rules.SIMILAR),
             (rules.DOWN, "decline in performance, not on target / decrease in numbers", rules.WORSE))
POLARITY_KEY = ("GOOD PERF IS: High - a higher figure is better performance; Low - a lower figure is better; "
                "Info - for information, not judged (its DOT is the direction of the numbers); Within limits - "
                "best within the Target Green range, (low) and (high) judged as Low and High outside it.")
RAG_KEY = ("RAG (in month): the month's figure against its Red, Amber and Target Green tolerances, filled red, "
           "amber or green (blank: no tolerance or target). A YTD filled the same way is rated against the year's "
           "target. - : no figure, or no year to date for this measure.  n/a : not enough months to judge.")
WIDTHS = {keys.REF: 7, keys.INDICATOR: 38, POLARITY: 9, UNIT: 10, "month": 8, YTD: 9, YTD_PARTS: 10,
          keys.DOT: 9, keys.RAG: 8, RED: 9, AMBER: 9, GREEN: 9, "outturn": 8, "benchmark": 11, **spc_marks.WIDTHS}
WRAPPED = Style("ps.text", vertical="top", wrap=True, border="thin", border_color="BFBFBF")
TYPED = Style("ps.typed", vertical="top", horizontal="center", wrap=True, border="thin", border_color="BFBFBF")
KEY_WRAPPED = Style("ps.key", font_color="595959", wrap=True, vertical="top")
HEADER_ROWS = 2
SPC_HEADINGS = {keys.SPC_VARIATION: "Variation", keys.SPC_ASSURANCE: "Assurance"}  # under the group SPC


def performance_summary(scorecard: Scorecard, suppressed: np.ndarray | None = None) -> SheetPlan:
    """The page; ``suppressed`` (panel-shaped, True = shows as c) hides small numbers and what gives them away."""
    settings, info, month = scorecard.settings, scorecard.indicators, scorecard.reporting_month
    months = [month - 2, month - 1, month]
    years = shown_years(month)
    with_spc = spc_marks.shown(scorecard)
    columns = _columns(months, years, with_spc)
    col = {key: c for c, (key, _, _) in enumerate(columns)}
    last = len(columns) - 1
    plan = SheetPlan(SHEET_NAME, show_gridlines=False, zoom=85, tab_color="1F3864", columns=col)
    for key, c in col.items():
        plan.column_widths[c] = WIDTHS.get(key) or WIDTHS["month" if keys.column_month(key) else
                                                           "outturn" if key.startswith("outturn_") else "benchmark"]
    title = settings.title + (f" \u2014 {settings.organisation}" if settings.organisation else "")
    plan.put(0, 0, "Performance Summary", TITLE)
    plan.put(1, 0, f"{title}.  As at Month End: {month_start(month):%B %Y}", SUBTITLE)
    row = _key(plan, 2, last, suppressed is not None, with_spc)
    header = row
    _headings(plan, header, columns)
    plan.header_row = header + 1
    hidden = _Hidden(scorecard, suppressed, years)
    marks = spc_marks.spc_marks(scorecard, suppressed) if with_spc else {}
    row = header + HEADER_ROWS
    for section, members in info.groupby("section", sort=False):
        section_band(plan, row, section, last)
        row += 1
        for ref in members.index:
            _indicator_row(plan, row, scorecard, ref, months, years, hidden)
            if with_spc:
                spc_marks.put_marks(plan, row, marks[ref])
            plan.row_keys[row] = ref
            row += 1
    plan.freeze = (header + HEADER_ROWS, 2)
    fit_row_heights(plan)
    # Printed as the other pages are (pages/printing.py): one page wide while its type stays readable (A3
    # prints 001's 23 columns so), else over more pages wide with NO. and INDICATOR on each.
    plan.print_setup = page_setup(plan, settings.paper, (0, 0, plan.last_row, last),
                                  repeat_rows=(header, header + HEADER_ROWS - 1),
                                  repeat_columns=(col[keys.REF], col[keys.INDICATOR]),
                                  header=page_header(title, month_label(month)),
                                  footer=f"&LPerformance Summary, {month_label(month)}&RPage &P of &N")
    return plan


def _columns(months: list[int], years: list[int], with_spc: bool = True) -> list[tuple[str, str, str]]:
    """(key, heading, the heading of the group it is under, "" for none), left to right, as 001 heads them;
    the SPC marks (pages/spc_marks.py) beside the DOT unless the Settings row SPC says No."""
    this_year = financial_year_label(months[-1]).replace("/", " / ")
    first_year = financial_year_label(months[0]).replace("/", " / ")
    group = this_year if first_year == this_year else f"{first_year} - {this_year}"
    return ([(keys.REF, "NO.", ""), (keys.INDICATOR, "INDICATOR", ""), (POLARITY, "GOOD PERF IS", ""),
             (UNIT, "DATA NOTE (Monthly)", "")] +
            [(keys.month_column(m), month_label(m), group) for m in months] +
            [(YTD, "YTD", group), (YTD_PARTS, "YTD (X of Y)", group), (keys.DOT, "DOT (Month on Month)", "")] +
            [(key, heading, "SPC") for key, heading in SPC_HEADINGS.items() if with_spc] +
            [(keys.RAG, "RAG (in month)", ""), (RED, "Red", "Target and Tolerances"),
             (AMBER, "Amber", "Target and Tolerances"), (GREEN, "Target Green", "Target and Tolerances")] +
            [(outturn_key(april), financial_year_label(april), "YR ON YR TREND") for april in years] +
            [(key, heading, "LATEST BENCHMARKING") for key, heading in BENCHMARKS])


def _key(plan: SheetPlan, row: int, last: int, suppressing: bool, with_spc: bool = True) -> int:
    """001's DOT key, the polarities' wording, the RAG key and the SPC marks' key, each across the table;
    returns the next row."""
    lines = [(DOT_KEY, KEY_WRAPPED)]
    lines += [(f"{arrow} - {words}", Style(f"ps.key.{verdict}", bold=True, font_color=JUDGEMENT_COLOURS[verdict]))
              for arrow, words, verdict in DOT_LINES]
    lines += [(POLARITY_KEY, KEY_WRAPPED), (RAG_KEY, KEY_WRAPPED)]
    lines += [(spc_marks.key_text(suppressing), KEY_WRAPPED)] if with_spc else []
    lines += [(SUPPRESSION_KEY, KEY_TEXT)] if suppressing else []
    for text, style in lines:
        plan.put(row, 0, text, style)
        plan.merges.append((row, 0, row, last))
        row += 1
    return row + 1


def _headings(plan: SheetPlan, row: int, columns: list[tuple[str, str, str]]) -> None:
    """Two heading rows: a group's name over its columns, a column without a group over both rows."""
    c = 0
    while c < len(columns):
        key, heading, group = columns[c]
        if not group:
            plan.put(row, c, heading, HEADER_LEFT if key == keys.INDICATOR else HEADER)
            plan.put(row + 1, c, None, HEADER)
            plan.merges.append((row, c, row + 1, c))
            c += 1
            continue
        end = c
        while end + 1 < len(columns) and columns[end + 1][2] == group:
            end += 1
        plan.put(row, c, group, HEADER)
        for k in range(c, end + 1):
            plan.put(row + 1, k, columns[k][1], HEADER)
            if k > c:
                plan.put(row, k, None, HEADER)
        plan.merges.append((row, c, row, end))
        c = end + 1
    plan.row_heights[row], plan.row_heights[row + 1] = 30, 56  # "NAT TOP QTILE THRESHOLD" over four lines


class _Hidden:
    """What shows as c, per indicator, under suppression (pages/small_numbers.py); nothing without it."""

    def __init__(self, scorecard: Scorecard, mask: np.ndarray | None, years: list[int]):
        self.scorecard, self.mask = scorecard, mask
        count = len(scorecard.indicators)
        self.ytd = ytd_hidden(mask, scorecard) if mask is not None else np.zeros(count, dtype=bool)
        self.figures = {april: _outturns(scorecard, april) for april in years}  # the outturns shown
        self.outturns = {april: (outturn_hidden(mask, scorecard, april, figures) if mask is not None
                                 else np.zeros(count, dtype=bool)) for april, figures in self.figures.items()}

    def month(self, i: int, month: int) -> bool:
        return self.mask is not None and bool(month_hidden(self.mask, self.scorecard, month)[i])


def _outturns(scorecard: Scorecard, april: int) -> np.ndarray:
    key = outturn_key(april)
    measures = scorecard.measures
    return measures[key].to_numpy(dtype=float) if key in measures else np.full(len(measures), np.nan)


def _number(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _indicator_row(plan: SheetPlan, row: int, scorecard: Scorecard, ref: str, months: list[int], years: list[int],
                   hidden: _Hidden) -> None:
    col, info = plan.columns, scorecard.indicator_rows[ref]
    figures, i = scorecard.measure_rows[ref], scorecard.indicators.index.get_loc(ref)
    fmt = number_format(info["unit"], info["decimals"])
    plain = figure_style(fmt)
    plan.put(row, col[keys.REF], ref, REF)
    plan.put(row, col[keys.INDICATOR], info["indicator"], WRAPPED)
    plan.put(row, col[POLARITY], info["polarity"], TEXT)
    plan.put(row, col[UNIT], info.get("unit_text") or info["unit"], TEXT)
    for m in months:
        value = scorecard.panel.values[i, scorecard.panel.column(m)] if 0 <= scorecard.panel.column(m) < \
            scorecard.panel.month_count else math.nan
        if hidden.month(i, m):
            plan.put(row, col[keys.month_column(m)], SUPPRESSED, plain)
        elif not _number(value):
            plan.put(row, col[keys.month_column(m)], NONE_SHOWN, NOT_AVAILABLE)
        else:
            fill, font = RAG_FILLS.get(figures["rag"], (None, None)) if m == months[-1] else (None, None)
            fill = None if figures["rag"] == "Grey" else fill
            plan.put(row, col[keys.month_column(m)], float(value),
                     figure_style(fmt, fill, font if font != "000000" else None, bold=m == months[-1]))
    _ytd(plan, row, info, figures, fmt, bool(hidden.ytd[i]))
    now_hidden = hidden.month(i, months[-1])
    if now_hidden or hidden.month(i, months[-2]):  # the direction (and its colour) would rank the hidden figure
        plan.put(row, col[keys.DOT], SUPPRESSED, mark_style(JUDGEMENT_COLOURS[rules.NEUTRAL]))
    else:
        plan.put(row, col[keys.DOT], figures["dot"] or "n/a", mark_style(JUDGEMENT_COLOURS.get(figures["judgement"],
                                                                                                "7F7F7F")))
    _rag(plan, row, col[keys.RAG], SUPPRESSED if now_hidden else figures["rag"])
    for key in (RED, AMBER, GREEN):
        plan.put(row, col[key], info[f"{key}_text"] or None, TYPED)
    if not info["green_text"]:
        _target(plan, row, col[GREEN], info, fmt)
    for april in years:
        _outturn(plan, row, col[outturn_key(april)], info, hidden.figures[april][i], april, fmt,
                 bool(hidden.outturns[april][i]))
    for key, _ in BENCHMARKS:
        _benchmark(plan, row, col[key], info, key, plain)


def _ytd(plan: SheetPlan, row: int, info, figures, fmt: str, is_hidden: bool) -> None:
    col = plan.columns
    ytd, top, bottom = figures["ytd"], figures["ytd_numerator"], figures["ytd_denominator"]
    if is_hidden and _number(ytd):
        plan.put(row, col[YTD], SUPPRESSED, figure_style(fmt))
        plan.put(row, col[YTD_PARTS], SUPPRESSED, TYPED)
        return
    if not _number(ytd):
        plan.put(row, col[YTD], NONE_SHOWN, NOT_AVAILABLE)
        plan.put(row, col[YTD_PARTS], None, TYPED)
        return
    fill, font = RAG_FILLS.get(figures["ytd_rag"], (None, None)) if figures["ytd_rag"] != "Grey" else (None, None)
    plan.put(row, col[YTD], float(ytd), figure_style(fmt, fill, font if font != "000000" else None))
    parts = f"{top:,.0f} of {bottom:,.0f}" if _number(top) and _number(bottom) else None
    plan.put(row, col[YTD_PARTS], parts, TYPED)


def _rag(plan: SheetPlan, row: int, column: int, rag: str) -> None:
    """The month's RAG, a word in its colour (readable in black and white); blank when not rated."""
    if rag in ("Red", "Amber", "Green"):
        fill, font = RAG_FILLS[rag]
        plan.put(row, column, rag, Style(f"ps.rag.{rag}", bold=True, fill=fill, font_color=font, horizontal="center",
                                         vertical="top", border="thin", border_color="BFBFBF"))
    else:
        plan.put(row, column, rag if rag == SUPPRESSED else None, TYPED)


def _target(plan: SheetPlan, row: int, column: int, info, fmt: str) -> None:
    """Target Green without a tolerance typed: the month's Target, else the year's, as numbers."""
    if _number(info["target"]):
        plan.put(row, column, float(info["target"]), figure_style(fmt))
    elif _number(info.get("annual_target")):
        plan.put(row, column, float(info["annual_target"]), figure_style(f'{fmt}" a year"'))


def _outturn(plan: SheetPlan, row: int, column: int, info, figure: float, april: int, fmt: str,
             is_hidden: bool) -> None:
    typed = (info.get("outturns_typed") or {}).get(april)
    if _number(figure):
        plan.put(row, column, SUPPRESSED if is_hidden else float(figure), figure_style(fmt))
    elif typed is not None and typed.text:
        plan.put(row, column, typed.text, TYPED)  # 'tbc', '-': as published
    else:
        plan.put(row, column, NONE_SHOWN, NOT_AVAILABLE)


def _benchmark(plan: SheetPlan, row: int, column: int, info, key: str, plain: Style) -> None:
    """A published figure: the number, or the text typed for it ("Local", "12.3% (2017)", "-") as typed."""
    text = info.get(f"{key}_text") or ""
    if text and not reads_as_number(text):
        plan.put(row, column, text, TYPED)
    elif _number(info[key]):
        plan.put(row, column, float(info[key]), plain)
    else:
        plan.put(row, column, None, TYPED)


def reads_as_number(text: str) -> bool:
    """Typed text that is only a figure ('686.6', '12.3%'), not a figure with words ('12.3% (2017)', 'Local')."""
    try:
        float(text.strip().rstrip("%").replace(",", ""))
    except ValueError:
        return False
    return True
