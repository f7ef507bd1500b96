"""Raw monthly data, in any of three shapes, -> one tidy frame (docs/design.md §3).

Shapes: one sheet per month (named by the month; Ref, Value[, Numerator, Denominator]);
a long ``Data`` sheet (Ref, Month, Value[, Numerator, Denominator]); a wide ``Data`` sheet
(Ref, then one column per month). The tidy frame has columns
``ref, month, value, numerator, denominator, sheet, cell``; ``month`` is a months.py integer.
"""

from __future__ import annotations

import datetime as _dt
import math

import numpy as np
import pandas as pd

from ..addressing import cell_name
from .cells import (NotANumber, PLACEHOLDER_HELP, describe, header_map, read_number, refuse_unread_repeats,
                    same_heading, text_of)
from .vocabulary import COUNT, PERCENTAGE, RATE_SCALES
from .months import (MONTH_FORMAT_HELP, month_index, month_key, month_label, parse_month, sheet_month,
                     unreadable_month_fix)
from ..addressing import cell_reference
from ..problems import Problems
from ..read.sheet import Sheet, find_sheet

TIDY_COLUMNS = ["ref", "month", "value", "numerator", "denominator", "sheet", "cell"]
FUTURE_MONTHS_ALLOWED = 12  # a month further ahead of today than this is a mistyped year
EARLIEST_YEAR = 1990  # before it, a mistyped year (0201 for 2021), which would stretch every series over centuries
# Units whose figures cannot go below zero (a Days or Average indicator may measure a difference).
NEVER_NEGATIVE = {COUNT: "count", PERCENTAGE: "percentage"} | {rate: rate.casefold() for rate in RATE_SCALES}
_PARTS = {"ref": ("ref", "reference"), "month": ("month", "period", "date"), "value": ("value",),
          "numerator": ("numerator",), "denominator": ("denominator",)}


def empty_tidy() -> pd.DataFrame:
    return pd.DataFrame({"ref": pd.Series(dtype=object), "month": pd.Series(dtype=np.int64),
                         "value": pd.Series(dtype=float), "numerator": pd.Series(dtype=float),
                         "denominator": pd.Series(dtype=float), "sheet": pd.Series(dtype=object),
                         "cell": pd.Series(dtype=object)})


