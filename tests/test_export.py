"""`scorecard export`: the email-ready copy carries the report and nothing else (issue 5)."""

import email
import email.policy
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from lxml import etree
from python_calamine import CalamineWorkbook

from preservation_book import build_preservation_book
from scorecard_xl import refresh
from scorecard_xl.send import export as export_module
from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.send.export import (default_copy_path, export_copy, export_for_email_from_path, safe_file_name,
                                      suppress_plan, suppression_mask)
from scorecard_xl.pages.scorecard import monthly_layout
from scorecard_xl.problems import WorkbookError
from scorecard_xl.send.render import INSTALL_HINT
from scorecard_xl.starter import write_starter
from scorecard_xl.pages.board import DO_BETTER, GOING_WELL, TO_WATCH, classify, judged_table
from workbooks import indicator, make_workbook, monthly_series, openpyxl_sheet, sample_book, type_commentary

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
TITLE = "Children's Services Performance Scorecard"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample workbook, refreshed, with commentary typed by a person (with openpyxl)."""
    path = sample_book(tmp_path_factory.mktemp("export"))  # the sample, refreshed
    type_commentary(path, {"M1": "Contacts fell after half term.", "M2": "=SUM(A1:A9) is text, not a sum"})
    book = openpyxl.load_workbook(path)
    history = book.create_sheet("Commentary history")
    history.append(["Ref", "Month", "Text"])
    history.append(["M1", "Jan-21", "January's contacts were as expected."])
    book.save(path)
    return path


@pytest.fixture(scope="module")
def copy(sample):
    result = export_copy(sample, out=sample.parent / "copy.xlsx", include_comments=True)
    return result


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def grid(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def by_ref(rows: list[list]) -> tuple[dict[str, int], dict[str, list]]:
    """The Scorecard grid's header (label -> column) and its indicator rows by Ref."""
    header = next(row for row in rows if row and row[0] in ("Ref.", "Ref"))
    start = rows.index(header)
    return ({label: c for c, label in enumerate(header) if label},
            {row[0]: row for row in rows[start + 1:] if row and row[0]})


def check_clean_package(path: Path, allowed: set[str]) -> None:
    members = parts(path)
    workbook = etree.fromstring(members["xl/workbook.xml"])
    sheets = workbook.findall(f"{MAIN}sheets/{MAIN}sheet")
    names = [s.get("name") for s in sheets]
    assert set(names) <= allowed and {"Board summary", "Scorecard"} <= set(names)
    assert all(s.get("state") in (None, "visible") for s in sheets)
    assert not any(name.endswith("vbaProject.bin") for name in members)
    assert not any("externalLink" in name or "customUI" in name or "threaded" in name for name in members)
    assert "docProps/custom.xml" not in members
    assert b"vbaProject" not in members["[Content_Types].xml"] and b"macroEnabled" not in members["[Content_Types].xml"]
    for name, data in members.items():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            assert not re.search(rb"<f[ >/]", data), f"a formula in {name}"
    core = members["docProps/core.xml"]
    assert not re.search(rb"<dc:creator>[^<]|<cp:lastModifiedBy>[^<]", core)
    assert b"creator" not in core and b"lastModifiedBy" not in core
    assert b"<dc:title>" in core
    for defined in workbook.iterfind(f"{MAIN}definedNames/{MAIN}definedName"):
        local = defined.get("localSheetId")
        assert local is None or int(local) < len(names)
        for sheet_ref in re.findall(r"'?([^'!=,]+)'?!", defined.text or ""):
            assert sheet_ref in names, defined.text


# --- What the copy holds ---------------------------------------------------------------------------

def test_the_copy_holds_only_the_report_sheets_as_values(copy):
    check_clean_package(copy.workbook, {"Board summary", "Scorecard", "Commentary"})
    assert copy.sheets == ["Board summary", "Scorecard", "Commentary"]


def test_scorecard_values_equal_the_refreshed_sheet_cell_by_cell(sample, copy):
    original, exported = grid(sample, "Scorecard"), grid(copy.workbook, "Scorecard")
    assert len(original) == len(exported)
    for r, (old_row, new_row) in enumerate(zip(original, exported)):
        assert len(old_row) == len(new_row), r
        for c, (old, new) in enumerate(zip(old_row, new_row)):
            if isinstance(old, float):
                assert new == pytest.approx(old, rel=1e-12), (r, c)
            else:
                assert new == old, (r, c)
    assert copy.notes == []


