"""Reading workbooks that are damaged, oversized or built to hurt: one plain line, never a
traceback, memory that follows the cells present, and the file left as it was."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from damaged_packages import (MAIN, build_package, change_members, declare_size, member, rows_xml,
                              shared_strings_xml, sheet_part, sheet_xml, styles_xml, text_item, with_sheet,
                              write_big_member)
from scorecard_xl import refresh
from scorecard_xl.read import ooxml_stream
from scorecard_xl.read.ooxml_package import Package
from scorecard_xl.backends.xlsx_file import read_sheet_cells
from scorecard_xl.cli import main
from scorecard_xl.problems import WorkbookError
from scorecard_xl.read.workbook import read_workbook
from scorecard_xl.read.sheet import Sheet
from workbooks import indicator, make_workbook, monthly_series


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "sample.xlsx"
    assert main(["new", str(path), "--sample"]) == 0
    return path


def small_book(path: Path) -> Path:
    return make_workbook(path, [indicator("A1", red="<5", amber="5>", green="10+")],
                         monthly_series("A1", 2020, 1, list(range(14))), settings={"Title": "Test"})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(capsys, *args) -> tuple[int, str]:
    """Exit status and everything printed; a traceback fails the test by propagating."""
    status = main([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


# --- the values: the same as python-calamine reads them ----------------------------------------------

def calamine_values(path: Path, name: str) -> dict[tuple[int, int], object]:
    """Calamine's reading of a sheet, with the conventions the tool keeps: '' and 00:00 are nothing."""
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python(skip_empty_area=False)
    return {(r, c): v for r, row in enumerate(grid) for c, v in enumerate(row)
            if v != "" and v != dt.time(0)}


def our_values(sheet: Sheet) -> dict[tuple[int, int], object]:
    return {(r, c): v for r, row in enumerate(sheet.rows) for c, v in enumerate(row) if v is not None}


def same_values(ours: dict, theirs: dict) -> list:
    """Cells that differ, in type or value (NaN equals NaN)."""
    def same(a, b):
        if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
            return True
        return type(a) is type(b) and a == b
    return [(key, ours.get(key), theirs.get(key)) for key in sorted(set(ours) | set(theirs), key=str)
            if not same(ours.get(key), theirs.get(key))]


def assert_reads_like_calamine(path: Path, ignore_errors: bool = False) -> None:
    sheets = read_workbook(path, wanted=lambda name: True)
    assert sheets, path
    for sheet in sheets:
        ours = our_values(sheet)
        theirs = calamine_values(path, sheet.name)
        if ignore_errors:  # calamine shows an error cell as empty; the tool reads its text
            ours = {k: v for k, v in ours.items() if not (isinstance(v, str) and v.startswith("#"))}
        assert same_values(ours, theirs) == [], (path.name, sheet.name)


