"""The tests' own ways of typing into a workbook and of reading one page back (tests/typing_in.py,
tests/workbooks.py openpyxl_sheet) do what they say, checked with openpyxl reading the whole workbook."""

from __future__ import annotations

import zipfile

import openpyxl

from damaged_packages import sheet_part
from typing_in import append_row, sheet_values, type_cells
from workbooks import openpyxl_sheet, sample_book


def parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_typed_cells_read_back_with_their_style_and_nothing_else_changes(tmp_path):
    path = sample_book(tmp_path)  # the refreshed sample: shared strings, styled empty commentary cells
    before_book = openpyxl.load_workbook(path)
    commentary = next(cell for cell in before_book["Scorecard"][7] if str(cell.value).startswith("Commentary"))
    target = f"{commentary.column_letter}9"
    style_before = before_book["Scorecard"][target].style_id
    before = parts(path)

    type_cells(path, "Scorecard", {target: "Typed words", "B9": None, "AB3": 12.5, "AC200": "=1+1 stays text"})

    after = parts(path)
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed == {sheet_part(path, "Scorecard"), "xl/sharedStrings.xml"}
    assert set(after) == set(before)
    sheet = openpyxl.load_workbook(path)["Scorecard"]
    assert sheet[target].value == "Typed words" and sheet[target].style_id == style_before
    assert sheet["B9"].value is None
    assert sheet["AB3"].value == 12.5
    assert sheet["AC200"].value == "=1+1 stays text" and sheet["AC200"].data_type == "s"
    assert sheet_values(path, "Scorecard")[target] == "Typed words"


def test_a_row_is_appended_below_the_last_that_holds_something(tmp_path):
    path = sample_book(tmp_path)
    rows = openpyxl.load_workbook(path)["Settings"].max_row
    append_row(path, "Settings", ["Pages", "Scorecard, Board summary"])
    sheet = openpyxl.load_workbook(path)["Settings"]
    assert [sheet.cell(rows + 1, c).value for c in (1, 2)] == ["Pages", "Scorecard, Board summary"]


def test_one_page_reads_as_it_does_in_the_whole_workbook(tmp_path):
    path = sample_book(tmp_path)
    whole = openpyxl.load_workbook(path)["Scorecard"]
    alone = openpyxl_sheet(path, "Scorecard")
    assert [[c.value for c in row] for row in alone.iter_rows()] == [[c.value for c in row] for row in whole.iter_rows()]
    assert [[c.style_id for c in row] for row in alone.iter_rows()] == \
        [[c.style_id for c in row] for row in whole.iter_rows()]
    assert {r: d.height for r, d in alone.row_dimensions.items()} == {r: d.height for r, d in whole.row_dimensions.items()}
    assert alone.print_area == whole.print_area and alone.page_setup.paperSize == whole.page_setup.paperSize
    assert openpyxl_sheet(path, "Data").max_row == openpyxl.load_workbook(path)["Data"].max_row > 1000
