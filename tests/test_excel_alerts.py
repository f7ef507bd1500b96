"""What the ribbon buttons show when things go wrong: one readable message box, never a traceback."""

import pytest

import scorecard_xl
from remote_book import book_json, open_remote
from scorecard_xl.excel import alerts as excel_alerts
from scorecard_xl.excel.actions import check_data, export_for_email
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


def test_problems_are_counted_as_problems_even_when_one_spans_lines():
    problems = [Problem("Indicators", f"C{i}", "x", "y") for i in range(2, 17)]
    problems.append(Problem("Indicators", "C17", "Polarity is 'Up\nwards\nreally'", "Write High."))
    message = excel_alerts.boxed_problems(InputProblems(problems))
    assert message.splitlines()[0] == "The workbook has 16 problems to fix first:"
    assert message.endswith("  ... and 1 more: run 'scorecard check' on the saved workbook from a command prompt "
                            "for the full list.")


def test_a_short_problem_list_is_shown_whole():
    failure = InputProblems([Problem("Data", f"B{i}", "x", "y") for i in range(15)])
    assert excel_alerts.boxed_problems(failure) == str(failure)


def test_an_unexpected_failure_is_a_plain_message(clicked, monkeypatch, tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], [("A", "2021-02", 1)])
    book = clicked(open_remote(path))

    def broken(*args, **kwargs):
        raise KeyError("Ref")
    monkeypatch.setattr("scorecard_xl.update.refresh.refresh", broken)
    scorecard_xl.main()
    ((message, title),) = alerts(book)
    assert title == "Scorecard not refreshed"
    assert message.startswith("scorecard_xl could not finish, through a fault of its own. Nothing was saved. "
                              "Save the workbook, then run 'scorecard refresh' on a copy")
    assert message.endswith("\n\n(For support: KeyError: 'Ref')") and "Traceback" not in message


def test_a_file_error_names_the_file(clicked, monkeypatch, tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], [("A", "2021-02", 1)])
    book = clicked(open_remote(path))

    def locked(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "S:/Performance/Scorecard.xlsx")
    monkeypatch.setattr("scorecard_xl.update.refresh.refresh", locked)
    scorecard_xl.main()
    assert alerts(book) == [("Permission denied: S:/Performance/Scorecard.xlsx. Nothing was saved.",
                             "Scorecard not refreshed")]


def test_check_data_survives_a_failure_while_reading(clicked, monkeypatch, tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], [("A", "2021-02", 1)])
    book = clicked(open_remote(path))

    def broken(book, wanted=None):
        raise RuntimeError("the sheet went away")
    monkeypatch.setattr("scorecard_xl.backends.xlwings_book.read_sheets", broken)  # the live backend's reader
    check_data()
    ((message, title),) = alerts(book)
    assert title == "Scorecard data not checked" and "RuntimeError: the sheet went away" in message
    assert "run 'scorecard check' on it" in message


def test_export_from_a_workbook_on_sharepoint_asks_for_a_local_copy(clicked, tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], [("A", "2021-02", 1)])
    data = book_json(path)
    data["book"]["name"] = "https://contoso.sharepoint.com/sites/performance/Scorecard.xlsx"
    import xlwings as xw
    book = clicked(xw.Book(json=data))
    export_for_email()
    ((message, title),) = alerts(book)
    assert title == "Email copy not made" and message.startswith("Save the workbook to a folder on this computer")


class SyncedFromSharePoint:
    """A desktop Excel book whose web address xlwings cannot turn into a local file."""

    app = None

    @property
    def fullname(self):
        raise RuntimeError("Couldn't find your SharePoint folder")


def test_export_when_the_web_address_cannot_become_a_file_asks_for_a_local_copy(clicked, monkeypatch):
    book = clicked(SyncedFromSharePoint())
    shown = []
    monkeypatch.setattr(excel_alerts, "tell", lambda book, text, title, mode="info": shown.append((text, title)))
    export_for_email()
    ((message, title),) = shown
    assert title == "Email copy not made" and message.startswith("Save the workbook to a folder on this computer")


class NoAlerts:
    """A book whose Excel cannot show a message box (closed meanwhile, or Excel on the web)."""

    class app:
        @staticmethod
        def alert(*args, **kwargs):
            raise RuntimeError("no Excel")


def test_when_no_message_box_can_be_shown_the_message_goes_to_stderr(clicked, monkeypatch, many_problems, capsys):
    clicked(NoAlerts())
    monkeypatch.setattr("scorecard_xl.update.refresh.refresh", lambda *a, **k: (_ for _ in ()).throw(ValueError("x")))
    scorecard_xl.main()  # must not raise
    err = capsys.readouterr().err
    assert err.startswith("Scorecard not refreshed: scorecard_xl could not finish") and "(For support: ValueError: x)" in err


def test_when_no_workbook_can_be_found_the_failure_is_still_a_message(monkeypatch, capsys):
    import xlwings as xw

    def nothing_open():
        raise RuntimeError("No workbook is open")
    monkeypatch.setattr(xw.Book, "caller", staticmethod(nothing_open))
    monkeypatch.setattr("scorecard_xl.excel.alerts.active_book", lambda: nothing_open())
    scorecard_xl.main()  # no Excel here either: the message box falls back to stderr
    assert capsys.readouterr().err == ("Scorecard not refreshed: No workbook is open here. Open the scorecard "
                                       "workbook, then click the button in its window.\n")
