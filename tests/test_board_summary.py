"""The Board summary page (reference 004) inside the workbook: chosen in Settings, regenerated in place,
corrected by the officer (Override and Headline columns kept per Ref across refreshes and archived when
the month moves on), the lists judged against a benchmark where there is no target, and a chart for
every listed indicator with its target, benchmarks and commentary."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from scorecard_xl.compute.classify import DO_BETTER, GOING_WELL, TO_WATCH
from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.pages import registry
from scorecard_xl.pages.board import SHEET_NAME, summary_lists, summary_page
from scorecard_xl.problems import InputProblems
from scorecard_xl.send.export import export_copy
from scorecard_xl.update.refresh import refresh
from typing_in import sheet_values, type_cells
from workbooks import INDICATOR_HEADERS, indicator, make_workbook, monthly_series, openpyxl_sheet, type_commentary

BOARD = "Board summary"
PERCENT = dict(unit="Percentage")
TOLERANCES = dict(red="<90%", amber="90%>", green="95%+")
INDICATORS = [
    indicator("G1", name="Visits on time", **PERCENT, **TOLERANCES),  # green and improving
    indicator("B1", name="Plans reviewed", **PERCENT, sn=0.50, england=0.45, region=0.48),  # no target, above its SN
    indicator("B2", name="Children waiting", polarity="Low", england=100),  # no target or SN, below England
    indicator("B3", name="Assessments on time", **PERCENT, sn=0.70, england=0.65),  # below its SN
    indicator("I1", name="Contacts", polarity="Info", sn=900),  # Info: never judged
    indicator("R1", name="Conferences on time", **PERCENT, target=0.9, sn=0.85, england=0.8),  # red
    indicator("D1", name="Share seen alone", decimals=1, **PERCENT, **TOLERANCES),  # one decimal
]
SERIES = {
    "G1": [0.95] * 12 + [0.96, 0.97],
    "B1": [0.5] * 12 + [0.55, 0.6],
    "B2": [90] * 12 + [85, 80],
    "B3": [0.6] * 14,
    "I1": [1000] * 12 + [1000, 1300],
    "R1": [0.7] * 12 + [0.71, 0.72],
    "D1": [0.95] * 12 + [0.9712, 0.9834],
}


def board_book(folder: Path, pages: str = "Scorecard, Board summary", **settings) -> Path:
    data = [row for ref, values in SERIES.items() for row in monthly_series(ref, 2020, 1, values)]
    return make_workbook(folder / "board.xlsx", INDICATORS, data,
                         settings={"Title": "Board pack", "Region name": "South East", "Pages": pages, **settings},
                         indicator_headers=INDICATOR_HEADERS + ["Region", "Decimals"])


def rows(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def kpi(path: Path) -> tuple[list, dict[str, list]]:
    """The KPI table's heading row and its rows by Ref."""
    grid = rows(path, BOARD)
    header = next(row for row in grid if row[0] == "Ref")
    return header, {row[0]: row for row in grid[grid.index(header) + 1:] if row[0]}


def listed(path: Path) -> dict[str, list[str]]:
    """The lines under each list heading on the page, as a reader sees them."""
    found, current = {}, None
    for row in rows(path, BOARD):
        text = str(row[0])
        if text in (GOING_WELL, TO_WATCH, DO_BETTER):
            current = found.setdefault(text, [])
        elif current is not None and text.startswith("\u2022 "):
            current.append(text[2:])
        elif current is not None and text.startswith(("Charts", "Key performance")):
            break
    return found


def type_on_board(path: Path, column: str, texts: dict[str, object]) -> dict[str, str]:
    """A person types into the board's column headed ``column`` (any month); returns each Ref's cell."""
    values = sheet_values(path, BOARD)
    heading = next(ref for ref, value in values.items() if isinstance(value, str) and value.startswith(f"{column} ("))
    letters, top = re.match(r"([A-Z]+)(\d+)$", heading).groups()
    cells = {value: f"{letters}{ref[1:]}" for ref, value in values.items()
             if ref[0] == "A" and ref[1:].isdigit() and int(ref[1:]) > int(top) and value in texts}
    type_cells(path, BOARD, {cell: texts[ref] for ref, cell in cells.items()})  # tests/typing_in.py
    return cells


