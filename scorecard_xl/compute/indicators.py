"""The Indicators sheet -> a typed table, one row per indicator (docs/design.md §3)."""

from __future__ import annotations

import math
import re

import pandas as pd

from ..addressing import cell_name
from .cells import (NotANumber, checked_band, describe, header_map, read_number, refuse_unread_repeats,
                    same_heading, text_of, within)
from .outturns import TypedOutturn, outturn_columns, outturn_year
from . import spc_inputs
from ..problems import Problems
from ..read.sheet import Sheet
from .tolerances import NO_RULE, ToleranceError, green_limits, rag_rule
from .vocabulary import (COUNT, DEFAULT_DOT_BAND, FLOW, INFO, KINDS, LOCAL, PERCENTAGE, POLARITIES, POPULATION,
                         RELATIVE, SNAPSHOT, UNITS, YTD_RULES, CHANGE_BASES, change_basis_of, is_placeholder, kind_of,
                         polarity_of, snapshot_wording, unit_of, ytd_rule_of)

BENCHMARKS = ("sn", "england", "region", "best_sn", "top_quartile")
TOLERANCES = ("red", "amber", "green")
MOST_DECIMALS = 4  # 58.3333%: more places than any published figure needs

COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "reference", "no"),
    "indicator": ("indicator", "indicator name", "measure"),
    "polarity": ("polarity", "good perf is", "good performance is"),
    "unit": ("unit", "data note", "data note (monthly)"),
    "section": ("section",),
    "owner": ("owner",),
    "reporter": ("reporter",),
    "outcome": ("outcome",),
    "kind": ("kind",),
    "ytd": ("ytd", "ytd rule"),
    "numerator": ("numerator",),
    "denominator": ("denominator",),
    "red": ("red",),
    "amber": ("amber",),
    "green": ("green", "target green"),
    "target": ("target",),
    "annual_target": ("annual target", "yearly target", "target (annual)"),
    "ytd_target": ("ytd target", "year to date target", "target (ytd)"),
    "sn": ("sn", "stat neigh", "statistical neighbours", "sn average"),
    "england": ("england", "eng", "national", "nat ave"),
    "region": ("region",),
    "best_sn": ("best sn", "best stat neigh"),
    "top_quartile": ("top quartile", "nat top qtile threshold"),
    "change": ("change",),
    "band": ("band",),
    "dot_band": ("dot band",),
    "decimals": ("decimals",),
    **spc_inputs.COLUMNS,
}
REQUIRED = ("ref", "indicator", "polarity", "unit", "section")



def _choice(raw, word_of, allowed: tuple[str, ...], what: str, sheet: Sheet,
            cell: str, problems: Problems, default=None):
    """The contract's word a cell names (``word_of``: a vocabulary reader), else a problem."""
    text = text_of(raw)
    if not text:
        return default
    word = word_of(text)
    if word is not None:
        return word
    problems.error(sheet.name, cell, f"{what} is {describe(raw)}", f"Write one of: {', '.join(allowed)}.")
    return default


# How an indicator's Kind was decided (the column kind_basis), for notes and `scorecard check --explain`.
KIND_TYPED, KIND_FROM_NAME, KIND_FROM_UNIT = "typed", "name", "unit"


def default_kind(unit: str) -> str:
    """Counts of events in a month are flows; everything else is a state at month end."""
    return FLOW if unit == COUNT else SNAPSHOT


def inferred_kind(unit: str, name: str) -> tuple[str, str, tuple[str, ...]]:
    """(kind, basis, words) for a Kind left empty: a count whose name says it is counted at month
    end ('at end of', 'open', 'caseload', ...) is a snapshot, whose year to date is its latest
    month rather than the months added up; otherwise the unit's default."""
    words = snapshot_wording(name) if unit == COUNT else ()
    if words:
        return SNAPSHOT, KIND_FROM_NAME, words
    return default_kind(unit), KIND_FROM_UNIT, ()


