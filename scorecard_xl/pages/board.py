"""The Summary sheet of the email-ready copy, after reference 004 (the Improvement Board report).

Three lists first (going well or better, ones to watch, things to do better), then a line chart
per "to do better" indicator, then the KPI table: Ref, indicator, last 3 months, target,
benchmark, change on last month (pp for percentages), DoT and RAG. The classification is a
handful of named pure functions over the measures table, documented in ``classify``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..compute import rules
from ..compute.engine import Scorecard
from ..compute.vocabulary import PERCENTAGE
from .scorecard import (GREY_TEXT, HEADER, HEADER_LEFT, JUDGEMENT_COLOURS, KEY_TEXT, LINE_HEIGHT, NOT_AVAILABLE, RAG_FILLS, REF,
                        page_header, section_band, SUBTITLE, TEXT, TITLE, figure_style, mark_style, target_text, number_format,
                        rag_counts, wrapped_lines)
from ..compute.measures import column, window
from ..compute.months import month_label
from .sheetplan import PrintSetup, SheetPlan, Style

SHEET_NAME = "Summary"
GOING_WELL, TO_WATCH, DO_BETTER = "Going well or better", "Ones to watch", "Things to do better"
LISTS = (GOING_WELL, TO_WATCH, DO_BETTER)
SUPPRESSED = "c"
SUPPRESSION_KEY = "c = 1 to 5, suppressed to protect children's identities"
NOT_ASSESSED = "Not assessed because of small numbers"  # listed apart: any list would hint at the figure
NOT_SHOWN = "not shown (c)"  # the RAG count of indicators whose RAG would give their figure away
WIDTHS = (12, 56, 8, 8, 8, 9, 11, 10, 5, 10)  # Ref .. RAG; columns A:B and C:J are about as wide
LAST = len(WIDTHS) - 1
CHART_SLOTS = ((0, 1), (2, LAST))  # two charts a row, each over whole columns (any font lines up)
CHART_GAP = 6  # pixels left of each chart
CHART_DATA_COLUMN, CHART_HEADER_ROW, CHART_MONTHS = LAST + 2, 3, 12  # the charts' figures, right of the print area
_LIST_STYLE = {GOING_WELL: ("E2EFDA", "375623"), TO_WATCH: ("FFF2CC", "7F6000"), DO_BETTER: ("FCE4D6", "C00000")}
LINE = Style("summary.line", wrap=True, vertical="top", indent=1)
NONE_LINE = Style("summary.none", italic=True, font_color="7F7F7F", indent=1)
HEADING = Style("summary.heading", bold=True, font_size=13, font_color="1F3864")
KEY_WRAPPED = Style("summary.key", font_color=GREY_TEXT, wrap=True, vertical="top")


# --- The classification: one small pure function per rule over the judged measures table ----

def suppressed_in(suppressed: np.ndarray | None, scorecard: Scorecard, month: int) -> np.ndarray:
    """Per indicator: True where the figure for ``month`` shows as c (never, when not suppressing)."""
    index = scorecard.panel.column(month)
    if suppressed is None or not 0 <= index < suppressed.shape[1]:
        return np.zeros(len(scorecard.indicators), dtype=bool)
    return suppressed[:, index]


def worse_in_last_moves(scorecard: Scorecard, moves: int = 3, suppressed: np.ndarray | None = None) -> np.ndarray:
    """True where each of the last ``moves`` month-on-month moves was judged worse (rules.judgement).
    A run through a suppressed month does not count, so that no list can hint at that month's figure."""
    panel, info = scorecard.panel, scorecard.indicators
    end = panel.column(scorecard.reporting_month)
    block = window(panel.values, end, moves + 1)
    verdicts = rules.judgement(block[:, 1:], block[:, :-1], info["polarity"].to_numpy(dtype=object)[:, None],
                               lower=info["green_low"].to_numpy(dtype=float)[:, None],
                               upper=info["green_high"].to_numpy(dtype=float)[:, None])
    through_small = (window(suppressed.astype(float), end, moves + 1) == 1).any(axis=1) if suppressed is not None \
        else False
    return (np.asarray(verdicts) == rules.WORSE).all(axis=1) & ~through_small