def test_the_page_is_registered_as_officers_type_it_and_the_copy_opens_on_it(tmp_path):
    assert SHEET_NAME == BOARD and registry.page("board SUMMARY").name == BOARD
    path = board_book(tmp_path)
    refresh(path)
    assert openpyxl.load_workbook(path).sheetnames[-2:] == ["Scorecard", BOARD]
    copy = export_copy(path, out=tmp_path / "copy.xlsx")
    assert copy.sheets == [BOARD, "Scorecard"]
    copied, refreshed = rows(copy.workbook, BOARD), rows(path, BOARD)  # one implementation: the same page
    assert len(copied) == len(refreshed)
    for sent, kept in zip(copied, refreshed):
        assert sent == [pytest.approx(value) if isinstance(value, float) else value for value in kept]


def test_where_there_is_no_target_the_benchmark_judges_and_info_is_never_judged(tmp_path):
    lists = summary_lists(load_scorecard(board_book(tmp_path)))
    refs = {name: [line.split(" ")[0] for line in lines] for name, lines in lists.items()}
    assert refs[GOING_WELL] == ["G1", "B1", "B2", "D1"]  # B1 above its SN, B2 below England (lower is better)
    assert refs[TO_WATCH] == ["I1"] and refs[DO_BETTER] == ["R1"]  # B3, below its SN and steady: not listed
    b1 = next(line for line in lists[GOING_WELL] if line.startswith("B1 "))
    assert "better than statistical neighbours (50%)" in b1
    b2 = next(line for line in lists[GOING_WELL] if line.startswith("B2 "))
    assert "better than England (100)" in b2


def test_each_item_is_a_plain_english_headline(tmp_path):
    lists = summary_lists(load_scorecard(board_book(tmp_path)))
    assert "B1 Plans reviewed rose 5.0pp to 60% in Feb-21, the highest in 12 months" in lists[GOING_WELL][1]
    assert lists[TO_WATCH] == ["I1 Contacts rose 30% to 1,300 in Feb-21, the highest in 12 months"]
    assert lists[DO_BETTER][0].startswith("R1 Conferences on time rose 1.0pp to 72% in Feb-21")
    assert "rated red against a target of 90%" in lists[DO_BETTER][0]


def test_the_kpi_table_shows_benchmarks_as_004_prints_them_and_decimals_reach_it(tmp_path):
    path = board_book(tmp_path)
    refresh(path)
    header, table = kpi(path)
    assert header[:10] == ["Ref", "Indicator", "Dec-20", "Jan-21", "Feb-21", "Target", "Benchmark (SN / ENG / SE)",
                           "Change on Jan-21 (pp or %)", "DoT", "RAG"]
    assert table["B1"][6] == "SN 50% / ENG 45% / SE 48%"
    assert table["R1"][6] == "SN 85% / ENG 80%" and table["B2"][6] == "ENG 100" and table["G1"][6] == ""
    sheet = openpyxl_sheet(path, BOARD)
    d1 = next(row for row in sheet.iter_rows() if row[0].value == "D1" and row[4].value is not None)
    assert d1[4].number_format == "0.0%"  # the indicator's Decimals, not the unit's default
    plan = summary_page(load_scorecard(path))
    d1_chart = next(chart for chart in plan.charts if chart.title.startswith("D1 "))
    assert d1_chart.num_format == "0.0%"
    assert any(line.startswith("D1 Share seen alone rose 1.2pp to 98.3%") for line in listed(path)[GOING_WELL])


def test_overrides_and_headlines_are_kept_through_refreshes_and_archived_when_the_month_moves_on(tmp_path):
    path = board_book(tmp_path)
    refresh(path, month="Jan-21")
    type_on_board(path, "Override", {"B3": "Things to do better", "R1": "not listed", "I1": "Going well"})
    type_on_board(path, "Headline", {"G1": "Visits on time are the best they have been"})
    for _ in range(2):  # kept per Ref, and the lists follow them, refresh after refresh
        refresh(path, month="Jan-21")
        lists = listed(path)
        assert [line.split(" ")[0] for line in lists[DO_BETTER]] == ["B3"]
        assert "G1 Visits on time are the best they have been" in lists[GOING_WELL]
        assert "I1" in [line.split(" ")[0] for line in lists[GOING_WELL]]
        header, table = kpi(path)
        override, headline = header.index("Override (Jan-21)"), header.index("Headline (Jan-21)")
        assert {ref: row[override] for ref, row in table.items() if row[override]} == {
            "B3": "Things to do better", "R1": "not listed", "I1": "Going well"}
        assert table["G1"][headline] == "Visits on time are the best they have been"
    report = refresh(path, month="Feb-21")
    header, table = kpi(path)
    assert "Override (Feb-21)" in header and not any(row[header.index("Override (Feb-21)")] for row in table.values())
    assert [line.split(" ")[0] for line in listed(path)[DO_BETTER]] == ["R1"]  # the tool's judgement again
    assert sorted(row[:3] for row in rows(path, "Override history")[1:]) == [
        ["B3", "Jan-21", "Things to do better"], ["I1", "Jan-21", "Going well"], ["R1", "Jan-21", "not listed"]]
    assert rows(path, "Headline history")[1][:3] == ["G1", "Jan-21", "Visits on time are the best they have been"]
    assert "Overrides and headlines: 0 kept, 4 archived" in report.summary()