class _Collector:
    """Accumulates observations as plain lists (fast), with the cell each came from."""

    def __init__(self, problems: Problems, today: _dt.date | None = None, units: dict[str, str] | None = None):
        self.problems = problems
        self.units = units or {}  # Ref -> unit, to refuse a percentage typed for a count
        self.rows: list[tuple] = []
        # (sheet, value cell, part) -> a placeholder as read ('tbc'), so messages never say "nan"
        self.read_as: dict[tuple[str, str, str], str] = {}
        today = today or _dt.date.today()
        self.latest_month = month_index(today.year, today.month) + FUTURE_MONTHS_ALLOWED

    def plausible(self, sheet: Sheet, cell: str, ref: str, month: int) -> bool:
        """A month more than a year ahead, or before 1990, is a mistyped year (2201 or 0201 for 2021)."""
        if month_index(EARLIEST_YEAR, 1) <= month <= self.latest_month:
            return True
        when = "in the future" if month > self.latest_month else f"before {EARLIEST_YEAR}"
        self.problems.error(sheet.name, cell, f"{ref + ': ' if ref else ''}the month {month_key(month)} is {when}; "
                            "check the year", f"Write the month the figures belong to, as {MONTH_FORMAT_HELP}.")
        return False

    def number(self, sheet: Sheet, r: int, c: int, ref: str, note_blank: bool = False) -> float:
        raw = sheet.value(r, c)
        try:
            number = read_number(raw)
        except NotANumber as refused:
            self.problems.error(sheet.name, cell_name(r, c),
                                f"{ref}: found {describe(raw)}{refused.detail or ', which is not a number'}",
                                f"Write {PLACEHOLDER_HELP}.")
            return math.nan
        if number is None:
            if raw is not None or note_blank:
                self.problems.note(sheet.name, cell_name(r, c), f"{ref}: {describe(raw)} is read as missing",
                                   "Replace it with the figure when it is known.")
            return math.nan
        return number

    def add(self, sheet: Sheet, r: int, value_column: int, ref: str, month: int,
            numerator_column: int | None, denominator_column: int | None, note_blank: bool = True) -> None:
        value = self.number(sheet, r, value_column, ref, note_blank and numerator_column is None
                            or note_blank and sheet.value(r, numerator_column) is None)
        if not math.isnan(value) and _typed_as_percent(sheet.value(r, value_column)):
            value = self._typed_percent(sheet, r, value_column, ref, value)
        numerator = self.part(sheet, r, numerator_column, ref, "numerator")
        denominator = self.part(sheet, r, denominator_column, ref, "denominator")
        cell = cell_name(r, value_column)
        for part, column, number in (("value", value_column, value), ("numerator", numerator_column, numerator),
                                     ("denominator", denominator_column, denominator)):
            if math.isnan(number) and column is not None and sheet.value(r, column) is not None:
                self.read_as[(sheet.name, cell, part)] = describe(sheet.value(r, column))
        self.rows.append((ref, month, value, numerator, denominator, sheet.name, cell))

    def _typed_percent(self, sheet: Sheet, r: int, c: int, ref: str, value: float) -> float:
        """A value typed with a percent sign is a fraction whatever the series' other figures: an
        error for an indicator that is not a percentage, and over 100%, where no reading of the
        series could make it right (missing after the error, so it is not reported twice)."""
        unit, typed = self.units.get(ref, PERCENTAGE), describe(sheet.value(r, c))
        if unit != PERCENTAGE:
            self.problems.error(sheet.name, cell_name(r, c), f"{ref}: found {typed}, a percentage, but {ref}'s unit "
                                f"is {unit}", f"Write the figure itself ({value * 100:g}), or, if {ref} is a "
                                "percentage, set its Unit to Percentage in the Indicators sheet.")
        elif value > 1:
            self.problems.error(sheet.name, cell_name(r, c), f"{ref}: found {typed}, more than 100%",
                                "Check the figure: a percentage is at most 100%.")
            return math.nan
        return value

    def part(self, sheet: Sheet, r: int, c: int | None, ref: str, name: str) -> float:
        """A numerator or denominator: a count, so never below zero."""
        if c is None:
            return math.nan
        number = self.number(sheet, r, c, ref)
        if not math.isnan(number) and _typed_as_percent(sheet.value(r, c)):
            self.problems.error(sheet.name, cell_name(r, c), f"{ref}: found {describe(sheet.value(r, c))} as the "
                                f"{name}, which counts children or cases",
                                f"Write the count itself ({number * 100:g}).")
        if number < 0:
            self.problems.error(sheet.name, cell_name(r, c), f"{ref}: {name} {text_of(number)} is below zero",
                                f"A {name} counts children or cases: write 0 or more.")
        return number

    def frame(self) -> pd.DataFrame:
        if not self.rows:
            return empty_tidy()
        frame = pd.DataFrame(self.rows, columns=TIDY_COLUMNS)
        frame["month"] = frame["month"].astype(np.int64)
        return frame


def _typed_as_percent(raw) -> bool:
    """Text with a percent sign ('45%'), which reads as 0.45."""
    return isinstance(raw, str) and raw.rstrip().endswith("%")


def _read_month_sheet(sheet: Sheet, month: int, collect: _Collector) -> None:
    headers = header_map(sheet.rows[0] if sheet.rows else [], _PARTS)
    refuse_unread_repeats(sheet, same_heading(_PARTS), collect.problems)
    if "ref" not in headers or "value" not in headers:
        collect.problems.error(sheet.name, "A1", "this month's sheet has no Ref and Value headers in row 1",
                               "Put Ref and Value (and optionally Numerator, Denominator) in row 1.")
        return
    for r, _ in sheet.body_rows():
        ref = text_of(sheet.value(r, headers["ref"]))
        if ref:
            collect.add(sheet, r, headers["value"], ref, month, headers.get("numerator"), headers.get("denominator"))


