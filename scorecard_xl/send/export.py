"""`scorecard export`: the email-ready copy (docs/design.md §1, §7).

A new workbook written from scratch with XlsxWriter: the Board summary (pages/board.py), then the
pages the workbook gets (pages/registry.py; each exactly as a refresh lays it out, with what people
typed on it: update/typed.py), and optionally the Commentary history. Nothing else: no raw or hidden
sheets, macros, formulas, external links, defined names into removed sheets, or author details.
``--suppress`` shows small counts as ``c`` (DfE convention); ``--pdf`` and ``--eml`` add a PDF and
an Outlook draft beside it.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..backends.record import MANUAL_COLUMN
from ..backends.xlsx_file import XlsxFile
from ..backends.xlsxwriter_book import write_new_workbook
from ..update.recorded import shown_month
from ..update.manual import HISTORY_SHEET, history_copy_plan, history_entries
from ..update.typed import edits_of, typed_pages, typed_problems
from .quoted import quoted_in_history, quoted_small_numbers
from .email_draft import build_draft, check_addresses, draft_body, draft_subject, write_draft
from ..compute.engine import Scorecard, build_scorecard
from ..compute.vocabulary import COUNT
from ..pages import board, registry
from ..pages import columns as keys
from ..pages.board_text import SUPPRESSED, SUPPRESSION_KEY, display_places
from ..pages.scorecard import JUDGEMENT_COLOURS, KEY_TEXT, SHEET_NAME, figure_style, mark_style, number_format
from ..pages.spc_marks import hide_marks
from ..compute.measures import window
from ..compute.months import month_label
from ..problems import InputProblems, WorkbookError
from ..compute.sheets import scorecard_sheets
from ..read.sheet import find_sheet
from ..read.workbook import check_readable
from .render import INSTALL_HINT, soffice, to_pdf
from ..compute.rules import NEUTRAL, round_half_away
from ..update.saving import atomic_write, refuse_if_encrypted
from ..pages.sheetplan import SheetPlan

COMMENTARY_SHEET = "Commentary"
LARGEST_SUPPRESSED = 5  # DfE convention: counts of 1 to 5 are not published
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_PEOPLE = re.compile(rb"<(dc:creator|cp:lastModifiedBy)\b[^>]*?(?:/>|>.*?</\1>)", re.S)


@dataclass
class ExportResult:
    workbook: Path
    reporting_month: int
    sheets: list[str]
    lists: dict[str, list[str]]
    rag: dict[str, int]
    suppressed: int | None = None  # cells shown as c; None when not suppressing
    pdf: Path | None = None
    eml: Path | None = None
    notes: list[str] = field(default_factory=list)
    small_numbers: list[str] = field(default_factory=list)  # commentary and headline cells quoting 1 to 5

    def summary(self) -> str:
        lines = [f"Wrote the email-ready copy {self.workbook} ({', '.join(self.sheets)}): values only, "
                 "with no macros, formulas, raw or hidden sheets, or author details.",
                 f"Reporting month {month_label(self.reporting_month)}. RAG: " +
                 ", ".join(f"{n} {k.lower() if k != 'Grey' else 'not rated'}" for k, n in self.rag.items() if n) + ".",
                 "; ".join(f"{name}: {len(items)}" for name, items in self.lists.items()) + "."]
        if self.suppressed is not None:
            lines.append(f"Small numbers: {self.suppressed} cells show c (1 to 5). Commentary and headlines are "
                         "copied as typed" + (": none quotes a number from 1 to 5." if not self.small_numbers else
                                              "; these quote a number from 1 to 5, so reword them before sending:"))
            lines += [f"  - {cell}" for cell in self.small_numbers]
        if self.pdf:
            lines.append(f"PDF: {self.pdf}")
        if self.eml:
            lines.append(f"Email draft (opens in Outlook ready to send): {self.eml}")
        return "\n".join(lines + [f"Note: {note}" for note in self.notes])


MAX_NAME_BYTES = 200


def safe_file_name(text: str) -> str:
    """``text`` without the characters Windows, Mac and SharePoint refuse in file names."""
    name = re.sub(r"\s+", " ", _ILLEGAL.sub("-", text)).strip(" .")
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    # File systems count a name's bytes (255 at most), and the month and extension still follow.
    name = name.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore").strip(" .")
    return name or "Scorecard"


def default_copy_path(book: Path, title: str, month: int) -> Path:
    """``<Title> <Mmm-YY>.xlsx`` beside the book (never the book itself)."""
    target = book.with_name(f"{safe_file_name(title)} {month_label(month)}.xlsx")
    if target.resolve() == book.resolve():
        target = book.with_name(f"{book.stem} (email copy).xlsx")
    return target


# --- Small-number suppression --------------------------------------------------------------------

def small_count(values: np.ndarray, places) -> np.ndarray:
    """Above zero and displayed, at ``places`` decimals, as 5 or less: 3, 5.4 (shows 5) and 0.4 (shows 0,
    yet is not none) are small; 0 and 5.5 (shows 6) are not."""
    with np.errstate(invalid="ignore"):
        return (values > 0) & (round_half_away(values, places) <= LARGEST_SUPPRESSED)


def suppression_mask(scorecard: Scorecard) -> np.ndarray:
    """Panel-shaped; True where a figure shows as c: a small count (small_count, at the indicator's
    displayed decimals), or a percentage or rate whose numerator or denominator (typed in the data, or
    the indicators named as its Numerator and Denominator) is a small count that month."""
    panel, info = scorecard.panel, scorecard.indicators
    places = np.array([[display_places(number_format(unit, decimals))]
                       for unit, decimals in zip(info["unit"], info["decimals"])], dtype=float).reshape(-1, 1)
    counts = (info["unit"] == COUNT).to_numpy()[:, None]
    mask = (small_count(panel.values, places) & counts) | \
        (~counts & (small_count(panel.numerators, 0) | small_count(panel.denominators, 0)))
    position = {ref: k for k, ref in enumerate(panel.keys)}
    parts = [[position[p] for p in (n, d) if p in position] for n, d in zip(info["numerator"], info["denominator"])]
    for _ in range(len(parts)):  # a ratio of a ratio inherits its parts' suppression
        before = mask.copy()
        for k, sources in enumerate(parts):
            for source in sources:
                mask[k] |= mask[source]
        if (mask == before).all():
            break
    return mask


def suppress_plan(plan: SheetPlan, scorecard: Scorecard, mask: np.ndarray) -> SheetPlan:
    """A copy of a page's plan where nothing shown can be worked back to a suppressed figure:
    c in the month columns, the change column when either month is suppressed, the DoT when this
    month or last is, the 12-month average when any month in its window is, and the 12-month maximum
    when it is a suppressed figure or (for all but counts, which a shown month always tops) its
    window holds one; the SPC marks when a month they rest on is (pages/spc_marks.py). Every c has the one plain style of its column: no RAG fill, arrow or colour.
    Columns are known by their keys (``plan.columns``) and rows by their Refs (``plan.row_keys``)."""
    copy = dataclasses.replace(plan, cells=dict(plan.cells), styles=dict(plan.styles), merges=list(plan.merges),
                               row_heights=dict(plan.row_heights), column_widths=dict(plan.column_widths))
    panel, info, month = scorecard.panel, scorecard.indicators, scorecard.reporting_month
    r = panel.column(month)
    year = window(mask.astype(float), r, 12) > 0
    year_values = window(panel.values, r, 12)
    rows = {ref: k for k, ref in enumerate(panel.keys)}
    counts = (info["unit"] == COUNT).to_numpy()

    def masked(i: int, m: int | None) -> bool:
        return m is not None and 0 <= panel.column(m) < panel.month_count and bool(mask[i, panel.column(m)])

    def figure(bold=False):
        return lambda fmt: figure_style(fmt, bold=bold)

    tests = {}  # column -> (is it c for row i showing value, the style of its c given the row's format)
    for key, c in plan.columns.items():  # by what a column holds, whatever its heading says
        m = keys.column_month(key)
        if m is not None:
            tests[c] = (lambda i, value, m=m: masked(i, m)), figure(bold=m == month)
        elif key == keys.CHANGE_PREV_YEAR:
            tests[c] = (lambda i, value: masked(i, month) or masked(i, month - 12)), figure()
        elif key == keys.DOT:
            tests[c] = (lambda i, value: masked(i, month) or masked(i, month - 1),
                        lambda fmt: mark_style(JUDGEMENT_COLOURS[NEUTRAL]))
        elif key == keys.AVG_12M:
            tests[c] = (lambda i, value: bool(year[i].any())), figure()
        elif key == keys.MAX_12M:
            tests[c] = (lambda i, value: isinstance(value, float) and bool(year[i].any()) and
                        (not counts[i] or bool((year[i] & (year_values[i] == value)).any()))), figure()
    for row, ref in plan.row_keys.items():
        i = rows[ref]
        fmt = number_format(info.at[ref, "unit"], info.at[ref, "decimals"])
        for c, (test, style) in tests.items():
            cell = copy.cells.get((row, c))
            if cell is not None and cell.value is not None and test(i, cell.value):
                copy.put(row, c, SUPPRESSED, style(fmt))
    hide_marks(copy, scorecard, mask)  # SPC's verdicts rest on 24 months, any of which may be c
    key_row = (plan.header_row or 1) - 1
    if (key_row, 0) in copy.cells:
        key_row = copy.last_row + 2
    copy.put(key_row, 0, SUPPRESSION_KEY, KEY_TEXT)
    return copy


# --- Writing ---------------------------------------------------------------------------------------

def strip_people(path: Path) -> None:
    """Remove dc:creator and cp:lastModifiedBy from docProps/core.xml (XlsxWriter always writes them)."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = _PEOPLE.sub(b"", data)
            target.writestr(info, data, compress_type=info.compress_type)
    path.write_bytes(buffer.getvalue())


