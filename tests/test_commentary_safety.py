"""Nothing a person typed on the Scorecard is lost without a word: commentary under headings they
edited, a report sheet of their own that happens to be called Scorecard, commentary typed as a date."""

import datetime as dt
import hashlib
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from prepared import remembered, remembered_reading
from remote_book import apply_actions, book_json
from typing_in import can_type, type_cells
from scorecard_xl.cli import main
from scorecard_xl.update.manual import HISTORY_SHEET
from scorecard_xl.problems import WorkbookError
from scorecard_xl.update.refresh import refresh, refresh_book
from scorecard_xl.starter import write_starter
from workbooks import indicator, make_workbook, monthly_series, openpyxl_sheet, sample_book, type_commentary

NOTE = "Contacts fell after the new front door opened."


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows_of(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def commentary_on_sheet(rows: list[list]) -> dict[str, object]:
    """Ref -> commentary as the refreshed sheet shows it, found by the headings the tool writes."""
    header = next(r for r, row in enumerate(rows) if row and row[0] == "Ref.")
    column = next(c for c, text in enumerate(rows[header]) if str(text).startswith("Commentary ("))
    return {row[0]: row[column] for row in rows[header + 1:] if len(row) > column and row[column] != ""}


def headings(path: Path) -> dict[str, str]:
    """'ref' and 'commentary' -> the heading cells (A1 style) the tool wrote."""
    return remembered_reading(path, _headings)  # once per process for the same workbook (tests/prepared.py)


def _headings(path: Path) -> dict[str, str]:
    sheet = openpyxl_sheet(path, "Scorecard")
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Ref.")
    column = next(c for c in range(1, sheet.max_column + 1)
                  if str(sheet.cell(header, c).value or "").startswith("Commentary ("))
    return {"ref": sheet.cell(header, 1).coordinate, "commentary": sheet.cell(header, column).coordinate}


def edit_cells(path: Path, sheet: str, values: dict[str, object]) -> None:
    """A person edits cells in Excel (tests/typing_in.py, or openpyxl for what that does not type)."""
    remembered(path, _edit_cells, sheet, values)  # once per process for the same workbook and edit


def _edit_cells(path: Path, sheet: str, values: dict[str, object]) -> None:
    if can_type(values.values()):  # as a spreadsheet program saves it (tests/typing_in.py)
        type_cells(path, sheet, values)
        return
    book = openpyxl.load_workbook(path)
    for ref, value in values.items():
        book[sheet][ref] = value
    book.save(path)


def rewrite_workbook_xml(path: Path, change) -> None:
    with zipfile.ZipFile(path) as z:
        infos, parts = z.infolist(), {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/workbook.xml"] = change(parts["xl/workbook.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, parts[info.filename])


def deleted_in_excel(path: Path, name: str) -> None:
    """What Excel does to a name whose cells were deleted (a whole column, say)."""
    rewrite_workbook_xml(path, lambda xml: re.sub(rb'(<definedName name="%s"[^>]*>)[^<]*' % name.encode(),
                                                  rb"\1'Scorecard'!#REF!", xml))


def without_commentary_record(path: Path) -> None:
    """The workbook as the version before the commentary record left it: only the owned area recorded."""
    rewrite_workbook_xml(path, lambda xml: re.sub(
        rb'<definedName name="_scorecard_xl_(?!area)[^"]*"[^>]*>[^<]*</definedName>', b"", xml))


# --- commentary under an edited heading ----------------------------------------------------------

EDITS = [("commentary", "Commentary ({month}) - reviewed"), ("commentary", "Comments ({month})"),
         ("ref", "Reference")]


@pytest.mark.parametrize("which, heading", EDITS)
def test_commentary_under_an_edited_heading_is_kept(tmp_path, which, heading):
    path = sample_book(tmp_path)
    type_commentary(path, {"M1": NOTE})
    edit_cells(path, "Scorecard", {headings(path)[which]: heading.format(month="Feb-21")})
    refresh(path)
    assert commentary_on_sheet(rows_of(path, "Scorecard")) == {"M1": NOTE}


@pytest.mark.parametrize("which, heading", EDITS)
def test_commentary_under_an_edited_heading_is_archived_when_the_month_moves_on(tmp_path, which, heading):
    path = sample_book(tmp_path, month="Jan-21")
    type_commentary(path, {"M1": NOTE})
    edit_cells(path, "Scorecard", {headings(path)[which]: heading.format(month="Jan-21")})
    refresh(path, month="Feb-21")
    assert ["M1", "Jan-21", NOTE] in [row[:3] for row in rows_of(path, HISTORY_SHEET)]
    assert commentary_on_sheet(rows_of(path, "Scorecard")) == {}


def test_a_heading_that_no_longer_says_its_month_is_refused_naming_the_cell(tmp_path, capsys):
    path = sample_book(tmp_path, month="Jan-21")
    type_commentary(path, {"M1": NOTE})
    cell = headings(path)["commentary"]
    edit_cells(path, "Scorecard", {cell: "Notes"})
    before = digest(path)
    assert main(["refresh", str(path), "--month", "Feb-21"]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and f"Scorecard!{cell}" in error and "'Notes'" in error
    assert "'Commentary (Mmm-YY)'" in error  # what to write back
    assert digest(path) == before


@pytest.mark.parametrize("heading", ["Comments (Feb-21)", "Notes (Feb-21)"])
def test_without_a_commentary_record_a_lightly_edited_heading_is_still_found(tmp_path, heading):
    path = sample_book(tmp_path)
    type_commentary(path, {"M1": NOTE})
    cells = headings(path)
    edit_cells(path, "Scorecard", {cells["commentary"]: heading, cells["ref"]: "Reference"})
    without_commentary_record(path)
    refresh(path)
    assert commentary_on_sheet(rows_of(path, "Scorecard")) == {"M1": NOTE}


def test_without_a_commentary_record_an_unrecognised_heading_is_refused_naming_the_cell(tmp_path, capsys):
    path = sample_book(tmp_path)
    type_commentary(path, {"M1": NOTE})
    cell = headings(path)["commentary"]
    edit_cells(path, "Scorecard", {cell: "Notes for the board"})
    without_commentary_record(path)
    before = digest(path)
    assert main(["refresh", str(path)]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and f"Scorecard!{cell}" in error and "'Commentary (Mmm-YY)'" in error
    assert digest(path) == before


def test_commentary_whose_ref_was_cleared_is_refused_naming_both_cells(tmp_path, capsys):
    path = sample_book(tmp_path)
    type_commentary(path, {"M1": NOTE})
    sheet = openpyxl_sheet(path, "Scorecard")
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "M1")
    edit_cells(path, "Scorecard", {f"A{row}": None})
    before = digest(path)
    assert main(["refresh", str(path)]) == 2
    error = capsys.readouterr().err.strip()
    column = re.match(r"[A-Z]+", headings(path)["commentary"]).group()
    assert len(error.splitlines()) == 1 and f"Scorecard!{column}{row}" in error and f"A{row}" in error
    assert digest(path) == before


def test_commentary_whose_ref_column_was_deleted_is_refused_naming_the_heading(tmp_path, capsys):
    path = sample_book(tmp_path)
    type_commentary(path, {"M1": NOTE})
    cell = headings(path)["commentary"]
    deleted_in_excel(path, "_scorecard_xl_refs")
    before = digest(path)
    assert main(["refresh", str(path)]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and f"Scorecard!{cell}" in error and "Ref column" in error
    assert digest(path) == before


def test_a_deleted_commentary_column_leaves_nothing_to_keep(tmp_path):
    path = sample_book(tmp_path)
    deleted_in_excel(path, "_scorecard_xl_commentary")
    refresh(path)
    assert commentary_on_sheet(rows_of(path, "Scorecard")) == {}


# --- a person's own Scorecard sheet ----------------------------------------------------------------

def own_report(tmp_path, rows: list[list], print_area: str) -> Path:
    path = make_workbook(tmp_path / "own.xlsx", [indicator("A")], monthly_series("A", 2021, 1, [10, 12]),
                         extra_sheets={"Scorecard": rows})
    book = openpyxl.load_workbook(path)
    book["Scorecard"].print_area = print_area
    book.save(path)
    return path


def test_an_introduction_sheet_called_scorecard_with_a_print_area_is_refused_untouched(tmp_path, capsys):
    introduction = [[f"Line {n} of how to read this report."] for n in range(1, 29)]
    path = own_report(tmp_path, introduction, "A1:H28")
    before = digest(path)
    assert main(["refresh", str(path)]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "A1, A2" in error and "rename the sheet" in error
    assert digest(path) == before


def test_a_heading_typed_at_b2_with_a_print_area_is_refused_untouched(tmp_path):
    path = own_report(tmp_path, [[], [None, "Quarterly performance report"]], "A1:F20")
    before = digest(path)
    with pytest.raises(WorkbookError, match=r"Scorecard sheet .* B2\b"):
        refresh(path)
    assert digest(path) == before


# --- `scorecard new`: its placeholder is the tool's on every path ---------------------------------

def local_names(path: Path) -> dict[str, tuple[str, str | None]]:
    from lxml import etree
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("xl/workbook.xml"))
    main_ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    return {n.get("name"): (n.text, n.get("hidden")) for n in root.iter(f"{main_ns}definedName")}


def test_scorecard_new_records_its_placeholder_as_the_tools_own(tmp_path):
    path = tmp_path / "new.xlsx"
    write_starter(path, sample=True)
    formula, hidden = local_names(path)["_scorecard_xl_area"]
    assert formula.replace("'", "") == "Scorecard!$A$1" and hidden in ("1", "true")


def test_scorecard_new_then_refresh_after_the_print_area_was_cleared(tmp_path):
    path = tmp_path / "new.xlsx"
    write_starter(path, sample=True)
    book = openpyxl.load_workbook(path)
    book["Scorecard"].print_area = None  # a person cleared it (Page Layout > Print Area > Clear)
    book.save(path)
    refresh(path)
    assert rows_of(path, "Scorecard")[0][0].startswith("Children's Services Performance Scorecard")


def live_refresh(path: Path, **changes):
    """Refresh through xlwings' remote engine: (report, {sheet: {"values": ..., "fills": ...}})."""
    import xlwings as xw

    data = book_json(path)
    for sheet in data["sheets"]:
        sheet.update(changes)
    book = xw.Book(json=data)
    report = refresh_book(book)
    return report, apply_actions(data, book.json()["actions"])


def test_scorecard_new_then_refresh_on_the_live_path(tmp_path):
    path = tmp_path / "new.xlsx"
    write_starter(path, sample=True)
    # A client that does not report print areas: only the tool's own name says A1 is its own.
    report, state = live_refresh(path, print_area=None)
    assert report.indicators == 44
    values = state["Scorecard"]["values"]
    assert values[(0, 0)].startswith("Children's Services Performance Scorecard")
    assert not any("Run 'scorecard refresh'" in str(v) for v in values.values())


def test_the_live_path_keeps_a_note_below_the_table_when_the_print_area_was_widened(tmp_path):
    path = sample_book(tmp_path)
    book = openpyxl.load_workbook(path)
    book["Scorecard"]["A70"] = "Signed off by the Head of Service"
    book["Scorecard"].print_area = "A1:Z75"
    book.save(path)
    _, state = live_refresh(path)
    assert state["Scorecard"]["values"][(69, 0)] == "Signed off by the Head of Service"


def test_the_live_path_refuses_a_persons_own_sheet(tmp_path):
    path = own_report(tmp_path, [[], [None, "Quarterly performance report"]], "A1:F20")
    with pytest.raises(WorkbookError, match=r"B2\b"):
        live_refresh(path)


@pytest.mark.parametrize("which, heading", EDITS)
def test_the_live_path_keeps_commentary_under_an_edited_heading(tmp_path, which, heading):
    path = sample_book(tmp_path)
    type_commentary(path, {"M1": NOTE})
    edit_cells(path, "Scorecard", {headings(path)[which]: heading.format(month="Feb-21")})
    report, state = live_refresh(path)
    assert report.commentary_kept == 1 and NOTE in state["Scorecard"]["values"].values()


# --- commentary typed as a date or a percentage ----------------------------------------------------

def commentary_cell(sheet, ref="M1"):
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Ref.")
    column = next(c for c in range(1, sheet.max_column + 1)
                  if str(sheet.cell(header, c).value or "").startswith("Commentary ("))
    return sheet.cell(next(r for r in range(header, sheet.max_row + 1) if sheet.cell(r, 1).value == ref), column)


@pytest.mark.parametrize("value, number_format", [
    (dt.datetime(2021, 3, 1), "yyyy-mm-dd h:mm:ss"),  # openpyxl's own format for a datetime
    (dt.datetime(2021, 3, 1), "dd/mm/yyyy"),
    (dt.datetime(2021, 3, 1), "mm-dd-yy"),  # Excel's built-in short date (id 14)
    (0.15, "0%"),
])
def test_commentary_typed_as_a_formatted_number_looks_the_same_after_a_refresh(tmp_path, value, number_format):
    path = make_workbook(tmp_path / "book.xlsx", [indicator("M1")], monthly_series("M1", 2020, 1, [10] * 14))
    refresh(path, month="Jan-21")
    book = openpyxl.load_workbook(path)
    cell = commentary_cell(book["Scorecard"])
    cell.value, cell.number_format = value, number_format
    book.save(path)
    refresh(path, month="Jan-21")
    cell = commentary_cell(openpyxl_sheet(path, "Scorecard"))
    assert (cell.value, cell.number_format) == (value, number_format)
    refresh(path, month="Feb-21")  # archived: the history shows it as the person saw it too
    history = openpyxl_sheet(path, HISTORY_SHEET)
    archived = next(row[2] for row in history.iter_rows(min_row=2) if row[0].value == "M1")
    assert (archived.value, archived.number_format) == (value, number_format)


def test_commentary_typed_as_a_date_comes_back_from_the_history_as_a_date(tmp_path):
    from scorecard_xl.send.export import export_copy
    path = make_workbook(tmp_path / "book.xlsx", [indicator("M1")], monthly_series("M1", 2020, 1, [10] * 14))
    refresh(path)  # Feb-21
    book = openpyxl.load_workbook(path)
    cell = commentary_cell(book["Scorecard"])
    cell.value, cell.number_format = dt.datetime(2021, 3, 4), "dd/mm/yyyy"
    book.save(path)
    refresh(path, month="Jan-21")  # Feb-21's commentary goes to the history
    refresh(path, month="Feb-21")  # and comes back from it
    cell = commentary_cell(openpyxl_sheet(path, "Scorecard"))
    assert (cell.value, cell.number_format) == (dt.datetime(2021, 3, 4), "dd/mm/yyyy")  # not 44259
    copy = export_copy(path, out=tmp_path / "copy.xlsx", include_comments=True).workbook  # its Commentary sheet
    shown = next(row[2] for row in openpyxl_sheet(copy, "Commentary").iter_rows(min_row=2) if row[0].value == "M1")
    assert (shown.value, shown.number_format) == (dt.datetime(2021, 3, 4), "dd/mm/yyyy")


def test_the_live_path_writes_commentary_typed_as_a_date_back_as_a_date(tmp_path):
    path = sample_book(tmp_path)
    book = openpyxl.load_workbook(path)
    cell = commentary_cell(book["Scorecard"])
    cell.value, cell.number_format = dt.datetime(2021, 3, 1), "dd/mm/yyyy"
    book.save(path)
    data = book_json(path)
    import xlwings as xw
    remote = xw.Book(json=data)
    assert refresh_book(remote).commentary_kept == 1
    sent = [v for a in remote.json()["actions"] if a["func"] == "setValues" for row in a["values"] for v in row]
    assert "2021-03-01" in sent  # a date, which Excel shows as one (not 44256, nor the text '2021-03-01)


def test_a_style_whose_format_id_is_not_a_number_is_read_as_no_format(tmp_path):
    path = sample_book(tmp_path)
    type_commentary(path, {"M1": NOTE})
    with zipfile.ZipFile(path) as z:
        infos, parts = z.infolist(), {i.filename: z.read(i) for i in z.infolist()}
    styles = parts["xl/styles.xml"]
    first = styles.index(b'numFmtId="', styles.index(b"<cellXfs"))
    parts["xl/styles.xml"] = styles[:first] + b'numFmtId="x' + styles[first + len(b'numFmtId="'):]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, parts[info.filename])
    refresh(path)
    assert commentary_on_sheet(rows_of(path, "Scorecard")) == {"M1": NOTE}


def test_the_email_copy_shows_commentary_typed_as_a_date_as_the_person_saw_it(tmp_path):
    # the copy reads commentary as a refresh does, by the tool's record, number formats included
    from scorecard_xl.send.export import export_copy

    path = sample_book(tmp_path)
    book = openpyxl.load_workbook(path)
    cell = commentary_cell(book["Scorecard"])
    cell.value, cell.number_format = dt.datetime(2021, 3, 1), "dd/mm/yyyy"
    book.save(path)
    copy = export_copy(path, out=tmp_path / "copy.xlsx").workbook
    cell = commentary_cell(openpyxl_sheet(copy, "Scorecard"))
    assert (cell.value, cell.number_format) == (dt.datetime(2021, 3, 1), "dd/mm/yyyy")
