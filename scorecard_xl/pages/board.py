"""The Summary sheet, after reference 004 (the Improvement Board report); the email copy always has it.

Three lists first (going well or better, ones to watch, things to do better), then a line chart
per "to do better" indicator (board_charts), then the KPI table: Ref, indicator, last 3 months,
target, benchmark, change on last month (pp for percentages), DoT and RAG. Which list an
indicator is in is a judgement over the measures (compute/classify.py); this page lays it out.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..compute import rules
from ..compute.classify import DO_BETTER, GOING_WELL, LISTS, TO_WATCH, classify, judged_table, suppressed_in
from ..compute.engine import Scorecard
from ..compute.measures import column
from ..compute.months import month_label
from . import columns as keys
from .board_charts import chart_section
from .board_text import (HEADING, KEY_WRAPPED, LAST, LINE, NONE_LINE, SUPPRESSED, SUPPRESSION_KEY, WIDTHS, list_line,
                         month_change, wrapped_line)
from .scorecard import (HEADER, HEADER_LEFT, JUDGEMENT_COLOURS, KEY_TEXT, LINE_HEIGHT, NOT_AVAILABLE, RAG_FILLS, REF,
                        SUBTITLE, TEXT, TITLE, figure_style, mark_style, number_format, page_header, rag_counts,
                        section_band, target_text, wrapped_lines)
from .sheetplan import PrintSetup, SheetPlan, Style

SHEET_NAME = "Summary"
NOT_ASSESSED = "Not assessed because of small numbers"  # listed apart: any list would hint at the figure
NOT_SHOWN = "not shown (c)"  # the RAG count of indicators whose RAG would give their figure away
_LIST_STYLE = {GOING_WELL: ("E2EFDA", "375623"), TO_WATCH: ("FFF2CC", "7F6000"), DO_BETTER: ("FCE4D6", "C00000")}


def _judged(scorecard: Scorecard, suppressed: np.ndarray | None) -> tuple[pd.DataFrame, pd.Series]:
    """The judged measures (with last month's figure, which the list lines quote) and each one's list."""
    table = judged_table(scorecard, suppressed)
    table["previous"] = column(scorecard.panel.values, scorecard.panel.column(scorecard.reporting_month - 1))
    return table, classify(table)


def _lists(scorecard: Scorecard, table: pd.DataFrame, verdicts: pd.Series) -> dict[str, list[str]]:
    info, month = scorecard.indicators, scorecard.reporting_month
    lists = {name: [list_line(ref, info.loc[ref], table.loc[ref], month) for ref in info.index if verdicts[ref] == name]
             for name in LISTS}
    unassessed = [ref for ref in info.index if not table.at[ref, "assessed"]]
    if unassessed:
        lists[NOT_ASSESSED] = [f"{ref} {str(info.at[ref, 'indicator']).rstrip(' .:')}" for ref in unassessed]
    return lists


def summary_lists(scorecard: Scorecard, suppressed: np.ndarray | None = None) -> dict[str, list[str]]:
    """The Summary's lists as its lines read ('<Ref> <indicator>: 59% in Feb-21 (...)'), and under
    suppression the indicators not assessed; the email draft quotes them."""
    return _lists(scorecard, *_judged(scorecard, suppressed))


def summary_rag(scorecard: Scorecard, suppressed: np.ndarray | None = None) -> dict[str, int]:
    """RAG counts of the indicators whose figure shows; those shown as c are counted apart, since
    the counts less the RAGs on show would give their RAG, and so a band of their figure."""
    hidden_now = suppressed_in(suppressed, scorecard, scorecard.reporting_month)
    counts = rag_counts(dataclasses.replace(scorecard, measures=scorecard.measures[~hidden_now]))
    return counts | ({NOT_SHOWN: int(hidden_now.sum())} if suppressed is not None else {})


def summary_page(scorecard: Scorecard, suppressed: np.ndarray | None = None) -> SheetPlan:
    """The Summary plan; ``suppressed`` (panel-shaped, True = show 'c') hides small numbers."""
    settings, info, month = scorecard.settings, scorecard.indicators, scorecard.reporting_month
    table, verdicts = _judged(scorecard, suppressed)
    lists = _lists(scorecard, table, verdicts)
    suppressing = suppressed is not None

    def hidden(i: int, m: int) -> bool:
        return bool(suppressed_in(suppressed, scorecard, m)[i])

    plan = SheetPlan(SHEET_NAME, show_gridlines=False, zoom=90, tab_color="00863D")
    plan.column_widths.update(enumerate(WIDTHS))
    title = settings.title + (f" \u2014 {settings.organisation}" if settings.organisation else "")
    plan.put(0, 0, f"{title}: summary for {month_label(month)}", TITLE)
    counts = summary_rag(scorecard, suppressed)
    plan.put(1, 0, f"{len(info)} indicators. RAG this month: {counts['Red']} red, {counts['Amber']} amber, "
                   f"{counts['Green']} green, {counts['Grey']} not rated (grey)" +
                   (f", {counts[NOT_SHOWN]} {NOT_SHOWN}." if suppressing else "."), SUBTITLE)
    if suppressing:
        plan.put(2, 0, SUPPRESSION_KEY, KEY_TEXT)
    row = 3
    for name in LISTS:
        fill, font = _LIST_STYLE[name]
        plan.put(row, 0, name, Style(f"summary.list.{fill}", bold=True, font_size=12, fill=fill, font_color=font,
                                     vertical="center"))
        plan.merges.append((row, 0, row, LAST))
        plan.row_heights[row] = 20
        row += 1
        for line in lists[name]:
            row = wrapped_line(plan, row, "\u2022 " + line, LINE)
        if not lists[name]:
            plan.put(row, 0, "None this month.", NONE_LINE)
            row += 1
        row += 1
    unassessed = [ref for ref in info.index if not table.at[ref, "assessed"]]
    if unassessed:
        row = wrapped_line(plan, row, f"{NOT_ASSESSED} ({SUPPRESSED} in {month_label(month)} or "
                                      f"{month_label(month - 1)}): {', '.join(unassessed)}.", NONE_LINE) + 1
    flagged = [ref for ref in info.index if verdicts[ref] == DO_BETTER]
    breaks = [row] if flagged else []
    if flagged:
        row = chart_section(plan, row, scorecard, flagged, hidden, breaks)
    breaks.append(row)
    row = _kpi_table(plan, row, scorecard, table, hidden, suppressing)
    plan.print_setup = PrintSetup(landscape=True, fit_width=1, fit_height=0,
                                  header=page_header(title, month_label(month)),
                                  footer=f"&LSummary, {month_label(month)}&RPage &P of &N",
                                  area=(0, 0, row, LAST), page_breaks=tuple(breaks))
    return plan


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
    columns = [(keys.REF, "Ref"), (keys.INDICATOR, "Indicator")] + \
              [(keys.month_column(m), month_label(m)) for m in months] + \
              [(keys.TARGET, "Target"), (keys.BENCHMARK, "Benchmark"),
               (keys.CHANGE_PREV_MONTH, f"Change on {month_label(month - 1)}"), (keys.DOT, "DoT"), (keys.RAG, "RAG")]
    plan.columns, plan.header_row = {key: c for c, (key, _) in enumerate(columns)}, row
    for c, (key, text) in enumerate(columns):
        plan.put(row, c, text, HEADER_LEFT if key == keys.INDICATOR else HEADER)
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
    col = plan.columns
    fmt = number_format(item["unit"], item["decimals"])
    plain = figure_style(fmt)
    plan.put(row, col[keys.REF], ref, REF)
    plan.put(row, col[keys.INDICATOR], item["indicator"], TEXT)
    for m, is_hidden in months:
        value = column(panel.values, panel.column(m))[i]
        shown = SUPPRESSED if is_hidden else (None if np.isnan(value) else float(value))
        plan.put(row, col[keys.month_column(m)], shown, plain)
    target = target_text(item)
    plan.put(row, col[keys.TARGET], target, plain if isinstance(target, float) else NOT_AVAILABLE)
    for key, label in ((keys.ENGLAND, "Eng"), (keys.SN, "SN")):
        if not np.isnan(item[key]):
            plan.put(row, col[keys.BENCHMARK], float(item[key]), figure_style(f'{fmt}" {label}"'))
            break
    else:
        plan.put(row, col[keys.BENCHMARK], item.get("england_text") or item.get("sn_text") or None, NOT_AVAILABLE)
    change, kind = month_change(figures["value"], figures["previous"], item["unit"])
    if months[-1][1] or months[-2][1]:
        plan.put(row, col[keys.CHANGE_PREV_MONTH], SUPPRESSED, plain)
    elif np.isnan(change):
        plan.put(row, col[keys.CHANGE_PREV_MONTH], "n/a", NOT_AVAILABLE)
    else:
        body = '0.0"pp"' if kind == "pp" else "0%"
        plan.put(row, col[keys.CHANGE_PREV_MONTH], change, figure_style(f"+{body};-{body};{body}"))
    if months[-1][1] or months[-2][1]:  # the direction (and its colour) would rank the hidden figure
        plan.put(row, col[keys.DOT], SUPPRESSED, mark_style(JUDGEMENT_COLOURS[rules.NEUTRAL]))
    else:
        plan.put(row, col[keys.DOT], figures["dot"] or "n/a",
                 mark_style(JUDGEMENT_COLOURS.get(figures["judgement"], "7F7F7F")))
    if months[-1][1]:  # the RAG word and colour would give a band of the hidden figure
        plan.put(row, col[keys.RAG], SUPPRESSED, Style("summary.rag.c", horizontal="center", vertical="top",
                                                       border="thin", border_color="BFBFBF"))
        return
    rag = figures["rag"] or ""
    fill, font = RAG_FILLS.get(rag, RAG_FILLS["Grey"])
    plan.put(row, col[keys.RAG], {"Grey": "Not rated", "": "No figure"}.get(rag, rag),
             Style(f"summary.rag.{rag or 'none'}", bold=rag in ("Red", "Amber", "Green"), fill=fill, font_color=font,
                   horizontal="center", vertical="top", border="thin", border_color="BFBFBF"))
