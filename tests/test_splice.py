"""The file backend splices a SheetPlan into the user's package and leaves everything else alone.

Source workbooks are built by code (XlsxWriter, openpyxl, and xlwings' shipped macro workbook).
Every check reads the written file with something other than our own writer: the zip members
byte for byte, lxml, python-calamine, openpyxl and LibreOffice.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from lxml import etree
from python_calamine import CalamineWorkbook

from rendering import renders
from scorecard_xl.backends.xlsx_file import (error_cells, protected_sheets, raw_cell_has_content, read_raw_cells,
                                             read_sheet_cells, sheet_owned_area, sheet_print_area, write_plans)
from scorecard_xl.problems import WorkbookError
from scorecard_xl.pages.sheetplan import PrintSetup, RichRun, RichText, SheetPlan, Style

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension:UserWarning")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS = {"m": MAIN}
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
WORKBOOK_PARTS = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}


# --- building sources and plans ------------------------------------------------------------------

def tiny_png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00\x00\x00\xff\x00" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def make_source(path: Path, with_scorecard: bool) -> Path:
    """A workbook people have used for years: data, formulas, a chart, an image, a text box,
    comments, a table, validation, links, sparklines, data bars; optionally a Scorecard sheet."""
    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
    bold = book.add_format({"bold": True})
    data = book.add_worksheet("Data")
    data.write_row(0, 0, ["Ref", "Month", "Value"], bold)
    for r in range(1, 6):
        data.write_row(r, 0, ["A", f"2021-0{r}", r * 10])
    data.write_formula(6, 2, "=SUM(C2:C6)", None, 150)
    data.write_comment("A1", "Reference of the indicator")
    data.add_table("E1:F4", {"columns": [{"header": "Key"}, {"header": "Note"}]})
    data.data_validation("G2", {"validate": "list", "source": ["High", "Low"]})
    data.write_url("H1", "https://www.gov.uk/", string="GOV.UK")
    chart = book.add_chart({"type": "line"})
    chart.add_series({"values": "=Data!$C$2:$C$6"})
    data.insert_chart("J2", chart)
    data.insert_image("J20", "dot.png", {"image_data": io.BytesIO(tiny_png())})
    data.insert_textbox("B10", "Notes typed by a person")
    data.add_sparkline("D2", {"range": "Data!C2:C6"})
    data.conditional_format("C2:C6", {"type": "data_bar"})
    if with_scorecard:
        card = book.add_worksheet("Scorecard")
        card.write(0, 0, "Last month's title")
        card.write_formula(5, 3, "=Data!C7", None, 150)
        card.write(30, 12, "typed by a person")
        card.write_formula(39, 12, "=1+1", None, 2)
        card.write_comment("M31", "Why this matters")
        card.write_url("M33", "https://example.org/", string="link")
        card.conditional_format("A1:D6", {"type": "data_bar"})
        card.add_sparkline("N31", {"range": "Data!C2:C6"})
        card.data_validation("M35", {"validate": "integer", "criteria": ">", "value": 0})
        card.add_table("P40:Q42", {"columns": [{"header": "Who"}, {"header": "What"}]})
        card.insert_image("P2", "dot.png", {"image_data": io.BytesIO(tiny_png())})
        card.set_column(20, 22, 30)
    book.add_worksheet("Notes").write(0, 0, "keep me")
    book.close()
    return path


def make_plan(name: str = "Scorecard") -> SheetPlan:
    plan = SheetPlan(name)
    title = Style("title", bold=True, font_size=14, font_color="1F4E79")
    head = Style("head", bold=True, fill="D9E1F2", wrap=True, horizontal="center", border="thin")
    count = Style("count", num_format="#,##0")
    pct = Style("pct", num_format="0%", fill="C6EFCE")
    rate = Style("rate", num_format="0.0", italic=True, fill="FFC7CE", border="thin", border_color="808080")
    plan.put(0, 0, "Children's services scorecard", title)
    plan.merges.append((0, 0, 0, 4))
    for c, text in enumerate(["Ref", "Indicator", "Count", "Rate", "Flag"]):
        plan.put(4, c, text, head)
    plan.put(5, 0, "=1+1")
    plan.put(5, 1, "-5 cases")
    plan.put(5, 2, 1234567, count)
    plan.put(5, 3, 0.375, pct)
    plan.put(5, 4, True)
    plan.put(6, 0, "+44 & <b>")
    plan.put(6, 1, RichText((RichRun("Red ", (("bold", True), ("color", "C00000"))), RichRun("and plain"))))
    plan.put(6, 2, 12.25, rate)
    plan.put(6, 3, "@home")
    plan.column_widths = {0: 8, 1: 40, 2: 12}
    plan.row_heights = {0: 24}
    plan.freeze = (5, 2)
    plan.zoom = 90
    plan.show_gridlines = False
    plan.tab_color = "1F4E79"
    plan.print_setup = PrintSetup(repeat_rows=(4, 5), header='&C&"-,Bold"Scorecard')
    return plan


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def differing(before: Path, after: Path) -> set[str]:
    old, new = members(before), members(after)
    return {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}


def sheet_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    rid = [s.get(R_ID) for s in book.iterfind(".//m:sheet", NS) if s.get("name") == name][0]
    target = [r.get("Target") for r in rels if r.get("Id") == rid][0]
    return "xl/" + target


def children(xml: bytes, collection: str) -> list[bytes]:
    root = etree.fromstring(xml)
    found = root.find(f"{{{MAIN}}}{collection}")
    return [] if found is None else [etree.tostring(e, method="c14n") for e in found]


@pytest.fixture
def sources(tmp_path):
    return make_source(tmp_path / "without.xlsx", False), make_source(tmp_path / "with.xlsx", True)


# --- preservation --------------------------------------------------------------------------------

def test_added_sheet_changes_only_what_it_must(sources, tmp_path):
    source, _ = sources
    out = tmp_path / "added.xlsx"
    write_plans(source, [make_plan()], out)
    new_part = sheet_part(out, "Scorecard")
    assert new_part not in members(source)
    assert differing(source, out) == WORKBOOK_PARTS | {"xl/styles.xml", new_part}
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(out) as b:
        old_infos, new_infos = a.infolist(), b.infolist()
        assert [i.filename for i in new_infos][:len(old_infos)] == [i.filename for i in old_infos]
        for old, new in zip(old_infos, new_infos):
            assert (old.compress_type, old.date_time) == (new.compress_type, new.date_time)
    book = etree.fromstring(members(out)["xl/workbook.xml"])
    assert book.xpath("//m:sheet/@name", namespaces=NS) == ["Data", "Notes", "Scorecard"]
    names = {(n.get("name"), n.get("localSheetId")): n.text for n in book.iterfind(".//m:definedName", NS)}
    assert names[("_xlnm.Print_Titles", "2")] == "'Scorecard'!$5:$6"
    assert names[("_xlnm.Print_Area", "2")] == "'Scorecard'!$A$1:$E$7"
    types = members(out)["[Content_Types].xml"].decode()
    assert f'PartName="/{new_part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"' in types
    assert sheet_print_area(out, "scorecard") == (0, 0, 6, 4)


def test_replaced_sheet_keeps_drawings_comments_tables_and_links(sources, tmp_path):
    _, source = sources
    out = tmp_path / "replaced.xlsx"
    part = sheet_part(source, "Scorecard")
    rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    keep = {pos: raw for pos, raw in read_raw_cells(source, "Scorecard").items() if pos[0] >= 30}
    write_plans(source, [make_plan()], out, keep_cells={"scorecard": keep})
    # styles (new formats), the sheet itself, and workbook.xml (the print names) — nothing else
    assert differing(source, out) == {"xl/styles.xml", part, "xl/workbook.xml"}
    assert members(out)[rels] == members(source)[rels]
    old = etree.fromstring(members(source)[part])
    new = etree.fromstring(members(out)[part])
    for name in ("drawing", "legacyDrawing", "tableParts", "hyperlinks", "dataValidations",
                 "conditionalFormatting", "extLst"):
        assert [etree.tostring(e, method="c14n") for e in new.iterfind(f"m:{name}", NS)] == \
               [etree.tostring(e, method="c14n") for e in old.iterfind(f"m:{name}", NS)], name
    order = [etree.QName(e).localname for e in new]
    assert order == ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "mergeCells",
                     "conditionalFormatting", "dataValidations", "hyperlinks", "pageMargins", "pageSetup",
                     "headerFooter", "drawing", "legacyDrawing", "tableParts", "extLst"]
    # typed cells outside our area come back unchanged, and the old column widths beyond our columns
    values = read_sheet_cells(out, "Scorecard")
    assert values[(30, 12)] == "typed by a person" and values[(39, 15)] == "Who"
    assert values[(5, 3)] == 0.375 and new.find("m:sheetData/m:row/m:c[@r='D6']/m:f", NS) is None  # formula gone
    assert values[(0, 0)] == "Children's services scorecard"
    assert new.find("m:cols/m:col[@min='21']", NS) is not None
    for pos, raw in keep.items():
        assert raw in members(out)[part]


def retouch(path: Path) -> None:
    """Rewrite the package parts with XML that means the same but that lxml would spell differently,
    so a part re-serialized without need shows up as a difference."""
    respelled = (".rels", "workbook.xml", "styles.xml", "Types].xml")
    rewrite_members(path, lambda name, data: data.replace(b"/>", b" />") if name.endswith(respelled) else data)


def test_styles_are_append_only_and_a_second_splice_changes_nothing(sources, tmp_path):
    for source in sources:
        first, second = tmp_path / f"1-{source.name}", tmp_path / f"2-{source.name}"
        write_plans(source, [make_plan()], first)
        retouch(first)
        write_plans(first, [make_plan()], second)
        assert differing(first, second) == set()
        old_styles, new_styles = members(source)["xl/styles.xml"], members(first)["xl/styles.xml"]
        for collection in ("numFmts", "fonts", "fills", "borders", "cellXfs"):
            before = children(old_styles, collection)
            after = children(new_styles, collection)
            assert after[:len(before)] == before, collection
            assert etree.fromstring(new_styles).find(f"m:{collection}", NS).get("count") == str(len(after))
        formats = etree.fromstring(new_styles).findall("m:numFmts/m:numFmt", NS)
        assert [f.get("formatCode") for f in formats if int(f.get("numFmtId")) >= 164] == ["0.0"]
        assert all(int(f.get("numFmtId")) >= 164 for f in formats if f.get("formatCode") == "0.0")


def test_existing_identical_style_is_reused(tmp_path):
    source = tmp_path / "s.xlsx"
    book = xlsxwriter.Workbook(str(source), {"in_memory": True})
    book.add_worksheet("Data").write(0, 0, 1, book.add_format({"bold": True}))
    book.close()
    plan = SheetPlan("Scorecard")
    plan.put(0, 0, "x", Style("b", bold=True))
    out = tmp_path / "o.xlsx"
    write_plans(source, [plan], out)
    assert "xl/styles.xml" not in differing(source, out)


# --- what other readers see ----------------------------------------------------------------------

def test_calamine_reads_values_back(sources, tmp_path):
    out = tmp_path / "o.xlsx"
    write_plans(sources[1], [make_plan()], out)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Scorecard").to_python()
    assert rows[5][:5] == ["=1+1", "-5 cases", 1234567, 0.375, True]
    assert rows[6][:4] == ["+44 & <b>", "Red and plain", 12.25, "@home"]
    assert rows[0][0] == "Children's services scorecard"
    notes = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Notes").to_python()
    assert notes[0][0] == "keep me"


def test_openpyxl_sees_the_layout(sources, tmp_path):
    out = tmp_path / "o.xlsx"
    write_plans(sources[0], [make_plan()], out)
    sheet = openpyxl.load_workbook(out)["Scorecard"]
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:E1"]
    assert sheet.freeze_panes == "C6"
    assert sheet.column_dimensions["B"].width == pytest.approx(40.71, abs=0.01)
    assert sheet.row_dimensions[1].height == 24
    assert sheet["C6"].number_format == "#,##0" and sheet["D6"].number_format == "0%"
    assert sheet["C7"].number_format == "0.0"
    assert sheet["D6"].fill.fgColor.rgb == "FFC6EFCE" and sheet["A5"].fill.fgColor.rgb == "FFD9E1F2"
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14 and sheet["A1"].font.color.rgb == "FF1F4E79"
    assert sheet["A1"].font.name == "Calibri"  # the workbook's own font
    assert sheet["C7"].border.left.style == "thin" and sheet["C7"].font.i
    assert sheet["A6"].value == "=1+1" and sheet["A6"].data_type == "s"
    # text that starts like a formula stays text even when someone edits the cell in Excel
    assert sheet["A6"].quotePrefix and sheet["B6"].quotePrefix and sheet["D7"].quotePrefix
    assert not sheet["A5"].quotePrefix and not sheet["A1"].quotePrefix
    assert sheet.print_title_rows == "$5:$6"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.tabColor.rgb == "FF1F4E79"
    assert sheet.sheet_view.showGridLines is False and sheet.sheet_view.zoomScale == 90


def test_openpyxl_rich_text_keeps_its_run_formatting(tmp_path):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    source = tmp_path / "rich.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Scorecard"
    book.active["B2"] = CellRichText([TextBlock(InlineFont(b=True, color="FF0000", sz=12), "Urgent:"),
                                      " review ", TextBlock(InlineFont(i=True, rFont="Arial"), "today")])
    book.active["B3"] = "plain"
    book.save(source)
    cells = read_sheet_cells(source, "scorecard")
    rich = cells[(1, 1)]
    assert isinstance(rich, RichText) and rich.text == "Urgent: review today"
    assert dict(rich.runs[0].font)["bold"] is True and dict(rich.runs[0].font)["color"] == "FF0000"
    assert dict(rich.runs[2].font) == {"italic": True, "name": "Arial"}
    assert cells[(2, 1)] == "plain" and read_sheet_cells(source, "Missing") is None

    plan = SheetPlan("Scorecard")
    plan.put(1, 1, rich)
    out = tmp_path / "out.xlsx"
    write_plans(source, [plan], out)
    again = read_sheet_cells(out, "Scorecard")[(1, 1)]
    assert [(r.text, r.ooxml_rpr) for r in again.runs] == [(r.text, r.ooxml_rpr) for r in rich.runs]
    loaded = openpyxl.load_workbook(out, rich_text=True)["Scorecard"]["B2"].value
    assert loaded[0].font.b and loaded[2].font.rFont == "Arial"


def test_text_is_escaped_and_never_a_formula(tmp_path):
    source = tmp_path / "s.xlsx"
    xlsxwriter.Workbook(str(source), {"in_memory": True}).close()
    plan = SheetPlan("Odd 'names' & more")
    texts = ["=HYPERLINK(\"http://x\")", "a\x00b\x1fc", "_x0041_ literal", "line1\r\nline2", "tab\there ü €"]
    for r, text in enumerate(texts):
        plan.put(r, 0, text)
    out = tmp_path / "o.xlsx"
    write_plans(source, [plan], out)
    xml = members(out)[sheet_part(out, "Odd 'names' & more")]
    assert b"<f>" not in xml
    values = read_sheet_cells(out, "odd 'NAMES' & more")
    values_expected = [texts[0], "abc", "_x0041_ literal", "line1\r\nline2", texts[4]]
    assert [values[(r, 0)] for r in range(5)] == values_expected
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Odd 'names' & more").to_python()
    assert [row[0] for row in rows] == values_expected
    # (openpyxl does not undo Excel's _x005F_ escape in inline strings; Excel and calamine do)
    assert openpyxl.load_workbook(out)["Odd 'names' & more"]["A1"].value == texts[0]


def test_numpy_values_and_nan(tmp_path):
    import numpy as np

    source = tmp_path / "s.xlsx"
    xlsxwriter.Workbook(str(source), {"in_memory": True}).close()
    plan = SheetPlan("Numbers")
    plan.styles["pct"] = Style("pct", num_format="0%")
    for c, value in enumerate([np.int64(7), np.float64(0.25), np.bool_(False), float("nan"), 1e-7, 2**40]):
        plan.put(0, c, value, "pct")
    out = tmp_path / "o.xlsx"
    write_plans(source, [plan], out)
    assert read_sheet_cells(out, "Numbers") == {(0, 0): 7, (0, 1): 0.25, (0, 2): False, (0, 4): 1e-7, (0, 5): 2**40}
    assert openpyxl.load_workbook(out)["Numbers"]["D1"].number_format == "0%"  # NaN: empty, still styled
    with pytest.raises(TypeError, match="cannot write a date"):
        import datetime
        plan.put(1, 0, datetime.date(2021, 2, 1))
        write_plans(source, [plan], tmp_path / "p.xlsx")


# --- calcChain, macros, protection, refusals -----------------------------------------------------

def with_calc_chain(source: Path, target: Path, entries: str) -> Path:
    """``source`` plus an xl/calcChain.xml (as Excel writes it) holding ``entries``."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>')
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/calcChain" '
                                    b'Target="calcChain.xml"/></Relationships>')
            out.writestr(info, data)
        out.writestr("xl/calcChain.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                     f'<calcChain xmlns="{MAIN}">{entries}</calcChain>')
    return target


def test_calc_chain_loses_only_the_replaced_sheets_entries(sources, tmp_path):
    _, plain = sources  # sheetIds: Data 1, Scorecard 2, Notes 3
    source = with_calc_chain(plain, tmp_path / "chain.xlsx", '<c r="C7" i="1"/><c r="D6" i="2"/><c r="D9"/><c r="A1" i="3"/><c r="A2"/>')
    out = tmp_path / "o.xlsx"
    write_plans(source, [make_plan()], out)
    chain = members(out)["xl/calcChain.xml"]
    assert chain.endswith(b'<c r="C7" i="1"/><c r="A1" i="3"/><c r="A2"/></calcChain>')
    assert chain.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n')
    assert "xl/_rels/workbook.xml.rels" not in differing(source, out)

    # a kept formula cell whose entry took its sheet from a removed entry now names the sheet
    source = with_calc_chain(plain, tmp_path / "chain2.xlsx", '<c r="C7" i="1"/><c r="D6" i="2"/><c r="M40"/>')
    keep = {pos: raw for pos, raw in read_raw_cells(source, "Scorecard").items() if pos == (39, 12)}
    assert b"<f>" in keep[(39, 12)]
    write_plans(source, [make_plan()], out, keep_cells={"Scorecard": keep})
    assert members(out)["xl/calcChain.xml"].endswith(b'<c r="C7" i="1"/><c r="M40" i="2"/></calcChain>')
    assert read_sheet_cells(out, "Scorecard")[(39, 12)] == 2

    # nothing left: the part, its relationship and its content type go
    source = with_calc_chain(plain, tmp_path / "chain3.xlsx", '<c r="D6" i="2"/>')
    write_plans(source, [make_plan()], out)
    assert "xl/calcChain.xml" not in members(out)
    assert b"calcChain" not in members(out)["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in members(out)["[Content_Types].xml"]
    assert openpyxl.load_workbook(out)["Scorecard"]["A6"].value == "=1+1"


def test_kept_cell_using_a_shared_formula_defined_in_our_area_keeps_its_value(sources, tmp_path):
    source = sources[1]
    keep = {(40, 12): b'<c r="M41"><f t="shared" si="0"/><v>3</v></c>',
            (41, 12): b'<c r="M42"><f t="shared" ref="M42:M43" si="1">A1+1</f><v>4</v></c>',
            (42, 12): b'<c r="M43"><f t="shared" si="1"/><v>5</v></c>'}
    out = tmp_path / "o.xlsx"
    write_plans(source, [make_plan()], out, keep_cells={"Scorecard": keep})
    xml = members(out)[sheet_part(out, "Scorecard")]
    assert b'<c r="M41"><v>3</v></c>' in xml and keep[(41, 12)] in xml and keep[(42, 12)] in xml


def test_macro_workbook_keeps_its_vba_and_ribbon(tmp_path):
    import xlwings

    shipped = Path(xlwings.__file__).parent / "quickstart.xlsm"
    source = tmp_path / "book.xlsm"
    with zipfile.ZipFile(shipped) as z, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdUI" Type="http://schemas.'
                                    b'microsoft.com/office/2007/relationships/ui/extensibility" '
                                    b'Target="customUI/customUI14.xml"/></Relationships>')
            out.writestr(info, data)
        out.writestr("customUI/customUI14.xml", '<customUI xmlns="http://schemas.microsoft.com/office/2009/07/'
                     'customui"><ribbon><tabs><tab id="sc" label="Scorecard"/></tabs></ribbon></customUI>')
    added, replaced = tmp_path / "added.xlsm", tmp_path / "replaced.xlsm"
    write_plans(source, [make_plan()], added)
    write_plans(added, [make_plan("SHEET1")], replaced)
    for out in (added, replaced):
        assert members(out)["xl/vbaProject.bin"] == members(source)["xl/vbaProject.bin"]
        assert members(out)["customUI/customUI14.xml"] == members(source)["customUI/customUI14.xml"]
        assert b"sheet.macroEnabled.main+xml" in members(out)["[Content_Types].xml"]
    assert differing(added, replaced) == {"xl/worksheets/sheet1.xml", "xl/workbook.xml"}
    sheet1 = members(replaced)["xl/worksheets/sheet1.xml"]
    assert b'<sheetPr codeName="Sheet1">' in sheet1 and b'tabSelected="1"' in sheet1
    assert openpyxl.load_workbook(replaced, keep_vba=True)["Sheet1"]["B6"].value == "-5 cases"


def test_protected_sheets_and_refusals(tmp_path):
    source = tmp_path / "s.xlsx"
    book = xlsxwriter.Workbook(str(source), {"in_memory": True})
    book.add_worksheet("Locked").protect()
    book.add_worksheet("Open")
    book.add_chartsheet("Chart").set_chart(book.add_chart({"type": "pie"}))
    book.worksheets()[1].write(0, 0, 1)
    book.worksheets()[0].write(0, 0, 1)
    book.worksheets()[2].chart.add_series({"values": "=Open!$A$1:$A$1"})
    book.close()
    assert protected_sheets(source) == {"Locked"}
    with pytest.raises(WorkbookError, match="chart or macro sheet"):
        write_plans(source, [make_plan("chart")], tmp_path / "o.xlsx")
    with pytest.raises(WorkbookError, match="cannot be used as a sheet name"):
        write_plans(source, [make_plan("Score/card")], tmp_path / "o.xlsx")
    with pytest.raises(ValueError, match="another file"):
        write_plans(source, [make_plan()], source)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(WorkbookError, match="old-style .xls"):
        write_plans(old, [make_plan()], tmp_path / "o.xlsx")
    # a replaced protected sheet stays protected
    out = tmp_path / "o.xlsx"
    write_plans(source, [make_plan("Locked")], out)
    assert protected_sheets(out) == {"Locked"}


def test_sheet_written_by_another_tool_keeps_printer_settings_controls_and_code_name():
    """An old sheet with the main namespace under a prefix, mc:AlternateContent controls, a
    printer-settings r:id and a VBA code name (as Excel and .NET libraries write them)."""
    from scorecard_xl.backends.ooxml_sheet import SCHEMA_ORDER, read_old_sheet, render_sheet

    old = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac">
 <x:sheetPr codeName="Sheet7" filterMode="0"><x:tabColor rgb="FF00FF00"/></x:sheetPr>
 <x:sheetViews><x:sheetView tabSelected="1" workbookViewId="0"/></x:sheetViews>
 <x:sheetFormatPr defaultRowHeight="14.5" x14ac:dyDescent="0.35"/>
 <x:sheetData><x:row r="3"><x:c r="B3" t="s"><x:v>0</x:v></x:c><x:c><x:v>7</x:v></x:c></x:row></x:sheetData>
 <x:pageSetup orientation="portrait" r:id="rId9"/>
 <x:legacyDrawing r:id="rId2"/>
 <mc:AlternateContent><mc:Choice Requires="x14"><x:controls><x:control shapeId="1025" r:id="rId3"/></x:controls></mc:Choice></mc:AlternateContent>
</x:worksheet>""".encode()
    plan = make_plan()
    plan.tab_color = None
    xml = render_sheet(plan, {name: i for i, name in enumerate(plan.styles, 1)}, read_old_sheet(old))
    root = etree.fromstring(xml)
    order = [etree.QName(e).localname if etree.QName(e).localname != "AlternateContent" else "controls"
             for e in root]
    assert order == sorted(order, key=SCHEMA_ORDER.index)
    assert order[-2:] == ["legacyDrawing", "controls"]
    assert root.find("m:sheetPr", NS).get("codeName") == "Sheet7"
    assert root.find("m:sheetPr/m:tabColor", NS).get("rgb") == "FF00FF00"  # the plan has no colour of its own
    assert root.find("m:sheetPr/m:pageSetUpPr", NS).get("fitToPage") == "1"
    assert root.find("m:pageSetup", NS).get(R_ID) == "rId9"
    assert root.find("m:pageSetup", NS).get("orientation") == "landscape"
    assert root.find("m:sheetViews/m:sheetView", NS).get("tabSelected") == "1"
    assert root.get("{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable") == "x14ac"
    assert xml.count(b"xmlns:x14ac=") == 1 and b"<x:" not in xml


def test_print_area_notations(tmp_path):
    from scorecard_xl.addressing import parse_area

    assert parse_area("'It''s'!$B$2:$D$9") == (1, 1, 8, 3)
    assert parse_area("Scorecard!$A:$K") == (0, 0, 1048575, 10)
    assert parse_area("Scorecard!$5:$6,Scorecard!$A:$A") == (4, 0, 5, 16383)
    assert parse_area("Scorecard!$C$3") == (2, 2, 2, 2)
    assert parse_area("#REF!") is None


# --- the owned-area record, a person's cells and settings, quiet workbook.xml ----------------------

def rewrite_members(path: Path, change) -> None:
    """Replace each zip member's bytes with ``change(name, bytes)``, in the same order and settings."""
    parts = members(path)
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, change(info.filename, parts[info.filename]))


