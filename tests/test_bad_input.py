"""Every error of docs/design.md §3: reported all at once, each naming its sheet and cell."""

import hashlib

import openpyxl
import pytest

from scorecard_xl.cli import main
from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.problems import InputProblems
from typing_in import append_row, type_cells
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
    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
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
    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
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


def test_percent_number_among_fractions_is_an_error_at_each_cell(tmp_path):
    # 60% typed as 0.6 for months, then 61 and 62 typed as percent numbers by mistake
    data = [("P", f"2020-{m:02d}", 0.6) for m in range(1, 11)] + [("P", "2020-11", 61), ("P", "2020-12", 62)]
    path = make_workbook(tmp_path / "b.xlsx", [indicator("P", unit="Percentage")], data)
    messages = problems_of(path)
    assert "61 in a percentage series whose other figures are fractions" in only(messages, "Data!C12")
    assert "Write 61% or 0.61" in only(messages, "Data!C12")
    assert "62 in a percentage series" in only(messages, "Data!C13")
    assert len(messages) == 2


def test_a_percentage_typed_for_a_count_is_an_error_not_a_fraction_of_one(tmp_path):
    data = [("C", "2021-01", 40), ("C", "2021-02", "45%"), ("P", "2021-01", 0.5, "12%", 40), ("P", "2021-02", 0.5)]
    path = make_workbook(tmp_path / "b.xlsx", [indicator("C"), indicator("P", unit="Percentage")], data)
    messages = problems_of(path)
    assert only(messages, "Data!C3") == ("Data!C3: C: found '45%', a percentage, but C's unit is Count. Write the "
                                         "figure itself (45), or, if C is a percentage, set its Unit to Percentage "
                                         "in the Indicators sheet.")
    assert only(messages, "Data!D4").startswith("Data!D4: P: found '12%' as the numerator, which counts children")
    assert len(messages) == 2
    unreadable = make_workbook(tmp_path / "u.xlsx", [indicator("P", unit="Pct")], [("P", "2021-02", "45%")])
    assert [m.split(":")[0] for m in problems_of(unreadable)] == ["Indicators!D2"]  # the Unit, not the figure too


@pytest.mark.parametrize("others", [[0.9], ["90%"], ["120%"]])
def test_a_percentage_typed_over_100_is_an_error_whatever_the_other_figures(tmp_path, others):
    # typed with its sign it is a fraction: never read as a percent number (1.45%), nor advised as one
    data = [("P", "2021-01", others[0]), ("P", "2021-02", "145%")]
    path = make_workbook(tmp_path / "b.xlsx", [indicator("P", unit="Percentage")], data)
    messages = problems_of(path)
    assert "Data!C3: P: found '145%', more than 100%. Check the figure: a percentage is at most 100%." in messages
    assert not any("1.45%" in message for message in messages)


def test_a_second_column_with_a_heading_already_read_is_an_error_when_it_holds_anything(tmp_path):
    headers = ["Ref", "Indicator", "Polarity", "Unit", "Section", "Target", "Outturn 2019/20", "Notes",
               "Outturn 2019-20", "Target", "TARGET "]
    inds = [indicator("A") | {"Target": 10, "Outturn 2019/20": 12, "Outturn 2019-20": 14},
            indicator("B") | {"Target": 20}]
    inds[1]["TARGET "] = None  # the third Target column is empty: harmless
    book = make_workbook(tmp_path / "b.xlsx", inds, GOOD + [("B", "2021-02", 3)], indicator_headers=headers)
    messages = problems_of(book)
    assert only(messages, "Indicators!I1") == (
        "Indicators!I1: the heading 'Outturn 2019-20' means the same as G1's, and only the column under G1 is "
        "read, so what is typed under this one would be lost. Keep one column: move what is typed here into the "
        "column under G1, then delete this column.")
    assert only(messages, "Indicators!J1").startswith("Indicators!J1: the heading 'Target' means the same as F1's")
    assert len(messages) == 2
    data = [("A", "2021-02", 1, 7), ("A", "2021-01", 2)]
    twice = make_workbook(tmp_path / "d.xlsx", [indicator("A")], data)
    workbook = openpyxl.load_workbook(twice)
    workbook["Data"]["F1"], workbook["Data"]["F2"] = "value", 9  # a second Value column, typed in
    workbook["Data"]["G1"], workbook["Data"]["G2"] = "Date", "checked 3 March"  # another name for Month: theirs
    workbook["Data"]["H1"], workbook["Data"]["H2"] = "Ref", "  "  # a repeat holding only spaces: nothing to lose
    workbook.save(twice)
    assert [m.split(":")[0] for m in problems_of(twice)] == ["Data!F1"]


