"""Refreshing packages that are valid but unusual: written by report exporters and other tools
rather than by Excel (capitalised part names, a locked structure, a bare stylesheet, ...).

Each workbook is built by code and then has zip members rewritten; every result is read back
with lxml, openpyxl and python-calamine (and LibreOffice at the end).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from python_calamine import CalamineWorkbook

from rendering import renders
from scorecard_xl.backends.xlsx_file import write_plans
from scorecard_xl.update.manual import HISTORY_SHEET
from scorecard_xl.problems import WorkbookError
from scorecard_xl.update.refresh import refresh
from test_splice import make_plan, members, rewrite_member, with_calc_chain
from workbooks import indicator, make_workbook, monthly_series, openpyxl_sheet, type_commentary

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS = {"m": MAIN, "t": "http://schemas.openxmlformats.org/package/2006/content-types",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
WORKSHEET_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
PROTECTION = (b'<workbookProtection workbookAlgorithmName="SHA-512" workbookHashValue="c2NvcmVjYXJk" '
              b'workbookSaltValue="c2FsdA==" workbookSpinCount="100000" lockStructure="1"/>')


# --- building odd packages --------------------------------------------------------------------

def scorecard_book(path: Path, **extra) -> Path:
    """Indicators and 15 months of Data (to Mar-21); A2 is red (so a fill is needed), A1 green."""
    tolerances = dict(red="<5", amber="5>", green="10+")
    values = list(range(15))
    return make_workbook(path, [indicator("A1", **tolerances), indicator("A2", **tolerances)],
                         monthly_series("A1", 2020, 1, values) + monthly_series("A2", 2020, 1, values[::-1]),
                         **extra)


def rename_members(path: Path, old: bytes, new: bytes) -> None:
    """Spell part names as another writer would: every member name containing ``old`` and every
    reference to it in the .rels parts and [Content_Types].xml get ``new`` instead."""
    parts = members(path)
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            data = parts[info.filename]
            if info.filename.endswith((".rels", "[Content_Types].xml")):
                data = data.replace(old, new)
            out.writestr(info.filename.replace(old.decode(), new.decode()), data)


def capitalise_sheet_parts(path: Path) -> None:
    """xl/worksheets/Sheet1.xml, as report exporters name their sheets."""
    rename_members(path, b"worksheets/sheet", b"worksheets/Sheet")


def lock_structure(path: Path, protection: bytes = PROTECTION) -> None:
    rewrite_member(path, "xl/workbook.xml", lambda xml: xml.replace(b"<bookViews>", protection + b"<bookViews>"))


def set_styles(path: Path, xml: bytes) -> None:
    rewrite_member(path, "xl/styles.xml", lambda _: b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                   + xml)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- what every result must be ----------------------------------------------------------------

def xml_of(path: Path, part: str):
    return etree.fromstring(members(path)[part])


def assert_sound(path: Path) -> None:
    """Part names unique ignoring case (OPC), one content type per part, relationships and sheets
    unique and pointing at parts that exist; openpyxl and python-calamine read every sheet."""
    names = list(members(path))
    folded = [name.casefold() for name in names]
    assert len(set(folded)) == len(folded), sorted(names)
    overrides = [o.get("PartName").casefold() for o in xml_of(path, "[Content_Types].xml").iterfind("t:Override", NS)]
    assert len(set(overrides)) == len(overrides), sorted(overrides)
    assert {o.lstrip("/") for o in overrides} <= set(folded), "an Override names a missing part"
    rels = xml_of(path, "xl/_rels/workbook.xml.rels").findall("p:Relationship", NS)
    ids = [r.get("Id").casefold() for r in rels]
    assert len(set(ids)) == len(ids), ids
    for rel in rels:
        assert target_part(rel.get("Target")).casefold() in folded, rel.get("Target")
    sheets = xml_of(path, "xl/workbook.xml").findall("m:sheets/m:sheet", NS)
    assert len({s.get("name").casefold() for s in sheets}) == len(sheets)
    assert len({s.get("sheetId") for s in sheets}) == len(sheets)
    assert {s.get(R_ID).casefold() for s in sheets} <= set(ids)
    book = openpyxl.load_workbook(path)
    calamine = CalamineWorkbook.from_path(str(path))
    assert calamine.sheet_names == book.sheetnames == [s.get("name") for s in sheets]
    for name in calamine.sheet_names:
        calamine.get_sheet_by_name(name).to_python()


def assert_second_refresh_identical(path: Path, **options) -> None:
    before = members(path)
    refresh(path, **options)
    after = members(path)
    assert {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)} == set()


def target_part(target: str) -> str:
    """The part a Target of xl/workbook.xml's relationships names."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)