def test_a_scorecard_sheet_that_was_not_refreshed_is_reported(tmp_path):
    book = write_starter(tmp_path / "fresh.xlsx", sample=True)
    result = export_copy(book)
    assert len(result.notes) == 1 and "Refresh the workbook too" in result.notes[0]
    assert "Note: the Scorecard sheet in fresh.xlsx" in result.summary()


def test_commentary_is_carried_as_text_and_history_becomes_the_commentary_sheet(copy):
    header, rows = by_ref(grid(copy.workbook, "Scorecard"))
    column = next(c for label, c in header.items() if str(label).startswith("Commentary"))
    assert rows["M1"][column] == "Contacts fell after half term."
    assert rows["M2"][column] == "=SUM(A1:A9) is text, not a sum"
    assert grid(copy.workbook, "Commentary")[1] == ["M1", "Jan-21", "January's contacts were as expected."]


def test_rich_commentary_reaches_the_email_copy_whatever_its_runs(tmp_path):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    path = sample_book(tmp_path)  # the sample, refreshed
    bold_red = InlineFont(b=True, color="FFC00000")
    type_commentary(path, {
        "M1": CellRichText([TextBlock(bold_red, "All of it urgent.")]),  # one run, formatted
        "M2": CellRichText(["Fell ", TextBlock(bold_red, "23%"), " in February."]),
    })
    result = export_copy(path, out=tmp_path / "copy.xlsx")
    sheet = openpyxl_sheet(result.workbook, "Scorecard", rich_text=True)
    header = next(r for r in sheet.iter_rows() if r[0].value == "Ref.")
    column = next(c.column for c in header if str(c.value or "").startswith("Commentary"))
    cells = {row[0].value: sheet.cell(row[0].row, column) for row in sheet.iter_rows() if row[0].value in ("M1", "M2")}
    assert cells["M1"].value == "All of it urgent."
    assert cells["M1"].font.b and cells["M1"].font.color.rgb.endswith("C00000")
    rich = cells["M2"].value
    assert str(rich) == "Fell 23% in February." and isinstance(rich, CellRichText)
    bold = [run.text for run in rich if isinstance(run, TextBlock) and run.font.b]
    assert bold == ["23%"]


def test_an_earlier_month_gets_its_own_commentary_back_from_the_history(tmp_path):
    path = sample_book(tmp_path, month="Jan-21")  # the sample, refreshed for January
    type_commentary(path, {"M1": "January: half-term dip."})
    refresh(path, month="Feb-21")  # archives January's note
    type_commentary(path, {"M1": "February: back to normal."})
    january = export_copy(path, out=tmp_path / "jan.xlsx", month="Jan-21")
    assert january.notes == []  # the sheet shows Feb-21, which is no reason to ask for a refresh
    header, rows = by_ref(grid(january.workbook, "Scorecard"))
    column = next(c for label, c in header.items() if str(label).startswith("Commentary"))
    assert header.get("Commentary (Jan-21)") == column and rows["M1"][column] == "January: half-term dip."
    header, rows = by_ref(grid(export_copy(path, out=tmp_path / "feb.xlsx").workbook, "Scorecard"))
    assert rows["M1"][header["Commentary (Feb-21)"]] == "February: back to normal."


def test_commentary_can_be_left_out(sample, tmp_path):
    result = export_copy(sample, out=tmp_path / "bare.xlsx", include_commentary=False)
    header, rows = by_ref(grid(result.workbook, "Scorecard"))
    column = next(c for label, c in header.items() if str(label).startswith("Commentary"))
    assert rows["M1"][column] == "" and result.sheets == ["Board summary", "Scorecard"]