def default_ytd(unit: str, kind: str, has_parts: bool) -> str:
    if unit == COUNT:
        return "sum" if kind == FLOW else "latest"
    if unit == PERCENTAGE and has_parts:
        return "ratio"
    return "none"


def parse_indicators(sheet: Sheet | None, problems: Problems, default_band: float,
                     default_dot_band: float = DEFAULT_DOT_BAND) -> pd.DataFrame:
    """One row per indicator, indexed by Ref; problems collected, never raised.

    ``default_band`` and ``default_dot_band`` serve indicators without a Band or DoT band of their own.
    """
    if sheet is None:
        problems.error("Indicators", "", "the workbook has no sheet called Indicators",
                       "Add a sheet named Indicators with the headers Ref, Indicator, Polarity, "
                       "Unit and Section in row 1 (scorecard new makes one).")
        return empty_indicator_table()
    headers = _headings(sheet)
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        names = ", ".join(COLUMNS[m][0].title() for m in missing)
        problems.error(sheet.name, "A1", f"row 1 has no column headed {names}",
                       "Row 1 must hold the headers Ref, Indicator, Polarity, Unit and Section.")
        return empty_indicator_table()
    refuse_unread_repeats(sheet, same_heading(COLUMNS), problems)
    refuse_unread_repeats(sheet, outturn_year, problems)
    records = []
    seen: dict[str, str] = {}
    rows_typed = False
    outturns = outturn_columns(sheet.rows[0] if sheet.rows else [])  # April of each year -> column
    for r, row in sheet.body_rows():
        cells = {name: (row[c] if c < len(row) else None) for name, c in headers.items()}
        cell = {name: cell_name(r, c) for name, c in headers.items()}
        ref = text_of(cells["ref"])
        rows_typed = rows_typed or bool(ref) or any(v is not None for v in row)
        if not ref:
            if any(v is not None for v in row):
                problems.error(sheet.name, cell["ref"], "this indicator row has no Ref",
                               "Give every indicator a short unique reference such as M1.")
            continue
        if ref in seen:
            problems.error(sheet.name, cell["ref"], f"Ref '{ref}' is used twice (first at {seen[ref]})",
                           "Give every indicator its own Ref.")
            continue
        seen[ref] = cell["ref"]
        record = _parse_row(sheet, ref, cells, cell, problems, default_band, default_dot_band)
        record["outturns_typed"] = _typed_outturns(sheet, r, row, outturns, record["unit"], problems)
        records.append(record)
    if not rows_typed:
        problems.error(sheet.name, "A2", "the Indicators sheet has headings but no indicators",
                       "Add one row per indicator below the headings (Ref, Indicator, Polarity, Unit, Section), "
                       "one for each Ref in the data.")
    table = pd.DataFrame.from_records(records) if records else empty_indicator_table()
    if records:
        table = table.set_index("ref", drop=False)
        _check_parts(sheet, table, headers, problems)
    return table


def _headings(sheet: Sheet) -> dict[str, int]:
    return header_map(sheet.rows[0] if sheet.rows else [], COLUMNS)


def lists_indicators(sheet: Sheet | None) -> bool:
    """The sheet has every required heading, so it is the list every Ref in the data must be in
    (even when it has no rows yet); without them, the headings are the problem to report."""
    return sheet is not None and all(name in _headings(sheet) for name in REQUIRED)


