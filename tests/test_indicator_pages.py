"""Indicator pages (reference 001's detail pages): one printed block per indicator on one sheet, refreshed
in place with its own commentary, in a file and live, and read back with python-calamine."""

from __future__ import annotations

import re
import zipfile

import pytest
import xlwings as xw
from python_calamine import CalamineWorkbook

import scorecard_xl
from remote_book import apply_actions, book_json
from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.pages import board
from scorecard_xl.pages.indicator_pages import indicator_pages
from scorecard_xl.send.export import export_copy
from scorecard_xl.update.manual import HISTORY_SHEET
from scorecard_xl.update.refresh import refresh
from workbooks import INDICATOR_HEADERS, indicator, make_workbook, monthly_series, openpyxl_sheet
from typing_in import sheet_values, type_cells

PAGE = "Indicator pages"
HEADERS = INDICATOR_HEADERS + ["Owner", "Decimals"]
# Referrals Jan-20 .. Dec-20 as reference 001 prints them: 3522 in the 12 months, 612.3 per 10,000 children.
REFERRALS = [342, 321, 338, 261, 195, 265, 377, 276, 333, 315, 223, 276]


def book(folder, name="pages.xlsx", pages="Indicator pages"):
    inds = [
        indicator("R1", polarity="Info", name="Number of referrals", Kind="flow", Owner="Head of Service",
                  section="REFERRALS", sn=400, England=534.8),
        indicator("P1", unit="Percentage", name="% decided in a day", ytd="ratio", Decimals=1, Red="<92%",
                  Amber="92%>", Green="95%+", section="CONTACTS"),
        indicator("W1", polarity="Within limits", unit="Average", name="Cases per worker", Green="14-20",
                  Red="1+ above range limit", section="CONTACTS"),
    ]
    data = monthly_series("R1", 2020, 1, REFERRALS)
    data += [("P1", f"2020-{m:02d}", None, a, b) for m, (a, b) in
             zip(range(4, 13), [(590, 918), (630, 1067), (664, 1190), (901, 1465), (695, 1148), (807, 1534),
                                (686, 1353), (287, 565), (379, 663)])]
    data += [row for row in monthly_series("W1", 2019, 12, [18, 19, 17, 16, 15, 14, None, 17, 18, 19, 20, 16, 17])
             if row[2] is not None]  # no figure for Jun-20
    return make_workbook(folder / name, inds, data, indicator_headers=HEADERS,
                         settings={"Pages": pages, "Population 0-17 2020/21": 57521})


def cells(path, sheet=PAGE):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def texts(rows) -> list[str]:
    return [value for row in rows for value in row if isinstance(value, str) and value]


def pair(rows, label_start: str):
    """The value beside a label of the figures panel (the first block whose label starts so)."""
    for row in rows:
        for c, value in enumerate(row[:-2]):
            if isinstance(value, str) and value.startswith(label_start):
                return row[c + 2]
    raise KeyError(label_start)


def block(rows, ref):
    """The rows of one indicator's block: from its title to its commentary row."""
    start = next(i for i, row in enumerate(rows) if isinstance(row[0], str) and row[0].startswith(f"{ref}  "))
    end = next(i for i in range(start, len(rows)) if rows[i][0] == ref)
    return rows[start - 1:end + 1]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    path = book(tmp_path_factory.mktemp("pages"))
    refresh(path)
    return path


def test_each_indicator_has_a_block_in_the_pages_order(refreshed):
    rows = cells(refreshed)
    titles = [row[0] for row in rows if isinstance(row[0], str) and re.match(r"^[A-Z]\d  ", row[0])]
    assert titles == ["R1  Number of referrals", "P1  % decided in a day", "W1  Cases per worker"]
    r1 = block(rows, "R1")
    assert r1[0][0] == "REFERRALS"
    assert r1[2][0] == ("Owner: Head of Service.   Good performance is: Info (for information, not judged).   "
                        "Data note: Count.")


