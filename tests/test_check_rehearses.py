"""`scorecard check` says what a refresh of the same workbook would refuse, in the same words, and
changes nothing: it rehearses the whole refresh (update/refresh.py ``check_file``), so what people
typed on the pages and what only writing meets are checked as well as the data."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import openpyxl
import pytest

from scorecard_xl.cli import main
from scorecard_xl.problems import InputProblems, WorkbookError
from scorecard_xl.update.refresh import refresh
from test_board_summary import BOARD, board_book, type_on_board
from test_splice_edge_cases import lock_structure
from typing_in import sheet_values, type_cells
from workbooks import indicator, make_workbook, monthly_series, type_commentary


def said(capsys, *argv) -> tuple[int, str]:
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, (captured.out + captured.err).strip()


def small_book(folder: Path, **extra) -> Path:
    return make_workbook(folder / "book.xlsx", [indicator("A"), indicator("B")],
                         monthly_series("A", 2020, 1, list(range(10, 24))) +
                         monthly_series("B", 2020, 1, list(range(30, 16, -1))), **extra)


def an_override_naming_no_list(folder: Path) -> Path:
    path = board_book(folder)
    refresh(path)
    type_on_board(path, "Override", {"B3": "Gone well"})
    return path


def a_headline_whose_ref_was_cleared(folder: Path) -> Path:
    path = board_book(folder)
    refresh(path)
    cells = type_on_board(path, "Headline", {"B3": "Plans are reviewed on time"})
    type_cells(path, BOARD, {"A" + re.sub(r"[A-Z]+", "", cells["B3"]): None})
    return path


def a_commentary_heading_without_its_month(folder: Path) -> Path:
    path = small_book(folder)
    refresh(path)
    type_commentary(path, {"A": "Contacts rose after half term."})
    heading = next(ref for ref, value in sheet_values(path, "Scorecard").items()
                   if isinstance(value, str) and value.startswith("Commentary ("))
    type_cells(path, "Scorecard", {heading: "Commentary"})
    return path


def someone_elses_sheet_called_scorecard(folder: Path) -> Path:
    return small_book(folder, extra_sheets={"Scorecard": [["Our own report"]]})


def a_protected_scorecard(folder: Path) -> Path:
    path = small_book(folder)
    refresh(path)
    book = openpyxl.load_workbook(path)
    book["Scorecard"].protection.sheet = True
    book.save(path)
    return path


def a_locked_structure_before_the_first_refresh(folder: Path) -> Path:
    path = small_book(folder)
    lock_structure(path)  # the Scorecard sheet must be added, and Excel would refuse that
    return path


def a_read_only_workbook(folder: Path) -> Path:
    path = small_book(folder)
    path.chmod(0o444)
    return path


def a_workbook_open_in_excel(folder: Path) -> Path:
    path = small_book(folder)
    (folder / ("~$" + path.name)).write_bytes(b"owner")
    return path


CASES = {  # how the workbook was made -> what a refresh says, in part
    an_override_naming_no_list: (1, f"'{BOARD}'!M"),
    a_headline_whose_ref_was_cleared: (2, f"scorecard: '{BOARD}'!N"),
    a_commentary_heading_without_its_month: (2, "the commentary heading is now 'Commentary'"),
    someone_elses_sheet_called_scorecard: (2, "has content the tool did not write where the new scorecard goes"),
    a_protected_scorecard: (2, "The Scorecard sheet is protected"),
    a_locked_structure_before_the_first_refresh: (2, "The workbook's structure is protected"),
}


@pytest.mark.parametrize("make", CASES, ids=[make.__name__ for make in CASES])
def test_check_refuses_what_a_refresh_would_in_its_words_and_changes_nothing(tmp_path, capsys, make):
    path = make(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    listing = sorted(p.name for p in tmp_path.rglob("*"))
    checked = said(capsys, "check", path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == listing  # nothing left beside it either
    refreshed = said(capsys, "refresh", path)
    status, words = CASES[make]
    assert refreshed[0] == status and words in refreshed[1], refreshed
    assert checked == refreshed


@pytest.mark.parametrize("make", [a_read_only_workbook, a_workbook_open_in_excel])
def test_check_says_a_refresh_would_be_refused_once_the_data_is_checked(tmp_path, capsys, make):
    path = make(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    checked = said(capsys, "check", path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    refused = said(capsys, "refresh", path)
    assert refused[0] == 2 and refused[1].startswith("scorecard: book.xlsx is ")
    assert checked == (2, "scorecard: The data has no errors, but a refresh would be refused now: " +
                       refused[1].removeprefix("scorecard: "))
    if make is a_workbook_open_in_excel:  # its data's problems are listed all the same
        type_cells(path, "Data", {"C3": "many"})
        status, output = said(capsys, "check", path)
        assert status == 1 and "Data!C3: A: found 'many'" in output


def test_check_of_a_workbook_a_refresh_accepts_still_lists_its_notes(tmp_path, capsys):
    path = small_book(tmp_path)
    type_cells(path, "Data", {"C5": "tbc"})
    status, output = said(capsys, "check", path)
    assert status == 0 and output.startswith("book.xlsx: no errors. 2 indicators, reporting month Feb-21.")
    assert "'tbc' is read as missing" in output


def test_the_check_button_says_what_a_refresh_of_the_open_workbook_would_refuse(tmp_path):
    import xlwings as xw

    from remote_book import book_json
    from scorecard_xl.update.refresh import check_book

    path = an_override_naming_no_list(tmp_path)
    book = xw.Book(json=book_json(path))
    with pytest.raises(InputProblems, match=f"'{BOARD}'!M\\d+: Override is 'Gone well'"):
        check_book(book)
    (tmp_path / "theirs").mkdir()
    book = xw.Book(json=book_json(someone_elses_sheet_called_scorecard(tmp_path / "theirs")))
    with pytest.raises(WorkbookError, match="content the tool did not write where the new scorecard goes: A1"):
        check_book(book)
    assert book.json()["actions"] == []