def typed_book(path: Path, date1904: bool = False) -> Path:
    """Numbers, text, dates in text and date formats, percentages, times, errors, rich text and
    booleans, as Excel's own writers store them (shared strings)."""
    book = xlsxwriter.Workbook(str(path), {"in_memory": True, "date_1904": date1904, "strings_to_numbers": False})
    formats = {code: book.add_format({"num_format": code}) for code in
               ("dd/mm/yyyy", "mmm-yy", "0%", "0.0%", "hh:mm", "yyyy-mm-dd hh:mm:ss", "[h]:mm", "@", '"d"0',
                "General", "#,##0.00", "d-mmm", "mm:ss", 'yyyy"年"m"月"', "[$-409]mmmm yyyy;@", "0.00E+00",
                '#,##0" days"', "[Red]0;[Blue]-0", "\\d0", "_(* #,##0_)")}
    builtin = {number: book.add_format({"num_format": number}) for number in (14, 15, 17, 22, 45, 46, 47, 10, 49)}
    sheet = book.add_worksheet("Data")
    values = [0, 1, -1, 1.5, 0.25, 44256, 44256.5, 60, 61, 59.75, 0.0001, 2958465, 2958466, 1e-300, 123456789.123,
              -0.0, 1e8, 7]
    column = 0
    for fmt in list(formats.values()) + list(builtin.values()) + [None]:
        for r, value in enumerate(values):
            sheet.write_number(r, column, value, fmt)
        column += 1
    sheet.write_string(20, 0, "Feb-21")
    sheet.write_string(20, 1, "  spaced  ")
    sheet.write_string(20, 2, "_x0041_ literal")
    sheet.write_string(20, 3, "line\nbreak")
    sheet.write_string(20, 4, "")
    sheet.write_rich_string(20, 5, "plain ", book.add_format({"bold": True}), "bold", " tail")
    sheet.write_boolean(20, 6, True)
    sheet.write_boolean(20, 7, False)
    sheet.write_formula(20, 8, "=1/0", None, "#DIV/0!")
    sheet.write_formula(20, 9, '="a"&"b"', None, "ab")
    sheet.write_formula(20, 10, "=1+1", None, 2)
    sheet.write_formula(20, 11, "=TRUE()", None, True)
    sheet.write_datetime(21, 0, dt.datetime(2021, 2, 1), formats["mmm-yy"])
    sheet.write_datetime(21, 1, dt.datetime(2021, 2, 1, 13, 45, 30), formats["yyyy-mm-dd hh:mm:ss"])
    sheet.write_string(21, 2, "2021-02", formats["@"])
    sheet.write_number(21, 3, 0.95, formats["0%"])
    sheet.write_string(21, 4, "ünïcödé ✓ \U0001F600")
    sheet.write_blank(21, 5, None, formats["dd/mm/yyyy"])
    sheet.write_number(40, 30, 5)  # a gap of rows and columns
    book.add_worksheet("Empty")
    book.close()
    return path


def inline_book(path: Path) -> Path:
    """Inline strings, cells and rows without r, raw ISO dates, formula text and errors."""
    cells = rows_xml({
        1: {"A": '<c r="A1" t="inlineStr"><is><t>Ref</t></is></c>',
            "B": '<c r="B1" t="inlineStr"><is><t xml:space="preserve">  Month </t></is></c>',
            "C": '<c r="C1" t="inlineStr"><is><r><t>Va</t></r><r><rPr><b/></rPr><t>lue</t></r>'
                 '<rPh sb="0" eb="1"><t>x</t></rPh></is></c>',
            "D": '<c r="D1" t="s"><v>0</v></c>', "E": '<c r="E1" t="s"><v>1</v></c>'},
        2: {"A": '<c r="A2" t="str"><f>"a"</f><v>_x0041_</v></c>', "B": '<c r="B2" t="d"><v>2021-02-01</v></c>',
            "C": '<c r="C2" t="d"><v>2021-02-01T10:30:00</v></c>', "D": '<c r="D2" t="e"><v>#N/A</v></c>',
            "E": '<c r="E2" t="b"><v>1</v></c>', "F": '<c r="F2" s="1"><v>44256</v></c>',
            "G": '<c r="G2"><v>1E3</v></c>', "H": '<c r="H2"><f>1+1</f></c>'},
    })
    cells += '<row><c t="inlineStr"><is><t>no r</t></is></c><c><v>3</v></c></row><row r="9"><c><v>9</v></c></row>'
    shared = shared_strings_xml([text_item(" kept "), "<t> trimmed </t>"])
    return build_package(path, [("Data", sheet_xml(cells))], shared=shared, styles=styles_xml(["d-mmm-yy"]))


@pytest.mark.parametrize("date1904", [False, True])
def test_values_are_the_ones_calamine_reads(tmp_path, date1904):
    assert_reads_like_calamine(typed_book(tmp_path / "typed.xlsx", date1904), ignore_errors=True)


