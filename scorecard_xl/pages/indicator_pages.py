"""Indicator pages (reference 001's detail pages): one printed page per indicator, on one sheet.

Each block: the indicator's section, Ref and name; its owner, polarity and data note; a line chart of
its last 13 months with its target and benchmarks (indicator_charts.py); beside it the figures a
reader checks by hand: the last two months, the direction of travel, the same month last year, the
year to date ("5,639 of 9,903 = 56.9%"), the rolling 12 months and its rate ("3,522 / 57,521 ×
10,000 = 612.3"), the tolerances, five years' outturns and the latest benchmarks; then the
commentary for the month.

One sheet with a page break before each block rather than a sheet per indicator: a hundred sheets
would crowd the tabs and be printed one by one, while one sheet prints every indicator in order,
one a page, and Ctrl+F finds a Ref. Commentary is the page's own (the Scorecard's is a line in a
table, this is the page's narrative, as 001's "significant changes / concerns"), typed in the box
at the foot of each block: kept per Ref across refreshes and archived to the one Commentary history,
like the Scorecard's (docs/design.md §6).
"""

from __future__ import annotations

import math

import numpy as np

from ..compute import rules
from ..compute.classify import spc_through_suppressed
from ..compute.engine import Scorecard
from ..compute.months import financial_year_label, financial_year_start, month_label, month_start
from ..compute.outturns import outturn_key, shown_years
from ..compute.vocabulary import COUNT, FLOW, NUMBERS_DIRECTION_POLARITIES
from . import columns as keys
from .board_text import SUPPRESSED, SUPPRESSION_KEY, shown
from .indicator_charts import chart_months, chart_rows, indicator_chart
from .performance_summary import reads_as_number
from .printing import LINE_HEIGHT, ROW_PADDING, page_setup, text_height
from .scorecard import (COMMENT, HEADER, JUDGEMENT_COLOURS, KEY_TEXT, RAG_FILLS, REF, SECTION, TITLE, figure_style,
                        number_format, page_header)
from .sheetplan import SheetPlan, Style
from .small_numbers import month_hidden, months_hidden, outturn_hidden, rolling_hidden, ytd_hidden

SHEET_NAME = "Indicator pages"
LAST = 10  # column K: the print area is A:K
WIDTHS = [14] + [11] * LAST
CHART_COLUMNS, CHART_ROWS, CHART_ROW_POINTS = 6, 16, 15  # A:F, rows of 20 pixels
LABEL, VALUE = (6, 7), (8, LAST)  # the figures beside the chart: a label in G:H, its value in I:K
HEADER_ROW, FIRST_BLOCK = 2, 4
COMMENT_LINES = 8  # the commentary box's height before anything is typed in it
BLOCK_TITLE = Style("ip.title", bold=True, font_size=13, font_color="1F3864", wrap=True, vertical="top")
ABOUT = Style("ip.about", italic=True, font_color="595959", wrap=True, vertical="top")
PANEL_LABEL = Style("ip.label", bold=True, font_color="1F3864", wrap=True, vertical="top", border="thin",
                    border_color="BFBFBF")
PANEL_TEXT = Style("ip.value", wrap=True, vertical="top", border="thin", border_color="BFBFBF")
COMMENT_LABEL = Style("ip.comment", bold=True, font_color="1F3864", vertical="bottom")
SUBTITLE_WRAPPED = Style("ip.subtitle", italic=True, font_color="595959", wrap=True, vertical="top")
NOTE = Style("ip.note", italic=True, font_color="7F7F7F", wrap=True, vertical="top")
# 001's key to the DOT in words: the direction of performance, or for Info and Within limits of the numbers.
PERFORMANCE_WORDS = {rules.UP: "improvement in performance", rules.SAME: "no movement",
                     rules.DOWN: "decline in performance"}
NUMBER_WORDS = {rules.UP: "increase in numbers", rules.SAME: "numbers stable with last month",
                rules.DOWN: "decrease in numbers"}
POLARITY_WORDS = {"High": "higher is better", "Low": "lower is better", "Info": "for information, not judged",
                  "Within limits": "best within its limits", "Within limits (low)": "best within its limits, "
                  "judged as Low outside them", "Within limits (high)": "best within its limits, judged as High "
                  "outside them"}