def test_overrides_are_found_by_the_tools_record_whatever_the_heading_says(tmp_path):
    path = board_book(tmp_path)
    refresh(path)
    type_on_board(path, "Override", {"B3": "Ones to watch"})
    heading = next(ref for ref, value in sheet_values(path, BOARD).items() if value == "Override (Feb-21)")
    type_cells(path, BOARD, {heading: "Our call (Feb-21)"})
    refresh(path)
    assert [line.split(" ")[0] for line in listed(path)[TO_WATCH]] == ["B3", "I1"]


def test_an_override_naming_no_list_is_an_input_problem_naming_its_cell_and_nothing_is_written(tmp_path):
    path = board_book(tmp_path)
    refresh(path)
    cells = type_on_board(path, "Override", {"B3": "Gone well", "R1": "Ones to watch"})
    type_cells(path, "Indicators", {"C2": "Upwards"})  # a data error too: both are listed at once
    before = path.read_bytes()
    with pytest.raises(InputProblems) as refused:
        refresh(path)
    where = [problem.where for problem in refused.value.problems]
    assert f"'{BOARD}'!{cells['B3']}" in where and "Indicators!C2" in where
    message = str(refused.value)
    assert f"'{BOARD}'!{cells['B3']}: Override is 'Gone well'" in message
    assert "Going well, Ones to watch, Things to do better or Not listed" in message
    assert path.read_bytes() == before
    with pytest.raises(InputProblems, match=cells["B3"]):
        export_copy(path, out=tmp_path / "copy.xlsx")
    assert not (tmp_path / "copy.xlsx").exists()


def test_every_listed_indicator_has_a_chart_in_the_lists_order_with_its_lines_and_commentary(tmp_path):
    path = board_book(tmp_path)
    refresh(path)
    type_commentary(path, {"R1": "Conferences were moved for the holidays; the service is recruiting chairs.",
                           "B1": "Reviews are now booked at the start of each plan."})
    refresh(path)
    plan = summary_page(load_scorecard(path))
    scorecard_lists = summary_lists(load_scorecard(path))
    order = [line.split(" ")[0] for name in (GOING_WELL, TO_WATCH, DO_BETTER) for line in scorecard_lists[name]]
    assert [chart.title.split(" ")[0] for chart in plan.charts] == order
    charts = {chart.title.split(" ")[0]: chart for chart in plan.charts}
    spc_lines = ["Mean", "Process limits", "Lower limit"]  # 14 months: enough for limits (tests/test_spc_charts.py)
    assert [series.name for series in charts["R1"].series] == ["R1", *spc_lines, "Target", "SN", "England"]
    assert [series.name for series in charts["G1"].series] == ["G1", *spc_lines]  # a tolerance is no one figure
    assert charts["R1"].axis_min == 0.0 and charts["R1"].legend == "bottom"
    grid = rows(path, BOARD)
    texts = [cell for row in grid for cell in row if isinstance(cell, str)]
    assert "Conferences were moved for the holidays; the service is recruiting chairs." in texts
    assert "Reviews are now booked at the start of each plan." in texts


def test_the_live_path_follows_overrides_and_refuses_one_naming_no_list(tmp_path):
    import xlwings as xw

    from remote_book import apply_actions, book_json
    from scorecard_xl.update.refresh import refresh_book

    path = board_book(tmp_path)
    refresh(path)
    type_on_board(path, "Override", {"B3": "Things to do better"})
    data = book_json(path)
    book = xw.Book(json=data)
    refresh_book(book)
    state = apply_actions(data, book.json()["actions"])[BOARD]
    column_a = [value for (row, column), value in sorted(state["values"].items()) if column == 0]
    start = column_a.index(DO_BETTER)
    assert [str(line).split(" ")[1] for line in column_a[start + 1:start + 3]] == ["B3", "R1"]
    cells = type_on_board(path, "Override", {"B3": "Worse"})
    book = xw.Book(json=book_json(path))
    with pytest.raises(InputProblems, match=f"'{BOARD}'!{cells['B3']}: Override is 'Worse'"):
        refresh_book(book)
    assert book.json()["actions"] == []  # refused before anything was written
