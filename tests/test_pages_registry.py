"""Pages are registered by name: the Settings row Pages chooses them, and export and the demo dispatch
through the one registry (docs/design.md §4, §6)."""

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.demo import run_demo
from scorecard_xl.pages import columns as keys
from scorecard_xl.pages import registry
from scorecard_xl.pages.registry import Page, plans_for
from scorecard_xl.pages.sheetplan import SheetPlan
from scorecard_xl.problems import InputProblems
from scorecard_xl.read.workbook import sheet_names
from scorecard_xl.send.export import export_copy
from scorecard_xl.update.refresh import refresh
from workbooks import indicator, make_workbook, monthly_series
from typing_in import type_cells

SERIES = [12, 0, 3, 7, 1, 5, 6, 0, 2, 9, 14, 4, 8, 3]  # Jan-20 .. Feb-21; 1 to 5 show as c


def book(folder: Path, pages: str | None = None) -> Path:
    settings = {"Title": "Board pack"} | ({"Pages": pages} if pages is not None else {})
    return make_workbook(folder / "book.xlsx", [indicator("C1", polarity="Info", name="Children adopted")],
                         monthly_series("C1", 2020, 1, SERIES), settings=settings)


def sheets(path: Path) -> dict[str, list[list]]:
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def extra_page(scorecard) -> SheetPlan:
    """A page of the reporting month's figure per Ref, its one column keyed as that month's."""
    plan = SheetPlan("Extra")
    month = keys.month_column(scorecard.reporting_month)
    plan.columns, plan.header_row = {keys.REF: 0, month: 1}, 0
    plan.put(0, 0, "Ref")
    plan.put(0, 1, "This month")
    for row, (ref, value) in enumerate(scorecard.measures["value"].items(), start=1):
        plan.put(row, 0, ref)
        plan.put(row, 1, float(value))
        plan.row_keys[row] = ref
    return plan


@pytest.fixture
def extra(monkeypatch):
    monkeypatch.setitem(registry.PAGES, "extra", Page("Extra", extra_page))


def test_a_workbook_gets_the_scorecard_alone_by_default(tmp_path):
    assert [plan.name for plan in plans_for(load_scorecard(book(tmp_path)))] == ["Scorecard"]


def test_the_settings_row_pages_chooses_them_in_its_order_in_any_case(tmp_path):
    scorecard = load_scorecard(book(tmp_path, "board summary,  SCORECARD, Board Summary"))
    assert [plan.name for plan in plans_for(scorecard)] == ["Board summary", "Scorecard"]


def test_the_board_summarys_earlier_name_still_chooses_it_with_a_note(tmp_path):
    """Workbooks set up when the page was called Summary keep refreshing; their old sheet is left."""
    path = book(tmp_path, "Scorecard, Summary")
    report = refresh(path)
    assert sheet_names(path)[-2:] == ["Scorecard", "Board summary"]
    (note,) = [note for note in report.notes if note.where == "Settings!B2"]
    assert str(note) == ("Settings!B2: Pages names 'Summary', the earlier name of the Board summary page, so the page "
                         "is written to the sheet 'Board summary'. Write Board summary in its place; an old Summary "
                         "sheet is no longer refreshed and is yours to keep or delete.")


def test_an_unknown_page_is_a_settings_problem_naming_the_cell_and_the_pages_there_are(tmp_path):
    path = book(tmp_path, "Scorecard, Sumary")
    with pytest.raises(InputProblems) as refused:
        plans_for(load_scorecard(path))
    (problem,) = refused.value.problems
    assert problem.where == "Settings!B2"
    assert str(problem) == ("Settings!B2: Pages names 'Sumary', which is not a page. Write the pages this workbook "
                            "gets, separated by commas, from: Scorecard, Board summary, Performance Summary, Indicator "
                            "pages (or leave it empty for the Scorecard alone).")
    before = path.read_bytes()
    with pytest.raises(InputProblems, match="Settings!B2"):
        export_copy(path, out=tmp_path / "copy.xlsx")
    assert not (tmp_path / "copy.xlsx").exists() and path.read_bytes() == before


def test_a_page_registered_here_is_dispatched_by_export_and_suppressed_by_its_keys(tmp_path, extra):
    path = book(tmp_path, "Scorecard, Extra")
    result = export_copy(path, out=tmp_path / "copy.xlsx")
    assert result.sheets == ["Board summary", "Scorecard", "Extra"]
    assert sheets(result.workbook)["Extra"] == [["Ref", "This month"], ["C1", 3.0]]
    hidden = export_copy(path, out=tmp_path / "hidden.xlsx", suppress=True)
    assert sheets(hidden.workbook)["Extra"][1] == ["C1", "c"]  # Feb-21 is 3


def test_export_always_opens_on_the_summary_once(tmp_path):
    result = export_copy(book(tmp_path, "Scorecard, Board summary"), out=tmp_path / "copy.xlsx")
    assert result.sheets == ["Board summary", "Scorecard"]


def test_the_demo_renders_the_registered_pages(tmp_path, monkeypatch):
    rendered = {}

    def to_pdf(workbook, folder):  # stands in for LibreOffice: what would it have printed?
        rendered.update(sheets(workbook))
        pdf = Path(folder, "pages.pdf")
        pdf.write_bytes(b"%PDF-1.4")
        return pdf

    scorecard_page = registry.page("Scorecard").layout

    def marked(scorecard):
        plan = scorecard_page(scorecard)
        plan.put(plan.last_row + 2, 0, "Laid out by the registry")
        return plan

    monkeypatch.setitem(registry.PAGES, "scorecard", Page("Scorecard", marked))
    monkeypatch.setattr("scorecard_xl.send.render.soffice", lambda: "soffice")
    monkeypatch.setattr("scorecard_xl.send.render.to_pdf", to_pdf)
    run_demo(tmp_path / "demo")
    assert list(rendered) == ["Scorecard"] and rendered["Scorecard"][-1][0] == "Laid out by the registry"


def test_scorecard_check_lists_an_unknown_page_with_every_other_problem(tmp_path, capsys):
    from scorecard_xl.cli import main

    path = book(tmp_path, "Scorecard, Sumary")
    type_cells(path, "Indicators", {"C2": "Upwards"})  # a polarity there is none of (tests/typing_in.py)
    assert main(["check", str(path)]) == 1
    output = capsys.readouterr().out
    assert "Settings!B2: Pages names 'Sumary'" in output and "Indicators!C2: Polarity is 'Upwards'" in output