def indicator_pages(scorecard: Scorecard, suppressed: np.ndarray | None = None) -> SheetPlan:
    """The page; ``suppressed`` (panel-shaped, True = shows as c) hides small numbers and what gives them away."""
    settings, info, month = scorecard.settings, scorecard.indicators, scorecard.reporting_month
    plan = SheetPlan(SHEET_NAME, show_gridlines=False, zoom=90, tab_color="00863D")
    plan.column_widths.update(enumerate(WIDTHS))
    title = settings.title + (f" \u2014 {settings.organisation}" if settings.organisation else "")
    plan.put(0, 0, "Indicator pages", TITLE)
    _line(plan, 1, f"{title}.  As at Month End: {month_start(month):%B %Y}.  A page per indicator: its last "
                   f"{len(chart_months(scorecard))} months with its target and benchmarks (a gap is a month with no "
                   "figure), its year to date, rolling 12 months, outturns and commentary.", SUBTITLE_WRAPPED)
    label = month_label(month)
    plan.put(HEADER_ROW, 0, "NO.", HEADER)
    plan.put(HEADER_ROW, 1, f"Commentary ({label}): type it in the box at the foot of each indicator's page; it is "
                            "kept with its Ref at every refresh.", Style("ip.heading", bold=True, fill="1F3864",
                                                                          font_color="FFFFFF", vertical="center"))
    plan.merges.append((HEADER_ROW, 1, HEADER_ROW, LAST))
    plan.header_row, plan.manual_columns[keys.COMMENTARY] = HEADER_ROW, 1
    plan.columns = {keys.REF: 0, keys.COMMENTARY: 1}
    row = FIRST_BLOCK
    if suppressed is not None:
        plan.put(row - 1, 0, SUPPRESSION_KEY, KEY_TEXT)
    figures = _Figures(scorecard, suppressed)
    breaks = []
    for ref in [ref for _, members in info.groupby("section", sort=False) for ref in members.index]:
        if row > FIRST_BLOCK:
            breaks.append(row)
        row = _block(plan, row, scorecard, ref, figures, label)
    plan.print_setup = page_setup(plan, settings.paper, (0, 0, row - 1, LAST), header=page_header(title, label),
                                  footer=f"&LIndicator pages, {label}&RPage &P of &N", page_breaks=tuple(breaks))
    return plan


class _Figures:
    """What each block quotes, and under suppression what shows as c (pages/small_numbers.py)."""

    def __init__(self, scorecard: Scorecard, mask: np.ndarray | None):
        self.scorecard, self.mask = scorecard, mask
        count, month = len(scorecard.indicators), scorecard.reporting_month
        none = np.zeros(count, dtype=bool)
        self.ytd = ytd_hidden(mask, scorecard) if mask is not None else none
        self.rolling = rolling_hidden(mask, scorecard) if mask is not None else none
        months = chart_months(scorecard)
        self.chart = months_hidden(mask, scorecard, months[0], months[-1]) if mask is not None else none
        # the SPC lines rest on up to 24 months (or an older baseline), more than the chart's 13
        self.spc = spc_through_suppressed(mask, scorecard)
        self.outturns = {}
        for april in shown_years(month):
            key = outturn_key(april)
            values = scorecard.measures[key].to_numpy(float) if key in scorecard.measures else np.full(count, np.nan)
            self.outturns[april] = (values, outturn_hidden(mask, scorecard, april, values) if mask is not None
                                    else none)

    def value(self, i: int, month: int) -> float:
        panel = self.scorecard.panel
        c = panel.column(month)
        return float(panel.values[i, c]) if 0 <= c < panel.month_count else math.nan

    def hidden(self, i: int, month: int) -> bool:
        return self.mask is not None and bool(month_hidden(self.mask, self.scorecard, month)[i])


def _block(plan: SheetPlan, row: int, scorecard: Scorecard, ref: str, figures: _Figures, label: str) -> int:
    """One indicator's page from ``row``; returns the row after it."""
    info = scorecard.indicator_rows[ref]
    _line(plan, row, info["section"] or "Other indicators", SECTION)
    _line(plan, row + 1, f"{ref}  {info['indicator']}", BLOCK_TITLE)
    owner = f"Owner: {info['owner']}.   " if info.get("owner") else ""
    _line(plan, row + 2, f"{owner}Good performance is: {info['polarity']} ({POLARITY_WORDS[info['polarity']]}).   "
                         f"Data note: {info.get('unit_text') or info['unit']}.", ABOUT)
    top = row + 3
    i = scorecard.indicators.index.get_loc(ref)
    used = max(_panel(plan, top, scorecard, ref, figures), top + chart_rows(info))
    # The chart is as tall as the figures beside it, and at least CHART_ROWS rows of CHART_ROW_POINTS: rows
    # are added only for the points missing, so a page stays one printed page.
    height = sum(plan.row_heights.get(r, CHART_ROW_POINTS) for r in range(top, used))
    while height < CHART_ROWS * CHART_ROW_POINTS:
        used, height = used + 1, height + CHART_ROW_POINTS
    for r in range(top, used):
        plan.row_heights.setdefault(r, CHART_ROW_POINTS)
        plan.put(r, 0, None)  # the rows the chart floats over
    if figures.chart[i]:
        plan.put(top, 0, f"No chart: a month of the last {len(chart_months(scorecard))} is a small number "
                         f"({SUPPRESSED}).", NOTE)
        plan.merges.append((top, 0, top, CHART_COLUMNS - 1))
    else:  # as wide as columns A:F and as tall as the figures beside it
        width = sum(int(w * 7 + 5) for w in WIDTHS[:CHART_COLUMNS]) - 8
        height = int(sum(plan.row_heights[r] for r in range(top, used)) * 4 / 3) - 8
        indicator_chart(plan, scorecard, ref, top, (top, 0), (width, height),
                        limits=not figures.spc[i])
    plan.put(used, 0, f"Commentary ({label})", COMMENT_LABEL)
    plan.merges.append((used, 0, used, LAST))
    comment = used + 1
    plan.put(comment, 0, ref, REF)
    plan.put(comment, 1, None, COMMENT)
    plan.merges.append((comment, 1, comment, LAST))
    plan.row_keys[comment] = ref
    plan.row_heights[comment] = LINE_HEIGHT * COMMENT_LINES + ROW_PADDING
    return comment + 1


