"""Pages that print as people read them: rows as tall as their commentary, the paper the Settings
choose, text never shrunk below about 8 pt (more pages wide instead, Ref and Indicator on each), the
title once, no -0%, a Commentary history that prints, and the workbook opening on the page refreshed.
Read back with openpyxl and python-calamine; tests/test_printed_pages.py reads LibreOffice's PDFs."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from prepared import prepared
from scorecard_xl.problems import InputProblems
from scorecard_xl.starter import write_starter
from scorecard_xl.update.refresh import refresh
from workbooks import indicator, make_workbook, monthly_series, openpyxl_sheet, type_commentary
from typing_in import append_row

LONG = ("Contacts fell after half term, as they do each year, and the front door has used the quieter weeks to "
        "clear its backlog of enquiries from schools. The MASH managers audited forty decisions made within a "
        "working day and found them sound. The partnership will look again at the referrals from health "
        "visitors, which rose in January, before the March board reviews the threshold document.")


def sample(folder: Path, **settings) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    # made once per process for the same settings, then copied (tests/prepared.py)
    return prepared(folder / "sample.xlsx", sample_with, tuple(settings.items()))


def sample_with(path: Path, settings: tuple[tuple[str, str], ...]) -> None:
    """The sample with rows added to its Settings, as a person types them (tests/typing_in.py)."""
    settings = dict(settings)
    write_starter(path, sample=True)
    for key, value in settings.items():
        append_row(path, "Settings", [key, value])


def heading_cell(sheet, text: str):
    return next(cell for row in sheet.iter_rows(max_row=12) for cell in row
                if isinstance(cell.value, str) and cell.value.startswith(text))


def test_a_row_grows_to_show_its_whole_commentary(tmp_path):
    path = sample(tmp_path)
    refresh(path)
    type_commentary(path, {"M1": LONG})
    refresh(path)
    sheet = openpyxl_sheet(path, "Scorecard")
    commentary = heading_cell(sheet, "Commentary (")
    row = next(cell.row for cell in sheet["A"] if cell.value == "M1")
    width = sheet.column_dimensions[commentary.column_letter].width
    lines = len(LONG) / (width * 1.3)  # more characters a line than any font of that width holds
    assert sheet.row_dimensions[row].height >= 12 * lines
    assert sheet.cell(row, commentary.column).alignment.wrap_text


def test_the_paper_is_the_settings_and_a4_by_default(tmp_path):
    a4, a3 = sample(tmp_path / "a4"), sample(tmp_path / "a3", Paper="a3")
    refresh(a4)
    refresh(a3)
    assert openpyxl_sheet(a4, "Scorecard").page_setup.paperSize == 9
    assert openpyxl_sheet(a3, "Scorecard").page_setup.paperSize == 8


def test_paper_other_than_a4_or_a3_is_a_settings_problem(tmp_path):
    path = sample(tmp_path, Paper="Letter")
    before = path.read_bytes()
    with pytest.raises(InputProblems, match=r"Settings!B\d+: Paper is 'Letter'\. Write A4 or A3"):
        refresh(path)
    assert path.read_bytes() == before


def test_a_wide_page_prints_at_a_readable_size_over_more_pages_with_ref_and_indicator_on_each(tmp_path):
    a4, a3 = sample(tmp_path / "a4"), sample(tmp_path / "a3", Paper="A3")
    refresh(a4)
    refresh(a3)
    wide = openpyxl_sheet(a4, "Scorecard")
    assert not wide.sheet_properties.pageSetUpPr.fitToPage  # one A4 page wide would print it at about 6 pt
    assert int(wide.page_setup.scale) * 11 / 100 >= 7.9
    assert wide.print_title_cols == "$A:$B" and wide.print_title_rows == "$7:$7"
    fits = openpyxl_sheet(a3, "Scorecard")
    assert fits.sheet_properties.pageSetUpPr.fitToPage and fits.page_setup.fitToWidth in (None, 1)
    assert fits.print_title_cols is None


def test_the_title_prints_once_a_page_in_the_header_not_again_in_the_first_row(tmp_path):
    path = sample(tmp_path, Pages="Scorecard, Board summary")
    refresh(path)
    for name in ("Scorecard", "Board summary"):
        sheet = openpyxl_sheet(path, name)
        assert "Children's Services Performance Scorecard" in sheet.oddHeader.left.text
        assert "Children's Services Performance Scorecard" in str(sheet["A1"].value)
        assert sheet.print_area.split("!")[1].startswith("$A$2:"), name


def shown_change(tmp_path, name: str, unit: str, year_ago: float, now: float, band=None):
    extra = {"band": band} if band is not None else {}
    path = make_workbook(tmp_path / f"{name}.xlsx", [indicator("Z", unit=unit, **extra)],
                         monthly_series("Z", 2020, 2, [year_ago] + [year_ago] * 11 + [now]))
    refresh(path)
    sheet = openpyxl_sheet(path, "Scorecard")
    change = heading_cell(sheet, "% change from")
    row = next(cell.row for cell in sheet["A"] if cell.value == "Z")
    return sheet.cell(row, change.column)


@pytest.mark.parametrize("unit, year_ago, now", [("Count", 1000, 998), ("Count", 998, 1000),
                                                 ("Percentage", 0.5, 0.499)])
def test_a_change_that_rounds_to_zero_shows_as_zero_with_the_level_arrow(tmp_path, unit, year_ago, now):
    cell = shown_change(tmp_path, "zero", unit, year_ago, now, band=0)
    assert cell.value == 0  # neither -0% nor +0%: the section for zero, and its arrow
    assert cell.number_format.split(";")[2].startswith('"\u2192 "')


def test_the_board_change_column_never_shows_minus_zero(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("P", unit="Percentage"), indicator("N")],
                         monthly_series("P", 2020, 1, [0.5] * 13 + [0.4996]) +
                         monthly_series("N", 2020, 1, [1000] * 13 + [999]),
                         settings={"Pages": "Board summary"})
    refresh(path)
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Board summary").to_python()
    header = next(row for row in grid if row[0] == "Ref")
    change = next(c for c, text in enumerate(header) if str(text).startswith("Change on"))
    kpi = {row[0]: row for row in grid[grid.index(header) + 1:] if row[0] in ("P", "N")}
    assert kpi["P"][change] == 0 and kpi["N"][change] == 0


def test_the_commentary_history_prints_with_widths_wrapping_and_heights(tmp_path):
    path = sample(tmp_path)
    refresh(path, month="Jan-21")
    type_commentary(path, {"M1": LONG, "M2": "Short."})
    refresh(path, month="Feb-21")
    sheet = openpyxl_sheet(path, "Commentary history")
    assert sheet.column_dimensions["C"].width >= 60 and sheet.column_dimensions["A"].width >= 9
    row = next(cell.row for cell in sheet["C"] if cell.value == LONG)
    assert sheet.cell(row, 3).alignment.wrap_text and sheet.row_dimensions[row].height >= 12 * 4
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.paperSize == 9


def test_the_workbook_opens_on_the_page_refreshed(tmp_path):
    path = sample(tmp_path, Pages="Board summary, Scorecard")
    book = openpyxl.load_workbook(path)
    book.active = book["Data"]  # where the officer last pasted figures
    for sheet in book:
        sheet.sheet_view.tabSelected = sheet.title == "Data"
    book.save(path)
    refresh(path)
    book = openpyxl_sheet(path, "Board summary").parent  # every sheet's view; the other pages' cells unread
    assert book.active.title == "Board summary"
    assert [sheet.title for sheet in book if sheet.sheet_view.tabSelected] == ["Board summary"]