def test_inline_strings_and_raw_dates_read_like_calamine(tmp_path):
    assert_reads_like_calamine(inline_book(tmp_path / "inline.xlsx"), ignore_errors=True)


def test_the_test_workbooks_read_like_calamine(sample, tmp_path):
    refreshed, exported = tmp_path / "refreshed.xlsx", tmp_path / "exported.xlsx"
    refreshed.write_bytes(sample.read_bytes())
    assert main(["refresh", str(refreshed)]) == 0  # our own writer's Scorecard: inline and rich text
    assert main(["export", str(refreshed), "--out", str(exported)]) == 0  # XlsxWriter's Summary
    books = [sample, refreshed, exported, small_book(tmp_path / "small.xlsx")]
    data = monthly_series("A", 2020, 1, [1.5, 2, 3]) + [("B", dt.date(2021, 1, 1), 0.25)]
    for shape in ("long", "wide", "monthly"):
        books.append(make_workbook(tmp_path / f"{shape}.xlsx", [indicator("A"), indicator("B", unit="%")], data,
                                   shape=shape, settings={"Reporting month": dt.date(2021, 1, 1)}))
    for path in books:
        assert_reads_like_calamine(path)


def test_error_cells_read_as_their_text(tmp_path):
    sheets = read_workbook(inline_book(tmp_path / "inline.xlsx"), wanted=lambda name: True)
    assert sheets[0].value(1, 3) == "#N/A"


# --- sparse sheets: memory follows the cells present ----------------------------------------------------

def test_a_sheet_made_from_rows_keeps_its_meaning():
    sheet = Sheet("Data", [["Ref", "Month"], [], ["A", None, 3]])
    assert sheet.height == 3 and len(sheet.rows) == 3 and sheet.rows[2][2] == 3
    assert sheet.value(1, 5) is None and sheet.value(9, 0) is None
    assert [list(row) for row in sheet.rows] == [["Ref", "Month"], [], ["A", None, 3]]
    assert [r for r, _ in sheet.present_rows()] == [0, 2]


def far_cell(path: Path, sheet: str, ref: str = "XFD1048576", text: str = "a note far away") -> None:
    """A note typed at ``ref`` on ``sheet`` (its part edited as Excel would store it)."""
    part = sheet_part(path, sheet)
    row = re.match(r"[A-Z]+(\d+)", ref).group(1)
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'.encode()
    xml = member(path, part)
    xml = xml.replace(b"</sheetData>", cell + b"</sheetData>") if b"</sheetData>" in xml \
        else xml.replace(b"<sheetData/>", b"<sheetData>" + cell + b"</sheetData>")
    change_members(path, {part: xml})


def test_a_far_cell_is_read_sparse(sample, tmp_path):
    path = tmp_path / "far.xlsx"
    path.write_bytes(sample.read_bytes())
    far_cell(path, "Data")
    tracemalloc.start()
    try:
        data = next(s for s in read_workbook(path) if s.name == "Data")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert data.height == 1048576 and data.value(1048575, 16383) == "a note far away"
    assert len(data.rows[1048575]) == 16384 and data.rows[1048575][0] is None
    assert len(data.rows[500000]) == 0 and data.value(500000, 3) is None
    assert [r for r, _ in data.present_rows()][-1] == 1048575
    assert peak < 50_000_000


def run_measured(commands, *args, memory_cap: int = 4 << 30, timeout: int = 120):
    """(exit status, output, peak RSS in KB) of a whole ``scorecard`` process whose address space is
    capped, so a reader that allocates the bounding box dies instead of swapping the machine; one
    that has not ended after ``timeout`` seconds is killed and fails the test."""
    return commands.run(*args, memory_cap=memory_cap, timeout=timeout)


@pytest.mark.parametrize("sheet, ref", [("Indicators", "XFD1048576"), ("Data", "XFD1048576"), ("Settings", "XFD1048576"),
                                        ("Scorecard", "XFD1048576"), ("Data", "ZZ65536")])