def sheet_part(path: Path, name: str) -> str:
    sheet = next(s for s in xml_of(path, "xl/workbook.xml").iterfind("m:sheets/m:sheet", NS) if s.get("name") == name)
    rel = next(r for r in xml_of(path, "xl/_rels/workbook.xml.rels") if r.get("Id") == sheet.get(R_ID))
    return target_part(rel.get("Target"))


# --- part names that differ only by case --------------------------------------------------------

def test_capitalised_sheet_parts_get_a_new_part_unique_ignoring_case(tmp_path):
    path = scorecard_book(tmp_path / "book.xlsx")
    capitalise_sheet_parts(path)
    refresh(path)
    assert_sound(path)
    assert sheet_part(path, "Scorecard").casefold() not in {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"}
    assert_second_refresh_identical(path)


def test_the_history_sheet_part_is_unique_ignoring_case_too(tmp_path):
    path = scorecard_book(tmp_path / "book.xlsx")
    refresh(path, month="Jan-21")
    type_commentary(path, {"A1": "January's note"})  # openpyxl names the parts sheet1..sheet3
    capitalise_sheet_parts(path)
    refresh(path, month="Feb-21")
    assert_sound(path)
    assert ["A1", "Jan-21", "January's note"] in \
        CalamineWorkbook.from_path(str(path)).get_sheet_by_name(HISTORY_SHEET).to_python()
    assert_second_refresh_identical(path, month="Feb-21")


def test_two_new_sheets_in_one_write_get_parts_unique_ignoring_case(tmp_path):
    path = scorecard_book(tmp_path / "book.xlsx", extra_sheets={"Notes": [["n"]], "More": [["m"]]})
    capitalise_sheet_parts(path)  # Sheet1..Sheet4
    out = tmp_path / "out.xlsx"
    write_plans(path, [make_plan(), make_plan(HISTORY_SHEET)], out)
    assert_sound(out)


def test_a_content_type_left_for_a_missing_part_is_not_taken_again(tmp_path):
    """An Override naming /xl/worksheets/SHEET3.xml, in another case than the part we would add."""
    path = scorecard_book(tmp_path / "book.xlsx")
    rewrite_member(path, "[Content_Types].xml", lambda x: x.replace(
        b"</Types>", b'<Override PartName="/xl/worksheets/SHEET3.xml" ContentType="' + WORKSHEET_TYPE + b'"/></Types>'))
    refresh(path)
    overrides = [o.get("PartName").casefold() for o in xml_of(path, "[Content_Types].xml").iterfind("t:Override", NS)]
    assert len(set(overrides)) == len(overrides), overrides
    assert "/" + sheet_part(path, "Scorecard").casefold() in overrides
    openpyxl.load_workbook(path)


def test_relationships_left_behind_for_a_missing_part_are_not_inherited(tmp_path):
    """xl/worksheets/_rels/sheet3.xml.rels without its sheet: a new sheet3.xml would take its links."""
    path = scorecard_book(tmp_path / "book.xlsx")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/worksheets/_rels/sheet3.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"/>')
    refresh(path)
    assert sheet_part(path, "Scorecard") == "xl/worksheets/sheet4.xml"
    assert_sound(path)


def test_an_emptied_calc_chain_loses_its_content_type_whatever_its_case(tmp_path):
    source = scorecard_book(tmp_path / "source.xlsx")
    refresh(source)  # Scorecard is sheetId 3
    path = with_calc_chain(source, tmp_path / "book.xlsx", '<c r="B6" i="3"/>')
    rewrite_member(path, "[Content_Types].xml", lambda x: x.replace(b"/xl/calcChain.xml", b"/xl/CalcChain.xml"))
    refresh(path)
    assert "xl/calcChain.xml" not in members(path)
    assert b"calcchain" not in members(path)["[Content_Types].xml"].lower()
    assert_sound(path)


def test_relationship_ids_are_unique_ignoring_case(tmp_path):
    path = scorecard_book(tmp_path / "book.xlsx")
    # rId5 (sharedStrings, which workbook.xml does not refer to) spelled RID6: the next free rId6 clashes
    rewrite_member(path, "xl/_rels/workbook.xml.rels", lambda x: x.replace(b'Id="rId5"', b'Id="RID6"'))
    refresh(path)
    assert_sound(path)
    assert_second_refresh_identical(path)


def test_sheet_names_differing_only_by_case_are_ours(tmp_path):
    path = scorecard_book(tmp_path / "book.xlsx")
    refresh(path, month="Jan-21")
    type_commentary(path, {"A1": "January's note"})
    refresh(path, month="Feb-21")
    rewrite_member(path, "xl/workbook.xml", lambda x: x.replace(b'name="Scorecard"', b'name="SCORECARD"')
                   .replace(b"'Scorecard'!", b"'SCORECARD'!").replace(HISTORY_SHEET.encode(), b"COMMENTARY HISTORY"))
    before = xml_of(path, "xl/workbook.xml").xpath("//m:sheet/@name", namespaces=NS)
    refresh(path, month="Feb-21")
    assert xml_of(path, "xl/workbook.xml").xpath("//m:sheet/@name", namespaces=NS) == before
    assert_sound(path)


# --- a locked workbook structure ----------------------------------------------------------------

@pytest.mark.parametrize("protection", [PROTECTION, b'<workbookProtection lockStructure="true"/>'])
def test_a_locked_structure_refuses_to_add_the_scorecard_and_leaves_the_file_alone(tmp_path, protection):
    path = scorecard_book(tmp_path / "book.xlsx")
    lock_structure(path, protection)
    before = digest(path)
    with pytest.raises(WorkbookError) as refused:
        refresh(path)
    message = str(refused.value)
    assert "\n" not in message
    assert "structure is protected" in message and "'Scorecard' sheet cannot be added" in message
    assert "Review > Protect Workbook" in message and "book.xlsx" in message
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]  # no backup, no temp file