def test_the_figures_a_reader_checks_by_hand(refreshed):
    r1, p1 = block(cells(refreshed), "R1"), block(cells(refreshed), "P1")
    assert pair(r1, "Dec-20") == 276 and pair(r1, "Nov-20") == 223
    assert pair(r1, "Rolling 12 months (Jan-20 to Dec-20)") == \
        "3,522 / 57,521 \u00d7 10,000 = 612.3 per 10,000 children aged 0-17"
    assert pair(r1, "Dec-19, the same month last year") == "no figure"
    assert pair(r1, "DOT") == "\u2191 increase in numbers"  # Info: the direction of the numbers
    assert pair(r1, "Latest benchmarking") == "SN average: 400;  national average: 535"
    assert pair(p1, "Year to date 2020/21 (Apr-20 to Dec-20)") == "5,639 of 9,903 = 56.9%"
    assert pair(p1, "Dec-20") == pytest.approx(379 / 663) and pair(p1, "DOT") == "\u2191 improvement in performance"
    assert pair(p1, "Target and tolerances") == "Red <92%;  Amber 92%>;  Target Green 95%+"
    assert pair(p1, "Year on year trend") == "2015/16: -;  2016/17: -;  2017/18: -;  2018/19: -;  2019/20: -"


def test_a_chart_per_indicator_with_its_target_and_benchmark_lines_and_gaps(refreshed):
    plan = indicator_pages(load_scorecard(refreshed))
    by_title = {chart.title: chart for chart in plan.charts}
    assert list(by_title) == ["R1 Number of referrals", "P1 % decided in a day", "W1 Cases per worker"]
    r1, w1 = by_title["R1 Number of referrals"], by_title["W1 Cases per worker"]
    spc_lines = ["Mean", "Process limits", "Lower limit"]  # R1 and W1 have 12 months, enough; P1 has 9
    assert [s.name for s in r1.series] == ["Figure", *spc_lines, "SN average", "England"]
    assert [s.name for s in by_title["P1 % decided in a day"].series] == ["Figure", "Target Green 95%+"]
    assert [s.name for s in w1.series] == ["Figure", *spc_lines, "Green 14-20, low end", "Green 14-20, high end"]
    first, c0, _, c1 = w1.series[0].categories
    months = [plan.cells[(first, c)].value for c in range(c0, c1 + 1)]
    assert months[0] == "Dec-19" and months[-1] == "Dec-20" and len(months) == 13  # the same month last year on it
    figures = w1.series[0].values
    june = c0 + months.index("Jun-20")
    assert (figures[0], june) in plan.cells and plan.cells[(figures[0], june)].value is None  # a gap, not a zero
    assert plan.cells[(w1.series[4].values[0], june)].value == 14
    assert all(c > 10 for chart in plan.charts for s in chart.series for c in (s.values[1], s.values[3]))
    parts = zipfile.ZipFile(refreshed).namelist()
    assert len([p for p in parts if re.match(r"xl/charts/chart\d+\.xml$", p)]) == 3  # drawn in the file


def test_one_printed_page_per_indicator(refreshed):
    sheet = openpyxl_sheet(refreshed, PAGE)
    rows = cells(refreshed)
    starts = [i for i, row in enumerate(rows) if row[0] in ("REFERRALS", "CONTACTS")]  # 0-based: a brk's id
    assert [b.id for b in sheet.row_breaks.brk] == starts[1:]  # a break before every block but the first
    assert sheet.page_setup.orientation == "landscape" and sheet.print_area == f"'{PAGE}'!$A$1:$K${len(rows)}"


def type_on_pages(path, texts_by_ref: dict[str, str]) -> None:
    """A person types into each indicator's commentary box (tests/typing_in.py)."""
    values = sheet_values(path, PAGE)  # the commentary row: its Ref alone in A, the box from B
    type_cells(path, PAGE, {f"B{ref[1:]}": texts_by_ref[value] for ref, value in values.items()
                            if ref[0] == "A" and ref[1:].isdigit() and int(ref[1:]) >= 5 and value in texts_by_ref})


def commentary(path) -> dict[str, str]:
    rows = cells(path)
    return {row[0]: row[1] for row in rows[4:] if row[0] in ("R1", "P1", "W1") and row[1]}


def test_commentary_is_kept_per_ref_and_archived_when_the_month_moves_on(tmp_path):
    path = book(tmp_path)
    refresh(path, month="Nov-20")
    heading = cells(path)[2][1]
    assert heading.startswith("Commentary (Nov-20)")
    type_on_pages(path, {"P1": "Timeliness fell", "R1": "Referrals steady"})
    report = refresh(path, month="Nov-20")
    assert report.commentary_kept == 2 and commentary(path) == {"P1": "Timeliness fell", "R1": "Referrals steady"}
    report = refresh(path, month="Dec-20")
    assert report.archived == 2 and commentary(path) == {}
    history = [row[:3] for row in cells(path, HISTORY_SHEET)[1:]]
    assert sorted(history) == [["P1", "Nov-20", "Timeliness fell"], ["R1", "Nov-20", "Referrals steady"]]
    refresh(path, month="Nov-20")  # November reissued: its commentary comes back to be corrected
    assert commentary(path) == {"P1": "Timeliness fell", "R1": "Referrals steady"}