def test_a_far_cell_costs_what_it_holds(sample, tmp_path, commands, sheet, ref):
    path = tmp_path / "far.xlsx"
    path.write_bytes(sample.read_bytes())
    far_cell(path, sheet, ref)
    status, output, peak = run_measured(commands, "check", path)
    assert status in (0, 1) and "Traceback" not in output, output
    # KB, of the whole process (tests/processes.py says what a forked one counts): checking the
    # sample without the far cell peaks at about 75 MB, a grid of the bounding box at hundreds of
    # megabytes (about 430 MB for ZZ65536) to gigabytes
    assert peak < 300_000, (peak, commands.warm_kb)


def test_a_far_note_on_the_scorecard_is_kept_by_refresh(sample, tmp_path, commands):
    path = tmp_path / "far.xlsx"
    path.write_bytes(sample.read_bytes())
    assert main(["refresh", str(path)]) == 0
    far_cell(path, "Scorecard")
    status, output, _ = run_measured(commands, "refresh", path)
    assert status == 0, output
    assert read_sheet_cells(path, "Scorecard")[(1048575, 16383)] == "a note far away"


# --- damaged packages: one line, the file left alone ----------------------------------------------------

def flip_stored_bytes(path: Path, part: str) -> None:
    """Store ``part`` uncompressed, then change a byte inside it: the data no longer matches its CRC."""
    xml = member(path, part)
    with zipfile.ZipFile(path) as z:
        kept = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w") as out:
        for info, data in kept:
            info.compress_type = zipfile.ZIP_STORED if info.filename == part else zipfile.ZIP_DEFLATED
            out.writestr(info, data)
    data = path.read_bytes()
    at = data.index(xml) + len(xml) // 2
    path.write_bytes(data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1:])