def _read_long(sheet: Sheet, headers: dict[str, int], collect: _Collector) -> None:
    for r, _ in sheet.body_rows():
        ref = text_of(sheet.value(r, headers["ref"]))
        raw_month = sheet.value(r, headers["month"])
        if not ref and raw_month is None:
            continue
        if not ref:
            collect.problems.error(sheet.name, cell_name(r, headers["ref"]), "this row has a month but no Ref",
                                   "Write the indicator's Ref, or delete the row.")
            continue
        if raw_month is None:  # a note typed under the Refs reads as one
            collect.problems.error(sheet.name, cell_name(r, headers["month"]),
                                   f"{describe(sheet.value(r, headers['ref']))} in {cell_name(r, headers['ref'])} "
                                   "has no month",
                                   f"Write the month its figure belongs to, as {MONTH_FORMAT_HELP}; if the row is a "
                                   "note rather than a figure, move it to another sheet.")
            continue
        month = parse_month(raw_month)
        if month is None:
            collect.problems.error(sheet.name, cell_name(r, headers["month"]),
                                   f"{ref}: the month {describe(raw_month)} cannot be read",
                                   unreadable_month_fix(raw_month))
            continue
        if not collect.plausible(sheet, cell_name(r, headers["month"]), ref, month):
            continue
        collect.add(sheet, r, headers["value"], ref, month, headers.get("numerator"), headers.get("denominator"))


def _read_wide(sheet: Sheet, ref_column: int, collect: _Collector) -> None:
    header = sheet.rows[0]
    month_columns, label_columns = [], []
    for c, raw in enumerate(header):
        if c == ref_column or raw is None:
            continue
        month = parse_month(raw)
        if month is None and not looks_like_month(raw) and not _holds_figures(sheet, c):
            label_columns.append((c, raw))  # the indicator's name, unit or owner kept beside its Ref
            continue
        if month is None:
            collect.problems.error(sheet.name, cell_name(0, c), f"the column heading {describe(raw)} is not a month",
                                   unreadable_month_fix(raw, "Head each column of figures with"))
            continue
        if collect.plausible(sheet, cell_name(0, c), "", month):
            month_columns.append((c, month))
    if label_columns:
        _note_label_columns(sheet, label_columns, collect.problems)
    for r, _ in sheet.body_rows():
        ref = text_of(sheet.value(r, ref_column))
        if not ref:
            continue
        filled = [c for c, _ in month_columns if sheet.value(r, c) is not None]
        for c, month in month_columns:
            # A wide row may start late or stop early; only a gap inside its run is worth a note.
            gap = bool(filled) and filled[0] < c < filled[-1]
            collect.add(sheet, r, c, ref, month, None, None, note_blank=gap)


def _note_label_columns(sheet: Sheet, columns: list[tuple[int, object]], problems: Problems) -> None:
    """One note naming every column of the wide sheet left out as a label."""
    names = ", ".join(describe(raw) for _, raw in columns)
    if len(columns) == 1:
        found, holds = f"the column headed {names} is not a month and holds no figures, so it is left out", "it holds"
    else:
        found, holds = f"the columns headed {names} are not months and hold no figures, so they are left out", \
            "they hold"
    problems.note(sheet.name, cell_name(0, columns[0][0]), found,
                  f"Nothing to do if {holds} names or notes; for a month's figures, head the column with "
                  f"{MONTH_FORMAT_HELP}.")


def looks_like_month(heading) -> bool:
    """Whether a heading that is no readable month was still meant as one: a number or date, or text
    with a digit in it (Q4 2020, 2021-13, Febuary 21). 'Indicator', 'Unit' or 'Owner' has none."""
    return not isinstance(heading, str) or any(ch.isdigit() for ch in heading)


