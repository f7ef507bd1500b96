"""The live-workbook writer, through xlwings' remote engine (no Excel needed)."""

from collections import Counter

import pytest
from python_calamine import CalamineWorkbook

import scorecard_xl
from remote_book import apply_actions, book_json, open_remote
from scorecard_xl.backends.xlwings_book import rectangles
from scorecard_xl.update.refresh import refresh, refresh_book
from scorecard_xl.starter import write_starter
from workbooks import openpyxl_sheet, type_commentary


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("live") / "sample.xlsx"
    write_starter(path, sample=True)
    return path


def file_backend_result(sample, tmp_path):
    out = tmp_path / "file_backend.xlsx"
    refresh(sample, out=out)
    values = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Scorecard").to_python(skip_empty_area=False)
    sheet = openpyxl_sheet(out, "Scorecard")
    fills = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.fill is not None and cell.fill.fill_type == "solid":
                fills[(cell.row - 1, cell.column - 1)] = "#" + cell.fill.fgColor.rgb[-6:].upper()
    return values, fills


def live_result(path, month=None):
    data = book_json(path)
    book = open_remote(path)
    report = refresh_book(book, month=month)
    actions = book.json()["actions"]
    return report, actions, apply_actions(data, actions)


def test_live_writer_matches_the_file_backend(sample, tmp_path):
    values, fills = file_backend_result(sample, tmp_path)
    _, _, state = live_result(sample)
    live = state["Scorecard"]
    expected = {(r, c): v for r, row in enumerate(values) for c, v in enumerate(row) if v != ""}
    got = live["values"]
    assert got.keys() == expected.keys()
    for cell, value in expected.items():
        assert got[cell] == pytest.approx(value) if isinstance(value, float) else got[cell] == value, cell
    assert live["fills"] == fills
    assert any(colour == "#C00000" for colour in fills.values())  # red RAG fills are really compared


def test_calls_are_bounded_and_never_per_cell_colour(sample, tmp_path):
    small = Counter(a["func"] for a in live_result(sample)[1])
    from workbooks import scaled_sample
    bigger = scaled_sample(tmp_path, 2)
    large = Counter(a["func"] for a in live_result(bigger)[1])
    assert small["setValues"] == large["setValues"] == 1
    assert small["setRangeColors"] == large["setRangeColors"] == 1
    assert small["setRangeColor"] == large["setRangeColor"] == 0
    assert 0 < small["setBorderProperty"] == large["setBorderProperty"]
    assert sum(large.values()) < 1.5 * sum(small.values()), (sum(small.values()), sum(large.values()))


def test_rectangles_cover_exactly():
    cells = {(0, 0), (0, 1), (1, 0), (1, 1), (3, 1), (5, 4), (5, 5), (6, 4), (6, 5), (6, 7)}
    covered = set()
    for top, left, bottom, right in rectangles(cells):
        block = {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
        assert not block & covered
        covered |= block
    assert covered == cells
    assert len(rectangles(cells)) == 4


def test_commentary_and_rollover_through_the_live_path(sample, tmp_path):
    jan = tmp_path / "jan.xlsx"
    refresh(sample, month="Jan-21", out=jan)
    type_commentary(jan, {"M1": "January: contacts steady"})

    same_month, _, state = live_result(jan, month="Jan-21")
    assert same_month.commentary_kept == 1
    assert "January: contacts steady" in state["Scorecard"]["values"].values()

    moved, actions, state = live_result(jan, month="Feb-21")
    assert moved.archived == 1
    assert "January: contacts steady" not in state["Scorecard"]["values"].values()
    history = state["Commentary history"]["values"]
    assert (history[(1, 0)], history[(1, 1)], history[(1, 2)]) == ("M1", "Jan-21", "January: contacts steady")
    assert any(a["func"] == "addSheet" and a["args"][1] == "Commentary history" for a in actions)


def test_formula_like_text_gets_excels_text_prefix(tmp_path):
    from workbooks import indicator, make_workbook
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A", name="=SUM(A1:A9)")], [("A", "2021-02", 1)],
                         extra_sheets={"Scorecard": []})
    _, actions, state = live_result(path)
    sent = [v for a in actions if a["func"] == "setValues" for row in a["values"] for v in row]
    assert "'=SUM(A1:A9)" in sent  # Excel stores it as the text =SUM(A1:A9), not as a formula
    assert "=SUM(A1:A9)" in state["Scorecard"]["values"].values()


def test_text_that_looks_like_a_number_or_date_stays_text(tmp_path):
    from workbooks import indicator, make_workbook
    path = make_workbook(tmp_path / "b.xlsx", [indicator("001", name="1/2 of referrals")], [("001", "2021-02", 1)],
                         extra_sheets={"Scorecard": []})
    _, actions, _ = live_result(path)
    sent = [v for a in actions if a["func"] == "setValues" for row in a["values"] for v in row]
    assert "'001" in sent and "'1/2 of referrals" in sent and "'Feb-21" in sent


def test_main_reports_failure_in_a_message_box(monkeypatch, tmp_path):
    import xlwings as xw
    from workbooks import indicator, make_workbook
    path = make_workbook(tmp_path / "bad.xlsx", [indicator("A", unit="Furlongs")], [("A", "2021-02", 1)])
    book = open_remote(path)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    scorecard_xl.main()
    alerts = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert len(alerts) == 1
    message, title = alerts[0]["args"][:2]
    assert "Indicators!D2" in message and "Furlongs" in message and "Traceback" not in message
    assert title == "Scorecard not refreshed"


def test_main_refreshes_the_active_book(monkeypatch, sample):
    import xlwings as xw
    book = open_remote(sample)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    scorecard_xl.main()
    funcs = [a["func"] for a in book.json()["actions"]]
    assert "setValues" in funcs
    alerts = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert alerts and "44 indicators" in alerts[0]["args"][0]


def test_check_data_button_lists_problems_and_changes_nothing(monkeypatch, tmp_path):
    import xlwings as xw
    from scorecard_xl.excel.actions import check_data
    from workbooks import indicator, make_workbook
    path = make_workbook(tmp_path / "bad.xlsx", [indicator("A", polarity="Upwards")],
                         [("A", "2021-02", 1), ("A", "Smarch-21", 2)])
    book = open_remote(path)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    check_data()
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]
    assert "Indicators!C2" in actions[0]["args"][0] and "Data!B3" in actions[0]["args"][0]


def test_check_data_button_on_good_data(monkeypatch, sample):
    import xlwings as xw
    from scorecard_xl.excel.actions import check_data
    book = open_remote(sample)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    check_data()
    (alert,) = book.json()["actions"]
    assert alert["args"][0].startswith("No errors: 44 indicators, reporting month Feb-21.")