def test_the_ribbons_refresh_writes_the_same_pages_live(tmp_path):
    path = book(tmp_path, pages="Performance Summary, Indicator pages")
    refresh(path, month="Nov-20")
    data = book_json(path)
    live = xw.Book(json=data)
    report = scorecard_xl.refresh(live)  # what the Refresh scorecard button calls on the open workbook
    state = apply_actions(data, live.json()["actions"])
    for sheet in ("Performance Summary", PAGE):
        assert state[sheet]["names"]["_scorecard_xl_month"] == '="2020-12"'
    on_page = set(v for v in state[PAGE]["values"].values() if isinstance(v, str))
    assert "P1  % decided in a day" in on_page and "5,639 of 9,903 = 56.9%" in on_page
    assert len(state[PAGE]["charts"]) == 3  # each chart's lines lie side by side, so xlwings draws them
    assert any(note.startswith(f"The {PAGE} sheet was written without ") and "page breaks" in note
               for note in report.unrendered)
    filed = tmp_path / "filed.xlsx"
    filed.write_bytes(path.read_bytes())
    refresh(filed)
    assert {v for v in state[PAGE]["values"].values() if isinstance(v, str)} == \
        {v for row in cells(filed) for v in row if isinstance(v, str) and v}


def test_small_numbers_leave_no_chart_and_no_figure_that_gives_them_away(tmp_path):
    path = make_workbook(tmp_path / "small.xlsx", [indicator("A1", name="Adoptions", Kind="flow")],
                         monthly_series("A1", 2020, 1, [9, 8, 7, 12, 10, 9, 8, 11, 9, 7, 6, 2]),
                         settings={"Pages": "Indicator pages", "Population 0-17 2020/21": 57521})
    result = export_copy(path, out=tmp_path / "copy.xlsx", suppress=True)
    rows = cells(result.workbook)
    assert pair(rows, "Dec-20") == "c" and pair(rows, "DOT") == "c"
    assert pair(rows, "Year to date") == "c" and pair(rows, "Rolling 12 months") == "c"
    assert pair(rows, "Nov-20") == 6
    assert "No chart: a month of the last 13 is a small number (c)." in texts(rows)
    assert not [p for p in zipfile.ZipFile(result.workbook).namelist() if p.startswith("xl/charts/")]
    plain = cells(export_copy(path, out=tmp_path / "plain.xlsx").workbook)
    assert pair(plain, "Year to date") == "74" and pair(plain, "Dec-20") == 2



def test_the_email_copy_carries_the_pages_with_their_commentary(tmp_path):
    path = book(tmp_path, pages="Scorecard, Performance Summary, Indicator pages")
    refresh(path)
    type_on_pages(path, {"P1": "Timeliness fell"})
    result = export_copy(path, out=tmp_path / "copy.xlsx")
    assert result.sheets == [board.SHEET_NAME, "Scorecard", "Performance Summary", PAGE]
    assert commentary(result.workbook) == {"P1": "Timeliness fell"}
    hidden = export_copy(path, out=tmp_path / "hidden.xlsx", suppress=True)
    assert commentary(hidden.workbook) == {"P1": "Timeliness fell"}
    assert commentary(export_copy(path, out=tmp_path / "none.xlsx", include_commentary=False).workbook) == {}


def test_each_indicator_of_the_sample_fits_its_printed_page(tmp_path):
    """Every page break to the next (the first page with the sheet's title and intro above it) fits the
    A4 landscape page's printable height at the scale it prints: no commentary box spills onto a page
    of its own. (The sample's first indicator, M1, once printed over two pages.)"""
    from scorecard_xl.pages.printing import page_size, printed_scale
    from scorecard_xl.starter import write_starter

    path = tmp_path / "sample.xlsx"
    write_starter(path, sample=True)
    plan = indicator_pages(load_scorecard(path))
    setup = plan.print_setup
    room = page_size("A4")[1] / printed_scale(setup, plan, "A4")
    edges = (setup.area[0], *setup.page_breaks, setup.area[2] + 1)
    heights = [sum(plan.row_heights.get(r, 15) for r in range(first, last)) for first, last in zip(edges, edges[1:])]
    assert len(heights) == 44 and max(heights) <= room, (max(heights), room)
