"""Refresh: regenerate the tool's pages in place, keeping what people typed (docs/design.md §4, §6).

The one orchestrator for every backend (backends/protocol.py): read the scorecard's sheets,
build the scorecard, lay out its pages, decide over plain data what to keep, archive and refuse
(``plan_refresh``), then hand the plans to the backend. The file (``refresh_file``) and the open
workbook (``refresh_book``) differ only in their backend and in the file's safety steps around it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .manual import HISTORY_SHEET, HISTORY_SHEETS, Carried, history_entries, history_plan, user_cells_to_keep
from .typed import typed_pages, typed_problems
from ..backends.protocol import Backend, ExistingSheet, SheetWrite, unrendered_notes
from ..backends.record import MANUAL_COLUMN, Area, record_for
from ..backends.xlsx_file import XlsxFile
from ..backends.xlwings_book import LiveBook
from ..compute.engine import Scorecard, build_scorecard
from ..compute.months import month_key, month_label
from ..compute.sheets import is_scorecard_sheet
from ..pages import registry
from ..pages.registry import Page
from ..pages.scorecard import rag_counts
from ..pages.sheetplan import SheetPlan
from ..problems import InputProblems, Problem, WorkbookError
from ..read.workbook import check_readable
from .saving import atomic_write, refuse_if_encrypted, refuse_if_open, writing
from .writable import writable_target


def chosen_pages(scorecard: Scorecard) -> list[Page]:
    """The pages a refresh writes (pages/registry.py: those the Settings row Pages chooses, the
    Scorecard alone by default), in workbook order, each named by its sheet's usual name.

    What the orchestrator does with a page: the tool owns the rectangle it writes there
    (``owned_area``), recorded in the workbook with the reporting month the page shows; anything a
    person put outside it is kept, anything in its way stops the refresh. A page that people type
    into names its manual columns in ``manual_columns`` (``"commentary"``; the board's
    ``"override"`` and ``"headline"``), its rows' keys (Refs) in ``row_keys`` and its heading row in
    ``header_row``, whose headings name the month ("Commentary (Feb-21)"): each column is kept per
    Ref, and archived to its own history when the reporting month moves on (update/typed.py).
    """
    return registry.pages_for(scorecard)


@dataclass
class PageRefresh:
    """What a refresh decided for one page."""

    plan: SheetPlan  # named as the workbook spells the sheet
    keep: set[tuple[int, int]]  # a person's cells outside the tool's area, carried as they are
    previous_area: Area | None  # the rectangle the tool wrote there last time
    carried: dict[str, Carried]  # by manual column key


@dataclass
class RefreshPlan:
    pages: list[PageRefresh]
    histories: list[SheetPlan]  # the rows each history gains (none: no history changes)
    archived_by_key: dict[str, int] = field(default_factory=dict)

    def _sum(self, what, keys) -> int:
        return sum(getattr(carried, what) for page in self.pages for key, carried in page.carried.items()
                   if key in keys)

    @property
    def commentary_kept(self) -> int:
        return self._sum("kept", {MANUAL_COLUMN})

    @property
    def archived(self) -> int:
        return self.archived_by_key.get(MANUAL_COLUMN, 0)

    @property
    def others_kept(self) -> int:
        return self._sum("kept", set(HISTORY_SHEETS) - {MANUAL_COLUMN})

    @property
    def others_archived(self) -> int:
        return sum(count for key, count in self.archived_by_key.items() if key != MANUAL_COLUMN)

    @property
    def orphaned(self) -> list[str]:
        return [ref for page in self.pages for ref in page.carried.get(MANUAL_COLUMN, Carried([], 0, [])).orphaned]

    @property
    def restored(self) -> int:
        return self._sum("restored", set(HISTORY_SHEETS))


def plan_refresh(scorecard: Scorecard, pages: list[tuple[Page, ExistingSheet | None]],
                 histories: dict[str, ExistingSheet | None], carry_commentary: bool = False) -> RefreshPlan:
    """Everything a refresh decides, for any backend: each page's plan, what to keep, what to archive.

    ``pages`` pairs each page with its sheet as it is now (None when the workbook has none yet); a
    sheet the tool has no record of is a person's, and is refused as such before its headings are
    looked at. ``histories``: each manual column's history sheet as it is now (update/manual.py).
    """
    entries = {key: history_entries(sheet.values, sheet.record.number_formats) if sheet else []
               for key, sheet in histories.items()}
    typed = typed_pages(scorecard, pages, entries, carry_commentary)
    decided = []
    for (_, existing), page in zip(pages, typed):
        values = existing.values if existing else {}
        record = existing.record if existing else None
        keep = user_cells_to_keep(values, record.area if record else None, page.plan, page.plan.name,
                                  existing.other_cells if existing else frozenset())
        decided.append(PageRefresh(page.plan, keep, record.area if record else None, page.carried))
    archives, archived = [], {}
    for key, sheet in histories.items():
        rows = [row for page in decided for row in page.carried.get(key, Carried([], 0, [])).history_rows]
        archive = history_plan(sheet.values if sheet else None, rows, HISTORY_SHEETS[key], scorecard.settings.paper)
        if archive is not None:
            archive.name = sheet.name if sheet is not None else archive.name
            archives.append(archive)
            archived[key] = len(rows)
    return RefreshPlan(decided, archives, archived)


@dataclass
class RefreshReport:
    workbook: str
    reporting_month: int
    indicators: int
    rag: dict[str, int]
    notes: list[Problem]
    backup: Path | None
    commentary_kept: int
    archived: int
    orphaned: list[str]
    restored: int = 0
    unrendered: list[str] = field(default_factory=list)  # what the backend could not put on a page
    others_kept: int = 0  # overrides and headlines on the Board summary
    others_archived: int = 0

    def summary(self) -> str:
        rag = ", ".join(f"{count} {name.lower()}" for name, count in self.rag.items() if count)
        lines = [f"Refreshed {self.workbook}: {self.indicators} indicators, reporting month "
                 f"{month_label(self.reporting_month)}.", f"RAG: {rag}."]
        if self.commentary_kept or self.archived or self.restored:
            restored = f", {self.restored} brought back from the history" if self.restored else ""
            lines.append(f"Commentary: {self.commentary_kept} kept, {self.archived} archived to "
                         f"'{HISTORY_SHEET}'{restored}.")
        if self.others_kept or self.others_archived:
            lines.append(f"Overrides and headlines: {self.others_kept} kept, {self.others_archived} archived to "
                         f"'{HISTORY_SHEETS['override']}' and '{HISTORY_SHEETS['headline']}'.")
        if self.orphaned:
            lines.append(f"Commentary for Refs no longer on the scorecard went to '{HISTORY_SHEET}': "
                         f"{', '.join(self.orphaned)}.")
        if self.notes:
            lines.append(f"{len(self.notes)} data-quality note{'s' if len(self.notes) != 1 else ''}:")
            lines += [f"  - {note}" for note in self.notes]
        lines += self.unrendered
        if self.backup:
            lines.append(f"The previous version is kept at {self.backup}.")
        return "\n".join(lines)


def refresh(target, month: str | None = None, out: str | Path | None = None,
            carry_commentary: bool = False) -> RefreshReport:
    """Refresh the pages of a workbook file (or of an open ``xlwings.Book``)."""
    if not isinstance(target, (str, Path)):
        return refresh_book(target, month=month, carry_commentary=carry_commentary)
    return refresh_file(Path(target), month, Path(out) if out else None, carry_commentary)


def refresh_book(book, month: str | None = None, carry_commentary: bool = False) -> RefreshReport:
    """Refresh the pages of an open workbook, through xlwings; nothing is saved."""
    return run_refresh(LiveBook(book), month, carry_commentary)


def refresh_file(path: Path, month: str | None = None, out: Path | None = None,
                 carry_commentary: bool = False) -> RefreshReport:
    _refuse_unrefreshable(path)
    refuse_if_open(path)
    if out is not None and out.suffix.lower() != path.suffix.lower():
        # The package keeps its content type: an .xlsm saved as .xlsx would not open in Excel.
        raise WorkbookError(f"--out must end in {path.suffix} like {path.name} (it is {out.name}). Nothing was "
                            "changed.")
    # The lock is held from reading to replacing: a second refresh waits, then reads this one's result.
    with writing(out or path, "refreshed") as target:
        backend = XlsxFile(path, save=lambda render, names: atomic_write(target, render, names), name=str(out or path))
        return run_refresh(backend, month, carry_commentary)


def decide_refresh(backend: Backend, month: str | None = None, carry_commentary: bool = False
                   ) -> tuple[Scorecard, RefreshPlan, list[SheetWrite]]:
    """Read, build, lay out, decide: everything a refresh does before it writes, every refusal of
    the data and of what people typed included (InputProblems, WorkbookError); nothing is written."""
    sheets = backend.read_sheets(is_scorecard_sheet)
    try:
        scorecard = build_scorecard(sheets, month, registry.page_names())  # InputProblems: nothing written
    except InputProblems as refused:  # what people typed on the pages is listed with the data's problems
        raise InputProblems(refused.problems + _typed_problems(backend, registry.page_names())) from None
    pages = [(page, backend.existing(page.name)) for page in chosen_pages(scorecard)]
    histories = {key: backend.existing(name) for key, name in HISTORY_SHEETS.items()}
    _refuse_protected([existing for _, existing in pages] + list(histories.values()))
    decided = plan_refresh(scorecard, pages, histories, carry_commentary)
    decided.pages[0].plan.active = True  # the workbook opens on the page refreshed (the first chosen)
    # The record says which month the pages show, so a copy made later need not read it from a heading.
    shown = month_key(scorecard.reporting_month)
    writes = [SheetWrite(page.plan, record_for(page.plan, shown), page.keep, page.previous_area)
              for page in decided.pages]
    writes += [SheetWrite(history, appends=True) for history in decided.histories]
    return scorecard, decided, writes


def run_refresh(backend: Backend, month: str | None = None, carry_commentary: bool = False) -> RefreshReport:
    """Read, build, lay out, decide, write: the refresh, whatever ``backend`` writes into."""
    scorecard, decided, writes = decide_refresh(backend, month, carry_commentary)
    notes = unrendered_notes([write.plan for write in writes], backend)
    written = backend.write(writes)
    return RefreshReport(backend.name, scorecard.reporting_month, len(scorecard.indicators), rag_counts(scorecard),
                         scorecard.problems.notes, written.backup, decided.commentary_kept, decided.archived,
                         decided.orphaned, decided.restored, notes + written.notes, decided.others_kept,
                         decided.others_archived)


def check_file(path: Path, month: str | None = None) -> Scorecard:
    """What ``scorecard check`` reports of a workbook file: the whole refresh rehearsed, written to a
    temporary folder that is then removed, so that it refuses whatever a refresh would (a locked
    workbook structure, met only in writing, too) and the workbook is never touched. Then, as a
    refresh would, it refuses a workbook open in Excel or LibreOffice or one that may not be
    replaced: after the data, so that an open workbook's problems are listed all the same."""
    _refuse_unrefreshable(path)
    with tempfile.TemporaryDirectory(prefix="scorecard-check-") as folder:
        backend = XlsxFile(path, save=lambda render, names: render(Path(folder) / path.name), name=str(path))
        scorecard, _, writes = decide_refresh(backend, month)
        backend.write(writes)
    try:
        refuse_if_open(path)
        writable_target(path)
    except WorkbookError as refused:
        raise WorkbookError(f"The data has no errors, but a refresh would be refused now: {refused}") from None
    return scorecard


def check_book(book, month: str | None = None) -> Scorecard:
    """What the Check data button reports of an open workbook: everything a refresh decides and
    refuses before it writes; nothing is written."""
    return decide_refresh(LiveBook(book), month)[0]


def _refuse_unrefreshable(path: Path) -> None:
    check_readable(path)
    refuse_if_encrypted(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(f"{path.name} is not an .xlsx or .xlsm workbook.")


def _typed_problems(backend: Backend, names: list[str]) -> list[Problem]:
    """What people typed wrongly on any page the workbook has (its data could not say which are chosen)."""
    return [problem for name in names for problem in typed_problems(backend.existing(name))]


def _refuse_protected(sheets: list[ExistingSheet | None]) -> None:
    protected = sorted(sheet.name for sheet in sheets if sheet is not None and sheet.protected)
    if protected:
        raise WorkbookError(
            f"The {' and '.join(protected)} sheet{'s are' if len(protected) > 1 else ' is'} protected, so "
            "the scorecard cannot be refreshed. In Excel: Review > Unprotect Sheet, then refresh again (protect it "
            "again afterwards if you wish). Nothing was changed.")