def test_summary_sheet_shows_the_three_lists_and_the_kpi_table(sample, copy):
    rows = grid(copy.workbook, "Board summary")
    first_column = [row[0] for row in rows]
    for name in (GOING_WELL, TO_WATCH, DO_BETTER):
        assert name in first_column
        for line in copy.lists[name]:
            assert "\u2022 " + line in first_column
    assert any(str(v).startswith("Grey = not rated") for v in first_column)
    header = next(row for row in rows if row[0] == "Ref")
    assert header[2:5] == ["Dec-20", "Jan-21", "Feb-21"] and header[9] == "RAG"
    kpi = {row[0]: row for row in rows[rows.index(header) + 1:] if row[0]}
    assert kpi["M9"][9] == "Red" and kpi["M1"][9] == "Not rated"
    measures = load_scorecard(sample).measures
    m9, m1, eh4 = measures.loc["M9"], measures.loc["M1"], measures.loc["EH4-QL"]
    assert kpi["EH4-QL"][7] == pytest.approx((eh4["2021-02"] - eh4["2021-01"]) * 100)  # pp for percentages
    assert abs(m9["2021-02"] - m9["2021-01"]) * 100 < 0.05 and kpi["M9"][7] == 0  # 0.0pp, never -0.0pp
    assert kpi["M1"][7] == pytest.approx(m1["2021-02"] / m1["2021-01"] - 1)  # relative for counts
    assert kpi["M1"][2:5] == [m1["2020-12"], m1["2021-01"], m1["2021-02"]]


def test_the_kpi_key_wraps_across_the_table_so_it_prints_within_the_page(copy):
    sheet = openpyxl_sheet(copy.workbook, "Board summary")
    (row,) = [r for r in range(1, sheet.max_row + 1) if str(sheet.cell(r, 1).value or "").startswith("Grey = not rated")]
    assert f"A{row}:L{row}" in {str(m) for m in sheet.merged_cells.ranges}  # to the SPC marks' columns
    assert sheet.cell(row, 1).alignment.wrap_text and sheet.row_dimensions[row].height >= 25  # two lines at least
    assert "(Info and Within limits: the direction of the numbers)" in sheet.cell(row, 1).value


def test_a_long_title_gives_the_summary_a_page_header_within_excels_limit(tmp_path):
    title, organisation = "Children's Services & Early Help " * 8, "Metropolitan Borough Council & Partners " * 3
    path = make_workbook(tmp_path / "long.xlsx", [indicator("A")], monthly_series("A", 2020, 1, [10] * 14),
                         settings={"Title": title, "Organisation": organisation})
    summary = parts(export_copy(path, out=tmp_path / "copy.xlsx").workbook)["xl/worksheets/sheet1.xml"]
    header = etree.fromstring(summary).find(f".//{MAIN}oddHeader").text
    assert header.startswith('&L&"-,Bold"Children\'s Services && Early Help') and header.endswith("\u2026&RFeb-21")
    assert len(header.encode("utf-16-le")) // 2 <= 255  # Excel's limit; XlsxWriter drops a longer one


def test_source_with_macros_and_hidden_sheets_exports_cleanly(tmp_path):
    book = build_preservation_book(tmp_path / "kept.xlsm")
    refresh(book)
    result = export_copy(book)
    assert result.workbook == tmp_path / f"{TITLE} Feb-21.xlsx"
    check_clean_package(result.workbook, {"Board summary", "Scorecard"})
    assert b"ReportingMonth" not in parts(result.workbook)["xl/workbook.xml"]


def test_default_name_is_title_and_month_beside_the_book(tmp_path):
    assert safe_file_name('Q3: "Front door" / MASH?') == "Q3- -Front door- - MASH-"
    assert safe_file_name("CON") == "_CON" and safe_file_name(" ... ") == "Scorecard"
    # a long title in a script of several bytes a character still leaves a name the file system takes
    assert len(safe_file_name("\u0645\u0631\u0643\u0632 " * 60).encode("utf-8")) <= 200
    assert safe_file_name("A" * 300) == "A" * 200
    book = tmp_path / "book.xlsx"
    assert default_copy_path(book, "Board pack <draft>", 24253) == tmp_path / "Board pack -draft- Feb-21.xlsx"
    same = tmp_path / "Board Feb-21.xlsx"
    same.write_bytes(b"")
    assert default_copy_path(same, "Board", 24253) == tmp_path / "Board Feb-21 (email copy).xlsx"


