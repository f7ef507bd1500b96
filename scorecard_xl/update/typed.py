"""The pages laid out with what people typed on them (docs/design.md §6), for a refresh and a copy alike.

A page's plan names the columns people type into (``manual_columns``: the Scorecard's commentary,
the Board summary's Override and Headline). What was typed in each is read where the tool recorded
it, checked (an override must name a list), put back per Ref (or archived to that column's history
when the reporting month has moved on: manual.py) and handed to every page whose layout takes
``edits``, laid out after the other pages with what they hold (and again when it holds something
typed itself): the board's lists follow its overrides and headlines, and its charts carry the
Scorecard's commentary. Rows are fitted to their text last, after everything typed is in place.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

from ..addressing import cell_name
from ..backends.protocol import ExistingSheet
from ..backends.record import MANUAL_COLUMN, SheetRecord
from ..compute.cells import describe
from ..compute.classify import OVERRIDE_WORDS, override_list
from ..compute.engine import Scorecard
from ..pages.board import OVERRIDE
from ..pages.registry import Page
from ..pages.sheetplan import SheetPlan
from ..problems import InputProblems, Problem
from .manual import Carried, ManualContent, _plain, carry_manual, put_placed, read_manual

Edits = dict[str, dict[str, object]]  # manual column key -> Ref -> what was typed (as typed)


@dataclass
class TypedPage:
    """One page laid out, with what was typed on its sheet and what became of it."""

    page: Page
    plan: SheetPlan  # named as the workbook spells the sheet
    previous: dict[str, ManualContent]  # by manual column key, as read from the sheet
    carried: dict[str, Carried] = field(default_factory=dict)


def takes_edits(page: Page) -> bool:
    """Whether the page's layout is laid out with what people typed (an ``edits`` argument)."""
    return "edits" in inspect.signature(page.layout).parameters


def lay_out(page: Page, scorecard: Scorecard, suppressed=None, edits: Edits | None = None) -> SheetPlan:
    """The page's plan; ``suppressed`` (the panel-shaped mask) for a page that hides small numbers
    itself, ``edits`` for a page that takes them."""
    own = suppressed is not None and page.suppressed_layout is not None
    layout = page.suppressed_layout if own else page.layout
    arguments = (scorecard, suppressed) if own else (scorecard,)
    return layout(*arguments, edits=edits) if edits is not None and takes_edits(page) else layout(*arguments)


def read_typed(plan: SheetPlan, existing: ExistingSheet | None, keys=None) -> dict[str, ManualContent]:
    """What was typed in each of the plan's manual columns (those in ``keys``, default all) on the
    sheet as it is now."""
    values = existing.values if existing else {}
    record = existing.record if existing else SheetRecord()
    return {key: read_manual(values, record, plan.name, plan.header_row, key)
            for key in plan.manual_columns if keys is None or key in keys}


def typed_problems(sheet: ExistingSheet | None) -> list[Problem]:
    """An override on ``sheet`` that names no list, one problem each, naming its cell. Overrides are
    found by the tool's record alone, so this needs no layout (a workbook whose data has errors too
    gets both listed at once)."""
    if sheet is None:
        return []
    content = read_manual(sheet.values, sheet.record, sheet.name, None, OVERRIDE)
    return [Problem(sheet.name, cell_name(*content.cells[ref]), f"Override is {describe(_plain(value))}",
                    f"Write {', '.join(OVERRIDE_WORDS[:-1])} or {OVERRIDE_WORDS[-1]}, or clear the cell for the "
                    "tool's own judgement.")
            for ref, value in content.by_ref.items() if override_list(_plain(value)) is None]


def refuse_typed(sheets: list[ExistingSheet | None]) -> None:
    problems = [problem for sheet in sheets for problem in typed_problems(sheet)]
    if problems:
        raise InputProblems(problems)


def typed_pages(scorecard: Scorecard, pages: list[tuple[Page, ExistingSheet | None]],
                histories: dict[str, list] | None = None, carry_commentary: bool = False, suppressed=None,
                keys=None) -> list[TypedPage]:
    """Each page laid out with what was typed on its sheet (``pages`` pairs a page with its sheet as
    it is now, None for a sheet not there yet): put back per Ref, or archived when the reporting
    month has moved on (``histories``: each manual column's history entries, for a month reissued);
    ``keys``: which manual columns to carry (default all)."""
    refuse_typed([existing for _, existing in pages])

    def typed_page(k: int, edits: Edits | None) -> TypedPage:
        page, existing = pages[k]
        plan = lay_out(page, scorecard, suppressed, edits)
        if existing is not None:
            plan.name = existing.name
        typed = TypedPage(page, plan, read_typed(plan, existing, keys))
        typed.carried = {key: carry_manual(typed.plan, previous, scorecard.reporting_month,
                                           carry_commentary and key == MANUAL_COLUMN,
                                           (histories or {}).get(key, ()), key)
                         for key, previous in typed.previous.items()}
        return typed

    # A page that takes edits is laid out after the others, with what they hold, and laid out again only
    # when it holds something typed itself (an override moves an indicator from one list to another).
    editable = [k for k, (page, _) in enumerate(pages) if takes_edits(page)]
    laid = {k: typed_page(k, None) for k in range(len(pages)) if k not in editable}
    others = edits_of([laid[k] for k in sorted(laid)])  # in page order, as the final edits are
    laid |= {k: typed_page(k, others) for k in editable}
    if any(carried.placed for k in editable for carried in laid[k].carried.values()):
        edits = edits_of([laid[k] for k in sorted(laid)])
        for k in editable:
            typed = laid[k]
            name, typed.plan = typed.plan.name, lay_out(typed.page, scorecard, suppressed, edits)
            typed.plan.name = name
            for key, carried in typed.carried.items():
                put_placed(typed.plan, key, carried.placed)
    return [laid[k] for k in range(len(pages))]


def edits_of(pages: list[TypedPage]) -> Edits:
    """What the new sheets hold in each manual column, by key and Ref, across the pages."""
    edits: Edits = {}
    for typed in pages:
        for key, carried in typed.carried.items():
            edits.setdefault(key, {}).update(carried.placed)
    return edits