def test_a_locked_structure_refuses_to_add_the_commentary_history(tmp_path):
    path = scorecard_book(tmp_path / "book.xlsx")
    refresh(path, month="Jan-21")
    type_commentary(path, {"A1": "January's note"})
    lock_structure(path)
    before = digest(path)
    with pytest.raises(WorkbookError, match=f"'{HISTORY_SHEET}' sheet cannot be added"):
        refresh(path, month="Feb-21")
    assert digest(path) == before


def test_a_locked_structure_still_lets_the_existing_sheets_be_refreshed(tmp_path):
    path = scorecard_book(tmp_path / "book.xlsx")
    refresh(path, month="Jan-21")
    type_commentary(path, {"A1": "January's note"})
    refresh(path, month="Feb-21")  # the history sheet exists now
    lock_structure(path)
    type_commentary(path, {"A1": "February's note"})  # openpyxl keeps the protection
    assert xml_of(path, "xl/workbook.xml").find("m:workbookProtection", NS).get("lockStructure") in ("1", "true")
    refresh(path, month="Mar-21")
    workbook = xml_of(path, "xl/workbook.xml")
    assert workbook.xpath("//m:sheet/@name", namespaces=NS) == ["Indicators", "Data", "Scorecard", HISTORY_SHEET]
    assert workbook.find("m:workbookProtection", NS) is not None
    assert ["A1", "Feb-21", "February's note"] in \
        CalamineWorkbook.from_path(str(path)).get_sheet_by_name(HISTORY_SHEET).to_python()
    assert_sound(path)