# --- Small-number suppression ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_numbers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("suppress")
    counts = [12, 0, 3, 7, 1, 5, 6, 0, 2, 9, 14, 4, 8, 3]  # Jan-20 .. Feb-21: 1-5 are suppressed
    children = [40] * 14
    data = monthly_series("C1", 2020, 1, counts) + monthly_series("C2", 2020, 1, children)
    data += [("P2", f"2021-{m:02d}", n / d, n, d) for m, n, d in ((1, 2, 40), (2, 30, 40))]
    path = make_workbook(folder / "small.xlsx", [
        indicator("C1", unit="Count", polarity="Info", name="Children adopted"),
        indicator("C2", unit="Count", polarity="Info", name="Children leaving care"),
        indicator("P1", unit="Percentage", name="Share adopted", numerator="C1", denominator="C2"),
        indicator("P2", unit="Percentage", name="Typed parts"),
    ], data)
    refresh(path)
    result = export_copy(path, out=folder / "published.xlsx", suppress=True)
    return path, result, dict(zip([f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(14)], counts))


def test_counts_of_one_to_five_show_as_c_and_zeros_and_six_plus_stay(small_numbers):
    _, result, counts = small_numbers
    header, rows = by_ref(grid(result.workbook, "Scorecard"))
    labels = {"2020-08": "Aug-20", "2020-09": "Sep-20", "2020-10": "Oct-20", "2020-11": "Nov-20",
              "2020-12": "Dec-20", "2021-01": "Jan-21", "2021-02": "Feb-21"}
    for key, label in labels.items():
        value = rows["C1"][header[label]]
        if 1 <= counts[key] <= 5:
            assert value == "c", label
            assert rows["P1"][header[label]] == "c", label  # a percentage of a suppressed count
        else:
            assert value == counts[key], label
            assert rows["P1"][header[label]] == pytest.approx(counts[key] / 40), label
    assert rows["C1"][header["% change from Feb-20"]] == "c"  # Feb-21 is 3
    assert rows["C1"][header["12-mnth avg"]] == "c"
    assert rows["C2"][header["Feb-21"]] == 40  # 6 or more stays
    assert rows["P2"][header["Jan-21"]] == "c" and rows["P2"][header["Feb-21"]] == pytest.approx(0.75)
    scorecard_grid = grid(result.workbook, "Scorecard")
    assert any(row[0] == "c = 1 to 5, suppressed to protect children's identities" for row in scorecard_grid)
    assert result.suppressed > 0 and "c (1 to 5)" in result.summary()


def test_change_column_is_suppressed_when_the_heading_mixes_percent_and_points(tmp_path):
    # one indicator compared in points makes the heading "% or pp change from …"
    counts = [12, 10, 3, 7, 1, 5, 6, 0, 2, 9, 14, 4, 8, 3]
    data = monthly_series("C1", 2020, 1, counts) + monthly_series("C2", 2020, 1, [40] * 14)
    path = make_workbook(tmp_path / "mixed.xlsx", [
        indicator("C1", unit="Count", polarity="Info"), indicator("C2", unit="Count", polarity="Info"),
        indicator("P1", unit="Percentage", numerator="C1", denominator="C2", change="Points")], data)
    refresh(path)
    result = export_copy(path, out=tmp_path / "published.xlsx", suppress=True)
    header, rows = by_ref(grid(result.workbook, "Scorecard"))
    assert "% or pp change from Feb-20" in header
    assert rows["C1"][header["% or pp change from Feb-20"]] == "c"  # Feb-21 is 3: -70% from 10 would give it away
    assert rows["P1"][header["% or pp change from Feb-20"]] == "c"
    assert rows["C2"][header["% or pp change from Feb-20"]] == 0  # 40 vs 40, nothing suppressed