def rewrite_member(path: Path, member: str, change) -> None:
    """Replace one zip member's bytes with ``change(bytes)``, everything else as it is."""
    rewrite_members(path, lambda name, data: change(data) if name == member else data)


def defined_names(path: Path) -> dict[tuple[str, str | None], etree._Element]:
    book = etree.fromstring(members(path)["xl/workbook.xml"])
    return {(n.get("name"), n.get("localSheetId")): n for n in book.iterfind(".//m:definedName", NS)}


def test_owned_area_is_a_hidden_sheet_name_that_outlives_print_area_edits(sources, tmp_path):
    source, with_card = sources
    assert sheet_owned_area(with_card, "Scorecard") is None  # never written by the tool
    first = tmp_path / "first.xlsx"
    write_plans(source, [make_plan()], first)
    name = defined_names(first)[("_scorecard_xl_area", "2")]
    assert name.get("hidden") == "1" and name.text == "'Scorecard'!$A$1:$E$7"
    assert sheet_owned_area(first, "SCORECARD") == (0, 0, 6, 4) and sheet_owned_area(first, "Nope") is None
    # a person widens the print area to print a note: the record of what the tool owns stays
    rewrite_member(first, "xl/workbook.xml", lambda x: re.sub(rb'(name="_xlnm.Print_Area" localSheetId="2">)[^<]*',
                                                              rb"\1'Scorecard'!$A$1:$Z$25", x))
    assert sheet_print_area(first, "Scorecard") == (0, 0, 24, 25)
    assert sheet_owned_area(first, "Scorecard") == (0, 0, 6, 4)
    # a workbook refreshed before the record existed: its print area stands in for it
    rewrite_member(first, "xl/workbook.xml",
                   lambda x: re.sub(rb'<definedName name="_scorecard_xl_area"[^>]*>[^<]*</definedName>', b"", x))
    assert sheet_owned_area(first, "Scorecard") == (0, 0, 24, 25)
    second = tmp_path / "second.xlsx"
    write_plans(first, [make_plan()], second)
    assert sheet_owned_area(second, "Scorecard") == (0, 0, 6, 4)
    assert [key for key in defined_names(second) if key[0] == "_scorecard_xl_area"] == [("_scorecard_xl_area", "2")]
    # the same area again: workbook.xml keeps its bytes
    third = tmp_path / "third.xlsx"
    write_plans(second, [make_plan()], third)
    assert "xl/workbook.xml" not in differing(second, third)


