"""SPC's verdicts on the pages: a variation and an assurance mark in words beside the DoT on the Scorecard,
on the Performance Summary and in the Board summary's KPI table, with their key; the board lists using
them; none of it resting on a figure shown as c; the live path writing the same; LibreOffice printing it.

Expected verdicts worked by hand (24 months, Mar-19 to Feb-21). 23 months alternating 48, 52 then 80:
mean 1228/24 = 51.17; moving ranges 22 of 4 and one of 32, which screening leaves out (32 >= 3.267 x
120/23), so the average moving range is 4 and the limits 51.17 +/- 10.64 = 40.53 to 61.81: 80 is above
them (High: Improving up; Low: Concern up; Info: Special up). With 20 last instead: mean 48.67, lower
limit 38.03, 20 below it (High: Concern down). 24 months alternating: mean 50, limits 39.36 to 60.64, no
signal (Common); against a Target of 30 the whole process passes, of 70 fails, of 50 hits and misses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from rendering import renders
from scorecard_xl.compute.classify import DO_BETTER, GOING_WELL, TO_WATCH
from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.pages.board import summary_lists
from scorecard_xl.problems import InputProblems
from scorecard_xl.send.export import export_copy
from scorecard_xl.update.refresh import refresh
from test_printed_pages import pages_workbooks, pdf_pages, report_pages
from rendering import has_colour, pixels
from workbooks import INDICATOR_HEADERS, indicator, make_workbook, monthly_series, openpyxl_sheet, type_commentary
from typing_in import sheet_values, type_cells

STEADY = [48, 52] * 12
HIGH_LAST = STEADY[:23] + [80]
LOW_LAST = STEADY[:23] + [20]
SMALL_INSIDE = STEADY[:10] + [3] + STEADY[11:23] + [80]  # a 3 (shown as c) ten months into the window
SERIES = {"HI": HIGH_LAST, "LO": HIGH_LAST, "IN": HIGH_LAST, "DN": LOW_LAST, "CO": STEADY, "PA": STEADY,
          "FA": STEADY, "HM": STEADY, "FE": STEADY[:10], "SM": SMALL_INSIDE}
INDICATORS = [indicator("HI", name="Visits"), indicator("LO", polarity="Low", name="Waiting"),
              indicator("IN", polarity="Info", name="Contacts"), indicator("DN", name="Reviews"),
              indicator("CO", name="Steady"), indicator("PA", name="Plans on time", target=30),
              indicator("FA", name="Late visits", target=70), indicator("HM", name="Hit and miss", target=50),
              indicator("FE", name="New"), indicator("SM", name="Small once")]
EXPECTED = {"HI": ("Improving \u2191", None), "LO": ("Concern \u2191", None), "IN": ("Special \u2191", None),
            "DN": ("Concern \u2193", None), "CO": ("Common", None), "PA": ("Common", "Pass"),
            "FA": ("Common", "Fail"), "HM": ("Common", "Hit & miss"), "FE": (None, None)}
PAGES = "Scorecard, Performance Summary, Board summary"


def spc_book(folder: Path, name: str = "spc.xlsx", **settings) -> Path:
    data = []
    for ref, values in SERIES.items():
        start = 24 - len(values)  # every series ends in Feb-21
        data += monthly_series(ref, 2019 + (2 + start) // 12, (2 + start) % 12 + 1, values)
    return make_workbook(folder / name, INDICATORS, data, settings={"Pages": PAGES, **settings},
                         indicator_headers=INDICATOR_HEADERS)


def grid(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def marks(rows: list[list], heading_of_ref: str, variation: str, assurance: str) -> dict[str, tuple]:
    """Each Ref's (variation, assurance) cells, found by the headings of the row that heads Ref's column."""
    header = next(row for row in rows if row and row[0] == heading_of_ref)
    at, to = header.index(variation), header.index(assurance)
    below = rows[rows.index(header) + 1:]
    return {row[0]: (row[at] or None, row[to] or None) for row in below if row[0] in SERIES}


def scorecard_marks(path: Path) -> dict[str, tuple]:
    return marks(grid(path, "Scorecard"), "Ref.", "SPC variation", "SPC assurance")


def summary_marks(path: Path) -> dict[str, tuple]:
    rows = grid(path, "Performance Summary")
    header = next(i for i, row in enumerate(rows) if row[0] == "NO.")
    rows[header] = [b or a for a, b in zip(rows[header], rows[header + 1])]  # SPC over Variation, Assurance
    return marks(rows, "NO.", "Variation", "Assurance")


def board_marks(path: Path) -> dict[str, tuple]:
    return marks(grid(path, "Board summary"), "Ref", "SPC variation", "SPC assurance")


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> Path:
    path = spc_book(tmp_path_factory.mktemp("spc"))
    refresh(path)
    return path


def test_the_scorecard_shows_each_verdict_in_words_beside_the_dot(refreshed):
    rows = grid(refreshed, "Scorecard")
    header = next(row for row in rows if row and row[0] == "Ref.")
    assert header[header.index("DoT") + 1:header.index("DoT") + 3] == ["SPC variation", "SPC assurance"]
    found = scorecard_marks(refreshed)
    for ref, expected in EXPECTED.items():
        assert found[ref] == expected, ref
    sheet = openpyxl_sheet(refreshed, "Scorecard")
    colours = {sheet.cell(r, 1).value: sheet.cell(r, header.index("SPC variation") + 1).font.color.rgb
               for r in range(1, sheet.max_row + 1)}
    assert colours["HI"].endswith("2F5597") and colours["LO"].endswith("ED7D31")  # blue better, orange worse
    assert colours["CO"].endswith("7F7F7F")
    key = [row[0] for row in rows[rows.index(header):] if str(row[0]).startswith("SPC (")]
    assert len(key) == 1 and "limits mean \u00b1 2.66 \u00d7 average moving range" in key[0]
    assert "needs 12 months" in key[0] and "Hit & miss" in key[0]


def test_the_performance_summary_and_the_board_show_the_same_marks_with_their_key(refreshed):
    for read, sheet in ((summary_marks, "Performance Summary"), (board_marks, "Board summary")):
        found = read(refreshed)
        for ref, expected in EXPECTED.items():
            assert found[ref] == expected, (sheet, ref)
        texts = [cell for row in grid(refreshed, sheet) for cell in row if isinstance(cell, str)]
        assert any("limits mean \u00b1 2.66 \u00d7 average moving range" in text for text in texts), sheet
    rows = grid(refreshed, "Board summary")
    header = next(row for row in rows if row[0] == "Ref")
    assert header[9:12] == ["RAG", "SPC variation", "SPC assurance"]  # printed with the table (A:L)


def test_special_cause_puts_an_indicator_in_the_board_lists_and_says_so(refreshed):
    lists = summary_lists(load_scorecard(refreshed))
    refs = {name: [line.split(" ")[0] for line in lines] for name, lines in lists.items()}
    assert "LO" in refs[DO_BETTER] and "DN" in refs[DO_BETTER]  # special cause concern
    assert "HI" in refs[GOING_WELL]  # not rated, special cause improvement
    assert "IN" in refs[TO_WATCH] and "CO" not in sum(refs.values(), [])  # Info is never judged; Steady is steady
    lo = next(line for line in lists[DO_BETTER] if line.startswith("LO "))
    assert "unusual for this indicator: special cause concern" in lo
    hi = next(line for line in lists[GOING_WELL] if line.startswith("HI "))
    assert "unusual for this indicator: special cause improvement" in hi
    overridden = summary_lists(load_scorecard(refreshed), edits={"override": {"LO": "Going well"}})
    assert "LO" in [line.split(" ")[0] for line in overridden[GOING_WELL]]  # the officer's word wins


def test_settings_spc_no_leaves_the_marks_key_and_lists_out_and_commentary_stays(tmp_path):
    path = spc_book(tmp_path, SPC="No")
    refresh(path)
    for sheet in ("Scorecard", "Performance Summary", "Board summary"):
        texts = [cell for row in grid(path, sheet) for cell in row if isinstance(cell, str)]
        assert not any(text.startswith(("SPC", "Variation")) or "2.66" in text for text in texts), sheet
    lists = summary_lists(load_scorecard(path))
    assert [line.split(" ")[0] for line in lists[DO_BETTER]] == ["FA"]  # red against its target of 70: LO, DN not
    assert "HI" in [line.split(" ")[0] for line in lists[TO_WATCH]]  # moved, as before SPC
    type_commentary(path, {"HI": "Visits were caught up in February."})
    row = next(ref[1:] for ref, value in sheet_values(path, "Settings").items() if ref[0] == "A" and value == "SPC")
    type_cells(path, "Settings", {f"B{row}": "yes"})  # tests/typing_in.py
    refresh(path)
    rows = grid(path, "Scorecard")
    header = next(row for row in rows if row and row[0] == "Ref.")
    hi = next(row for row in rows if row[0] == "HI")
    assert hi[header.index("Commentary (Feb-21)")] == "Visits were caught up in February."
    assert scorecard_marks(path)["HI"] == EXPECTED["HI"]


def test_settings_spc_other_than_yes_or_no_names_its_cell_and_nothing_is_written(tmp_path):
    path = spc_book(tmp_path, SPC="Maybe")
    before = path.read_bytes()
    with pytest.raises(InputProblems, match=r"Settings!B2: SPC is 'Maybe'.*Write Yes .* or No"):
        refresh(path)
    assert path.read_bytes() == before


def test_a_suppressed_figure_in_the_window_hides_the_marks_and_keeps_spc_out_of_the_lists(tmp_path):
    path = spc_book(tmp_path)
    refresh(path)
    scorecard = load_scorecard(path)
    assert scorecard.measures.at["SM", "spc_variation"] == "improvement"  # what c would otherwise give away
    assert "SM" in [line.split(" ")[0] for line in summary_lists(scorecard)[GOING_WELL]]
    copy = export_copy(path, out=tmp_path / "copy.xlsx", suppress=True)
    for read in (scorecard_marks, summary_marks, board_marks):
        found = read(copy.workbook)
        assert found["SM"] == ("c", "c"), read.__name__
        assert found["HI"] == EXPECTED["HI"], read.__name__  # only the indicator with a c
    assert "SM" not in [line.split(" ")[0] for line in copy.lists[GOING_WELL]]
    assert not any(line.startswith("SM ") and "unusual" in line for lines in copy.lists.values() for line in lines)


def test_the_live_path_writes_the_same_marks(refreshed, tmp_path):
    import xlwings as xw

    from remote_book import apply_actions, book_json
    from scorecard_xl.update.refresh import refresh_book

    path = spc_book(tmp_path, name="live.xlsx")
    data = book_json(path)
    book = xw.Book(json=data)
    refresh_book(book)
    state = apply_actions(data, book.json()["actions"])
    for sheet in ("Scorecard", "Performance Summary", "Board summary"):
        values = state[sheet]["values"]
        last_row = max(row for row, _ in values)
        last_column = max(column for _, column in values)
        written = [[values.get((r, c)) for c in range(last_column + 1)] for r in range(last_row + 1)]
        by_file = grid(refreshed, sheet)
        for ref in EXPECTED:
            assert mark_words(written, ref) == mark_words(by_file, ref), (sheet, ref)
        assert mark_words(written, "HI") == ["Improving \u2191"] and mark_words(written, "PA") == ["Common", "Pass"]


MARK_WORDS = ("Common", "Improving", "Concern", "Special", "Pass", "Fail", "Hit & miss")


def mark_words(rows: list[list], ref: str) -> list[str]:
    """The marks on the rows of ``ref`` (its row in a table), left to right."""
    return [cell for row in rows if row and row[0] == ref for cell in row
            if isinstance(cell, str) and cell.startswith(MARK_WORDS)]


@pytest.fixture
def printed_scorecard(rendered):
    assert rendered.returncode == 0, rendered.stderr
    book, _ = rendered.files
    pdf = rendered.pdf(book)
    pages = pdf_pages(pdf)
    return pdf, pages, report_pages(pages)["Scorecard"]


@renders(pages_workbooks)
def test_libreoffice_prints_the_scorecard_with_the_marks_and_their_key(printed_scorecard):
    pdf, pages, numbers = printed_scorecard
    text = "\n".join(pages[n - 1] for n in numbers)
    assert "SPC" in text and "variation" in text and "assurance" in text
    for word in ("Improving \u2191", "Concern \u2191", "Common", "Hit & miss", "Fail", "Pass"):
        assert word in text, word
    joined = " ".join(text.split())
    assert "limits mean \u00b1 2.66 \u00d7 average moving range" in joined
    assert any(has_colour(pixels(pdf, n), "2F5597", at_least=5) for n in numbers)  # the marks keep their colours
    assert any(has_colour(pixels(pdf, n), "ED7D31", at_least=5) for n in numbers)