def _parse_row(sheet, ref, cells, cell, problems, default_band, default_dot_band) -> dict:
    get = cells.get
    polarity = _choice(get("polarity"), polarity_of, POLARITIES, "Polarity", sheet,
                       cell["polarity"], problems)
    if polarity is None and get("polarity") is None:
        problems.error(sheet.name, cell["polarity"], f"{ref} has no Polarity",
                       f"Write one of: {', '.join(POLARITIES)}.")
    unit = _choice(get("unit"), unit_of, UNITS, "Unit", sheet, cell["unit"], problems)
    if unit is None and get("unit") is None:
        problems.error(sheet.name, cell["unit"], f"{ref} has no Unit", f"Write one of: {', '.join(UNITS)}.")
    unit = unit or COUNT
    polarity = polarity or INFO
    numerator = text_of(get("numerator"))
    denominator = text_of(get("denominator"))
    if denominator.casefold() == POPULATION:
        denominator = POPULATION
    kind = _choice(get("kind"), kind_of, KINDS, "Kind", sheet, cell.get("kind", ""), problems)
    kind, kind_basis, kind_words = (kind, KIND_TYPED, ()) if kind else inferred_kind(unit, text_of(get("indicator")))
    ytd = _choice(get("ytd"), ytd_rule_of, YTD_RULES, "YTD", sheet, cell.get("ytd", ""), problems)
    ytd_typed = ytd is not None
    ytd = ytd or default_ytd(unit, kind, bool(numerator and denominator))
    if unit == COUNT and kind_basis == KIND_FROM_UNIT and not ytd_typed and ytd == "sum":
        problems.note(sheet.name, cell["ref"], f"{ref} is a count with no Kind, and its name does not say it is "
                      "counted at month end, so it is read as a flow: its year to date adds the months up",
                      "Write flow in its Kind column if it counts events in the month (contacts, referrals), or "
                      "snapshot if it counts what is there at month end (children looked after, open cases): "
                      "a snapshot's year to date is its latest month.")
    change = _choice(get("change"), change_basis_of, CHANGE_BASES, "Change", sheet, cell.get("change", ""), problems, RELATIVE)
    number = lambda name: _optional_number(sheet, cell.get(name, ""), get(name), name, problems)  # noqa: E731
    band = _band(sheet, ref, cell, "band", "Band", number("band"), get("band"), problems)
    dot_band = _band(sheet, ref, cell, "dot_band", "DoT band", number("dot_band"), get("dot_band"), problems)
    decimals = number("decimals")
    if decimals is not None and not within(decimals, 0, MOST_DECIMALS, whole=True):
        problems.error(sheet.name, cell.get("decimals", ""), f"{ref} has Decimals {text_of(decimals)}",
                       f"Write the decimal places to show, a whole number from 0 to {MOST_DECIMALS}, or leave it "
                       "empty for the unit's usual (none for counts and percentages, 1 for rates, days and averages).")
        decimals = None
    target = _benchmark_value(number, get, "target", unit)
    record = {
        "ref": ref, "indicator": text_of(get("indicator")), "section": text_of(get("section")),
        "unit_text": text_of(get("unit")),  # as typed ("Average count"), for pages that show the data note
        "owner": text_of(get("owner")), "reporter": text_of(get("reporter")),
        "outcome": text_of(get("outcome")), "polarity": polarity, "unit": unit, "kind": kind,
        "ytd_rule": ytd, "numerator": numerator, "denominator": denominator, "change": change,
        "band": default_band if band is None else band,
        "dot_band": default_dot_band if dot_band is None else dot_band,
        "decimals": None if decimals is None else int(decimals), "target": target,
        # for the financial year (compute/targets.py): the year's figure, and where the year to date should be now
        "annual_target": _benchmark_value(number, get, "annual_target", unit),
        "ytd_target_typed": _benchmark_value(number, get, "ytd_target", unit),
        # how each was decided, for `scorecard check --explain`; percent_numbers is set by the data's reader
        "kind_basis": kind_basis, "kind_words": kind_words, "ytd_typed": ytd_typed,
        "dot_band_typed": dot_band is not None, "percent_numbers": False,
        # where its SPC limits are fixed or start again (compute/spc_inputs.py)
        "spc_baseline": spc_inputs.baseline_period(get("spc_baseline"), sheet, cell.get("spc_baseline", ""), ref,
                                                   problems),
        "spc_recalculate": spc_inputs.recalculation_months(get("spc_recalculate"), sheet,
                                                           cell.get("spc_recalculate", ""), ref, problems),
    }
    for name in BENCHMARKS:
        raw = get(name)
        record[f"{name}_text"] = text_of(raw) if isinstance(raw, str) else ""
        if isinstance(raw, str) and raw.strip().casefold() == LOCAL:
            record[name] = math.nan  # "Local": this measure has no published comparator
        else:  # "12.3% (2017)": the figure, with the year it is for kept in the text
            record[name] = _scaled(_optional_number(sheet, cell.get(name, ""), _without_note(raw), name, problems),
                                   unit)
    for name in TOLERANCES:  # as typed, for pages that show the tolerances themselves
        record[f"{name}_text"] = text_of(get(name))
    try:
        rule = rag_rule(get("red"), get("amber"), get("green"), target, polarity,
                        is_percentage=unit == PERCENTAGE, band=record["band"])
    except ToleranceError as error:
        column = {"Red": "red", "Amber": "amber", "Green": "green", "Target": "target"}[error.column]
        problems.error(sheet.name, cell.get(column, ""), f"{ref}: {error}",
                       "Fix the tolerance text (see the examples above).")
        rule = NO_RULE
    record["rag_rule"] = rule
    record["green_low"], record["green_high"] = green_limits(rule)
    return record


