"""The optional Settings sheet (key | value) -> Settings."""

from __future__ import annotations

from collections.abc import Sequence

import difflib
import re
from dataclasses import dataclass, field

from ..addressing import cell_name
from .cells import (NotANumber, checked_band, describe, normalise_header, read_number, single_line, text_of,
                    within)
from .months import financial_year_start, parse_financial_year, parse_month, unreadable_month_fix
from ..problems import Problem, Problems
from ..read.sheet import Sheet
from . import vocabulary

DEFAULT_MONTHS_SHOWN = 7
DEFAULT_PAGES = ("Scorecard",)
# A page's earlier name, still read in the row Pages: workbooks set up for it keep refreshing.
FORMER_PAGE_NAMES = {"summary": "Board summary"}
# Every setting read (as its key reads, lower case -> as the README writes it), but the populations.
SETTING_NAMES = {name.casefold(): name for name in (
    "Reporting month", "Months shown", "Layout", "Title", "Organisation", "Paper", "SPC", "Region name", "Pages",
    "Band", "DoT band")}
MOST_CHILDREN = 20_000_000  # more than England's 12 million children aged 0-17: a mistyped population
LAYOUTS = ("monthly",)
PAPERS = ("A4", "A3")  # the paper the pages are printed on


@dataclass
class Settings:
    reporting_month: int | None = None
    reporting_month_cell: tuple[str, str] = ("Settings", "")  # (sheet, cell) it was read from
    months_shown: int = DEFAULT_MONTHS_SHOWN
    layout: str = "monthly"
    title: str = "Performance Scorecard"
    organisation: str = ""
    region_name: str = "Region"
    band: float = vocabulary.DEFAULT_BAND
    dot_band: float = vocabulary.DEFAULT_DOT_BAND  # the direction of travel's "similar" band
    dot_band_cell: tuple[str, str] = ("Settings", "")  # where it was typed; no cell: the default
    # The pages the workbook gets, as named in the row Pages; which names there are is the page
    # registry's to say (pages/registry.py), so it checks them and names ``pages_cell``.
    pages: tuple[str, ...] = DEFAULT_PAGES
    pages_cell: tuple[str, str] = ("Settings", "")
    paper: str = PAPERS[0]
    spc: bool = True  # the SPC marks and their key on the pages, and SPC in the board lists (row SPC)
    # April of the financial year -> children aged 0-17; key None applies to every year.
    populations: dict[int | None, float] = field(default_factory=dict)

    def population_for(self, month: int) -> float | None:
        """The 0-17 population for the financial year of ``month``.

        A year without its own figure uses the latest earlier year's, then the undated one:
        mid-year estimates arrive late, and last year's is what officers use meanwhile.
        """
        start = financial_year_start(month)
        dated = {k: v for k, v in self.populations.items() if k is not None}
        if start in dated:
            return dated[start]
        earlier = [k for k in dated if k < start]
        if earlier:
            return dated[max(earlier)]
        if None in self.populations:
            return self.populations[None]
        return dated[min(dated)] if dated else None


_TRAILING_YEAR = re.compile(r"\s*\d{4}(?:\s*[/-]\s*\d{2,4})?$")
_POPULATION_KEY = re.compile(r"^population(?: aged)? 0 ?- ?17(?: (.+))?$")