def test_summary_suppresses_too(small_numbers):
    _, result, _ = small_numbers
    rows = grid(result.workbook, "Board summary")
    header = next(row for row in rows if row[0] == "Ref")
    kpi = {row[0]: row for row in rows[rows.index(header) + 1:] if row[0]}
    assert kpi["C1"][2:5] == ["c", 8.0, "c"] and kpi["C1"][7] == "c"  # Dec-20 4, Jan-21 8, Feb-21 3
    assert kpi["P1"][4] == "c" and kpi["P1"][7] == "c"
    text = " ".join(str(row[0]) for row in rows)
    # c this month or last: in no list, since the list would hint at the figure
    assert "Not assessed because of small numbers (c in Feb-21 or Jan-21): C1, P1, P2." in text
    assert "3 in Feb-21" not in text


def test_a_typed_percentage_of_a_suppressed_count_is_suppressed_too(tmp_path):
    path = make_workbook(tmp_path / "typed.xlsx", [
        indicator("N", unit="Count", polarity="Info"), indicator("D", unit="Count", polarity="Info"),
        indicator("P", unit="Percentage", numerator="N", denominator="D")],
        [("N", "2021-02", 3), ("P", "2021-02", 0.1), ("N", "2021-01", 9), ("D", "2021-01", 30)])
    scorecard = load_scorecard(path)
    mask = suppression_mask(scorecard)
    column = scorecard.panel.column(scorecard.reporting_month)
    assert np.isnan(scorecard.panel.numerators[2, column])  # no denominator: the typed 10% stands alone
    assert mask[:, column].tolist() == [True, False, True]
    assert mask[:, column - 1].tolist() == [False, False, False]


def test_suppress_plan_is_pure(small_numbers):
    path, _, _ = small_numbers
    scorecard = load_scorecard(path)
    plan = monthly_layout(scorecard)
    before = dict(plan.cells)
    suppressed = suppress_plan(plan, scorecard, suppression_mask(scorecard))
    assert plan.cells == before
    assert sum(cell.value == "c" for cell in suppressed.cells.values()) > 0


# --- The classification rule, one hand-built workbook per rule -----------------------------------

def classified(tmp_path, specs, series) -> dict[str, str]:
    data = [row for ref, values in series.items() for row in monthly_series(ref, 2020, 1, values)]
    path = make_workbook(tmp_path / "rule.xlsx", specs, data)
    return classify(judged_table(load_scorecard(path))).to_dict()


def test_red_is_to_do_better_even_when_improving(tmp_path):
    lists = classified(tmp_path, [indicator("R", unit="Percentage", red="<90%", amber="90%>", green="95%+")],
                       {"R": [0.80, 0.81, 0.82, 0.85]})
    assert lists["R"] == DO_BETTER


def test_worse_three_months_running_is_to_do_better_though_amber(tmp_path):
    spec = dict(unit="Percentage", red="<90%", amber="90%>", green="95%+")
    lists = classified(tmp_path, [indicator("W", **spec), indicator("T", **spec)],
                       {"W": [0.99, 0.97, 0.95, 0.93], "T": [0.97, 0.95, 0.96, 0.93]})
    assert lists["W"] == DO_BETTER
    assert lists["T"] == TO_WATCH  # Amber, worse only twice in three moves


def test_green_and_not_worse_is_going_well(tmp_path):
    spec = dict(unit="Percentage", red="<90%", amber="90%>", green="95%+")
    lists = classified(tmp_path, [indicator("G", **spec), indicator("S", **spec)],
                       {"G": [0.95, 0.96, 0.97, 0.98], "S": [0.99, 0.97, 0.98, 0.975]})
    assert lists["G"] == GOING_WELL
    assert lists["S"] == ""  # Green but slightly worse, not moved by the band: not listed


def test_moved_but_not_rated_is_one_to_watch(tmp_path):
    lists = classified(tmp_path, [indicator("N", polarity="High"), indicator("Q", polarity="High")],
                       {"N": [100, 100, 100, 130], "Q": [100, 100, 100, 104]})
    assert lists["N"] == TO_WATCH and lists["Q"] == ""


def test_info_is_never_judged_and_listed_only_when_it_moved(tmp_path):
    lists = classified(tmp_path, [indicator("I", polarity="Info", target=50), indicator("J", polarity="Info")],
                       {"I": [100, 90, 80, 70], "J": [100, 101, 102, 103]})
    assert lists["I"] == TO_WATCH  # fell by more than the band: moved, never "do better"
    assert lists["J"] == ""  # steady