def _band(sheet, ref, cell, name, heading, typed, value, problems) -> float | None:
    """A typed band as a fraction (0.1, 10% and 10 are all 10%); None when empty or refused.
    ``typed``: its number; ``value``: the cell as typed."""
    if typed is None:
        return None
    band, fix = checked_band(typed, value)
    if fix:
        problems.error(sheet.name, cell.get(name, ""), f"{ref} has {heading} {text_of(typed)}", fix)
    return band


def _benchmark_value(number, get, name, unit):
    return _scaled(number(name), unit)


def _scaled(value: float | None, unit: str) -> float:
    """A typed figure as the indicator's own (NaN when none): 58.3 typed for a percentage means 58.3%."""
    if value is None:
        return math.nan
    if unit == PERCENTAGE and value > 1:
        value /= 100
    return value


_NOTE = re.compile(r"^(.*?\S)\s*\([^()]*\)\s*$")


def _without_note(raw):
    """A benchmark typed with the year it is for in brackets ("12.3% (2017)") as its figure alone."""
    match = _NOTE.match(raw) if isinstance(raw, str) else None
    return match.group(1) if match else raw


def _typed_outturns(sheet: Sheet, r: int, row: list, columns: dict[int, int], unit: str,
                    problems: Problems) -> dict[int, TypedOutturn]:
    """The published outturns typed in the row's `Outturn 2019/20` columns, by April of their year;
    text that means no figure ("tbc", "-") is kept to be shown as typed."""
    typed = {}
    for april, c in columns.items():
        raw = row[c] if c < len(row) else None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        heading = text_of(sheet.rows[0][c])
        value = _optional_number(sheet, cell_name(r, c), raw, heading, problems,
                                 "Write the year's figure (40, 96.5%), or - or tbc for none.")
        typed[april] = TypedOutturn(_scaled(value, unit), text_of(raw), cell_name(r, c))
    return typed


def _optional_number(sheet, cell, raw, name, problems, fix="Write a number, or leave the cell empty."):
    if is_placeholder(raw) or (isinstance(raw, str) and raw.strip().casefold() == LOCAL):
        return None
    try:
        return read_number(raw)
    except NotANumber as refused:
        heading = {"dot_band": "DoT band", "ytd_target": "YTD target"}.get(name, name.replace("_", " ").title())
        problems.error(sheet.name, cell, f"{heading} is {describe(raw)}{refused.detail}", fix)
        return None


