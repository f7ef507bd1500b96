"""Every error of DESIGN 3: reported all at once, each naming its sheet and cell."""

import hashlib

import pytest

from scorecard_xl.cli import main
from scorecard_xl.engine import load_scorecard
from scorecard_xl.problems import InputProblems
from workbooks import indicator, make_workbook


def problems_of(path, month=None):
    with pytest.raises(InputProblems) as failure:
        load_scorecard(path, month)
    return [str(p) for p in failure.value.problems]


def only(messages, where):
    hits = [m for m in messages if m.startswith(where + ":")]
    assert hits, f"no problem at {where}; got {messages}"
    return hits[0]


GOOD = [("A", "2021-01", 1), ("A", "2021-02", 2)]


def test_unknown_polarity(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A", polarity="Higher")], GOOD)
    message = only(problems_of(path), "Indicators!C2")
    assert "'Higher'" in message and "High, Low, Info, Within limits" in message


def test_unknown_unit(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A", unit="Percent of total")], GOOD)
    message = only(problems_of(path), "Indicators!D2")
    assert "'Percent of total'" in message and "Rate per 10,000" in message


def test_month_that_cannot_be_read_long(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD + [("A", "Febuary 21", 3)])
    message = only(problems_of(path), "Data!B4")
    assert "'Febuary 21'" in message and "Feb-21" in message


def test_month_that_cannot_be_read_wide(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD + [("A", "Q4 2020", 3)], shape="wide")
    message = only(problems_of(path), "Data!D1")
    assert "'Q4 2020'" in message and "not a month" in message


def test_same_ref_and_month_twice_with_different_values(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD + [("A", "Feb-21", 7)])
    message = only(problems_of(path), "Data!C3")
    assert "Data!C4 (7)" in message and "Feb-21" in message


def test_same_ref_and_month_twice_with_equal_values_is_fine(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD + [("A", "Feb-21", 2)])
    assert load_scorecard(path).measures.loc["A", "value"] == 2


def test_ref_in_the_data_with_no_indicator(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD + [("M99", "2021-02", 3)])
    message = only(problems_of(path), "Data!C4")
    assert "'M99'" in message and "Indicators sheet" in message


def test_value_that_is_not_a_number(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], [("A", "2021-01", "twelve"), ("A", "2021-02", 2)])
    message = only(problems_of(path), "Data!C2")
    assert "'twelve'" in message and "tbc" in message


def test_value_that_is_a_date(tmp_path):
    import datetime as dt
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], [("A", "2021-02", dt.date(2021, 2, 3))])
    assert "not a number" in only(problems_of(path), "Data!C2")


def test_ill_formed_tolerance_names_the_cell(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A", Red="below ninety", Green="95%+")], GOOD)
    assert "below ninety" in only(problems_of(path), "Indicators!J2")


def test_missing_indicators_sheet(tmp_path):
    import xlsxwriter
    path = tmp_path / "b.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Data").write_row(0, 0, ["Ref", "Month", "Value"])
    book.close()
    assert any("no sheet called Indicators" in m for m in problems_of(path))


def test_missing_required_header(tmp_path):
    headers = ["Ref", "Indicator", "Unit", "Section"]
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD, indicator_headers=headers)
    assert "Polarity" in only(problems_of(path), "Indicators!A1")


def test_every_problem_reported_at_once_and_nothing_written(tmp_path, capsys):
    inds = [indicator("A", polarity="Hi"), indicator("B", unit="Kg"), indicator("C")]
    data = [("A", "2021-02", 1), ("B", "Smarch-21", 2), ("C", "2021-02", "lots"), ("D", "2021-02", 4)]
    path = make_workbook(tmp_path / "b.xlsx", inds, data)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    messages = problems_of(path)
    for where in ("Indicators!C2", "Indicators!D3", "Data!B3", "Data!C4", "Data!C5"):
        only(messages, where)
    assert main(["check", str(path)]) == 1
    printed = capsys.readouterr().out
    assert "5 problems" in printed and "Data!B3" in printed and "Indicators!D3" in printed
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_refuses_xls_and_encrypted(tmp_path, capsys):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert main(["check", str(xls)]) == 2
    assert "Save As" in capsys.readouterr().err
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert main(["table", str(locked)]) == 2
    assert "password" in capsys.readouterr().err


def test_excel_error_cells_are_errors_not_missing(tmp_path):
    import xlsxwriter
    path = tmp_path / "b.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Indicators")
    sheet.write_row(0, 0, ["Ref", "Indicator", "Polarity", "Unit", "Section"])
    sheet.write_row(1, 0, ["A", "Contacts", "Info", "Count", "Front door"])
    data = book.add_worksheet("Data")
    data.write_row(0, 0, ["Ref", "Month", "Value"])
    data.write_row(1, 0, ["A", "2021-01", 5])
    data.write_row(2, 0, ["A", "2021-02"])
    data.write_formula(2, 2, "=VLOOKUP(1,Z1:Z2,2,FALSE)", None, "#N/A")  # a broken lookup, as pasted
    book.close()
    message = only(problems_of(path), "Data!C3")
    assert "#N/A" in message and "formula that failed" in message