def write_copy(path: Path, plans: list[SheetPlan], title: str, subject: str) -> None:
    """The plans into a new workbook at ``path`` (values only, charts drawn), opening on the first,
    with no author."""
    write_new_workbook(path, plans, {"title": title, "subject": subject, "author": "", "company": ""})
    strip_people(path)


def _differs(existing: dict, plan: SheetPlan) -> bool:
    """True when the workbook's Scorecard sheet does not show the figures its data gives now."""
    for position, cell in plan.cells.items():
        if isinstance(cell.value, float):
            old = existing.get(position)
            if not isinstance(old, (int, float)) or abs(old - cell.value) > 1e-9 * max(1.0, abs(cell.value)):
                return True
    return False


def export_copy(book, out=None, pdf: bool = False, eml=None, suppress: bool = False, include_commentary: bool = True,
                include_comments: bool = False, month=None) -> ExportResult:
    """Write the email-ready copy of ``book``; see the module docstring.

    ``include_commentary``: the Scorecard's Commentary column as typed (else left empty).
    ``include_comments``: add a Commentary sheet with the Commentary history rows.
    ``eml``: a list of addresses (may be empty: a draft with no recipient yet); None = no draft.
    ``month``: default, the month the Scorecard sheet was last refreshed for.
    """
    path = Path(book)
    check_readable(path)
    refuse_if_encrypted(path)
    addresses = check_addresses(eml) if eml is not None else None
    if pdf and soffice() is None:
        raise WorkbookError(INSTALL_HINT)
    sheets = scorecard_sheets(path)
    workbook = XlsxFile(path)  # read only: the copy is a new file
    found = find_sheet(sheets, SHEET_NAME)
    shown = shown_month(workbook.existing(found.name)) if found else None  # the month the sheet was refreshed for
    try:
        scorecard = build_scorecard(sheets, month if month is not None else shown, registry.page_names())
    except InputProblems as refused:  # what people typed on the pages is listed with the data's problems
        raise InputProblems(refused.problems + [problem for name in registry.page_names()
                                                for problem in typed_problems(workbook.existing(name))]) from None
    # The copy opens on the Board summary, whichever pages the workbook itself gets.
    pages = [registry.page(board.SHEET_NAME)] + [p for p in registry.pages_for(scorecard)
                                                 if p.name != board.SHEET_NAME]
    mask = suppression_mask(scorecard) if suppress else None
    notes = []
    found_history = find_sheet(sheets, HISTORY_SHEET)
    history_sheet = workbook.existing(found_history.name) if found_history else None
    history_cells = history_sheet.values if history_sheet else {}
    history_formats = history_sheet.record.number_formats if history_sheet else {}
    existing = {page.name: workbook.existing(page.name) for page in pages}
    # What people typed goes in as typed (an earlier --month gets that month's commentary back from the
    # history); without commentary, the board's overrides and headlines still decide its lists.
    typed = typed_pages(scorecard, [(page, existing[page.name]) for page in pages],
                        {MANUAL_COLUMN: history_entries(history_cells, history_formats)}, suppressed=mask,
                        keys=None if include_commentary else {board.OVERRIDE, board.HEADLINE})
    plans = []
    for page in typed:
        plan = page.plan
        plan.name = page.page.name  # the copy names its sheets as the pages are called
        if plan.name == SHEET_NAME:  # the sheet the reporting month was read from
            sheet = existing[page.page.name]
            # An earlier --month is a different page from the sheet's, so only the sheet's own month is compared.
            if shown in (None, scorecard.reporting_month) and _differs(sheet.values if sheet else {}, plan):
                notes.append(f"the Scorecard sheet in {path.name} does not show the figures its data gives for "
                             f"{month_label(scorecard.reporting_month)}; the copy shows them as they are now. "
                             "Refresh the workbook too, so the two agree.")
        plans.append(plan if mask is None or page.page.suppressed_layout is not None
                     else suppress_plan(plan, scorecard, mask))
    pages_shown = list(plans)
    history = history_copy_plan(history_cells, COMMENTARY_SHEET, scorecard.settings.paper, history_formats) \
        if include_comments else None
    if include_comments and history is None:
        notes.append(f"there is no '{HISTORY_SHEET}' to copy, so the copy has no Commentary sheet.")
    plans += [history] if history else []
    edits = edits_of(typed)
    lists, rag = board.summary_lists(scorecard, mask, edits), board.summary_rag(scorecard, mask)

    target = Path(out) if out else default_copy_path(path, scorecard.settings.title, scorecard.reporting_month)
    if target.suffix.lower() != ".xlsx":
        raise WorkbookError(f"The copy is an .xlsx workbook: give --out a name ending .xlsx (not {target.name}).")
    if target.exists() and target.resolve() == path.resolve():
        raise WorkbookError("The copy cannot replace the workbook it is made from; give --out another name.")
    title = scorecard.settings.title
    subject = f"Performance summary and scorecard, {month_label(scorecard.reporting_month)}"
    atomic_write(target, lambda temp: write_copy(temp, plans, title, subject), [p.name for p in plans],
                 keep_backup=False)
    result = ExportResult(target, scorecard.reporting_month, [p.name for p in plans], lists, rag, notes=notes)
    if mask is not None:
        result.suppressed = sum(cell.value == SUPPRESSED for p in pages_shown for cell in p.cells.values())
        result.small_numbers = quoted_small_numbers(typed) + \
            (quoted_in_history(history_cells, found_history.name) if history else [])
    if pdf:
        result.pdf = render_pdf(target)
    if addresses is not None:
        attachments = [target] + ([result.pdf] if result.pdf else [])
        body = draft_body(title, scorecard.reporting_month, len(scorecard.indicators), result.rag, lists,
                          [a.name for a in attachments], mask is not None)
        message = build_draft(addresses, draft_subject(title, scorecard.reporting_month), body, attachments)
        result.eml = write_draft(target.with_suffix(".eml"), message)
    return result


def render_pdf(workbook: Path) -> Path:
    """A PDF of every sheet of the copy, beside it (LibreOffice headless; each sheet one page wide)."""
    return to_pdf(workbook, Path(workbook).parent)


def export_for_email_from_path(path) -> str:
    """The ribbon's "Export for email" button: the copy, a PDF when LibreOffice is installed, and an
    email draft with no recipient yet; returns the plain-English summary (raises WorkbookError)."""
    return export_copy(path, pdf=soffice() is not None, eml=[]).summary()
