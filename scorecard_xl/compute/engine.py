"""The pipeline from sheets to measures: read -> parse -> panel -> measures.

``build_scorecard`` is what every front end calls (the command line, the Refresh button,
the email copy); it reports all problems at once and computes nothing from a workbook with
errors.
"""

from __future__ import annotations

from collections.abc import Sequence

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .indicators import lists_indicators, parse_indicators, units_read
from .measures import compute_measures
from .outturns import outturn_table
from .targets import year_target_table
from .months import MONTH_FORMAT_HELP, month_label, parse_month
from .panel import Panel, build_panel, derive_indicators, population_by_month
from ..problems import COMMAND_LINE, InputProblems, Problems
from .rawdata import check_against_indicators, read_raw_data
from ..read.sheet import Sheet, find_sheet
from .sheets import scorecard_sheets
from .settings import Settings, check_pages, parse_settings
from .spc import Spc
from .spc_columns import spc_table




@dataclass
class ParsedWorkbook:
    settings: Settings
    indicators: pd.DataFrame
    data: pd.DataFrame  # tidy: ref, month, value, numerator, denominator, sheet, cell
    problems: Problems


@dataclass
class Scorecard:
    settings: Settings
    indicators: pd.DataFrame
    panel: Panel
    measures: pd.DataFrame  # index: Ref, same order as indicators
    reporting_month: int
    problems: Problems
    spc: Spc | None = None  # per point over the SPC window, for the charts (compute/spc_columns.py)
    # What pages derive from the scorecard and ask for again (the board's judgement, when a copy lays the
    # board out and then quotes its lists), by what it is and for which mask; a copy made with
    # dataclasses.replace starts without it.
    derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    # Pages read the two tables an indicator at a time; a pandas row made for each costs more than the
    # rest of a page, so each table's rows are made into plain dicts once, when a page first asks.
    @cached_property
    def indicator_rows(self) -> dict[str, dict]:
        """Each indicator's row of ``indicators``, by Ref."""
        return rows_by_index(self.indicators)

    @cached_property
    def measure_rows(self) -> dict[str, dict]:
        """Each indicator's row of ``measures``, by Ref."""
        return rows_by_index(self.measures)

    @property
    def shown_months(self) -> list[int]:
        count = self.settings.months_shown
        return list(range(self.reporting_month - count + 1, self.reporting_month + 1))


def rows_by_index(frame: pd.DataFrame) -> dict:
    """What ``frame.to_dict("index")`` gives (numbers as Python's, pd.NA as None), made a column at a
    time: pandas makes it a row at a time, which cost more than the rest of a small refresh."""
    columns = [_column_values(column) for _, column in frame.items()]
    names, keys = frame.columns.tolist(), frame.index.tolist()
    if not names:
        return {key: {} for key in keys}
    return {key: dict(zip(names, row)) for key, row in zip(keys, zip(*columns))}


def _column_values(column: pd.Series) -> list:
    values = column.tolist()  # numbers of numpy's own dtypes come out as Python's
    dtype = column.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.na_value is not pd.NA:
        return values  # text, and NaN where missing
    if dtype == object or isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return [_python_value(value) for value in values]
    return values


def _python_value(value):
    if isinstance(value, (np.floating, np.integer, np.bool_)):  # as pandas boxes them; numpy text stays
        return value.item()
    return None if value is pd.NA else value


def parse_workbook(sheets: list[Sheet]) -> ParsedWorkbook:
    problems = Problems()
    settings = parse_settings(find_sheet(sheets, "Settings"), problems)
    indicator_sheet = find_sheet(sheets, "Indicators")
    indicators = parse_indicators(indicator_sheet, problems, settings.band, settings.dot_band)
    data = read_raw_data(sheets, problems, units=units_read(indicators))
    if lists_indicators(indicator_sheet):  # even with no rows: then every Ref in the data is unknown
        data = check_against_indicators(data, indicators, problems)
    return ParsedWorkbook(settings, indicators, data, problems)


