"""With --suppress, the export lists each commentary or headline cell that quotes a number from 1 to 5,
so the officer can reword it; the text itself goes into the copy as typed."""

from __future__ import annotations

from python_calamine import CalamineWorkbook

from scorecard_xl.send.export import export_copy
from scorecard_xl.starter import write_starter
from scorecard_xl.update.refresh import refresh
from test_board_summary import type_on_board
from workbooks import indicator, make_workbook, monthly_series, openpyxl_sheet, type_commentary
from typing_in import append_row

QUOTES = "Just 3 children waited more than a week, and 2 of them were seen the next day."
SAFE = ["35 children were seen in Q3 2020.", "Up 3.5% on January.", "M5 rose; 1st review due.", "6 of 12 seen.",
        "Children aged 0-17 per 10,000."]


def commentary_cell(path, ref: str) -> str:
    sheet = openpyxl_sheet(path, "Scorecard")
    heading = next(cell for row in sheet.iter_rows(max_row=12) for cell in row
                   if str(cell.value or "").startswith("Commentary ("))
    row = next(cell.row for cell in sheet["A"] if cell.value == ref)
    return sheet.cell(row, heading.column).coordinate


def test_suppressing_lists_each_cell_that_quotes_a_small_number_and_copies_it_as_typed(tmp_path):
    path = write_starter(tmp_path / "sample.xlsx", sample=True)
    append_row(path, "Settings", ["Pages", "Scorecard, Board summary"])
    refresh(path)
    type_commentary(path, {"M1": QUOTES, **{ref: text for ref, text in zip(("M2", "M3", "M9", "EH1a", "EH1b"), SAFE)}})
    headline = type_on_board(path, "Headline", {"M9": "Decisions slowed: 4 in 10 took over a day"})
    result = export_copy(path, out=tmp_path / "copy.xlsx", suppress=True)
    summary = result.summary()
    assert f'Scorecard!{commentary_cell(path, "M1")}: "Just 3 children waited more than a week, and 2' in summary
    assert f"'Board summary'!{headline['M9']}: \"Decisions slowed: 4 in 10 took over a day\"" in summary
    assert len(result.small_numbers) == 2, result.small_numbers  # none of the others quotes 1 to 5
    values = [cell for row in CalamineWorkbook.from_path(str(result.workbook)).get_sheet_by_name("Scorecard")
              .to_python() for cell in row]
    assert QUOTES in values  # listed, not altered
    plain = export_copy(path, out=tmp_path / "plain.xlsx")
    assert plain.small_numbers == [] and "quotes a number" not in plain.summary()


def test_the_history_a_copy_carries_is_listed_too(tmp_path):
    data = [row for ref in ("A", "B") for row in monthly_series(ref, 2020, 1, [10] * 14)]
    path = make_workbook(tmp_path / "book.xlsx", [indicator("A"), indicator("B")], data)
    refresh(path, month="Jan-21")
    type_commentary(path, {"A": QUOTES, "B": SAFE[0]})
    refresh(path)  # Feb-21: January's commentary moves to the history
    history = openpyxl_sheet(path, "Commentary history")
    archived = next(row[2] for row in history.iter_rows(min_row=2) if row[0].value == "A")
    assert archived.value == QUOTES
    with_history = export_copy(path, out=tmp_path / "history.xlsx", suppress=True, include_comments=True)
    listed = f"'Commentary history'!{archived.coordinate}: \"{QUOTES[:60].rstrip()}\u2026\""
    assert with_history.small_numbers == [listed]
    assert "Commentary history'!" in with_history.summary()
    without = export_copy(path, out=tmp_path / "plain.xlsx", suppress=True)  # no history in the copy: none to list
    assert without.small_numbers == []
