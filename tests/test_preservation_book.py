"""The preservation workbook fixture: it holds what it claims, and real readers accept it."""

from __future__ import annotations

import posixpath
import shutil
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from python_calamine import CalamineWorkbook

from preservation_book import (
    CT_CUSTOMUI, CT_PERSON, CT_THREADED_COMMENTS, CUSTOMUI14_NS, DEFAULT_DATA, DEFAULT_INDICATORS,
    DEFAULT_SETTINGS, EXPECTED_PARTS, REL_PERSON, REL_THREADED_COMMENT, REL_UI_EXTENSIBILITY,
    SHEET_PART, THREAD_CELL, THREAD_ID, build_preservation_book, xlwings_vba_project, zip_parts)
from rendering import renders

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    return build_preservation_book(tmp_path_factory.mktemp("pres") / "preservation.xlsm")


@pytest.fixture(scope="module")
def parts(book) -> dict[str, bytes]:
    return zip_parts(book)


def _calamine_rows(path: Path, sheet: str) -> list[list]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    # calamine gives floats for every number and '' for empty cells
    return [[v for v in row if v != ""] for row in rows]


def _same_values(read: list[list], written: list[list]) -> bool:
    return len(read) == len(written) and all(
        len(a) == len(b) and all(x == y or (isinstance(y, (int, float)) and x == pytest.approx(y))
                                 for x, y in zip(a, b))
        for a, b in zip(read, written))


# ---------------------------------------------------------------------------------------------
# Readers accept it
# ---------------------------------------------------------------------------------------------

def test_opens_with_openpyxl_keeping_vba(book):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns it drops sparkline / x14 extensions
        wb = openpyxl.load_workbook(book, keep_vba=True)
    assert wb.sheetnames == ["Scorecard", "Indicators", "Data", "Settings", "Trends", "Actions", "Lists"]
    assert wb["Lists"].sheet_state == "hidden"
    assert wb.vba_archive is not None
    assert wb["Scorecard"]["A1"].value == DEFAULT_SETTINGS[0][1]
    assert wb["Indicators"][THREAD_CELL].comment.author == f"tc={THREAD_ID}"
    assert "ActionLog" in wb["Actions"].tables


def test_calamine_reads_default_inputs_back(book):
    assert _same_values(_calamine_rows(book, "Indicators"), DEFAULT_INDICATORS)
    assert _same_values(_calamine_rows(book, "Data"), DEFAULT_DATA)
    assert _same_values(_calamine_rows(book, "Settings"), DEFAULT_SETTINGS)
    # months stay text, so the scorecard reader sees 'YYYY-MM' labels
    assert {row[1] for row in DEFAULT_DATA[1:]} == {row[1] for row in _calamine_rows(book, "Data")[1:]}
    assert len({row[1] for row in DEFAULT_DATA[1:]}) == 14


def test_default_inputs_are_a_valid_scorecard(book):
    from scorecard_xl.compute.engine import load_scorecard
    from scorecard_xl.compute.months import month_index

    scorecard = load_scorecard(book)
    assert scorecard.reporting_month == month_index(2021, 2)
    assert len(scorecard.measures) == len(DEFAULT_INDICATORS) - 1


def test_custom_scorecard_sheets_replace_the_defaults(tmp_path):
    indicators = [["Ref", "Indicator", "Polarity", "Unit", "Section"], ["X", "Only one", "High", "Count", "S"]]
    data = [["Ref", "Month", "Value"], ["X", "2022-01", 5], ["X", "2022-02", 7]]
    path = build_preservation_book(tmp_path / "custom.xlsx", {"Indicators": indicators, "Data": data})
    assert path.suffix == ".xlsm" and path.exists()
    assert _same_values(_calamine_rows(path, "Indicators"), indicators)
    assert _same_values(_calamine_rows(path, "Data"), data)
    assert _same_values(_calamine_rows(path, "Settings"), DEFAULT_SETTINGS)
    assert set(EXPECTED_PARTS) <= set(zip_parts(path))


def test_unknown_scorecard_sheet_is_refused(tmp_path):
    with pytest.raises(ValueError):
        build_preservation_book(tmp_path / "bad.xlsm", {"Scorecard": [["x"]]})