def judged_table(scorecard: Scorecard, suppressed: np.ndarray | None = None) -> pd.DataFrame:
    """The measures table plus ``polarity``, ``worse_run`` (worse three moves running) and ``assessed``
    (False where this month's or last month's figure shows as c: every judgement rests on them)."""
    table = scorecard.measures.copy()
    month = scorecard.reporting_month
    table["polarity"] = scorecard.indicators["polarity"]
    table["worse_run"] = worse_in_last_moves(scorecard, suppressed=suppressed)
    table["assessed"] = ~(suppressed_in(suppressed, scorecard, month) | suppressed_in(suppressed, scorecard, month - 1))
    return table


def is_judged(table: pd.DataFrame) -> pd.Series:
    """Info indicators carry no judgement of good or bad."""
    return table["polarity"] != rules.INFO


def moved(table: pd.DataFrame) -> pd.Series:
    """The month-on-month movement arrow is ↑ or ↓ (a move of at least the indicator's band)."""
    return table["arrow_prev_month"].isin([rules.UP, rules.DOWN])


def do_better(table: pd.DataFrame) -> pd.Series:
    return is_judged(table) & ((table["rag"] == "Red") | table["worse_run"].astype(bool))


def going_well(table: pd.DataFrame) -> pd.Series:
    return is_judged(table) & (table["rag"] == "Green") & (table["judgement"] != rules.WORSE) & ~do_better(table)


def ones_to_watch(table: pd.DataFrame) -> pd.Series:
    amber = is_judged(table) & (table["rag"] == "Amber")
    return ~do_better(table) & ~going_well(table) & (moved(table) | amber)


def classify(table: pd.DataFrame) -> pd.Series:
    """Each indicator's list on the Summary, from this month's measures:

    - Things to do better: RAG Red, or judged worse in each of the last three month-on-month
      moves (e.g. Nov->Dec, Dec->Jan, Jan->Feb), whatever its RAG.
    - Going well or better: RAG Green, and this month's judgement is not worse than last month.
    - Ones to watch: any other indicator that moved this month (month-on-month arrow ↑ or ↓:
      a change of at least its band, 10% unless set), or is RAG Amber.
    - Not listed: the rest (steady and Grey / not rated, or Green but slightly worse).
    Info indicators are never judged: never going well or to do better; they are ones to watch
    only when they moved by the band or more. Each indicator is in at most one list.
    Under suppression an indicator whose figure this month or last shows as c is in none of
    them (``assessed`` False): which list it is in would hint at that figure.
    """
    lists = pd.Series(np.select([do_better(table), going_well(table), ones_to_watch(table)],
                                [DO_BETTER, GOING_WELL, TO_WATCH], ""), index=table.index)
    return lists.where(table["assessed"], "") if "assessed" in table else lists


# --- Words and numbers as a reader sees them -------------------------------------------------

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


# --- The sheet --------------------------------------------------------------------------------

@dataclass
class ChartSpec:
    """A native line chart of one indicator's last 12 months (figures in ``values_row`` right of the
    print area, month labels in CHART_HEADER_ROW), drawn by the writer over whole columns."""

    title: str
    values_row: int
    num_format: str
    anchor_row: int
    first_column: int
    width: int  # pixels
    height: int


@dataclass
class SummarySheet:
    plan: SheetPlan
    lists: dict[str, list[str]]
    charts: list[ChartSpec] = field(default_factory=list)
    print_area: tuple[int, int, int, int] = (0, 0, 0, 0)
    page_breaks: list[int] = field(default_factory=list)  # rows that start a new printed page
    rag: dict[str, int] = field(default_factory=dict)  # the RAG counts as the page shows them