def test_protection_without_a_structure_lock_lets_a_sheet_be_added(tmp_path):
    path = scorecard_book(tmp_path / "book.xlsx")
    lock_structure(path, b'<workbookProtection lockStructure="0" lockWindows="1"/>')
    refresh(path)
    assert "Scorecard" in CalamineWorkbook.from_path(str(path)).sheet_names


# --- reserved style slots ---------------------------------------------------------------------

def style_entries(path: Path, collection: str) -> list:
    found = xml_of(path, "xl/styles.xml").find(f"m:{collection}", NS)
    return [] if found is None else list(found)


def used_ids(path: Path, attribute: str) -> set[int]:
    """The style ids the cells of every sheet use through their xfs."""
    xfs = style_entries(path, "cellXfs")
    used = set()
    for part, data in members(path).items():
        if part.startswith("xl/worksheets/") and part.endswith(".xml"):
            for s in re.findall(rb'<c [^>]*\bs="(\d+)"', data):
                used.add(int(xfs[int(s)].get(attribute, "0")))
    return used


def assert_reserved_slots_are_excels(path: Path) -> None:
    fills = style_entries(path, "fills")
    assert [f.find("m:patternFill", NS).get("patternType") for f in fills[:2]] == ["none", "gray125"]
    fills_used = used_ids(path, "fillId") - {0}
    assert fills_used and min(fills_used) >= 2, fills_used  # the red and green of the RAG among them
    font0, border0 = style_entries(path, "fonts")[0], style_entries(path, "borders")[0]
    xf0 = style_entries(path, "cellXfs")[0]
    assert font0.find("m:b", NS) is None and font0.find("m:i", NS) is None
    assert all(len(side) == 0 and not side.attrib for side in border0)
    assert {k: v for k, v in xf0.attrib.items() if k.endswith("Id")} == \
        {"numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0", "xfId": "0"}
    assert len(style_entries(path, "cellStyleXfs")) >= 1
    for collection in ("fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles"):
        element = xml_of(path, "xl/styles.xml").find(f"m:{collection}", NS)
        assert element.get("count") == str(len(element)), collection


@pytest.mark.parametrize("styles", [
    f'<styleSheet xmlns="{MAIN}"/>',
    f'<styleSheet xmlns="{MAIN}"><fonts count="0"/><fills count="0"/><borders count="0"/>'
    '<cellXfs count="0"/></styleSheet>',
    f'<styleSheet xmlns="{MAIN}"><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '</styleSheet>',
], ids=["bare", "empty collections", "one fill"])
def test_appended_styles_never_take_excels_reserved_slots(tmp_path, styles):
    path = scorecard_book(tmp_path / "book.xlsx")
    set_styles(path, styles.encode())
    refresh(path)
    assert_reserved_slots_are_excels(path)
    assert_sound(path)
    assert_second_refresh_identical(path)


def test_a_complete_stylesheet_is_only_appended_to(tmp_path):
    path = scorecard_book(tmp_path / "book.xlsx")
    before = {c: [etree.tostring(e) for e in style_entries(path, c)] for c in ("fonts", "fills", "borders", "cellXfs")}
    refresh(path)
    for collection, entries in before.items():
        assert [etree.tostring(e) for e in style_entries(path, collection)][:len(entries)] == entries
    assert_reserved_slots_are_excels(path)


def test_a_built_in_format_id_the_workbook_redefines_is_not_used_for_ours(tmp_path):
    """numFmtId 3 is '#,##0' unless the stylesheet says otherwise; this one says '0.000'."""
    path = scorecard_book(tmp_path / "book.xlsx")
    rewrite_member(path, "xl/styles.xml", lambda x: x.replace(
        b"<fonts", b'<numFmts count="1"><numFmt numFmtId="3" formatCode="0.000"/></numFmts><fonts', 1))
    refresh(path)
    formats = {f.get("numFmtId"): f.get("formatCode") for f in style_entries(path, "numFmts")}
    assert formats["3"] == "0.000"
    sheet = openpyxl_sheet(path, "Scorecard")
    counts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, (int, float))]
    shown = {c.number_format for c in counts}
    assert "#,##0" in shown and "0.000" not in shown