def break_deflate(path: Path, part: str) -> None:
    """Overwrite the middle of ``part``'s compressed data with garbage."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle:middle + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))


def damage_cases():
    def edit(part, change):
        return lambda path: change_members(path, {part: change(member(path, part))})
    data = "xl/worksheets/sheet2.xml"
    return {
        "Data sheet cut short": (edit(data, lambda xml: xml[: len(xml) // 2]),
                                 "its sheet 'Data' (xl/worksheets/sheet2.xml) is not well-formed XML (line"),
        "Data sheet not UTF-8": (edit(data, lambda xml: xml.replace(b"</sheetData>", b'<row r="900"><c r="A900" '
                                                                    b't="inlineStr"><is><t>\xff\xfe</t></is></c>'
                                                                    b"</row></sheetData>")),
                                 "its sheet 'Data' (xl/worksheets/sheet2.xml) is not UTF-8 text (line"),
        "shared strings missing": (lambda path: change_members(path, {"xl/sharedStrings.xml": None}),
                                   "its shared strings part (xl/sharedStrings.xml) is missing"),
        "shared string out of range": (edit(data, lambda xml: re.sub(rb'(t="s"[^>]*><v>)\d+', rb"\g<1>9999", xml,
                                                                     count=1)),
                                       "its sheet 'Data' cell A1 refers to shared string 9999, but there are only"),
        "sheet part missing": (lambda path: change_members(path, {data: None}),
                               "its sheet 'Data' (xl/worksheets/sheet2.xml) is missing"),
        "checksum wrong": (lambda path: flip_stored_bytes(path, data),
                           "its sheet 'Data' (xl/worksheets/sheet2.xml) is corrupt"),
        "compressed data broken": (lambda path: break_deflate(path, data),
                                   "its sheet 'Data' (xl/worksheets/sheet2.xml) is corrupt"),
        "workbook part malformed": (edit("xl/workbook.xml", lambda xml: xml.replace(b"</sheets>", b"</sheet>")),
                                    "its list of sheets (xl/workbook.xml) is not well-formed XML (line"),
        "relationships malformed": (edit("xl/_rels/workbook.xml.rels", lambda xml: xml[:-20]),
                                    "its part xl/_rels/workbook.xml.rels is not well-formed XML (line"),
        "styles malformed": (edit("xl/styles.xml", lambda xml: xml.replace(b"<cellXfs", b"<cellXfs <")),
                             "its styles part (xl/styles.xml) is not well-formed XML (line"),
        "file cut short": (lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3]),
                           "it is cut short (the end of its zip directory is missing)"),
    }


@pytest.mark.parametrize("case", list(damage_cases()))
@pytest.mark.parametrize("command", ["check", "refresh", "export"])
def test_a_damaged_package_is_one_plain_line(tmp_path, capsys, case, command):
    damage, what = damage_cases()[case]
    path = small_book(tmp_path / "book.xlsx")
    damage(path)
    before = digest(path)
    extra = ["--out", tmp_path / "copy.xlsx"] if command == "export" else []
    status, output = run_cli(capsys, command, path, *extra)
    assert status == 2, output
    assert output.startswith(f"scorecard: book.xlsx is damaged: {what}"), output
    assert output.strip().endswith("Open it in Excel, let Excel repair it if it offers to, save it, and try again.")
    assert len(output.strip().splitlines()) == 1, output
    assert digest(path) == before and not (tmp_path / "copy.xlsx").exists()


def test_the_damage_message_names_the_line(tmp_path):
    path = small_book(tmp_path / "book.xlsx")
    xml = member(path, "xl/worksheets/sheet2.xml")
    lines = xml.split(b"\n")
    change_members(path, {"xl/worksheets/sheet2.xml": b"\n".join(lines[:2]) + b"\n<row><c></row>\n"})
    with pytest.raises(WorkbookError) as failure:
        read_workbook(path)
    assert "(line 3)" in str(failure.value)


def with_doctype(cells: str, doctype: str) -> bytes:
    return sheet_xml(cells).replace(b"?>\n", b"?>\n" + doctype.encode() + b"\n", 1)


def test_an_external_entity_is_not_read(tmp_path):
    """XXE: a DTD in a sheet part cannot make the reader open a file."""
    cells = rows_xml({1: {"A": '<c r="A1" t="inlineStr"><is><t>&secret;x</t></is></c>'}})
    xml = with_doctype(cells, '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/hostname">]>')
    path = build_package(tmp_path / "b.xlsx", [("Data", xml)])
    assert read_workbook(path)[0].value(0, 0) == "x"


def test_billion_laughs_are_refused_not_expanded(tmp_path):
    laughs = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    cells = rows_xml({1: {"A": '<c r="A1" t="inlineStr"><is><t>&l9;</t></is></c>'}})
    xml = with_doctype(cells, f'<!DOCTYPE w [<!ENTITY l0 "lol">{laughs}]>')
    path = build_package(tmp_path / "b.xlsx", [("Data", xml)])
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError) as failure:
            read_workbook(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(failure.value).startswith("b.xlsx is damaged: its sheet 'Data' (xl/worksheets/sheet1.xml) is not "
                                         "well-formed XML")
    assert peak < 10_000_000


def test_billion_laughs_in_the_workbook_part_are_refused(tmp_path, capsys):
    path = small_book(tmp_path / "book.xlsx")
    laughs = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    xml = member(path, "xl/workbook.xml").replace(b"?>", f'?><!DOCTYPE workbook [<!ENTITY l0 "lol">{laughs}]>'
                                                  .encode(), 1)
    change_members(path, {"xl/workbook.xml": xml.replace(b"<sheets>", b'<fileVersion appName="&l9;"/><sheets>')})
    status, output = run_cli(capsys, "check", path)
    assert status == 2
    assert output.startswith("scorecard: book.xlsx is damaged: its list of sheets (xl/workbook.xml) is not "
                             "well-formed XML"), output


# --- zip bombs: refused before they are unpacked, and bounded while they are ----------------------------

SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}"><sheetData>'.encode()
SHEET_TAIL = b"</sheetData></worksheet>"
ONE_KB_OF_ROWS = b"<row><c><v>1</v></c></row>" * 40  # 1,040 bytes


def test_a_part_that_declares_more_than_any_scorecard_needs_is_refused_unopened(tmp_path, capsys):

    path = small_book(tmp_path / "book.xlsx")
    declare_size(path, "xl/worksheets/sheet2.xml", 3 << 30)
    before = digest(path)
    status, output = run_cli(capsys, "check", path)
    assert status == 2
    assert output.strip() == ("scorecard: book.xlsx is refused: its sheet 'Data' (xl/worksheets/sheet2.xml) "
                              "would unpack to 3,221 MB, more than the 100 MB limit for any part a scorecard "
                              "reads (a 300-indicator, 10-year Data sheet is about 5 MB). If the workbook is "
                              "genuine, move what the scorecard does not need to another workbook and try again.")
    assert digest(path) == before


def peak_memory_of_reading(path: Path) -> int:
    """Peak bytes Python allocates while the reader refuses ``path`` (the modules already imported)."""
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError):
            read_workbook(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_real_bomb_is_refused_and_memory_stays_small(tmp_path, capsys):
    path = small_book(tmp_path / "book.xlsx")
    write_big_member(path, "xl/worksheets/sheet2.xml", SHEET_HEAD, ONE_KB_OF_ROWS, 110_000, SHEET_TAIL)
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet2.xml").compress_size < 1_000_000
    status, output = run_cli(capsys, "check", path)
    assert status == 2 and "is refused: its sheet 'Data' (xl/worksheets/sheet2.xml) would unpack to 114 MB" in output
    assert peak_memory_of_reading(path) < 10_000_000


def test_a_lying_zip_directory_is_caught_while_reading(tmp_path, capsys):
    path = small_book(tmp_path / "book.xlsx")
    write_big_member(path, "xl/worksheets/sheet2.xml", SHEET_HEAD, ONE_KB_OF_ROWS, 20_000, SHEET_TAIL)
    declare_size(path, "xl/worksheets/sheet2.xml", 500_000)  # claims half a MB, holds 21 MB
    status, output = run_cli(capsys, "check", path)
    assert status == 2 and "book.xlsx is damaged: its sheet 'Data' (xl/worksheets/sheet2.xml) is corrupt" in output
    assert peak_memory_of_reading(path) < 8_000_000  # what half a MB of rows holds (3.4 MB here), not 21 MB


class EndlessPart(io.RawIOBase):
    """A part's unpacked bytes as a zip reader that ignores the declared size would hand them: no end."""

    def __init__(self):
        self.handed = 0

    def read(self, size=-1):
        size = 1 << 20 if size < 0 else size
        self.handed += size
        return b"<" * size


