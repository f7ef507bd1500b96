"""The refresh orchestrator refreshes a list of pages, each in place with its own area and commentary.

Until pages are registered the monthly Scorecard is the only one; here a second page with its own
commentary column stands in for a registered one (update/refresh.py ``chosen_pages``), written both
to a file and live, to show what the orchestrator does for every page it is given.
"""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
import xlwings as xw
from python_calamine import CalamineWorkbook

from remote_book import apply_actions, book_json
from scorecard_xl.compute.months import month_label
from scorecard_xl.pages.registry import Page
from scorecard_xl.pages.scorecard import monthly_layout
from scorecard_xl.pages.sheetplan import PrintSetup, SheetPlan
from scorecard_xl.starter import write_starter
from scorecard_xl.update.manual import HISTORY_SHEET
from scorecard_xl.update.refresh import refresh, refresh_book
from workbooks import openpyxl_sheet, type_commentary
from typing_in import append_row, sheet_values, type_cells

WATCH = "Watch list"
WATCHED = ("M1", "M2", "EH1a")


def watch_list(scorecard) -> SheetPlan:
    """A small page people comment on: the watched Refs and a commentary column for the month."""
    plan = SheetPlan(WATCH, print_setup=PrintSetup(), header_row=1, manual_columns={"commentary": 1})
    plan.put(0, 0, f"Watch list, {month_label(scorecard.reporting_month)}")
    plan.put(1, 0, "Ref")
    plan.put(1, 1, f"Commentary ({month_label(scorecard.reporting_month)})")
    for row, ref in enumerate(WATCHED, start=2):
        plan.put(row, 0, ref)
        plan.row_keys[row] = ref
    return plan


@pytest.fixture
def two_pages(monkeypatch):
    monkeypatch.setattr("scorecard_xl.update.refresh.chosen_pages",
                        lambda scorecard: [Page("Scorecard", monthly_layout), Page(WATCH, watch_list)])


def rows(path, sheet):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def type_on_watch_list(path, texts: dict[str, str]) -> None:
    values = sheet_values(path, WATCH)  # tests/typing_in.py
    type_cells(path, WATCH, {f"B{r}": texts[values[f"A{r}"]] for r in range(3, 3 + len(WATCHED))
                             if values.get(f"A{r}") in texts})


def watch_commentary(path) -> dict[str, str]:
    return {row[0]: row[1] for row in rows(path, WATCH)[2:] if row[1] != ""}


def test_each_page_keeps_its_own_commentary_and_both_are_archived(two_pages, tmp_path):
    path = tmp_path / "book.xlsx"
    write_starter(path, sample=True)
    refresh(path, month="Jan-21")
    names = openpyxl.load_workbook(path).sheetnames
    assert names[-2:] == ["Scorecard", WATCH]
    type_commentary(path, {"M1": "On the scorecard"})
    type_on_watch_list(path, {"M1": "On the watch list", "M2": "Watched closely"})

    report = refresh(path, month="Jan-21")
    assert report.commentary_kept == 3
    assert watch_commentary(path) == {"M1": "On the watch list", "M2": "Watched closely"}
    scorecard = rows(path, "Scorecard")
    assert "On the scorecard" in {cell for row in scorecard for cell in row}

    report = refresh(path, month="Feb-21")
    assert report.archived == 3 and watch_commentary(path) == {}
    history = [row[:3] for row in rows(path, HISTORY_SHEET)[1:]]
    assert sorted(history) == sorted([["M1", "Jan-21", "On the scorecard"], ["M1", "Jan-21", "On the watch list"],
                                      ["M2", "Jan-21", "Watched closely"]])


def test_each_page_has_its_own_record(two_pages, tmp_path):
    path = tmp_path / "book.xlsx"
    write_starter(path, sample=True)
    refresh(path)
    book = openpyxl.load_workbook(path)
    for sheet in ("Scorecard", WATCH):
        local = book[sheet].defined_names
        assert {"_scorecard_xl_area", "_scorecard_xl_refs", "_scorecard_xl_commentary"} <= set(local), sheet
    assert book[WATCH].defined_names["_scorecard_xl_area"].attr_text == f"'{WATCH}'!$A$1:$B$5"


def test_a_person_s_cell_in_the_way_of_any_page_stops_the_refresh(two_pages, tmp_path):
    from scorecard_xl.problems import WorkbookError
    path = tmp_path / "book.xlsx"
    write_starter(path, sample=True)
    book = openpyxl.load_workbook(path)
    book.create_sheet(WATCH)["B4"] = "typed before the page existed"
    book.save(path)
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match=f"The {WATCH} sheet has content the tool did not write .*B4"):
        refresh(path)
    assert path.read_bytes() == before


def test_the_live_path_refreshes_every_page_too(two_pages, tmp_path):
    path = tmp_path / "book.xlsx"
    write_starter(path, sample=True)
    refresh(path, month="Jan-21")
    type_on_watch_list(path, {"M2": "Watched closely"})
    data = book_json(path)
    book = xw.Book(json=data)
    report = refresh_book(book, month="Feb-21")
    assert report.archived == 1
    state = apply_actions(data, book.json()["actions"])
    assert (state[HISTORY_SHEET]["values"][(1, 0)], state[HISTORY_SHEET]["values"][(1, 2)]) == ("M2", "Watched closely")
    assert state[WATCH]["values"][(0, 0)] == "Watch list, Feb-21"
    assert state[WATCH]["values"][(1, 1)] == "Commentary (Feb-21)" and (3, 1) not in state[WATCH]["values"]
    assert state[WATCH]["names"]["_scorecard_xl_area"] == f"='{WATCH}'!$A$1:$B$5"


# --- the pages the Settings row Pages chooses (pages/registry.py) --------------------------------

def board_pack(tmp_path):
    """The sample workbook with a Settings row choosing the Scorecard and the Board summary (with its charts)."""
    path = tmp_path / "pack.xlsx"
    write_starter(path, sample=True)
    append_row(path, "Settings", ["Pages", "Scorecard, Board summary"])  # tests/typing_in.py
    return path


def test_a_refresh_writes_the_pages_the_settings_choose_charts_included(tmp_path):
    path = board_pack(tmp_path)
    report = refresh(path)
    board = openpyxl_sheet(path, "Board summary")  # tests/workbooks.py: the page, and every sheet's name
    assert board.parent.sheetnames[-2:] == ["Scorecard", "Board summary"]
    assert board.defined_names["_scorecard_xl_month"].attr_text == '"2021-02"'
    assert report.unrendered == []  # the splice draws the Board summary's charts in place
    assert any(name.startswith("xl/charts/") for name in zipfile.ZipFile(path).namelist())
    again = refresh(path)  # each page's own record says the cells there are the tool's
    assert again.unrendered == report.unrendered
    assert openpyxl_sheet(path, "Board summary").parent.sheetnames == board.parent.sheetnames


def test_the_live_path_writes_the_chosen_pages_too(tmp_path):
    path = board_pack(tmp_path)
    data = book_json(path)
    book = xw.Book(json=data)
    report = refresh_book(book)
    state = apply_actions(data, book.json()["actions"])
    assert state["Board summary"]["values"] and state["Board summary"]["names"]["_scorecard_xl_month"] == '="2021-02"'
    assert any(note.startswith("The Board summary sheet was written without ") and "charts" in note
               for note in report.unrendered)