def _holds_figures(sheet: Sheet, column: int) -> bool:
    """Whether any cell below the heading is a number (or a number typed as text)."""
    for r, _ in sheet.body_rows():
        try:
            if read_number(sheet.value(r, column)) is not None:
                return True
        except NotANumber:
            continue
    return False


def _read_data_sheet(data: Sheet, beside_month_sheets: bool, collect: _Collector) -> None:
    """The Data sheet, long or wide; beside month sheets, one without a Ref heading is a person's own
    (a pivot table's source, say) and is left alone."""
    headers = header_map(data.rows[0], _PARTS)
    if "ref" in headers and "month" in headers and "value" in headers:
        refuse_unread_repeats(data, same_heading(_PARTS), collect.problems)
        _read_long(data, headers, collect)
    elif "ref" in headers:
        _read_wide(data, headers["ref"], collect)
    elif beside_month_sheets:
        collect.problems.note(data.name, "A1", "row 1 of the Data sheet has no Ref heading, so the sheet is not read: "
                              "the figures come from the month sheets",
                              "Nothing to do if this sheet is not scorecard data; if it is, put Ref in A1.")
    else:
        collect.problems.error(data.name, "A1", "row 1 of the Data sheet has no Ref heading",
                               "Row 1 must start Ref, Month, Value (long shape) or Ref then one column per month "
                               "(wide).")


def read_raw_data(sheets: list[Sheet], problems: Problems, today: _dt.date | None = None,
                  units: dict[str, str] | None = None) -> pd.DataFrame:
    """Every observation in the workbook, in whichever shape it was kept.

    A month more than a year after ``today`` (default: the real today) is an error, as is a
    percentage typed ('45%') for an indicator whose unit (``units``, by Ref) is not Percentage,
    or for a numerator or denominator.
    """
    collect = _Collector(problems, today, units)
    month_sheets = [(sheet, month) for sheet in sheets if (month := sheet_month(sheet.name)) is not None]
    data = find_sheet(sheets, "Data")
    if data is not None and data.rows:
        _read_data_sheet(data, bool(month_sheets), collect)
    for sheet, month in month_sheets:
        if collect.plausible(sheet, "", "", month):
            _read_month_sheet(sheet, month, collect)
    frame = collect.frame()
    if data is None and frame.empty:
        problems.error("Data", "", "the workbook has no raw data: no Data sheet and no sheet named by a month",
                       "Add a Data sheet (Ref, Month, Value) or one sheet per month named like Feb-21.")
    _check_duplicates(frame, problems, collect.read_as)
    return frame.drop_duplicates(subset=["ref", "month"], keep="first").reset_index(drop=True)


def _as_read(read_as: dict, sheet: str, cell: str, part: str, number: float) -> str:
    """A figure as the person typed it: the number, else the placeholder ('tbc') or 'empty'."""
    if not math.isnan(number):
        return f"{number:g}"
    return read_as.get((sheet, cell, part), "an empty cell" if part == "value" else "empty")


def _check_duplicates(frame: pd.DataFrame, problems: Problems,
                      read_as: dict[tuple[str, str, str], str] | None = None) -> None:
    """The same ref and month twice is an error when the value, numerator or denominator differ.

    ``read_as`` describes placeholders as they were typed ('tbc'), so messages never show "nan".
    """
    read_as = read_as or {}
    twice = frame.duplicated(subset=["ref", "month"], keep=False).to_numpy()
    if not twice.any():  # the usual case, found without grouping an empty frame
        return
    repeated = frame[twice]
    for (ref, month), group in repeated.groupby(["ref", "month"], sort=False):
        parts = [group[part].to_numpy(dtype=float) for part in ("value", "numerator", "denominator")]
        if all(np.allclose(figures, figures[0], equal_nan=True) for figures in parts):
            continue
        with_parts = not (np.isnan(parts[1]).all() and np.isnan(parts[2]).all())
        places = []
        for k, (sheet, cell) in enumerate(zip(group["sheet"], group["cell"])):
            figure = _as_read(read_as, sheet, cell, "value", parts[0][k])
            if with_parts:
                figure += (f"; numerator {_as_read(read_as, sheet, cell, 'numerator', parts[1][k])}, "
                           f"denominator {_as_read(read_as, sheet, cell, 'denominator', parts[2][k])}")
            places.append(f"{cell_reference(sheet, cell)} ({figure})")
        first = group.iloc[0]
        problems.error(first["sheet"], first["cell"],
                       f"{ref} has more than one figure for {month_label(month)}: {', '.join(places)}",
                       "Keep one figure per indicator and month; delete or correct the others.")