def _line(plan: SheetPlan, row: int, text: str, style: Style) -> None:
    """A line across the page, as tall as its wrapping needs."""
    plan.put(row, 0, text, style)
    for c in range(1, LAST + 1):
        if style is SECTION:
            plan.put(row, c, None, SECTION)
    plan.merges.append((row, 0, row, LAST))
    plan.row_heights[row] = text_height(text, sum(WIDTHS), style.bold, style.font_size)


def _panel(plan: SheetPlan, row: int, scorecard: Scorecard, ref: str, figures: _Figures) -> int:
    """The figures beside the chart, a label and its value a row; returns the row after them."""
    info, measures, month = scorecard.indicator_rows[ref], scorecard.measure_rows[ref], scorecard.reporting_month
    i = scorecard.indicators.index.get_loc(ref)
    fmt = number_format(info["unit"], info["decimals"])
    for m in (month, month - 1):
        value = figures.value(i, m)
        fill, font = (RAG_FILLS.get(measures["rag"], (None, None)) if m == month and measures["rag"] != "Grey"
                      else (None, None))
        if figures.hidden(i, m):
            cell, style = SUPPRESSED, figure_style(fmt)
        elif math.isnan(value):
            cell, style = "no figure", PANEL_TEXT
        else:
            cell, style = value, figure_style(fmt, fill, font if font != "000000" else None, bold=m == month)
        word = f" (RAG {measures['rag']})" if m == month and measures["rag"] in ("Red", "Amber", "Green") else ""
        row = _pair(plan, row, month_label(m) + ("" if cell == SUPPRESSED else word), cell, style)
    row = _pair(plan, row, "DOT (month on month)", *_dot(measures, info["polarity"], figures.hidden(i, month) or
                                                        figures.hidden(i, month - 1)))
    last_year = figures.value(i, month - 12)
    row = _pair(plan, row, f"{month_label(month - 12)}, the same month last year",
                SUPPRESSED if figures.hidden(i, month - 12) else shown(last_year, info["unit"], info["decimals"]))
    row = _pair(plan, row, f"Year to date {financial_year_label(month)} ({month_label(financial_year_start(month))} "
                           f"to {month_label(month)})", SUPPRESSED if figures.ytd[i] else ytd_text(info, measures))
    if info["kind"] == FLOW and info["unit"] == COUNT:
        row = _pair(plan, row, f"Rolling 12 months ({month_label(month - 11)} to {month_label(month)})",
                    SUPPRESSED if figures.rolling[i] else rolling_text(scorecard, measures))
    row = _pair(plan, row, "Target and tolerances", target_text(info))
    trend = [f"{financial_year_label(april)}: {_outturn(info, values[i], hidden[i], april)}"
             for april, (values, hidden) in figures.outturns.items()]
    row = _pair(plan, row, "Year on year trend (outturns)", ";  ".join(trend))
    return _pair(plan, row, "Latest benchmarking", benchmark_text(info))