def test_percent_numbers_throughout_are_still_read_as_percentages(tmp_path):
    data = [("P", "2021-01", 0), ("P", "2021-02", 61)]  # a 0 reads the same in either notation
    path = make_workbook(tmp_path / "b.xlsx", [indicator("P", unit="Percentage")], data)
    scorecard = load_scorecard(path)
    assert scorecard.measures.loc["P", "value"] == pytest.approx(0.61)
    assert [str(n) for n in scorecard.problems.notes if "percent numbers" in str(n)] != []


def test_derived_indicators_in_a_circle(tmp_path):
    inds = [indicator("A", unit="Percentage", numerator="B", denominator="C"),
            indicator("B", numerator="A", denominator="C"),
            indicator("C"),
            indicator("S", unit="Percentage", numerator="S", denominator="C"),
            indicator("Q", unit="Percentage", numerator="C", denominator="D"),  # a plain chain is fine
            indicator("D")]
    data = [(ref, "2021-02", 1) for ref in "ABCSD"]
    messages = problems_of(make_workbook(tmp_path / "b.xlsx", inds, data))
    assert "A is calculated from B, which is calculated from A: a circle" in only(messages, "Indicators!H2")
    assert "B is calculated from A, which is calculated from B: a circle" in only(messages, "Indicators!H3")
    assert "S is calculated from itself" in only(messages, "Indicators!H5")
    assert len(messages) == 3


def test_circle_through_a_denominator_names_that_cell(tmp_path):
    inds = [indicator("A", unit="Percentage", numerator="C", denominator="B"),
            indicator("B", numerator="C", denominator="E"),
            indicator("E", numerator="C", denominator="A"),
            indicator("C")]
    messages = problems_of(make_workbook(tmp_path / "b.xlsx", inds, [("C", "2021-02", 1)]))
    assert ("A is calculated from B, which is calculated from E, which is calculated from A"
            in only(messages, "Indicators!I2"))


def test_same_ref_and_month_twice_with_different_parts(tmp_path):
    inds = [indicator("P", unit="Percentage")]
    data = [("P", "2020-12", None, 90, 200), ("P", "2021-01", None, 100, 200), ("P", "2021-01", None, 150, 200)]
    message = only(problems_of(make_workbook(tmp_path / "b.xlsx", inds, data)), "Data!C3")
    assert "more than one figure for Jan-21" in message
    assert "Data!C4 (an empty cell; numerator 150, denominator 200)" in message


def test_duplicate_message_shows_placeholders_as_typed_and_quotes_sheet_names(tmp_path):
    inds = [indicator("P", unit="Percentage")]
    month_sheet = [["Ref", "Value", "Numerator", "Denominator"], ["P", "tbc", 150, 200]]
    path = make_workbook(tmp_path / "b.xlsx", inds, [("P", "2021-01", 0.5, 100, 200)],
                         extra_sheets={"Jan 21": month_sheet})
    message = only(problems_of(path), "Data!C2")
    assert "'Jan 21'!B2 ('tbc'; numerator 150, denominator 200)" in message
    assert "nan" not in message


def test_month_far_in_the_future_is_an_error(tmp_path):
    data = GOOD + [("A", "2201-02", 3)]  # 2021 mistyped
    message = only(problems_of(make_workbook(tmp_path / "b.xlsx", [indicator("A")], data)), "Data!B4")
    assert "the month 2201-02 is in the future; check the year" in message


def test_month_heading_far_in_the_future_is_an_error_wide(tmp_path):
    data = GOOD + [("A", "2201-02", 3)]
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], data, shape="wide")
    assert "2201-02 is in the future" in only(problems_of(path), "Data!D1")


def test_reporting_month_with_no_figures_is_an_error(tmp_path):
    data = [("A", "2019-01", 1), ("A", "2021-02", 2)]
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], data)
    for month in ("Jun-25", "Dec-18", "Jun-20"):
        message = only(problems_of(path, month), "Command line")
        assert "the --month given" in message and "has no figures" in message
        assert "from Jan-19 to Feb-21" in message and "Settings" not in message


