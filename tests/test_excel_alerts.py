"""What the ribbon buttons show when things go wrong: one readable message box, never a traceback."""

import pytest

import scorecard_xl
from remote_book import book_json, open_remote
from scorecard_xl import excel_alerts
from scorecard_xl.addin_actions import check_data, export_for_email
from scorecard_xl.problems import InputProblems, Problem
from workbooks import indicator, make_workbook


def alerts(book):
    return [tuple(a["args"][:2]) for a in book.json()["actions"] if a["func"] == "alert"]


@pytest.fixture
def clicked(monkeypatch):
    """Make a remote-engine book the one whose button was clicked."""
    import xlwings as xw

    def click(book):
        monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
        return book
    return click


@pytest.fixture
def many_problems(tmp_path):
    refs = [indicator(f"A{i}", polarity="Upwards") for i in range(20)]
    return make_workbook(tmp_path / "bad.xlsx", refs, [("A0", "2021-02", 1)])


@pytest.mark.parametrize("button", [scorecard_xl.main, check_data])
def test_a_long_problem_list_is_cut_to_fifteen_with_a_pointer(clicked, many_problems, button):
    book = clicked(open_remote(many_problems))
    button()
    ((message, _),) = alerts(book)
    lines = message.splitlines()
    assert lines[0] == "The workbook has 20 problems to fix first:"
    assert len(lines) == 1 + 15 + 1 and "Indicators!C16" in lines[15]
    assert lines[-1] == ("  ... and 5 more: run 'scorecard check' on the saved workbook from a command prompt "
                         "for the full list.")


def test_a_short_problem_list_is_shown_whole():
    failure = InputProblems([Problem("Data", f"B{i}", "x", "y") for i in range(15)])
    assert excel_alerts.boxed_problems(failure) == str(failure)


def test_an_unexpected_failure_is_a_plain_message(clicked, monkeypatch, tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], [("A", "2021-02", 1)])
    book = clicked(open_remote(path))

    def broken(*args, **kwargs):
        raise KeyError("Ref")
    monkeypatch.setattr("scorecard_xl.refreshing.refresh", broken)
    scorecard_xl.main()
    ((message, title),) = alerts(book)
    assert title == "Scorecard not refreshed"
    assert message.startswith("Something went wrong inside scorecard_xl (KeyError: 'Ref'). Nothing was saved.")
    assert "Traceback" not in message


def test_a_file_error_names_the_file(clicked, monkeypatch, tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], [("A", "2021-02", 1)])
    book = clicked(open_remote(path))

    def locked(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "S:/Performance/Scorecard.xlsx")
    monkeypatch.setattr("scorecard_xl.refreshing.refresh", locked)
    scorecard_xl.main()
    assert alerts(book) == [("Permission denied: S:/Performance/Scorecard.xlsx. Nothing was saved.",
                             "Scorecard not refreshed")]


def test_check_data_survives_a_failure_while_reading(clicked, monkeypatch, tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], [("A", "2021-02", 1)])
    book = clicked(open_remote(path))

    def broken(book):
        raise RuntimeError("the sheet went away")
    monkeypatch.setattr("scorecard_xl.backends.xlwings_book.read_sheets", broken)
    check_data()
    ((message, title),) = alerts(book)
    assert title == "Scorecard data not checked" and "RuntimeError: the sheet went away" in message


def test_export_from_a_workbook_on_sharepoint_asks_for_a_local_copy(clicked, tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], [("A", "2021-02", 1)])
    data = book_json(path)
    data["book"]["name"] = "https://contoso.sharepoint.com/sites/performance/Scorecard.xlsx"
    import xlwings as xw
    book = clicked(xw.Book(json=data))
    export_for_email()
    ((message, title),) = alerts(book)
    assert title == "Email copy not made" and message.startswith("Save the workbook to a folder on this computer")


class NoAlerts:
    """A book whose Excel cannot show a message box (closed meanwhile, or Excel on the web)."""

    class app:
        @staticmethod
        def alert(*args, **kwargs):
            raise RuntimeError("no Excel")


def test_when_no_message_box_can_be_shown_the_message_goes_to_stderr(clicked, monkeypatch, many_problems, capsys):
    clicked(NoAlerts())
    monkeypatch.setattr("scorecard_xl.refreshing.refresh", lambda *a, **k: (_ for _ in ()).throw(ValueError("x")))
    scorecard_xl.main()  # must not raise
    assert "Scorecard not refreshed: Something went wrong inside scorecard_xl (ValueError: x)" in capsys.readouterr().err


def test_when_no_workbook_can_be_found_the_failure_is_still_a_message(monkeypatch, capsys):
    import xlwings as xw

    def nothing_open():
        raise RuntimeError("No workbook is open")
    monkeypatch.setattr(xw.Book, "caller", staticmethod(nothing_open))
    monkeypatch.setattr("scorecard_xl.active_book", lambda: nothing_open())
    scorecard_xl.main()  # no Excel here either: the message box falls back to stderr
    assert "Scorecard not refreshed: Something went wrong inside scorecard_xl (RuntimeError: No workbook is open)" \
        in capsys.readouterr().err