def test_a_part_is_stopped_at_its_declared_size_whatever_the_zip_reader_hands_over():
    # zipfile itself stops at the declared size today; the guard must not depend on it.
    from scorecard_xl.read.package_faults import GuardedStream
    endless = EndlessPart()
    guarded = GuardedStream(endless, lambda fault: WorkbookError(f"book.xlsx is damaged: its part {fault}"), 1000)
    assert guarded.read(600) == b"<" * 600
    with pytest.raises(WorkbookError, match="^book.xlsx is damaged: its part unpacks to more than its zip "
                                            "directory says$"):
        for _ in range(10):  # 6,000 bytes offered for 1,000 declared
            guarded.read(600)
    assert endless.handed <= 1001  # read no further than one byte past what was declared


def test_a_part_packed_as_only_a_bomb_packs_is_refused(tmp_path, capsys):

    path = small_book(tmp_path / "book.xlsx")
    write_big_member(path, "xl/sharedStrings.xml", b"", b"<!-- -->" * 1000, 1200, b"")
    status, output = run_cli(capsys, "check", path)
    assert status == 2
    assert re.fullmatch(r"scorecard: book.xlsx is refused: its shared strings part \(xl/sharedStrings.xml\) "
                        r"would unpack to 9.6 MB from [\d.]+ KB, [\d,]+ times its packed size: only a zip bomb "
                        r"packs like that\. If the workbook is genuine, open it in Excel, save it and try again\.",
                        output.strip()), output