def months_with_data(data: pd.DataFrame) -> np.ndarray:
    """The months (sorted, unique) in which some indicator has a figure: a value, or its parts."""
    value = data["value"].to_numpy(dtype=float)
    numerator = data["numerator"].to_numpy(dtype=float)
    denominator = data["denominator"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        has_figure = ~np.isnan(value) | (~np.isnan(numerator) & (denominator > 0))
    return np.unique(data["month"].to_numpy()[has_figure])


def choose_reporting_month(parsed: ParsedWorkbook, month: str | int | None) -> int | None:
    """The month asked for (``month``, else the Settings sheet's), else the latest month with data.

    A month asked for must be one in which some indicator has a figure; otherwise the scorecard
    would be silently empty, so it is an error saying which months have figures.
    """
    available = months_with_data(parsed.data)
    if month is not None:
        chosen = parse_month(month) if isinstance(month, str) else month
        sheet, cell, what = COMMAND_LINE, "", "the --month given"
        if chosen is None:
            parsed.problems.error(sheet, cell, f"{what} ('{month}') cannot be read as a month",
                                  f"Give {MONTH_FORMAT_HELP}.")
            return None
    elif parsed.settings.reporting_month is not None:
        chosen = parsed.settings.reporting_month
        (sheet, cell), what = parsed.settings.reporting_month_cell, "the Reporting month"
    else:
        return int(available[-1]) if len(available) else None
    if chosen not in available:
        if len(available):
            first, last = int(available[0]), int(available[-1])
            fix = (f"The data has figures from {month_label(first)} to {month_label(last)}; choose one of those "
                   f"months{' that has figures' if first < chosen < last else ''}.")
        else:
            fix = "Enter that month's figures first."
        parsed.problems.error(sheet, cell, f"{what} ({month_label(chosen)}) has no figures for any indicator", fix)
    return chosen


def build_scorecard(sheets: list[Sheet], month: str | int | None = None,
                    page_names: Sequence[str] | None = None) -> Scorecard:
    """Every measure for every indicator; raises InputProblems listing all errors.

    ``page_names``: the pages there are (the page registry's), so that a Settings row Pages naming
    another is listed with every other problem; None when no pages are made (``scorecard table``).
    """
    parsed = parse_workbook(sheets)
    reporting = choose_reporting_month(parsed, month)
    problems = parsed.problems
    if page_names is not None:
        check_pages(parsed.settings, page_names, problems)
    if reporting is None and not problems.errors:
        problems.error("Data", "", "there are no figures to report on",
                       "Enter at least one month of figures in the Data sheet.")
    if problems.errors:
        raise InputProblems(problems.errors)
    settings, indicators, data = parsed.settings, parsed.indicators, parsed.data
    first = min(int(data["month"].min()) if len(data) else reporting, reporting - 23)
    last = max(int(data["month"].max()) if len(data) else reporting, reporting)
    panel = build_panel(data, indicators.index, first, last)
    population = population_by_month(settings, first, last - first + 1)
    derive_indicators(panel, indicators, population, data, problems)
    measures = compute_measures(panel, indicators, reporting, settings.months_shown, population)
    # The year's figures (docs/design.md §5.4, §5.5): targets for the year to date, then the outturns.
    measures = pd.concat([measures, year_target_table(indicators, measures["ytd"].to_numpy(), reporting),
                          outturn_table(panel, indicators, reporting, data, problems)], axis=1)
    # Signal or noise (docs/design.md §5.7): XmR limits and Making Data Count's verdicts.
    spc_measures, spc_points = spc_table(panel, indicators, reporting)
    measures = pd.concat([measures, spc_measures], axis=1)
    _note_gaps(measures, indicators, reporting, problems, settings)
    return Scorecard(settings, indicators, panel, measures, reporting, problems, spc_points)


def _note_gaps(measures: pd.DataFrame, indicators: pd.DataFrame, reporting: int, problems: Problems,
               settings: Settings) -> None:
    for ref in measures.index[np.isnan(measures["value"].to_numpy(dtype=float))]:
        problems.note("Data", "", f"{ref} has no figure for {month_label(reporting)}",
                      "Enter it when it is known; the scorecard shows the cell empty meanwhile.")
    rates = indicators.index[(indicators["denominator"] == "population")]
    if len(rates) and settings.population_for(reporting) is None:
        problems.note("Settings", "", "no 'Population 0-17' is given, so rates per 10,000 cannot be computed",
                      "Add a row 'Population 0-17 2020/21' with the mid-year estimate of children aged 0-17.")


def load_scorecard(path: str | Path, month: str | int | None = None) -> Scorecard:
    return build_scorecard(scorecard_sheets(path), month)