def shown_rag_counts(scorecard: Scorecard, hidden_now: np.ndarray, suppressing: bool) -> dict[str, int]:
    """RAG counts of the indicators whose figure shows; those shown as c are counted apart, since
    the counts less the RAGs on show would give their RAG, and so a band of their figure."""
    counts = rag_counts(dataclasses.replace(scorecard, measures=scorecard.measures[~hidden_now]))
    return counts | ({NOT_SHOWN: int(hidden_now.sum())} if suppressing else {})


def summary_sheet(scorecard: Scorecard, suppressed: np.ndarray | None = None, charts: bool = True) -> SummarySheet:
    """The Summary plan; ``suppressed`` (panel-shaped, True = show 'c') hides small numbers."""
    settings, info, panel, month = scorecard.settings, scorecard.indicators, scorecard.panel, scorecard.reporting_month
    table = judged_table(scorecard, suppressed)
    table["previous"] = column(panel.values, panel.column(month - 1))
    verdicts = classify(table)
    suppressing = suppressed is not None

    def hidden(i: int, m: int) -> bool:
        return bool(suppressed_in(suppressed, scorecard, m)[i])

    plan = SheetPlan(SHEET_NAME, show_gridlines=False, zoom=90, tab_color="00863D")
    plan.column_widths.update(enumerate(WIDTHS))
    title = settings.title + (f" \u2014 {settings.organisation}" if settings.organisation else "")
    plan.put(0, 0, f"{title}: summary for {month_label(month)}", TITLE)
    counts = shown_rag_counts(scorecard, suppressed_in(suppressed, scorecard, month), suppressing)
    plan.put(1, 0, f"{len(info)} indicators. RAG this month: {counts['Red']} red, {counts['Amber']} amber, "
                   f"{counts['Green']} green, {counts['Grey']} not rated (grey)" +
                   (f", {counts[NOT_SHOWN]} {NOT_SHOWN}." if suppressing else "."), SUBTITLE)
    if suppressing:
        plan.put(2, 0, SUPPRESSION_KEY, KEY_TEXT)
    row, lists = 3, {name: [] for name in LISTS}
    for name in LISTS:
        fill, font = _LIST_STYLE[name]
        plan.put(row, 0, name, Style(f"summary.list.{fill}", bold=True, font_size=12, fill=fill, font_color=font,
                                     vertical="center"))
        plan.merges.append((row, 0, row, LAST))
        plan.row_heights[row] = 20
        row += 1
        for ref in info.index:
            if verdicts[ref] == name:
                line = list_line(ref, info.loc[ref], table.loc[ref], month)
                lists[name].append(line)
                row = _wrapped_line(plan, row, "\u2022 " + line, LINE)
        if not lists[name]:
            plan.put(row, 0, "None this month.", NONE_LINE)
            row += 1
        row += 1
    unassessed = [ref for ref in info.index if not table.at[ref, "assessed"]]
    if unassessed:
        lists[NOT_ASSESSED] = [f"{ref} {str(info.at[ref, 'indicator']).rstrip(' .:')}" for ref in unassessed]
        row = _wrapped_line(plan, row, f"{NOT_ASSESSED} ({SUPPRESSED} in {month_label(month)} or "
                                       f"{month_label(month - 1)}): {', '.join(unassessed)}.", NONE_LINE) + 1
    flagged = [ref for ref in info.index if verdicts[ref] == DO_BETTER] if charts else []
    breaks, specs = [row] if flagged else [], []
    if flagged:
        row = _charts(plan, row, scorecard, flagged, hidden, specs, breaks)
    breaks.append(row)
    row = _kpi_table(plan, row, scorecard, table, hidden, suppressing)
    plan.print_setup = PrintSetup(landscape=True, fit_width=1, fit_height=0,
                                  header=page_header(title, month_label(month)),
                                  footer=f"&LSummary, {month_label(month)}&RPage &P of &N")
    return SummarySheet(plan, lists, specs, (0, 0, row, LAST), breaks, counts)