def _pair(plan: SheetPlan, row: int, label: str, value, style: Style | None = None) -> int:
    plan.put(row, LABEL[0], label, PANEL_LABEL)
    plan.put(row, LABEL[1], None, PANEL_LABEL)
    plan.merges.append((row, LABEL[0], row, LABEL[1]))
    plan.put(row, VALUE[0], value, style or PANEL_TEXT)
    for c in range(VALUE[0] + 1, VALUE[1] + 1):
        plan.put(row, c, None, style or PANEL_TEXT)
    plan.merges.append((row, VALUE[0], row, VALUE[1]))
    # as tall as the page's row fitting (pages/printing.py) will find it, so the chart beside it fits them
    needed = [text_height(label, sum(WIDTHS[LABEL[0]:LABEL[1] + 1]), bold=True)]
    needed += [text_height(value, sum(WIDTHS[VALUE[0]:VALUE[1] + 1]))] if isinstance(value, str) else []
    plan.row_heights[row] = max(CHART_ROW_POINTS, *needed)
    return row + 1


def _dot(measures, polarity: str, is_hidden: bool) -> tuple[str, Style]:
    if is_hidden:
        return SUPPRESSED, PANEL_TEXT
    arrow = measures["dot"]
    words = NUMBER_WORDS if polarity in NUMBERS_DIRECTION_POLARITIES else PERFORMANCE_WORDS
    colour = JUDGEMENT_COLOURS.get(measures["judgement"], "7F7F7F")
    text = f"{arrow} {words[arrow]}" if arrow else "n/a (not enough months to judge)"
    return text, Style(f"ip.dot.{colour}", bold=True, font_color=colour, wrap=True, vertical="top", border="thin",
                       border_color="BFBFBF")


def ytd_text(info, measures) -> str:
    """'5,639 of 9,903 = 56.9%' for a ratio, the figure for the rest, '-' without a year to date; then its
    target for the year and RAG, where one is set."""
    ytd, top, bottom = measures["ytd"], measures["ytd_numerator"], measures["ytd_denominator"]
    if info["ytd_rule"] == "none" or np.isnan(ytd):
        return "- (no year to date for this measure)" if info["ytd_rule"] == "none" else "no figure yet"
    figure = shown(ytd, info["unit"], info["decimals"])
    text = f"{top:,.0f} of {bottom:,.0f} = {figure}" if not (np.isnan(top) or np.isnan(bottom)) else figure
    text += {"mean": " (the mean of the months)", "latest": " (the latest month)"}.get(info["ytd_rule"], "")
    if not np.isnan(measures["ytd_target"]):
        text += f";  target to date {shown(measures['ytd_target'], info['unit'], info['decimals'])}"
        if not np.isnan(info["annual_target"]) and np.isnan(info["ytd_target_typed"]):
            text += f" ({shown(info['annual_target'], info['unit'], info['decimals'])} for the year)"
        text += f": {measures['ytd_rag']}" if measures["ytd_rag"] in ("Red", "Amber", "Green") else ""
    return text


def rolling_text(scorecard: Scorecard, measures) -> str:
    """'3,522 / 57,521 × 10,000 = 612.3 per 10,000 children aged 0-17' (docs/design.md §5.5)."""
    total, rate = measures["rolling_12m"], measures["rolling_12m_rate_10k"]
    if np.isnan(total):
        return "no figure (a month of the 12 has none)"
    population = scorecard.settings.population_for(scorecard.reporting_month)
    if population is None or np.isnan(rate):
        return f"{total:,.0f} (no population in Settings for a rate per 10,000)"
    return f"{total:,.0f} / {population:,.0f} \u00d7 10,000 = {rate:,.1f} per 10,000 children aged 0-17"


def target_text(info) -> str:
    parts = [f"{name} {info[f'{key}_text']}" for key, name in (("red", "Red"), ("amber", "Amber"),
                                                                ("green", "Target Green")) if info[f"{key}_text"]]
    for key, name in (("target", "Target"), ("annual_target", "Annual target"), ("ytd_target_typed", "YTD target")):
        if not np.isnan(info[key]):
            parts.append(f"{name} {shown(info[key], info['unit'], info['decimals'])}")
    return ";  ".join(parts) or "none (not rated)"


def _outturn(info, figure: float, is_hidden: bool, april: int) -> str:
    if not np.isnan(figure):
        return SUPPRESSED if is_hidden else shown(figure, info["unit"], info["decimals"])
    typed = (info.get("outturns_typed") or {}).get(april)
    return typed.text if typed is not None and typed.text else "-"


def benchmark_text(info) -> str:
    parts = []
    for key, name in (("sn", "SN average"), ("best_sn", "best SN"), ("england", "national average"),
                      ("top_quartile", "national top quartile")):
        text = info.get(f"{key}_text") or ""
        if text and not reads_as_number(text):
            parts.append(f"{name}: {text}")  # as typed: Local, 12.3% (2017)
        elif not np.isnan(info[key]):
            parts.append(f"{name}: {shown(info[key], info['unit'], info['decimals'])}")
    return ";  ".join(parts) or "none published"