def test_raw_cell_has_content():
    assert raw_cell_has_content(b'<c r="A1"><v>3</v></c>')
    assert raw_cell_has_content(b'<c r="A1" t="inlineStr"><is><t>x</t></is></c>')
    assert raw_cell_has_content(b'<c r="B18" t="str"><f>IF(A1="","","")</f><v></v></c>')  # formula showing ""
    assert raw_cell_has_content(b'<c r="B18"><f>A1</f></c>')  # formula never calculated
    assert raw_cell_has_content(b'<c r="B18"><f t="shared" si="0"/></c>')
    assert raw_cell_has_content(b'<c r="C18" s="7"/>')  # a yellow sign-off box
    assert not raw_cell_has_content(b'<c r="C18"/>')
    assert not raw_cell_has_content(b'<c r="C18" s="0"><v></v></c>')


def test_a_persons_merges_row_settings_and_formula_cells_outside_the_areas_are_carried(sources, tmp_path):
    source, _ = sources
    first = tmp_path / "first.xlsx"
    bigger = make_plan()
    bigger.put(9, 6, "last month's extra column")  # last time the tool owned A1:G10
    write_plans(source, [bigger], first)
    part = sheet_part(first, "Scorecard")

    def person_edits(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        data = root.find("m:sheetData", NS)
        data.find("m:row[@r='10']", NS).attrib.update({"ht": "30", "customHeight": "1"})  # inside the old area
        for row in ('<row r="15" ht="40" customHeight="1"><c r="A15" t="inlineStr"><is><t>Notes for the Board</t>'
                    '</is></c></row>', '<row r="16" s="3" customFormat="1"/>',
                    '<row r="18"><c r="A18" t="inlineStr"><is><t>Checked by</t></is></c>'
                    '<c r="B18" t="str"><f>IF(Indicators!A2="","","")</f><v></v></c><c r="C18" s="3"/></row>',
                    '<row r="20" hidden="1"><c r="A20"><v>5</v></c></row>'):
            data.append(etree.fromstring(f'<w xmlns="{MAIN}">{row}</w>')[0])
        merges = root.find("m:mergeCells", NS)
        for ref in ("F9:G10", "H2:I3", "A15:F16", "D6:F8"):  # inside old area / right / below / across
            etree.SubElement(merges, f"{{{MAIN}}}mergeCell", ref=ref)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    rewrite_member(first, part, person_edits)
    raw = read_raw_cells(first, "Scorecard")
    keep = {pos: cell for pos, cell in raw.items() if pos[0] >= 14 and raw_cell_has_content(cell)}
    assert set(keep) == {(14, 0), (17, 0), (17, 1), (17, 2), (19, 0)}
    out = tmp_path / "out.xlsx"
    write_plans(first, [make_plan()], out, keep_cells={"Scorecard": keep})  # now the tool owns A1:E7
    root = etree.fromstring(members(out)[part])
    assert [m.get("ref") for m in root.iterfind("m:mergeCells/m:mergeCell", NS)] == ["A1:E1", "H2:I3", "A15:F16"]
    assert root.find("m:mergeCells", NS).get("count") == "3"
    rows = {row.get("r"): dict(row.attrib) for row in root.iterfind("m:sheetData/m:row", NS)}
    assert rows["15"] == {"r": "15", "ht": "40", "customHeight": "1"}
    assert rows["16"] == {"r": "16", "s": "3", "customFormat": "1"}
    assert rows["20"] == {"r": "20", "hidden": "1"} and rows["1"] == {"r": "1", "ht": "24", "customHeight": "1"}
    assert "10" not in rows  # the old area's row settings were the tool's
    b18 = root.find("m:sheetData/m:row/m:c[@r='B18']", NS)
    assert b18.get("t") == "str" and b18.find("m:f", NS).text == 'IF(Indicators!A2="","","")'
    assert not b18.find("m:v", NS).text
    assert root.find("m:sheetData/m:row/m:c[@r='C18']", NS).get("s") == "3"
    sheet = openpyxl.load_workbook(out)["Scorecard"]
    assert sorted(str(r) for r in sheet.merged_cells.ranges) == ["A15:F16", "A1:E1", "H2:I3"]
    assert sheet.row_dimensions[15].height == 40 and sheet.row_dimensions[20].hidden


def test_workbook_xml_keeps_its_bytes_when_names_mean_the_same(sources, tmp_path):
    source, _ = sources
    first = tmp_path / "first.xlsx"
    write_plans(source, [make_plan()], first)
    # Excel writes names without needless quotes; a person adds column A to the print titles
    rewrite_member(first, "xl/workbook.xml", lambda x: x.replace(b"'Scorecard'!$A$1:$E$7", b"SCORECARD!A1:E7")
                   .replace(b"'Scorecard'!$5:$6", b"Scorecard!$A:$A,Scorecard!$5:$6"))
    second = tmp_path / "second.xlsx"
    write_plans(first, [make_plan()], second)
    assert differing(first, second) == set()
    # the rows change: only they do, the person's title column stays
    plan = make_plan()
    plan.print_setup = PrintSetup(repeat_rows=(4, 4), header='&C&"-,Bold"Scorecard')
    third = tmp_path / "third.xlsx"
    write_plans(second, [plan], third)
    assert differing(second, third) == {"xl/workbook.xml"}
    names = defined_names(third)
    assert names[("_xlnm.Print_Titles", "2")].text == "Scorecard!$A:$A,'Scorecard'!$5:$5"
    assert names[("_xlnm.Print_Area", "2")].text == "SCORECARD!A1:E7"


def test_error_cells_of_a_sheet_written_with_a_namespace_prefix(tmp_path):
    source = tmp_path / "s.xlsx"
    book = xlsxwriter.Workbook(str(source), {"in_memory": True})
    book.add_worksheet("Data").write(0, 0, 1)
    book.add_worksheet("Plain").write(0, 0, 1)
    book.close()
    rewrite_member(source, "xl/worksheets/sheet1.xml", lambda _: f"""<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="{MAIN}"><x:sheetData>
<x:row r="3"><x:c r="C3" t="e"><x:f>NA()</x:f><x:v>#N/A</x:v></x:c><x:c t="e" r="D3"><x:v>#DIV/0!</x:v></x:c>
<x:c><x:v>4</x:v></x:c><x:c t='e'><x:v>#REF!</x:v></x:c></x:row>
<x:row><x:c r="A4" t="e" s="1"><x:f t="shared" si="0"/><x:v>#VALUE!</x:v></x:c></x:row>
</x:sheetData></x:worksheet>""".encode())
    assert error_cells(source, ["data", "Plain", "Missing"]) == {
        "data": {(2, 2): "#N/A", (2, 3): "#DIV/0!", (2, 5): "#REF!", (3, 0): "#VALUE!"}}


def test_protected_sheets_reads_only_the_sheets_asked_about_and_workbook_xml_once(tmp_path, monkeypatch):
    from scorecard_xl.read import ooxml_package
    from scorecard_xl.read.ooxml_package import Package

    source = tmp_path / "s.xlsx"
    book = xlsxwriter.Workbook(str(source), {"in_memory": True})
    book.add_worksheet("Locked").protect()
    book.add_worksheet("Export").write_column(0, 0, list(range(5000)))
    book.close()
    read, parsed = [], []
    real_read, real_parse = Package.read, ooxml_package.parse_xml
    monkeypatch.setattr(Package, "read", lambda self, part: read.append(part) or real_read(self, part))
    monkeypatch.setattr(ooxml_package, "parse_xml", lambda data: parsed.append(data[:200]) or real_parse(data))
    assert protected_sheets(source, ["locked"]) == {"Locked"}
    assert protected_sheets(source, ["Export", "Missing"]) == set()
    assert protected_sheets(source) == {"Locked"}
    assert [p for p in read if p.startswith("xl/worksheets/")] == ["xl/worksheets/sheet1.xml",
                                                                   "xl/worksheets/sheet2.xml",
                                                                   "xl/worksheets/sheet1.xml",
                                                                   "xl/worksheets/sheet2.xml"]
    parsed.clear()
    with Package(source) as package:
        assert package.find_sheet("export").index == 1 and package.find_sheet("LOCKED").index == 0
        assert [e.name for e in package.sheets()] == ["Locked", "Export"]
    assert sum(b"<workbook" in data for data in parsed) == 1


def test_one_parser_of_column_letters_and_no_dead_code():
    from scorecard_xl.backends import ooxml_styles
    from scorecard_xl.addressing import column_index, column_letter
    from scorecard_xl.addressing import parse_cell as parse_ref
    from scorecard_xl.read import workbook as reader

    assert [column_index(text) for text in ("A", "z", "AA", "AB", "XFD")] == [0, 25, 26, 27, 16383]
    assert all(column_index(column_letter(n)) == n for n in range(0, 20000, 7))
    assert parse_ref("$AB$12") == (11, 27)
    assert not hasattr(ooxml_styles, "add_styles") and not hasattr(reader, "all_sheets")


# --- LibreOffice -----------------------------------------------------------------------------------

def spliced_workbooks_to_render(folder: Path) -> list[Path]:
    import xlwings

    sources = make_source(folder / "without.xlsx", False), make_source(folder / "with.xlsx", True)
    files = [folder / "lo_added.xlsx", folder / "lo_replaced.xlsx", folder / "lo_macro.xlsm"]
    write_plans(sources[0], [make_plan()], files[0])
    write_plans(sources[1], [make_plan()], files[1])
    write_plans(Path(xlwings.__file__).parent / "quickstart.xlsm", [make_plan("Sheet1")], files[2])
    return files


@renders(spliced_workbooks_to_render)
def test_libreoffice_converts_spliced_workbooks_to_pdf(rendered):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed, so the PDF check cannot run")
    files, outdir, result = rendered.files, rendered.outdir, rendered  # one conversion for every such test
    assert result.returncode == 0, result.stderr
    for file in files:
        pdf = outdir / (file.stem + ".pdf")
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), result.stdout + result.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(outdir / "lo_replaced.pdf"), "-"], capture_output=True,
                              text=True).stdout
        assert "Children's services scorecard" in text and "-5 cases" in text and "=1+1" in text