def parse_settings(sheet: Sheet | None, problems: Problems) -> Settings:
    settings = Settings()
    if sheet is None:
        return settings
    first_at: dict[object, str] = {}  # each setting read -> the cell it was first given in

    def given_before(setting: object, typed, cell: str) -> bool:
        """A second row for the same setting is an error: which one counts would be a guess."""
        if setting not in first_at:
            first_at[setting] = cell
            return False
        problems.error(sheet.name, cell, f"{describe(typed)} is set here and at {first_at[setting]}",
                       "Keep one row for each setting: delete the one that is wrong.")
        return True

    for r, row in sheet.present_rows():
        key = normalise_header(row[0] if row else None)
        value = row[1] if len(row) > 1 else None
        if not key or value is None:
            continue
        cell = cell_name(r, 1)
        if key in SETTING_NAMES and given_before(key, row[0], cell):
            continue
        if key == "reporting month":
            month = parse_month(value)
            if month is None:
                problems.error(sheet.name, cell, f"Reporting month is {describe(value)}",
                               unreadable_month_fix(value, after=", or leave it empty for the latest month with data."))
            settings.reporting_month = month
            settings.reporting_month_cell = (sheet.name, cell)
        elif key == "months shown":
            number = _number(sheet, cell, value, problems)
            if number is not None and (number != int(number) or not 1 <= number <= 24):
                problems.error(sheet.name, cell, f"Months shown is {describe(value)}",
                               "Write a whole number of months from 1 to 24 (7 is usual).")
            elif number is not None:
                settings.months_shown = int(number)
        elif key == "layout":
            layout = text_of(value).casefold()
            if layout not in LAYOUTS:
                problems.error(sheet.name, cell, f"Layout is {describe(value)}",
                               f"Write one of: {', '.join(LAYOUTS)}.")
            else:
                settings.layout = layout
        elif key == "title":  # one line: it heads the page and is the email's subject
            settings.title = single_line(text_of(value))
        elif key == "organisation":
            settings.organisation = single_line(text_of(value))
        elif key == "paper":
            paper = text_of(value).strip().upper()
            if paper not in PAPERS:
                problems.error(sheet.name, cell, f"Paper is {describe(value)}",
                               f"Write {' or '.join(PAPERS)}, the paper the pages are printed on (A4 unless set).")
            else:
                settings.paper = paper
        elif key == "spc":
            choice = _yes_or_no(value)
            if choice is None:
                problems.error(sheet.name, cell, f"SPC is {describe(value)}",
                               "Write Yes to show the SPC marks (Making Data Count's variation and assurance) and "
                               "their key on the pages, or No to leave them out (Yes unless set).")
            else:
                settings.spc = choice
        elif key == "region name":
            settings.region_name = text_of(value)
        elif key == "pages":
            typed = [single_line(name) for name in text_of(value).split(",") if name.strip()]
            names = tuple(dict.fromkeys(FORMER_PAGE_NAMES.get(name.casefold(), name) for name in typed))
            if names:  # an empty cell means the default, as for every setting
                settings.pages, settings.pages_cell = names, (sheet.name, cell)
            for name in typed:
                if name.casefold() in FORMER_PAGE_NAMES:
                    now = FORMER_PAGE_NAMES[name.casefold()]
                    problems.note(sheet.name, cell, f"Pages names '{name}', the earlier name of the {now} page, so "
                                  f"the page is written to the sheet '{now}'",
                                  f"Write {now} in its place; an old {name} sheet is no longer refreshed and is "
                                  "yours to keep or delete.")
        elif key in ("band", "dot band"):
            typed = _number(sheet, cell, value, problems)
            band, fix = (None, None) if typed is None else checked_band(typed, value)
            if fix:
                problems.error(sheet.name, cell, f"{'Band' if key == 'band' else 'DoT band'} is {describe(value)}", fix)
            elif band is not None and key == "band":
                settings.band = band
            elif band is not None:
                settings.dot_band, settings.dot_band_cell = band, (sheet.name, cell)
        elif _POPULATION_KEY.match(key):
            year_text = _POPULATION_KEY.match(key).group(1)
            start = None
            if year_text:
                start = parse_financial_year(year_text)
                if start is None and re.fullmatch(r"\d{4}", year_text.strip()):
                    start = parse_financial_year(f"{year_text}/{(int(year_text) + 1) % 100:02d}")
                if start is None:
                    problems.error(sheet.name, cell_name(r, 0), f"the key {describe(row[0])} names no financial year",
                                   "Write it as 'Population 0-17 2020/21' (or without a year for every year).")
                    continue
            if given_before(("population", start), row[0], cell):
                continue
            number = _number(sheet, cell, value, problems)
            if number is not None and not within(number, 1, MOST_CHILDREN):
                problems.error(sheet.name, cell, f"{text_of(row[0])} is {describe(value)}",
                               f"Write the number of children aged 0-17 in the area, from 1 to {MOST_CHILDREN:,} "
                               "(e.g. 57521).")
            elif number is not None:
                settings.populations[start] = number
        else:
            _note_near_miss(sheet, r, row[0], key, problems)
    return settings


def _note_near_miss(sheet: Sheet, r: int, typed, key: str, problems: Problems) -> None:
    """A row whose key is a setting misspelt ('Reportng month') is noted; any other row is the
    person's own (a 'Prepared by' line) and is left alone."""
    year = _TRAILING_YEAR.search(key)  # 'populaton 0-17 2020/21': the year is not part of the name
    near = difflib.get_close_matches(key[:year.start()] if year else key, [*SETTING_NAMES, "population 0-17"],
                                     n=1, cutoff=0.8)
    if near:
        name = SETTING_NAMES.get(near[0], "Population 0-17") + (f" {year.group().strip()}" if year else "")
        problems.note(sheet.name, cell_name(r, 0), f"{describe(typed)} is not a setting, so its row is not read",
                      f"If it is meant to be {name}, write that in {cell_name(r, 0)}.")


def _yes_or_no(value) -> bool | None:
    """Yes or No (a TRUE or FALSE typed in Excel too), in any case; None for anything else."""
    if isinstance(value, bool):
        return value
    return {"yes": True, "no": False}.get(text_of(value).strip().casefold())


def _number(sheet: Sheet, cell: str, value, problems: Problems) -> float | None:
    try:
        return read_number(value)
    except NotANumber as refused:
        problems.error(sheet.name, cell, f"found {describe(value)}{refused.detail or ' where a number belongs'}",
                       "Write a number.")
        return None


def unknown_pages_problem(settings: Settings, known: Sequence[str]) -> Problem | None:
    """The problem of a Settings row Pages naming a page there is none of (``known``: the page
    registry's names), naming its cell; None when every name is known."""
    names = {name.casefold() for name in known}
    unknown = [name for name in settings.pages if name.casefold() not in names]
    if not unknown:
        return None
    sheet, cell = settings.pages_cell
    found = ", ".join(f"'{name}'" for name in unknown)
    return Problem(sheet, cell, f"Pages names {found}, which {'is not a page' if len(unknown) == 1 else 'are not pages'}",
                   f"Write the pages this workbook gets, separated by commas, from: {', '.join(known)} "
                   "(or leave it empty for the Scorecard alone).")


def check_pages(settings: Settings, known: Sequence[str], problems: Problems) -> None:
    problem = unknown_pages_problem(settings, known)
    if problem is not None:
        problems.extend([problem])