def _check_parts(sheet: Sheet, table: pd.DataFrame, headers: dict, problems: Problems) -> None:
    """Numerator and Denominator must name other indicators (or 'population')."""
    # plain values, not a pandas row per indicator: these checks run on every read of a workbook
    links = {ref: {"numerator": numerator, "denominator": denominator}
             for ref, numerator, denominator in zip(table.index, table["numerator"], table["denominator"])}
    for ref, row in links.items():
        for part in ("numerator", "denominator"):
            name = row[part]
            if not name or (part == "denominator" and name == POPULATION):
                continue
            if name not in links:
                r = _row_of(sheet, headers["ref"], ref)
                problems.error(sheet.name, cell_name(r, headers[part]),
                               f"{ref}'s {part.title()} is '{name}', which is not the Ref of any indicator",
                               "Write the Ref of the indicator it is calculated from, or leave it empty.")
        if bool(row["numerator"]) != bool(row["denominator"]):
            r = _row_of(sheet, headers["ref"], ref)
            empty = "denominator" if row["numerator"] else "numerator"
            problems.error(sheet.name, cell_name(r, headers.get(empty, headers["ref"])),
                           f"{ref} has a {'Numerator' if row['numerator'] else 'Denominator'} but no {empty.title()}",
                           "Give both (the Refs it is the ratio of), or neither.")
    _check_circles(sheet, links, headers, problems)


def _check_circles(sheet: Sheet, links: dict[str, dict], headers: dict, problems: Problems) -> None:
    """A derived indicator must not be calculated, directly or through others, from itself.

    Such a circle can never be computed: its figures would silently stay as typed. ``links`` holds
    each indicator's Numerator and Denominator, by Ref.
    """
    parts = {ref: [(part, row[part]) for part in ("numerator", "denominator") if row[part] in links]
             for ref, row in links.items() if row["numerator"] and row["denominator"]}
    # Peel off indicators computable from plain ones; what remains is in a circle or built on one.
    remaining = dict(parts)
    while True:
        ready = [ref for ref, uses in remaining.items() if not any(name in remaining for _, name in uses)]
        if not ready:
            break
        for ref in ready:
            del remaining[ref]
    for ref, uses in remaining.items():
        for part, start in uses:
            path = _path_back(start, ref, remaining)
            if path is None:
                continue
            chain = [ref] + path
            if len(chain) == 2:
                found = f"{ref} is calculated from itself: a circle, so it can never be calculated"
            else:
                steps = ", which is calculated from ".join(chain[1:])
                found = f"{ref} is calculated from {steps}: a circle, so none of them can be calculated"
            problems.error(sheet.name, cell_name(_row_of(sheet, headers["ref"], ref), headers[part]), found,
                           "Calculate each indicator from the indicators it really is the ratio of, or clear "
                           "its Numerator and Denominator and type its figures in.")
            break


def _path_back(start: str, target: str, parts: dict[str, list[tuple[str, str]]]) -> list[str] | None:
    """The shortest chain of Refs from ``start`` to ``target`` following Numerator/Denominator."""
    previous: dict[str, str | None] = {start: None}
    queue = [start]
    for ref in queue:
        if ref == target:
            chain = []
            while ref is not None:
                chain.append(ref)
                ref = previous[ref]
            return chain[::-1]
        for _, name in parts.get(ref, ()):
            if name not in previous:
                previous[name] = ref
                queue.append(name)
    return None


def _row_of(sheet: Sheet, ref_column: int, ref: str) -> int:
    for r, row in sheet.present_rows():
        if ref_column < len(row) and text_of(row[ref_column]) == ref:
            return r
    return 0


def units_read(indicators: pd.DataFrame) -> dict[str, str]:
    """Each indicator's Unit by Ref, where one was typed and read: an unreadable Unit is an error of
    its own, and the Count it falls back to should not make more of every figure."""
    return {ref: unit for ref, unit, typed in zip(indicators.index, indicators["unit"], indicators["unit_text"])
            if unit_of(typed) is not None}


def empty_indicator_table() -> pd.DataFrame:
    columns = ["ref", "indicator", "section", "polarity", "unit", "unit_text", "kind", "ytd_rule", "numerator",
               "denominator", "change", "band", "dot_band", "decimals", "target", "annual_target", "ytd_target_typed",
               "rag_rule", "green_low", "green_high", "kind_basis", "kind_words", "ytd_typed", "dot_band_typed",
               "spc_baseline", "spc_recalculate", "percent_numbers", "outturns_typed"]
    columns += list(BENCHMARKS) + [f"{b}_text" for b in BENCHMARKS] + [f"{t}_text" for t in TOLERANCES]
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}).set_index("ref", drop=False)
