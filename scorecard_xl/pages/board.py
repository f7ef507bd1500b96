"""The Board summary, after reference 004 (the Improvement Board report): a page of the workbook, and
the first sheet of the email copy.

Three lists first (going well or better, ones to watch, things to do better), each item its Ref and a
plain-English headline; then a chart of every listed indicator, in the lists' order, with its
commentary from the Scorecard (board_charts); then the KPI table: Ref, indicator, last three months,
target, benchmarks (SN / ENG / region), change on last month (pp for percentages), DoT, RAG and the
SPC marks (pages/spc_marks.py; left blank when the Settings row SPC says No), and the two columns the officer types into: Override (which list, whatever the tool judged) and
Headline (their own words for the item). Which list an indicator is in is a judgement over the
measures (compute/classify.py); this page lays it out, with what people typed (``edits``).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..compute import rules
from ..compute.classify import (DO_BETTER, GOING_WELL, LISTS, TO_WATCH, classify, judged_table,
                                spc_through_suppressed, suppressed_in, with_overrides)
from ..compute.engine import Scorecard, rows_by_index
from ..compute.measures import column
from ..compute.months import month_label
from . import columns as keys
from . import spc_marks
from .board_charts import ChartGroup, chart_section
from .board_text import (HEADING, KEY_WRAPPED, LAST, LINE, NONE_LINE, SUPPRESSED, SUPPRESSION_KEY, TYPED_WIDTHS,
                         WIDTHS, headline, month_change, shown, typed_text, wrapped_line)
from .printing import fit_row_heights, page_setup, page_size, printed_scale
from .scorecard import (HEADER, HEADER_LEFT, JUDGEMENT_COLOURS, KEY_TEXT, NOT_AVAILABLE, PRINTED_FROM, RAG_FILLS,
                        REF, SUBTITLE, TARGET_TEXT, TEXT, TITLE, figure_style, mark_style, number_format, page_header,
                        rag_counts, section_band, target_text)
from .sheetplan import SheetPlan, Style

SHEET_NAME = "Board summary"
OVERRIDE, HEADLINE = "override", "headline"  # the keys of the columns the officer types into
NOT_ASSESSED = "Not assessed because of small numbers"  # listed apart: any list would hint at the figure
NOT_SHOWN = "not shown (c)"  # the RAG count of indicators whose RAG would give their figure away
_LIST_STYLE = {GOING_WELL: ("E2EFDA", "375623"), TO_WATCH: ("FFF2CC", "7F6000"), DO_BETTER: ("FCE4D6", "C00000")}
TYPED = Style("summary.typed", vertical="top", wrap=True, fill="FFFBEA", border="thin", border_color="BFBFBF")
BENCHMARKS = Style("summary.benchmarks", vertical="top", wrap=True, border="thin", border_color="BFBFBF")


def _typed(edits, key: str) -> dict[str, str]:
    """What was typed in the manual column ``key`` (the board's, or the Scorecard's commentary), as text."""
    return {ref: text for ref, value in ((edits or {}).get(key) or {}).items() if (text := typed_text(value))}


def _judged(scorecard: Scorecard, suppressed, edits) -> tuple[pd.DataFrame, pd.Series]:
    """The judged measures (with last month's figure, which the headlines quote) and each one's list,
    an officer's Override in place of the judgement."""
    key = ("board", None if suppressed is None else (suppressed.shape, suppressed.tobytes()))
    if key not in scorecard.derived:  # the same for every layout of the board and its lists
        table = judged_table(scorecard, suppressed)
        table["previous"] = column(scorecard.panel.values, scorecard.panel.column(scorecard.reporting_month - 1))
        scorecard.derived[key] = table, classify(table)
    table, verdicts = scorecard.derived[key]
    return table, with_overrides(verdicts, _typed(edits, OVERRIDE), table["assessed"])


def _window_shown(scorecard: Scorecard, suppressed, ref: str) -> bool:
    """Whether every month of the indicator's last 12 shows (a headline's 'highest' would rank a c)."""
    i, month = scorecard.indicators.index.get_loc(ref), scorecard.reporting_month
    return not any(suppressed_in(suppressed, scorecard, m)[i] for m in range(month - 11, month + 1))


def _lists(scorecard: Scorecard, table: pd.DataFrame, verdicts: pd.Series, suppressed, edits) -> dict[str, list[str]]:
    info, month = scorecard.indicators, scorecard.reporting_month
    typed = _typed(edits, HEADLINE)
    rows, judged = scorecard.indicator_rows, rows_by_index(table)

    def line(ref: str) -> str:
        words = typed.get(ref) or headline(rows[ref], judged[ref], month, target_text(rows[ref]),
                                           _window_shown(scorecard, suppressed, ref))
        return f"{ref} {words}"

    lists = {name: [line(ref) for ref in info.index if verdicts[ref] == name] for name in LISTS}
    unassessed = [ref for ref in info.index if not table.at[ref, "assessed"]]
    if unassessed:
        lists[NOT_ASSESSED] = [f"{ref} {str(info.at[ref, 'indicator']).rstrip(' .:')}" for ref in unassessed]
    return lists


def summary_lists(scorecard: Scorecard, suppressed: np.ndarray | None = None, edits=None) -> dict[str, list[str]]:
    """The Board summary's lists as its lines read ('<Ref> <headline>'), and under suppression the
    indicators not assessed; the email draft quotes them."""
    table, verdicts = _judged(scorecard, suppressed, edits)
    return _lists(scorecard, table, verdicts, suppressed, edits)


def summary_rag(scorecard: Scorecard, suppressed: np.ndarray | None = None) -> dict[str, int]:
    """RAG counts of the indicators whose figure shows; those shown as c are counted apart, since
    the counts less the RAGs on show would give their RAG, and so a band of their figure."""
    hidden_now = suppressed_in(suppressed, scorecard, scorecard.reporting_month)
    counts = rag_counts(dataclasses.replace(scorecard, measures=scorecard.measures[~hidden_now]))
    return counts | ({NOT_SHOWN: int(hidden_now.sum())} if suppressed is not None else {})


def summary_page(scorecard: Scorecard, suppressed: np.ndarray | None = None, edits=None) -> SheetPlan:
    """The Board summary plan; ``suppressed`` (panel-shaped, True = show 'c') hides small numbers;
    ``edits`` is what people typed (update/typed.py): the board's overrides and headlines, and the
    Scorecard's commentary, which goes under the charts."""
    settings, info, month = scorecard.settings, scorecard.indicators, scorecard.reporting_month
    table, verdicts = _judged(scorecard, suppressed, edits)
    lists = _lists(scorecard, table, verdicts, suppressed, edits)
    suppressing = suppressed is not None

    def hidden(i: int, m: int) -> bool:
        return bool(suppressed_in(suppressed, scorecard, m)[i])

    plan = SheetPlan(SHEET_NAME, show_gridlines=False, zoom=90, tab_color="00863D")
    plan.column_widths.update(enumerate(WIDTHS + TYPED_WIDTHS))
    title = settings.title + (f" \u2014 {settings.organisation}" if settings.organisation else "")
    plan.put(0, 0, f"{title}: board summary for {month_label(month)}", TITLE)  # on paper, the page header says it
    counts = summary_rag(scorecard, suppressed)
    plan.put(1, 0, f"{len(info)} indicators. RAG this month: {counts['Red']} red, {counts['Amber']} amber, "
                   f"{counts['Green']} green, {counts['Grey']} not rated (grey)" +
                   (f", {counts[NOT_SHOWN]} {NOT_SHOWN}." if suppressing else "."), SUBTITLE)
    if suppressing:
        plan.put(2, 0, SUPPRESSION_KEY, KEY_TEXT)
    row = _list_section(plan, 3, lists)
    unassessed = [ref for ref in info.index if not table.at[ref, "assessed"]]
    if unassessed:
        row = wrapped_line(plan, row, f"{NOT_ASSESSED} ({SUPPRESSED} in {month_label(month)} or "
                                      f"{month_label(month - 1)}): {', '.join(unassessed)}.", NONE_LINE) + 1
    area = (PRINTED_FROM, 0, row, LAST)  # the columns print as they will; the rows are known at the end
    scale = printed_scale(page_setup(plan, settings.paper, area), plan, settings.paper)
    groups = [ChartGroup(name, [ref for ref in info.index if verdicts[ref] == name]) for name in LISTS]
    breaks = [row] if any(group.refs for group in groups) else []
    row, chart_breaks = chart_section(plan, row, scorecard, groups, hidden, _typed(edits, keys.COMMENTARY),
                                      page_size(settings.paper)[1] / scale - 30,
                                      ~spc_through_suppressed(suppressed, scorecard))
    breaks += chart_breaks + [row]
    row = _kpi_table(plan, row, scorecard, table, hidden, suppressed)
    fit_row_heights(plan)
    plan.print_setup = page_setup(plan, settings.paper, (PRINTED_FROM, 0, row - 1, LAST),
                                  header=page_header(title, month_label(month)),
                                  footer=f"&L{SHEET_NAME}, {month_label(month)}&RPage &P of &N",
                                  page_breaks=tuple(breaks))
    return plan


def _list_section(plan: SheetPlan, row: int, lists: dict[str, list[str]]) -> int:
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
    return row


def _kpi_table(plan: SheetPlan, row: int, scorecard: Scorecard, table: pd.DataFrame, hidden, suppressed) -> int:
    settings, info, panel, month = scorecard.settings, scorecard.indicators, scorecard.panel, scorecard.reporting_month
    suppressing, with_spc = suppressed is not None, spc_marks.shown(scorecard)
    region = _abbreviation(settings.region_name or "Region")
    plan.put(row, 0, "Key performance indicators", HEADING)
    row += 1
    key = (f"Grey = not rated (no tolerance or target).  Key: pp = percentage point.  Benchmarks: SN statistical "
           f"neighbours, ENG England, {region} {settings.region_name or 'the region'}.  DoT: \u2191 better, \u2193 "
           "worse, \u2192 no change (Info and Within limits: the direction of the numbers).  Override: write Going "
           "well, Ones to watch, Things to do better or Not listed to place an indicator yourself; Headline: your "
           "own words for its line." + (f"  {SUPPRESSION_KEY}." if suppressing else "") +
           (f"  {spc_marks.key_text(suppressing)}" if with_spc else ""))
    row = wrapped_line(plan, row, key, KEY_WRAPPED)
    months = [month - 2, month - 1, month]
    columns = [(keys.REF, "Ref"), (keys.INDICATOR, "Indicator")] + \
              [(keys.month_column(m), month_label(m)) for m in months] + \
              [(keys.TARGET, "Target"), (keys.BENCHMARK, f"Benchmark (SN / ENG / {region})"),
               (keys.CHANGE_PREV_MONTH, f"Change on {month_label(month - 1)} (pp or %)"), (keys.DOT, "DoT"),
               (keys.RAG, "RAG")]
    # The SPC columns keep their place when left out, so the page prints as wide whatever the Settings say.
    columns += [(key, spc_marks.HEADINGS[key]) if with_spc else (None, None) for key in spc_marks.COLUMNS]
    columns += [(OVERRIDE, f"Override ({month_label(month)})"), (HEADLINE, f"Headline ({month_label(month)})")]
    plan.columns, plan.header_row = {key: c for c, (key, _) in enumerate(columns) if key}, row
    plan.manual_columns = {OVERRIDE: plan.columns[OVERRIDE], HEADLINE: plan.columns[HEADLINE]}
    for c, (key, text) in enumerate(columns):
        plan.put(row, c, text, HEADER_LEFT if key in (keys.INDICATOR, HEADLINE) else HEADER)
    row += 1
    marks = spc_marks.spc_marks(scorecard, suppressed) if with_spc else {}
    judged = rows_by_index(table)
    for section, members in info.groupby("section", sort=False):
        section_band(plan, row, section, len(columns) - 1)
        row += 1
        for ref in members.index:
            i = info.index.get_loc(ref)
            _kpi_row(plan, row, ref, scorecard.indicator_rows[ref], judged[ref], [(m, hidden(i, m)) for m in months],
                     panel, i, region)
            if with_spc:
                spc_marks.put_marks(plan, row, marks[ref])
            plan.row_keys[row] = ref
            row += 1
    return row


def _abbreviation(region: str) -> str:
    """How 004 names the region in a benchmark: 'SE' for South East; a one-word name as it is."""
    words = region.split()
    return "".join(word[0].upper() for word in words) if len(words) > 1 else region


def benchmark_text(item, region: str) -> str | None:
    """'SN 6.5 / ENG 5.4 / SE 5.1', as 004 prints benchmarks; a word typed for one (Local) as typed,
    and once when every benchmark says it."""
    parts, words = [], []
    for key, label in ((keys.SN, "SN"), (keys.ENGLAND, "ENG"), (keys.REGION, region)):
        value = item[key]
        if isinstance(value, float) and not np.isnan(value):
            parts.append(f"{label} {shown(value, item['unit'], item['decimals'])}")
        elif item.get(f"{key}_text"):
            parts.append(f"{label} {item[f'{key}_text']}")
            words.append(item[f"{key}_text"])
    if len(words) == 3 and len(set(words)) == 1:
        return words[0]
    return " / ".join(parts) or None


def _kpi_row(plan: SheetPlan, row: int, ref: str, item, figures, months, panel, i: int, region: str) -> None:
    col = plan.columns
    fmt = number_format(item["unit"], item["decimals"])
    plain = figure_style(fmt)
    plan.put(row, col[keys.REF], ref, REF)
    plan.put(row, col[keys.INDICATOR], item["indicator"], TEXT)
    for m, is_hidden in months:
        value = column(panel.values, panel.column(m))[i]
        shown_value = SUPPRESSED if is_hidden else (None if np.isnan(value) else float(value))
        plan.put(row, col[keys.month_column(m)], shown_value, plain)
    target = target_text(item)
    plan.put(row, col[keys.TARGET], target, plain if isinstance(target, float) else TARGET_TEXT)
    plan.put(row, col[keys.BENCHMARK], benchmark_text(item, region), BENCHMARKS)
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
    plan.put(row, col[OVERRIDE], None, TYPED)
    plan.put(row, col[HEADLINE], None, TYPED)
    if months[-1][1]:  # the RAG word and colour would give a band of the hidden figure
        plan.put(row, col[keys.RAG], SUPPRESSED, Style("summary.rag.c", horizontal="center", vertical="top",
                                                       border="thin", border_color="BFBFBF"))
        return
    rag = figures["rag"] or ""
    fill, font = RAG_FILLS.get(rag, RAG_FILLS["Grey"])
    plan.put(row, col[keys.RAG], {"Grey": "Not rated", "": "No figure"}.get(rag, rag),
             Style(f"summary.rag.{rag or 'none'}", bold=rag in ("Red", "Amber", "Green"), fill=fill, font_color=font,
                   horizontal="center", vertical="top", border="thin", border_color="BFBFBF"))