def test_too_many_cells_is_refused_with_the_limit(tmp_path, capsys, monkeypatch):

    monkeypatch.setattr(ooxml_stream, "CELL_LIMIT", 30)
    path = small_book(tmp_path / "book.xlsx")
    status, output = run_cli(capsys, "check", path)
    assert status == 2
    assert output.strip().startswith("scorecard: book.xlsx holds more than 30 filled cells in the sheets a "
                                      "scorecard reads (the limit was reached on the sheet 'Data', row ")


def test_parts_copied_unchanged_are_streamed(tmp_path):
    path = small_book(tmp_path / "book.xlsx")
    write_big_member(path, "xl/media/film.bin", b"", bytes(range(256)) * 4096, 60, b"")  # 60 MB
    target = tmp_path / "copy.xlsx"
    tracemalloc.start()
    try:
        with Package(path) as package:
            package.write(target, {})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(target) as new:
        assert [i.filename for i in old.infolist()] == [i.filename for i in new.infolist()]
        assert all(old.getinfo(n).CRC == new.getinfo(n).CRC for n in old.namelist())


def test_a_refresh_never_holds_whole_a_big_sheet_it_does_not_use(tmp_path):
    # A 12 MB export sheet beside the contract, packed as an export packs (about 7 times): the
    # refresh reads its head for a selected tab and copies it, but never holds it whole.
    path = make_workbook(tmp_path / "book.xlsx", [indicator("A1", red="<5", amber="5>", green="10+")],
                         monthly_series("A1", 2020, 1, list(range(14))), extra_sheets={"Export": [["Case"]]})
    export_part = sheet_part(path, "Export")
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>%d</v></c></row>'
                    % (r, r, r * 7919 % 100_003, r, r * 104_729 % 99_991) for r in range(1, 150_001))
    with zipfile.ZipFile(path) as book:
        kept = {info.filename: book.read(info) for info in book.infolist()}
    kept[export_part] = SHEET_HEAD + rows + SHEET_TAIL
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in kept.items():
            book.writestr(name, data)
    refresh(small_book(tmp_path / "warm.xlsx"))  # what a refresh imports is not what it reads
    tracemalloc.start()
    try:
        refresh(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(kept[export_part]) > 12_000_000 and peak < 8_000_000, f"{peak:,} bytes"
    with zipfile.ZipFile(path) as book:
        assert book.read(export_part) == kept[export_part]
        assert b'name="Export"' in book.read("xl/workbook.xml") and b'name="Scorecard"' in book.read("xl/workbook.xml")


# --- only regular files are opened -------------------------------------------------------------------

def test_a_fifo_named_like_a_workbook_is_refused_not_waited_on(tmp_path, commands):
    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    for command in ("check", "refresh", "export"):
        status, output, _ = run_measured(commands, command, fifo, timeout=30)
        assert status == 2, output
        assert output.strip() == f"scorecard: {fifo} is not a file but a named pipe (FIFO); name the workbook " \
                                 "itself (an .xlsx or .xlsm file).", output


def test_a_link_to_a_device_is_refused_and_a_link_to_a_workbook_is_read(tmp_path, capsys):
    device = tmp_path / "device.xlsx"
    device.symlink_to("/dev/zero")
    status, output = run_cli(capsys, "check", device)
    assert status == 2 and "is not a file but a device" in output
    link = tmp_path / "link.xlsx"
    link.symlink_to(small_book(tmp_path / "book.xlsx"))
    status, output = run_cli(capsys, "check", link)
    assert status == 0 and "no errors" in output, output


# --- sheets that are not worksheets ----------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["macrosheet", "intlmacrosheet", "dialogsheet", "chartsheet"])
def test_sheets_of_other_kinds_are_left_unread(tmp_path, capsys, kind):

    path = with_sheet(small_book(tmp_path / "book.xlsx"), tmp_path / "with.xlsx", "Module1", kind, position=0)
    status, output = run_cli(capsys, "check", path)
    assert status == 0 and "no errors. 1 indicators" in output, output
    # the refreshed file is checked before it replaces the workbook: that check must not trip on them either
    status, output = run_cli(capsys, "refresh", path)
    assert status == 0 and "Refreshed" in output, output


@pytest.mark.parametrize("name, kind, what", [
    ("Data", "macrosheet", "an Excel 4 macro sheet"), ("Settings", "intlmacrosheet", "an Excel 4 macro sheet"),
    ("Indicators", "dialogsheet", "an Excel 5 dialog sheet"), ("Data", "chartsheet", "a chart sheet")])
def test_a_needed_sheet_of_another_kind_says_what_it_is(tmp_path, capsys, name, kind, what):

    path = with_sheet(small_book(tmp_path / "book.xlsx"), tmp_path / "with.xlsx", name, kind)
    before = digest(path)
    status, output = run_cli(capsys, "check", path)
    assert status == 2
    assert output.strip() == (f"scorecard: with.xlsx: the sheet '{name}' is {what}, not a worksheet, so the "
                              f"scorecard cannot read it. Give it another name, and keep the {name} table on an "
                              f"ordinary worksheet called {name}.")
    assert digest(path) == before


# --- property: whatever the damage, a plain answer and an untouched file --------------------------------

@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> bytes:
    path = small_book(tmp_path_factory.mktemp("pristine") / "book.xlsx")
    assert main(["refresh", str(path)]) == 0
    return path.read_bytes()


def damaged(pristine: bytes, draw) -> bytes:
    """One kind of damage, drawn: the file cut or bytes flipped, a member left out, or a member's
    XML cut, flipped or given a stray byte."""
    kind = draw(st.sampled_from(["cut file", "flip file", "drop member", "cut member", "flip member",
                                 "insert byte"]))
    if kind == "cut file":
        return pristine[: draw(st.integers(0, len(pristine) - 1))]
    if kind == "flip file":
        at = draw(st.integers(0, len(pristine) - 1))
        return pristine[:at] + bytes([pristine[at] ^ draw(st.integers(1, 255))]) + pristine[at + 1:]
    with zipfile.ZipFile(io.BytesIO(pristine)) as z:
        members = {info.filename: z.read(info) for info in z.infolist()}
    name = draw(st.sampled_from(sorted(members)))
    data = members[name]
    if kind == "drop member":
        del members[name]
    elif kind == "cut member":
        members[name] = data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    else:
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        byte = bytes([draw(st.sampled_from([0x00, 0x3C, 0x26, 0x80, 0xC3, 0xFF, 0x22]))])
        members[name] = data[:at] + byte + data[at + (kind == "flip member"):]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for member_name, member_data in members.items():
            z.writestr(member_name, member_data)
    return out.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_packages_never_give_a_traceback_nor_a_changed_file(pristine, tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("damaged")
    path = folder / "book.xlsx"
    path.write_bytes(damaged(pristine, data.draw))
    before = digest(path)
    for command in (["check"], ["export", "--out", str(folder / "copy.xlsx")], ["refresh"]):
        status = main([command[0], str(path), *command[1:]])
        assert status in (0, 1, 2)
        if status != 0 or command[0] != "refresh":
            assert digest(path) == before, command