# ---------------------------------------------------------------------------------------------
# It holds what a refresh must not lose
# ---------------------------------------------------------------------------------------------

def test_every_expected_part_exists(parts):
    assert [name for name in EXPECTED_PARTS if name not in parts] == []


@pytest.mark.parametrize("part", [
    "xl/charts/chart1.xml", "xl/drawings/drawing1.xml", "xl/media/image1.png", "xl/vbaProject.bin",
    "customUI/customUI14.xml", "xl/threadedComments/threadedComment1.xml", "xl/persons/person.xml",
    "xl/comments1.xml", "xl/drawings/vmlDrawing1.vml", "xl/tables/table1.xml"])
def test_named_part_exists_and_is_listed(parts, part):
    assert part in EXPECTED_PARTS
    assert parts.get(part), f"{part} is missing or empty"


def test_parts_have_the_right_content(parts):
    assert b"<c:lineChart>" in parts["xl/charts/chart1.xml"]
    assert parts["xl/media/image1.png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert parts["xl/vbaProject.bin"] == xlwings_vba_project()
    drawing = parts["xl/drawings/drawing1.xml"]
    assert b"<xdr:graphicFrame" in drawing and b"<xdr:pic>" in drawing and b'txBox="1"' in drawing
    assert b"ActionLog" in parts["xl/tables/table1.xml"]
    comments = parts["xl/comments1.xml"]
    assert f"<author>tc={THREAD_ID}</author>".encode() in comments  # threaded placeholder
    assert b"Indicator names follow" in comments  # the plain legacy note


def test_custom_ui_is_a_ribbon_with_a_button(parts):
    root = etree.fromstring(parts["customUI/customUI14.xml"])
    assert root.tag == f"{{{CUSTOMUI14_NS}}}customUI"
    tabs = root.findall(f".//{{{CUSTOMUI14_NS}}}tab")
    buttons = root.findall(f".//{{{CUSTOMUI14_NS}}}button")
    assert len(tabs) == 1 and len(buttons) == 1
    assert buttons[0].get("onAction") == "SampleCallback"


def test_threaded_comment_matches_its_placeholder_and_person(parts):
    ns = {"t": "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"}
    thread = etree.fromstring(parts["xl/threadedComments/threadedComment1.xml"])
    persons = etree.fromstring(parts["xl/persons/person.xml"])
    person_ids = {p.get("id") for p in persons.findall("t:person", ns)}
    comments = thread.findall("t:threadedComment", ns)
    assert comments[0].get("id") == THREAD_ID and comments[0].get("ref") == THREAD_CELL
    assert comments[1].get("parentId") == THREAD_ID
    assert {c.get("personId") for c in comments} <= person_ids
    assert f'<comment ref="{THREAD_CELL}"'.encode() in parts["xl/comments1.xml"]


@pytest.mark.parametrize("sheet, needles", [
    ("Trends", [b"x14:sparklineGroups", b"<iconSet", b"<drawing "]),
    ("Data", [b"<dataBar", b"x14:dataBar", b"<autoFilter"]),
    ("Indicators", [b"<dataValidation ", b"<legacyDrawing "]),
    ("Actions", [b"<tableParts", b"<f>SUBTOTAL(109,"]),
])
def test_sheet_xml_holds_features(parts, sheet, needles):
    xml = parts[SHEET_PART[sheet]]
    missing = [n.decode() for n in needles if n not in xml]
    assert missing == [], f"{sheet} lacks {missing}"


def test_rich_text_is_kept_as_runs(parts):
    shared = etree.fromstring(parts["xl/sharedStrings.xml"])
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rich = [si for si in shared.iterfind("m:si", ns) if "overdue items in red" in "".join(si.itertext())]
    assert len(rich) == 1
    assert len(rich[0].findall("m:r", ns)) >= 4 and rich[0].find("m:r/m:rPr", ns) is not None


def test_formulas_carry_cached_values(parts):
    root = etree.fromstring(parts[SHEET_PART["Trends"]])
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    cells = [c for c in root.iterfind(".//m:c", ns) if c.find("m:f", ns) is not None]
    assert len(cells) >= 6
    for cell in cells:
        cached = cell.find("m:v", ns)
        assert cached is not None and cached.text not in (None, "", "0"), cell.get("r")


def test_workbook_has_the_defined_names(parts):
    root = etree.fromstring(parts["xl/workbook.xml"])
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    names = {d.get("name"): d.text for d in root.iterfind(".//m:definedName", ns)}
    assert names.get("ReportingMonth") == "Settings!$B$2"
    assert names.get("ScorecardTitle") == "Settings!$B$1"
    assert names.get("PolarityList") == "Lists!$A$1:$A$3"
    assert names.get("UnitList") == "Lists!$B$1:$B$2"
    assert names.get("LocalNote") == "Lists!$A$1"
    assert "_xlnm.Print_Area" in names and "_xlnm._FilterDatabase" in names
    assert root.find("m:workbookPr", ns).get("codeName") == "ThisWorkbook"


# ---------------------------------------------------------------------------------------------
# The package is consistent (what Excel checks before it offers to "repair")
# ---------------------------------------------------------------------------------------------

def _rels_source(rels_name: str) -> str:
    """'xl/worksheets/_rels/sheet2.xml.rels' -> 'xl/worksheets' (the folder targets are relative to)."""
    folder, name = posixpath.split(rels_name)
    return posixpath.dirname(folder)


def test_every_relationship_target_exists(parts):
    for name, data in parts.items():
        if not name.endswith(".rels"):
            continue
        base = _rels_source(name)
        for rel in etree.fromstring(data).iter(f"{REL}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = posixpath.normpath(posixpath.join(base, rel.get("Target")))
            assert target in parts, f"{name}: {rel.get('Id')} points at missing {target}"


def test_every_part_has_a_content_type(parts):
    root = etree.fromstring(parts["[Content_Types].xml"])
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in root.iter(f"{CT}Default")}
    overrides = {o.get("PartName"): o.get("ContentType") for o in root.iter(f"{CT}Override")}
    for part_name in overrides:
        assert part_name.lstrip("/") in parts, f"Override for missing part {part_name}"
    for name in parts:
        if name == "[Content_Types].xml":
            continue
        assert "/" + name in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
    assert overrides["/xl/threadedComments/threadedComment1.xml"] == CT_THREADED_COMMENTS
    assert overrides["/xl/persons/person.xml"] == CT_PERSON
    assert overrides["/customUI/customUI14.xml"] == CT_CUSTOMUI
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def test_surgery_relationships_are_declared(parts):
    def types(rels):
        return {r.get("Type"): r.get("Target") for r in etree.fromstring(parts[rels]).iter(f"{REL}Relationship")}
    assert types("_rels/.rels").get(REL_UI_EXTENSIBILITY) == "customUI/customUI14.xml"
    assert types("xl/_rels/workbook.xml.rels").get(REL_PERSON) == "persons/person.xml"
    sheet_rels = types("xl/worksheets/_rels/sheet2.xml.rels")
    assert sheet_rels.get(REL_THREADED_COMMENT) == "../threadedComments/threadedComment1.xml"


def test_zip_members_are_unique_and_readable(book):
    with zipfile.ZipFile(book) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert len(names) == len(set(names))


# ---------------------------------------------------------------------------------------------
# LibreOffice renders it
# ---------------------------------------------------------------------------------------------

def preservation_book_to_render(folder: Path) -> list[Path]:
    return [build_preservation_book(folder / "preservation.xlsm")]


@renders(preservation_book_to_render)
def test_libreoffice_converts_to_pdf(rendered):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed: install libreoffice-calc-nogui "
                    "(apt-get install libreoffice-calc-nogui) so soffice is on PATH.")
    (book,), out, result = rendered.files, rendered.outdir, rendered  # converted with the other tests' workbooks
    pdf = out / (book.stem + ".pdf")
    assert result.returncode == 0, result.stderr
    assert pdf.exists(), f"no PDF written; stdout={result.stdout!r} stderr={result.stderr!r}"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