def check_against_indicators(frame: pd.DataFrame, indicators: pd.DataFrame, problems: Problems) -> pd.DataFrame:
    """Refs with no indicator are errors; percent numbers in a percentage series become fractions.

    A percentage series is read as percent numbers (58.3 = 58.3%) only when every figure in it
    is above 1 (a 0 reads the same either way); figures above 1 among fractions are errors, each
    naming its cell, since one of the two notations is a typing mistake. The indicators read as
    percent numbers are marked so in ``indicators`` (its column percent_numbers).
    """
    known = frame["ref"].isin(indicators.index)
    if not known.all():
        for ref, group in frame[~known].groupby("ref", sort=False):
            first = group.iloc[0]
            problems.error(first["sheet"], first["cell"],
                           f"the data has figures for '{ref}', but no indicator has that Ref",
                           "Add a row for it to the Indicators sheet, or correct the Ref.")
    frame = frame[known].copy()
    _check_never_negative(frame, indicators, problems)
    percentage_refs = indicators.index[indicators["unit"] == "Percentage"]
    in_percent = frame["ref"].isin(percentage_refs)
    values = frame["value"].to_numpy(dtype=float)
    if not (in_percent.to_numpy() & (values > 1)).any():
        return frame  # no percentage above 1: none read as percent numbers, none mixed with fractions
    flags = pd.DataFrame({"ref": frame["ref"], "above": values > 1,
                          "fraction": (values <= 1) & (values != 0)})[in_percent]  # 0 reads the same either way
    series = flags.groupby("ref", sort=False)[["above", "fraction"]].any()
    for ref in series.index[series["above"] & ~series["fraction"]]:
        rows = (frame["ref"] == ref).to_numpy()
        frame.loc[rows, "value"] = frame.loc[rows, "value"] / 100
        if "percent_numbers" in indicators:
            indicators.loc[ref, "percent_numbers"] = True  # the reading `scorecard check --explain` reports
        first = frame[rows].iloc[0]
        problems.note(first["sheet"], first["cell"],
                      f"{ref} is a percentage but its figures go above 1, so they are read as percent numbers (58.3 = 58.3%)",
                      "Nothing to do if that is right; otherwise enter percentages as 58.3% or 0.583.")
    mixed = series.index[series["above"] & series["fraction"]]
    for row in frame[frame["ref"].isin(mixed).to_numpy() & (values > 1)].itertuples():
        problems.error(row.sheet, row.cell, f"{row.ref}: {row.value:g} in a percentage series whose other figures "
                       "are fractions", f"Write {row.value:g}% or {row.value / 100:g}.")
    return frame


def _check_never_negative(frame: pd.DataFrame, indicators: pd.DataFrame, problems: Problems) -> None:
    """A count, percentage or rate below zero is a typing mistake, whatever the month."""
    bounded = frame["ref"].map(indicators["unit"]).isin(list(NEVER_NEGATIVE)).to_numpy()
    below_zero = bounded & (frame["value"].to_numpy(dtype=float) < 0)
    if not below_zero.any():  # the usual case: no frame to make, nor tuples of it
        return
    for row in frame[below_zero].itertuples():
        noun = NEVER_NEGATIVE[indicators.at[row.ref, "unit"]]
        problems.error(row.sheet, row.cell, f"{row.ref}: {text_of(row.value)} is below zero, but a {noun} cannot be",
                       f"Correct the figure: a {noun} is 0 or more.")
