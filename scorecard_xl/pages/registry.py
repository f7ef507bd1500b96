"""The pages a workbook can have, by name (docs/design.md §4, §6).

A page is a function from the computed Scorecard to a SheetPlan. Refresh, export and the demo all
take their pages from here, so a new page is one new module and one ``register`` line at the end
of this one. The Settings row ``Pages`` chooses which pages a workbook gets, in its order; without
it a workbook gets the Scorecard alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..compute.engine import Scorecard
from ..compute.settings import Settings, unknown_pages_problem
from ..problems import InputProblems
from . import board, indicator_pages, performance_summary, scorecard
from .sheetplan import SheetPlan


@dataclass(frozen=True)
class Page:
    name: str  # as the Settings row Pages names it (in any case), and the sheet the page is written to
    layout: Callable[[Scorecard], SheetPlan]
    # A page that shows figures outside its keyed columns (lists, charts) hides small numbers itself,
    # given the panel-shaped mask (True = shows as c); any other page the email copy suppresses
    # column by column, by key.
    suppressed_layout: Callable[[Scorecard, np.ndarray], SheetPlan] | None = None


PAGES: dict[str, Page] = {}  # by name in lower case


def register(page: Page) -> Page:
    PAGES[page.name.casefold()] = page
    return page


def page(name: str) -> Page:
    """The page called ``name`` (in any case); KeyError when there is none."""
    return PAGES[name.casefold()]


def page_names() -> list[str]:
    return [known.name for known in PAGES.values()]


def chosen_pages(settings: Settings) -> list[Page]:
    """The pages the Settings row Pages names, in its order, each once; InputProblems naming the
    Settings cell when it names a page there is none of."""
    problem = unknown_pages_problem(settings, page_names())
    if problem is not None:
        raise InputProblems([problem])
    return list({name.casefold(): PAGES[name.casefold()] for name in settings.pages}.values())


def pages_for(scorecard_: Scorecard) -> list[Page]:
    return chosen_pages(scorecard_.settings)


def plans_for(scorecard_: Scorecard) -> list[SheetPlan]:
    """The plans of the pages a workbook gets, in workbook order; each plan's ``name`` is its sheet."""
    return [chosen.layout(scorecard_) for chosen in pages_for(scorecard_)]


register(Page(scorecard.SHEET_NAME, scorecard.monthly_layout))
register(Page(board.SHEET_NAME, board.summary_page, suppressed_layout=board.summary_page))
register(Page(performance_summary.SHEET_NAME, performance_summary.performance_summary,
              suppressed_layout=performance_summary.performance_summary))
register(Page(indicator_pages.SHEET_NAME, indicator_pages.indicator_pages, suppressed_layout=indicator_pages.indicator_pages))