def test_reporting_month_in_settings_with_no_figures_is_an_error_at_its_cell(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD, settings={"Reporting month": "Dec-18"})
    message = only(problems_of(path), "Settings!B1")
    assert "Reporting month (Dec-18) has no figures" in message and "from Jan-21 to Feb-21" in message


def test_unreadable_month_on_the_command_line_is_not_blamed_on_settings(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD)
    message = only(problems_of(path, "Febuary"), "Command line")
    assert "the --month given ('Febuary') cannot be read" in message


def test_negative_band_on_an_indicator_names_its_cell(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A", band=-5), indicator("B", band=10)], GOOD)
    messages = problems_of(path)
    message = only(messages, "Indicators!Q2")
    assert "A has Band -5" in message and "0.1, 10% or 10" in message
    assert len(messages) == 1  # 10 is read as 10%


def test_negative_band_in_settings_names_its_cell(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD, settings={"Band": -0.1})
    message = only(problems_of(path), "Settings!B1")
    assert "Band is -0.1" in message and "fraction of 0 or more" in message


def test_a_band_of_ten_in_settings_is_ten_percent(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD, settings={"Band": 10})
    assert load_scorecard(path).settings.band == pytest.approx(0.10)


def test_a_setting_given_twice_is_an_error_and_a_misspelt_one_a_note(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD,
                         settings={"Months shown": 7, "Population 0-17 2020/21": 5000})
    for row in (["Months shown", 12], ["Reportng month", "Jan-21"], ["Prepared by", "J.S."],
                ["population 0-17 2020/21", 6000], ["Populaton 0-17 2021/22", 5100]):
        append_row(path, "Settings", row)
    messages = problems_of(path)
    assert len(messages) == 2, messages
    assert messages[0].startswith("Settings!B3: 'Months shown' is set here and at B1. Keep one row for each setting")
    assert messages[1].startswith("Settings!B6: 'population 0-17 2020/21' is set here and at B2.")
    type_cells(path, "Settings", {"A3": None, "A6": None})  # the second rows go: the misspelt one is left to say
    notes = [str(note) for note in load_scorecard(path).problems.notes if note.sheet == "Settings"]
    assert notes == ["Settings!A4: 'Reportng month' is not a setting, so its row is not read. If it is meant to "
                     "be Reporting month, write that in A4.",
                     "Settings!A7: 'Populaton 0-17 2021/22' is not a setting, so its row is not read. If it is meant "
                     "to be Population 0-17 2021/22, write that in A7."]


def test_a_note_under_the_refs_is_said_to_have_no_month_and_where_it_is(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], GOOD + [("Source: LCS extract, 3 March", None, None)])
    assert only(problems_of(path), "Data!B4") == (
        "Data!B4: 'Source: LCS extract, 3 March' in A4 has no month. Write the month its figure belongs to, as a "
        "month such as Feb-21, Feb 2021, 2021-02 or a date; if the row is a note rather than a figure, move it to "
        "another sheet.")


DATE_AS_NUMBER = "It is a date kept as a plain number: format the cell as a date (Home > Number Format > Short Date)"


def test_a_month_kept_as_a_plain_date_number_is_said_to_be_one(tmp_path):
    long = make_workbook(tmp_path / "long.xlsx", [indicator("A")], GOOD + [("A", 43891, 3)],  # 1 Mar 2020
                         settings={"Reporting month": 44228})
    messages = problems_of(long)
    assert only(messages, "Data!B4").startswith(f"Data!B4: A: the month 43891 cannot be read. {DATE_AS_NUMBER}, or "
                                                "write a month such as Feb-21")
    assert f"is 44228. {DATE_AS_NUMBER}, or write" in only(messages, "Settings!B1")
    wide = make_workbook(tmp_path / "wide.xlsx", [indicator("A")], GOOD + [("A", 43891, 3)], shape="wide")
    assert f"{DATE_AS_NUMBER}, or head each column" in only(problems_of(wide), "Data!D1")
    plain = make_workbook(tmp_path / "plain.xlsx", [indicator("A")], GOOD + [("A", 13, 3)])  # not a date
    assert DATE_AS_NUMBER not in only(problems_of(plain), "Data!B4")