def test_sample_lists_follow_the_rule(sample, copy):
    table = judged_table(load_scorecard(sample))
    verdicts = classify(table)
    for name, lines in copy.lists.items():
        assert [line.split(" ")[0] for line in lines] == [r.split(" ")[0] for r in verdicts.index[verdicts == name]]
    assert verdicts["A1"] == DO_BETTER and table.at["A1", "rag"] == "Green"  # worse three months running
    assert verdicts["M6-QL (val)"] == TO_WATCH and verdicts["M1"] == TO_WATCH and verdicts["EH1a"] == ""
    assert verdicts["CIN6"] == DO_BETTER and table.at["CIN6", "rag"] == "Amber"  # special cause concern (SPC)
    assert not (table["polarity"][verdicts.isin([DO_BETTER, GOING_WELL])] == "Info").any()


# --- Email draft and PDF --------------------------------------------------------------------------

def test_email_draft_parses_back_with_the_copy_attached(sample, tmp_path):
    result = export_copy(sample, out=tmp_path / "mail.xlsx", eml=["director@example.gov.uk", "Head <hos@example.gov.uk>"])
    message = email.message_from_bytes(result.eml.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == f"{TITLE} \u2014 Feb-21"
    assert [a.addr_spec for a in message["To"].addresses] == ["director@example.gov.uk", "hos@example.gov.uk"]
    assert message["X-Unsent"] == "1"
    body = message.get_body(("plain",)).get_content()
    assert "Reporting month: Feb-21" in body and "Things to do better" in body and "RAG: 9 red" in body
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert attachment.get_filename() == "mail.xlsx"
    assert attachment.get_content() == result.workbook.read_bytes()


def test_bad_address_stops_before_anything_is_written(sample, tmp_path):
    with pytest.raises(WorkbookError, match="not-an-address"):
        export_copy(sample, out=tmp_path / "x.xlsx", eml=["not-an-address"])
    assert not (tmp_path / "x.xlsx").exists()


def test_pdf_without_libreoffice_says_how_to_install_it(sample, tmp_path, monkeypatch):
    monkeypatch.setattr(export_module, "soffice", lambda: None)
    with pytest.raises(WorkbookError) as failure:
        export_copy(sample, out=tmp_path / "x.xlsx", pdf=True)
    assert str(failure.value) == INSTALL_HINT and not (tmp_path / "x.xlsx").exists()


def test_ribbon_button_makes_copy_and_draft(sample, tmp_path, monkeypatch):
    monkeypatch.setattr(export_module, "soffice", lambda: None)
    book = tmp_path / "ribbon.xlsx"
    shutil.copy(sample, book)
    text = export_for_email_from_path(book)
    assert "email-ready copy" in text and "Email draft" in text
    draft = tmp_path / f"{TITLE} Feb-21.eml"
    assert email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)["To"] is None


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="needs LibreOffice and poppler")
def test_libreoffice_makes_a_pdf_of_the_copy(tmp_path):
    # The product's own soffice call, end to end, on a two-indicator workbook; the sample's copy, 33
    # charts and all, is rendered with the other tests' workbooks (tests/test_printed_pages.py).
    data = monthly_series("A", 2020, 1, list(range(10, 24))) + monthly_series("B", 2020, 1, list(range(30, 16, -1)))
    path = make_workbook(tmp_path / "book.xlsx", [indicator("A", name="Contacts"),
                                                  indicator("B", name="Visits on time")], data)
    refresh(path)
    result = export_copy(path, out=tmp_path / "board.xlsx", pdf=True, eml=["board@example.gov.uk"])
    text = subprocess.run(["pdftotext", str(result.pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Going well or better" in text and "Things to do better" in text and "Key performance indicators" in text
    assert "A Contacts rose 5% to 23 in Feb-21" in text and "B Visits on time fell 6% to 17 in Feb-21" in text
    message = email.message_from_bytes(result.eml.read_bytes(), policy=email.policy.default)
    types = [part.get_content_type() for part in message.iter_attachments()]
    assert types[1] == "application/pdf"
    assert list(message.iter_attachments())[1].get_content() == result.pdf.read_bytes()
