"""A refresh records the reporting month its pages show; a copy reads it back from that record.

The month used to come back from the commentary heading, which a person may reword. Now each
backend writes it as a hidden name local to the sheet holding a text constant ("2021-02"), and
``update.recorded.recorded_month`` reads it, falling back to the heading for workbooks refreshed
before the month was recorded.
"""

from __future__ import annotations

import re
import zipfile

import xlwings as xw

from remote_book import apply_actions, book_json
from scorecard_xl.backends.xlwings_book import LiveBook
from scorecard_xl.compute.months import parse_month
from prepared import prepared
from scorecard_xl.starter import write_starter
from scorecard_xl.update.recorded import recorded_month
from scorecard_xl.update.refresh import refresh, refresh_book
from workbooks import openpyxl_sheet, sample_book
from typing_in import sheet_values, type_cells

MONTH_NAME = "_scorecard_xl_month"


def sample(tmp_path, month=None):
    """The sample as `scorecard new` writes it, or refreshed for ``month``; made once per test process."""
    if month is None:
        return prepared(tmp_path / "book.xlsx", write_starter, True)  # (tests/prepared.py)
    return sample_book(tmp_path, month=month)


def recorded_name(path):
    """The month name as openpyxl (not our reader) finds it on the Scorecard sheet: (formula, hidden)."""
    name = openpyxl_sheet(path, "Scorecard").defined_names.get(MONTH_NAME)
    return (name.attr_text, bool(name.hidden)) if name is not None else None


def edit_heading(path, text):
    """A person rewords the commentary heading (tests/typing_in.py)."""
    heading = next(ref for ref, value in sheet_values(path, "Scorecard").items() if str(value).startswith("Commentary"))
    type_cells(path, "Scorecard", {heading: text})


def without_month_record(path):
    """The workbook as a version that did not record the month left it."""
    with zipfile.ZipFile(path) as z:
        infos, parts = z.infolist(), {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/workbook.xml"] = re.sub(rb'<definedName name="%s"[^>]*>[^<]*</definedName>' % MONTH_NAME.encode(), b"",
                                      parts["xl/workbook.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in infos:
            z.writestr(info, parts[info.filename])


def test_a_refresh_records_the_month_as_a_hidden_constant_on_the_sheet(tmp_path):
    path = sample(tmp_path, "Jan-21")
    assert recorded_name(path) == ('"2021-01"', True)
    refresh(path, month="Feb-21")
    assert recorded_name(path) == ('"2021-02"', True)


def test_the_recorded_month_wins_over_a_reworded_heading(tmp_path):
    path = sample(tmp_path, "Jan-21")
    edit_heading(path, "Commentary (Dec-20) - reviewed")
    assert recorded_month(path, "Scorecard") == parse_month("Jan-21")
    edit_heading(path, "Notes")
    assert recorded_month(path, "scorecard") == parse_month("Jan-21")


def test_a_workbook_refreshed_before_the_month_was_recorded_falls_back_to_the_heading(tmp_path):
    path = sample(tmp_path, "Jan-21")
    without_month_record(path)
    assert recorded_name(path) is None
    assert recorded_month(path, "Scorecard") == parse_month("Jan-21")
    edit_heading(path, "Commentary (Dec-20)")
    assert recorded_month(path, "Scorecard") == parse_month("Dec-20")


def test_no_month_where_nothing_says_one(tmp_path):
    path = sample(tmp_path)  # `scorecard new`: a placeholder, never refreshed
    assert recorded_month(path, "Scorecard") is None
    assert recorded_month(path, "No such sheet") is None


def test_the_live_path_records_the_month_and_reads_it_back(tmp_path):
    path = sample(tmp_path)
    data = book_json(path)
    book = xw.Book(json=data)
    refresh_book(book, month="Jan-21")
    assert apply_actions(data, book.json()["actions"])["Scorecard"]["names"][MONTH_NAME] == '="2021-01"'

    (tmp_path / "refreshed").mkdir()
    data = book_json(sample(tmp_path / "refreshed", "Jan-21"))
    assert LiveBook(xw.Book(json=data)).existing("Scorecard").record.month == "2021-01"
    book = xw.Book(json=data)
    refresh_book(book, month="Feb-21")  # the name is there: changed, not added twice
    actions = book.json()["actions"]
    assert not any(a["func"] == "namesAdd" and a["args"][0] == MONTH_NAME for a in actions)
    assert apply_actions(data, actions)["Scorecard"]["names"][MONTH_NAME] == '="2021-02"'


def test_the_email_copy_is_for_the_month_the_sheet_was_refreshed_for_whatever_its_heading_says(tmp_path):
    from scorecard_xl.send.export import export_copy

    path = sample(tmp_path, "Jan-21")  # not the latest month with data (Feb-21)
    edit_heading(path, "Notes")
    assert export_copy(path, out=tmp_path / "copy.xlsx").reporting_month == parse_month("Jan-21")