def _wrapped_line(plan: SheetPlan, row: int, text: str, style: Style) -> int:
    """A line of text across the page, as tall as its wrapping needs; returns the next row."""
    plan.put(row, 0, text, style)
    plan.merges.append((row, 0, row, LAST))
    plan.row_heights[row] = LINE_HEIGHT * wrapped_lines(text, sum(WIDTHS) * 1.3) + 3
    return row + 1


def _charts(plan: SheetPlan, row: int, scorecard: Scorecard, flagged: list[str], hidden, specs: list, breaks: list) -> int:
    """A chart per flagged indicator, two a row, three rows a page; their figures right of the print area."""
    info, panel, month = scorecard.indicators, scorecard.panel, scorecard.reporting_month
    plan.put(row, 0, f"Things to do better: the last 12 months to {month_label(month)}", HEADING)
    row += 1
    months = range(month - CHART_MONTHS + 1, month + 1)
    # A chart cannot leave a point out unnoticed, so one with any suppressed month is not drawn; the
    # KPI table shows its months as c.
    dropped = [ref for ref in flagged if any(hidden(info.index.get_loc(ref), m) for m in months)]
    if dropped:
        row = _wrapped_line(plan, row, f"No chart for {', '.join(dropped)}: a month in the last 12 is a small "
                                       f"number ({SUPPRESSED}).", NONE_LINE)
    plan.put(CHART_HEADER_ROW - 1, CHART_DATA_COLUMN, "Chart data (the figures behind the charts)", HEADING)
    for k, label in enumerate(["Ref"] + [month_label(m) for m in months]):
        plan.put(CHART_HEADER_ROW, CHART_DATA_COLUMN + k, label, HEADER)
        plan.column_widths[CHART_DATA_COLUMN + k] = 12 if k == 0 else 8
    band_rows, plotted = 10, 0
    for ref in (ref for ref in flagged if ref not in dropped):
        i = info.index.get_loc(ref)
        data_row, fmt = CHART_HEADER_ROW + 1 + plotted, number_format(info.at[ref, "unit"], info.at[ref, "decimals"])
        plan.put(data_row, CHART_DATA_COLUMN, ref, REF)
        for k, m in enumerate(months, start=1):
            value = column(panel.values, panel.column(m))[i]
            plan.put(data_row, CHART_DATA_COLUMN + k, None if np.isnan(value) else float(value), figure_style(fmt))
        name = info.at[ref, "indicator"]
        band, slot = divmod(plotted, len(CHART_SLOTS))
        if slot == 0 and band and band % 3 == 0:
            breaks.append(row + band * band_rows)
        first, last = CHART_SLOTS[slot]
        width = sum(int(w * 7 + 5) for w in WIDTHS[first:last + 1]) - CHART_GAP  # Excel's pixels; ends on the edge
        specs.append(ChartSpec(ref + " " + (name if len(name) <= 80 else name[:78].rstrip() + "\u2026"), data_row,
                               fmt, row + band * band_rows, first, width, 190))
        plotted += 1
    bands = -(-plotted // len(CHART_SLOTS))
    for r in range(row, row + bands * band_rows):
        plan.put(r, 0, None)  # reserve the rows the charts float over
    return row + bands * band_rows + 1


def _kpi_table(plan: SheetPlan, row: int, scorecard: Scorecard, table: pd.DataFrame, hidden, suppressing: bool) -> int:
    info, panel, month = scorecard.indicators, scorecard.panel, scorecard.reporting_month
    plan.put(row, 0, "Key performance indicators", HEADING)
    row += 1
    key = ("Grey = not rated (no tolerance or target).  Key: pp = percentage point.  Benchmark: England, else "
           "statistical neighbours (SN).  DoT: \u2191 better, \u2193 worse, \u2192 no change (Info and Within limits: "
           "the direction of the numbers)." + (f"  {SUPPRESSION_KEY}." if suppressing else ""))
    plan.put(row, 0, key, KEY_WRAPPED)  # across the table, so it prints within the page
    plan.merges.append((row, 0, row, LAST))
    plan.row_heights[row] = LINE_HEIGHT * wrapped_lines(key, sum(WIDTHS) * 1.1) + 3
    row += 1
    months = [month - 2, month - 1, month]
    headers = ["Ref", "Indicator"] + [month_label(m) for m in months] + \
              ["Target", "Benchmark", f"Change on {month_label(month - 1)}", "DoT", "RAG"]
    for c, text in enumerate(headers):
        plan.put(row, c, text, HEADER_LEFT if c == 1 else HEADER)
    plan.row_heights[row] = 30
    row += 1
    for section, members in info.groupby("section", sort=False):
        section_band(plan, row, section, LAST)
        row += 1
        for ref, item in members.iterrows():
            i = info.index.get_loc(ref)
            _kpi_row(plan, row, ref, item, table.loc[ref], [(m, hidden(i, m)) for m in months], panel, i)
            plan.row_heights[row] = LINE_HEIGHT * wrapped_lines(item["indicator"], WIDTHS[1] * 1.2) + 3
            row += 1
    return row


def _kpi_row(plan: SheetPlan, row: int, ref: str, item, figures, months, panel, i: int) -> None:
    fmt = number_format(item["unit"], item["decimals"])
    plain = figure_style(fmt)
    plan.put(row, 0, ref, REF)
    plan.put(row, 1, item["indicator"], TEXT)
    for c, (m, is_hidden) in enumerate(months, start=2):
        value = column(panel.values, panel.column(m))[i]
        plan.put(row, c, SUPPRESSED if is_hidden else (None if np.isnan(value) else float(value)), plain)
    target = target_text(item)
    plan.put(row, 5, target, plain if isinstance(target, float) else NOT_AVAILABLE)
    for key, label in (("england", "Eng"), ("sn", "SN")):
        if not np.isnan(item[key]):
            plan.put(row, 6, float(item[key]), figure_style(f'{fmt}" {label}"'))
            break
    else:
        plan.put(row, 6, item.get("england_text") or item.get("sn_text") or None, NOT_AVAILABLE)
    change, kind = month_change(figures["value"], figures["previous"], item["unit"])
    if months[-1][1] or months[-2][1]:
        plan.put(row, 7, SUPPRESSED, plain)
    elif np.isnan(change):
        plan.put(row, 7, "n/a", NOT_AVAILABLE)
    else:
        body = '0.0"pp"' if kind == "pp" else "0%"
        plan.put(row, 7, change, figure_style(f"+{body};-{body};{body}"))
    if months[-1][1] or months[-2][1]:  # the direction (and its colour) would rank the hidden figure
        plan.put(row, 8, SUPPRESSED, mark_style(JUDGEMENT_COLOURS[rules.NEUTRAL]))
    else:
        plan.put(row, 8, figures["dot"] or "n/a", mark_style(JUDGEMENT_COLOURS.get(figures["judgement"], "7F7F7F")))
    if months[-1][1]:  # the RAG word and colour would give a band of the hidden figure
        plan.put(row, 9, SUPPRESSED, Style("summary.rag.c", horizontal="center", vertical="top", border="thin",
                                           border_color="BFBFBF"))
        return
    rag = figures["rag"] or ""
    fill, font = RAG_FILLS.get(rag, RAG_FILLS["Grey"])
    plan.put(row, 9, {"Grey": "Not rated", "": "No figure"}.get(rag, rag),
             Style(f"summary.rag.{rag or 'none'}", bold=rag in ("Red", "Amber", "Green"), fill=fill, font_color=font,
                   horizontal="center", vertical="top", border="thin", border_color="BFBFBF"))