# --- other shapes of the workbook parts -----------------------------------------------------------

def test_a_workbook_part_without_sheets_gets_them(tmp_path):
    source = scorecard_book(tmp_path / "book.xlsx")
    rewrite_member(source, "xl/workbook.xml", lambda x: re.sub(rb"<sheets>.*</sheets>", b"", x))
    out = tmp_path / "out.xlsx"
    write_plans(source, [make_plan()], out)
    workbook = xml_of(out, "xl/workbook.xml")
    assert [etree.QName(e).localname for e in workbook][:4] == ["fileVersion", "workbookPr", "bookViews", "sheets"]
    assert workbook.xpath("//m:sheet/@name", namespaces=NS) == ["Scorecard"]


def test_worksheet_content_type_given_by_a_default(tmp_path):
    path = scorecard_book(tmp_path / "book.xlsx")
    rewrite_member(path, "[Content_Types].xml", lambda x: re.sub(
        rb'<Override PartName="/xl/worksheets/[^"]*" ContentType="[^"]*"/>', b"", x).replace(
        b'Extension="xml" ContentType="application/xml"', b'Extension="xml" ContentType="' + WORKSHEET_TYPE + b'"'))
    refresh(path)
    assert_sound(path)
    assert_second_refresh_identical(path)


def test_absolute_relationship_targets(tmp_path):
    path = scorecard_book(tmp_path / "book.xlsx")
    rewrite_member(path, "xl/_rels/workbook.xml.rels", lambda x: x.replace(b'Target="', b'Target="/xl/'))
    refresh(path)
    assert_sound(path)
    assert_second_refresh_identical(path)


def test_the_worksheet_folder_keeps_its_spelling(tmp_path):
    path = scorecard_book(tmp_path / "book.xlsx")
    rename_members(path, b"worksheets/", b"Worksheets/")
    refresh(path)
    assert_sound(path)
    assert sheet_part(path, "Scorecard").startswith("xl/Worksheets/")


def odd_packages_to_render(folder: Path) -> list[Path]:
    files = []
    for name, change in [("capitalised", capitalise_sheet_parts),
                         ("bare_styles", lambda p: set_styles(p, f'<styleSheet xmlns="{MAIN}"/>'.encode())),
                         ("absolute", lambda p: rewrite_member(p, "xl/_rels/workbook.xml.rels",
                                                               lambda x: x.replace(b'Target="', b'Target="/xl/')))]:
        path = scorecard_book(folder / f"{name}.xlsx")
        change(path)
        refresh(path)
        files.append(path)
    return files


@renders(odd_packages_to_render)
def test_libreoffice_opens_every_odd_package_after_a_refresh(rendered):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed, so the PDF check cannot run")
    files, outdir, result = rendered.files, rendered.outdir, rendered  # one conversion for every such test
    assert result.returncode == 0, result.stderr
    for file in files:
        pdf = outdir / (file.stem + ".pdf")
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), result.stdout + result.stderr
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
            assert "Indicator A2" in text, file.name


def test_a_relationship_target_spelt_in_another_case_names_the_same_part(tmp_path):
    # OPC part names ignore case: "Worksheets/SHEET3.xml" is xl/worksheets/sheet3.xml, not a missing part
    path = scorecard_book(tmp_path / "book.xlsx")
    refresh(path)
    part = sheet_part(path, "Scorecard")
    shouted = posixpath.relpath(part, "xl").replace("worksheets/", "Worksheets/").upper().replace(".XML", ".xml")
    rewrite_member(path, "xl/_rels/workbook.xml.rels",
                   lambda xml: xml.replace(posixpath.relpath(part, "xl").encode(), shouted.encode()))
    refresh(path)
    # openpyxl cannot follow such a target, so the check is with python-calamine
    names = list(members(path))
    assert len({n.casefold() for n in names}) == len(names), sorted(names)
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Scorecard").to_python()
    assert any(row and row[0] == "A2" for row in values)
