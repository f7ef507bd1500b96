"""Build, by code, a user workbook full of things a Scorecard refresh must not lose.

``build_preservation_book`` writes an .xlsm with the scorecard input sheets (Indicators, Data,
Settings), a Scorecard sheet, and around them the kind of content a real user adds: a line chart,
a picture, a text box, sparklines, a data bar and an icon set, a legacy note, a threaded comment
(with its reply and its person list), list data validation, defined names, an Excel table,
formulas with cached values, rich text, a hidden sheet, document properties, a macro project
(xlwings' real ``vbaProject.bin``) and a custom ribbon (``customUI/customUI14.xml``).

XlsxWriter writes most of it. What it cannot write (threaded comments, persons, the ribbon) is
added afterwards by ZIP surgery: every member is read, a few XML parts are edited with lxml, new
parts are appended, and every other member is written back byte for byte in its original order.

Later tests refresh the workbook and compare ``zip_parts`` before and after: every part other
than the Scorecard's own must be byte-identical. ``EXPECTED_PARTS`` lists the members that must
exist in a freshly built book.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

import xlsxwriter
from lxml import etree

# ---------------------------------------------------------------------------------------------
# Names and namespaces
# ---------------------------------------------------------------------------------------------

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TC_NS = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CUSTOMUI14_NS = "http://schemas.microsoft.com/office/2009/07/customui"

REL_THREADED_COMMENT = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
REL_PERSON = "http://schemas.microsoft.com/office/2017/10/relationships/person"
REL_UI_EXTENSIBILITY = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"

CT_THREADED_COMMENTS = "application/vnd.ms-excel.threadedcomments+xml"
CT_PERSON = "application/vnd.ms-excel.person+xml"
CT_CUSTOMUI = "application/xml"  # what the Office Custom UI Editor declares for customUI14.xml

THREADED_COMMENT_PART = "xl/threadedComments/threadedComment1.xml"
PERSON_PART = "xl/persons/person.xml"
CUSTOMUI_PART = "customUI/customUI14.xml"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Sheet order is fixed, so XlsxWriter's part names are predictable.
SHEET_ORDER = ["Scorecard", "Indicators", "Data", "Settings", "Trends", "Actions", "Lists"]
SHEET_PART = {name: f"xl/worksheets/sheet{i}.xml" for i, name in enumerate(SHEET_ORDER, start=1)}
THREADED_SHEET = "Indicators"  # the sheet holding the legacy note and the threaded comment

# Threaded comment identity (Excel uses GUIDs in braces).
PERSON_ID = "{7D3A2C1B-5E4F-4A6B-9C8D-0E1F2A3B4C5D}"
THREAD_ID = "{1A2B3C4D-5E6F-4071-8293-A4B5C6D7E8F9}"
REPLY_ID = "{9F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A}"
THREAD_CELL = "C3"
THREAD_TEXT = "Should this really be Low? The regional return treats it as High."
REPLY_TEXT = "Yes - agreed with the service lead in January."
NOTE_CELL = "B1"
NOTE_TEXT = "Indicator names follow the regional return wording."

DEFINED_NAMES = ["ReportingMonth", "ScorecardTitle", "PolarityList", "UnitList", "Lists!LocalNote",
                 "_xlnm.Print_Area"]

EXPECTED_PARTS = [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/app.xml",
    "docProps/core.xml",
    "docProps/custom.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "xl/sharedStrings.xml",
    "xl/theme/theme1.xml",
    *SHEET_PART.values(),
    "xl/worksheets/_rels/sheet2.xml.rels",  # Indicators: comments, vml, threaded comment
    "xl/worksheets/_rels/sheet5.xml.rels",  # Trends: drawing
    "xl/worksheets/_rels/sheet6.xml.rels",  # Actions: table
    "xl/charts/chart1.xml",
    "xl/drawings/drawing1.xml",
    "xl/drawings/_rels/drawing1.xml.rels",
    "xl/media/image1.png",
    "xl/comments1.xml",
    "xl/drawings/vmlDrawing1.vml",
    "xl/tables/table1.xml",
    "xl/vbaProject.bin",
    THREADED_COMMENT_PART,
    PERSON_PART,
    CUSTOMUI_PART,
]


# ---------------------------------------------------------------------------------------------
# Default scorecard input
# ---------------------------------------------------------------------------------------------

DEFAULT_MONTHS = [f"{2020 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}" for m in range(1, 15)]  # 2020-01..2021-02

DEFAULT_INDICATORS = [
    ["Ref", "Indicator", "Polarity", "Unit", "Section"],
    ["1.1", "Contacts received", "Info", "Count", "Front door"],
    ["1.2", "Referrals within 12 months of a previous referral", "Low", "Percentage", "Front door"],
    ["2.1", "Assessments completed within 45 days", "High", "Percentage", "Assessment"],
    ["2.2", "Children subject to a child protection plan", "Info", "Count", "Child protection"],
    ["3.1", "Children looked after", "Info", "Count", "Children in care"],
    ["3.2", "Care leavers in suitable accommodation", "High", "Percentage", "Care leavers"],
]


def _default_series(ref: str, unit: str, i: int) -> list[float]:
    """14 plausible monthly values: counts are whole numbers, percentages fractions 0..1."""
    if unit == "Percentage":
        return [round(0.55 + 0.02 * i + 0.01 * ((m * (i + 3)) % 7), 3) for m in range(14)]
    return [100 * (i + 1) + 3 * m + (m * (i + 5)) % 11 for m in range(14)]


def _default_data() -> list[list]:
    rows: list[list] = [["Ref", "Month", "Value"]]
    for i, (ref, _name, _polarity, unit, _section) in enumerate(DEFAULT_INDICATORS[1:]):
        for month, value in zip(DEFAULT_MONTHS, _default_series(ref, unit, i)):
            rows.append([ref, month, value])
    return rows


DEFAULT_DATA = _default_data()
DEFAULT_SETTINGS = [
    ["Title", "Children's Services Performance Scorecard"],
    ["Reporting month", DEFAULT_MONTHS[-1]],
]


def default_scorecard_sheets() -> dict[str, list[list]]:
    """A fresh copy of the default input sheets {sheet name: rows}."""
    return {"Indicators": [list(r) for r in DEFAULT_INDICATORS],
            "Data": [list(r) for r in DEFAULT_DATA],
            "Settings": [list(r) for r in DEFAULT_SETTINGS]}


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

def tiny_png(width: int = 4, height: int = 4, rgb: tuple[int, int, int] = (0x2E, 0x75, 0xB6)) -> bytes:
    """A valid solid-colour RGB PNG built with zlib/struct (no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))  # filter byte 0 per row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit, colour type 2 (RGB)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def xlwings_vba_project() -> bytes:
    """The real vbaProject.bin shipped inside xlwings' quickstart.xlsm."""
    import xlwings

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as source:
        return source.read("xl/vbaProject.bin")


def zip_parts(path: str | Path) -> dict[str, bytes]:
    """Every member of the workbook zip, decompressed, by member name."""
    with zipfile.ZipFile(path) as book:
        return {info.filename: book.read(info) for info in book.infolist()}


def _write_cell(sheet, r: int, c: int, value) -> None:
    """Text is always written as text (so '2021-02' stays a month label, not a number)."""
    if value is None:
        return
    if isinstance(value, str):
        sheet.write_string(r, c, value)
    else:
        sheet.write(r, c, value)


def _write_rows(sheet, rows: list[list]) -> None:
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            _write_cell(sheet, r, c, value)


def _settings_value(rows: list[list], key: str, default=None):
    for row in rows:
        if row and isinstance(row[0], str) and row[0].strip().casefold() == key.casefold():
            return row[1] if len(row) > 1 else default
    return default


def _threaded_placeholder_text() -> str:
    """The legacy note text Excel writes for a threaded comment (read by older Excel versions)."""
    return ("[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment; "
            "however, any edits to it will get removed if the file is opened in a newer version of "
            "Excel. Learn more: https://go.microsoft.com/fwlink/?linkid=870924\n\n"
            f"Comment:\n    {THREAD_TEXT}\nReply:\n    {REPLY_TEXT}")


# ---------------------------------------------------------------------------------------------
# Stage 1: everything XlsxWriter can write
# ---------------------------------------------------------------------------------------------

def _write_with_xlsxwriter(path: Path, sheets: dict[str, list[list]]) -> None:
    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
    book.set_properties({"title": "Scorecard preservation fixture", "author": "Performance Team",
                         "company": "Example Council", "comments": "Built by tests/preservation_book.py"})
    book.set_custom_property("Department", "Children's Services")
    book.set_custom_property("Checked", True)
    bold = book.add_format({"bold": True})
    title_fmt = book.add_format({"bold": True, "font_size": 16, "font_color": "#1F4E79"})
    pct = book.add_format({"num_format": "0.0%"})
    italic = book.add_format({"italic": True})
    red = book.add_format({"font_color": "#C00000", "bold": True})

    indicators = sheets["Indicators"]
    data = sheets["Data"]
    settings = sheets["Settings"]
    title = str(_settings_value(settings, "Title", "Performance Scorecard"))

    # -- Scorecard: just the title cell the refresh will rebuild around.
    ws_card = book.add_worksheet("Scorecard")
    ws_card.write_string(0, 0, title, title_fmt)
    ws_card.set_column(0, 0, 48)

    # -- Indicators: input, plus list validation, a legacy note and (stage 2) a threaded comment.
    ws_ind = book.add_worksheet("Indicators")
    _write_rows(ws_ind, indicators)
    ws_ind.set_row(0, None, bold)
    ws_ind.set_column(1, 1, 50)
    ws_ind.freeze_panes(1, 0)
    last = max(len(indicators) - 1, 1)
    ws_ind.data_validation(1, 2, last + 20, 2, {"validate": "list", "source": "=PolarityList",
                                                 "error_title": "Polarity",
                                                 "error_message": "Choose High, Low or Info."})
    ws_ind.data_validation(1, 3, last + 20, 3, {"validate": "list", "source": ["Count", "Percentage"]})
    ws_ind.write_comment(NOTE_CELL, NOTE_TEXT, {"author": "Performance Team"})
    # Legacy placeholder of the threaded comment: Excel names its author "tc=" + the thread id.
    ws_ind.write_comment(THREAD_CELL, _threaded_placeholder_text(), {"author": f"tc={THREAD_ID}"})

    # -- Data: long input, autofilter (adds the hidden _xlnm._FilterDatabase name) and a data bar.
    ws_data = book.add_worksheet("Data")
    _write_rows(ws_data, data)
    ws_data.set_row(0, None, bold)
    ws_data.freeze_panes(1, 0)
    ws_data.autofilter(0, 0, max(len(data) - 1, 1), 2)
    ws_data.conditional_format(1, 2, max(len(data) - 1, 1), 2, {
        "type": "data_bar", "bar_color": "#63BE7B", "data_bar_2010": True,
        "bar_solid": True, "bar_border_color": "#2E7D32", "bar_direction": "left_to_right"})

    # -- Settings: input, the cells the defined names point at.
    ws_set = book.add_worksheet("Settings")
    _write_rows(ws_set, settings)
    ws_set.set_column(0, 1, 28)

    # -- Trends: chart, picture, text box, sparklines, icon set, formulas with cached values.
    ws_tr = book.add_worksheet("Trends")
    _write_trends(book, ws_tr, indicators, data, bold, pct)

    # -- Actions: an Excel table and rich text.
    ws_act = book.add_worksheet("Actions")
    ws_act.write_rich_string(0, 0, "Actions agreed at the ", bold, "monthly performance board",
                             " - ", red, "overdue items in red", italic, " (update weekly)")
    refs = [row[0] for row in indicators[1:]] or ["1.1"]
    table_rows = [[ref, "Performance Team", f"Review the {ref} trend", "Open", 2 + i]
                  for i, ref in enumerate(refs[:4])]
    ws_act.add_table(2, 0, 2 + len(table_rows) + 1, 4, {
        "name": "ActionLog", "style": "Table Style Medium 2", "data": table_rows, "total_row": True,
        "columns": [{"header": "Ref"}, {"header": "Owner"}, {"header": "Action"}, {"header": "Status"},
                    {"header": "Weeks open", "total_function": "sum",
                     "total_value": sum(r[4] for r in table_rows)}]})
    ws_act.set_column(0, 4, 22)

    # -- Lists: hidden sheet feeding the validations through defined names.
    ws_lists = book.add_worksheet("Lists")
    _write_rows(ws_lists, [["High", "Count"], ["Low", "Percentage"], ["Info", None]])
    ws_lists.hide()

    book.define_name("ReportingMonth", "=Settings!$B$2")
    book.define_name("ScorecardTitle", "=Settings!$B$1")
    book.define_name("PolarityList", "=Lists!$A$1:$A$3")
    book.define_name("UnitList", "=Lists!$B$1:$B$2")
    book.define_name("Lists!LocalNote", "=Lists!$A$1")  # a sheet-scoped name
    ws_card.print_area(0, 0, 40, 12)  # _xlnm.Print_Area on the Scorecard
    # The tool's own record that the title cell is its own (as `scorecard new` writes it): a print
    # area alone is no such record, and a refresh refuses to overwrite what is not on record.
    book.define_name("Scorecard!_scorecard_xl_area", "=Scorecard!$A$1:$M$41")
    book.defined_names[-1][3] = True  # hidden, as the tool writes it

    # -- Macro project: xlwings' real vbaProject.bin (ThisWorkbook, Sheet1, Sheet2, Module1).
    book.add_vba_project(io.BytesIO(xlwings_vba_project()), is_stream=True)
    book.close()


def _write_trends(book, ws, indicators: list[list], data: list[list], bold, pct) -> None:
    """A small trend table (values copied from Data) with everything decorative around it."""
    refs = [row[0] for row in indicators[1:]]
    units = {row[0]: (row[3] if len(row) > 3 else "Count") for row in indicators[1:]}
    months = list(dict.fromkeys(row[1] for row in data[1:]))[-12:]
    values = {(row[0], row[1]): row[2] for row in data[1:] if len(row) > 2}
    ws.write_row(0, 0, ["Ref", *months, "Average", "Trend", "Status"], bold)
    n = len(months)
    avg_col, spark_col, status_col = n + 1, n + 2, n + 3
    for r, ref in enumerate(refs, start=1):
        _write_cell(ws, r, 0, ref)
        row_values = []
        for c, month in enumerate(months, start=1):
            value = values.get((ref, month))
            if isinstance(value, (int, float)):
                row_values.append(value)
                ws.write_number(r, c, value, pct if units.get(ref) == "Percentage" else None)
        # Formula with its cached result, as Excel itself would have saved it.
        first = xlsxwriter.utility.xl_rowcol_to_cell(r, 1)
        last = xlsxwriter.utility.xl_rowcol_to_cell(r, n)
        average = sum(row_values) / len(row_values) if row_values else 0
        ws.write_formula(r, avg_col, f"=AVERAGE({first}:{last})",
                         pct if units.get(ref) == "Percentage" else None, average)
        # Latest month against the average: 1 (up), 0 (same), -1 (down), with its cached value.
        latest = row_values[-1] if row_values else 0
        status = 1 if latest > average else (-1 if latest < average else 0)
        ws.write_formula(r, status_col, f"=SIGN({last}-{xlsxwriter.utility.xl_rowcol_to_cell(r, avg_col)})",
                         None, status)
        ws.add_sparkline(r, spark_col, {"range": f"Trends!{first}:{last}", "markers": True,
                                        "high_point": True, "low_point": True})
    last_row = max(len(refs), 1)
    ws.conditional_format(1, status_col, last_row, status_col, {"type": "icon_set",
                                                                "icon_style": "3_arrows"})
    ws.write_formula(last_row + 1, 0, f'="Months shown: "&COUNTA(B1:{xlsxwriter.utility.xl_rowcol_to_cell(0, n)})',
                     None, f"Months shown: {n}")

    # Native line chart of (up to) the first two indicators sharing the first one's unit.
    chart = book.add_chart({"type": "line"})
    same_unit = [r for r, ref in enumerate(refs, start=1) if units.get(ref) == units.get(refs[0])] if refs else [1]
    for r in same_unit[:2]:
        chart.add_series({"name": ["Trends", r, 0], "categories": ["Trends", 0, 1, 0, n],
                          "values": ["Trends", r, 1, r, n], "marker": {"type": "circle"}})
    chart.set_title({"name": "Monthly trend"})
    chart.set_legend({"position": "bottom"})
    ws.insert_chart(last_row + 3, 0, chart, {"x_scale": 1.2, "y_scale": 1.0})

    # A picture (the council logo stand-in) and a text box for the commentary.
    ws.insert_image(last_row + 3, 10, "logo.png", {"image_data": io.BytesIO(tiny_png()),
                                                   "x_scale": 10, "y_scale": 10,
                                                   "description": "Council logo"})
    ws.insert_textbox(last_row + 20, 0, "Commentary: contacts rose in February after the "
                      "half-term dip; see the Actions sheet.", {"width": 480, "height": 60,
                                                               "font": {"color": "#1F4E79"}})
    ws.set_column(0, 0, 10)


# ---------------------------------------------------------------------------------------------
# Stage 2: ZIP surgery for what XlsxWriter cannot write
# ---------------------------------------------------------------------------------------------

def _read_zip(path: Path) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    """All members (ZipInfo in original order, and decompressed bytes by name)."""
    with zipfile.ZipFile(path) as book:
        infos = book.infolist()
        return infos, {info.filename: book.read(info) for info in infos}


def _write_zip(path: Path, infos: list[zipfile.ZipInfo], parts: dict[str, bytes]) -> None:
    """Write members back in original order (same ZipInfo: name, date, compression), then new ones."""
    known = {info.filename for info in infos}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for info in infos:
            book.writestr(info, parts[info.filename])
        for name, data in parts.items():
            if name not in known:
                book.writestr(name, data)


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(remove_blank_text=False))


def _serialise(root: etree._Element) -> bytes:
    """Back to bytes with the declaration Excel and XlsxWriter write (double quotes, standalone)."""
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8")


def _add_relationship(rels: bytes, rel_type: str, target: str) -> bytes:
    """Append a Relationship with the next free rIdN to a .rels part."""
    root = _xml(rels)
    used = {el.get("Id") for el in root}
    n = 1
    while f"rId{n}" in used:
        n += 1
    etree.SubElement(root, f"{{{REL_NS}}}Relationship", Id=f"rId{n}", Type=rel_type, Target=target)
    return _serialise(root)


def _add_override(content_types: bytes, part_name: str, content_type: str) -> bytes:
    """Declare a part's content type in [Content_Types].xml (part_name starts with '/')."""
    root = _xml(content_types)
    etree.SubElement(root, f"{{{CT_NS}}}Override", PartName=part_name, ContentType=content_type)
    return _serialise(root)


def _threaded_comment_xml() -> bytes:
    """A thread (comment plus one reply) in the shape Excel 365 writes."""
    return (
        XML_DECLARATION.decode() +
        f'<ThreadedComments xmlns="{TC_NS}" xmlns:x="{MAIN_NS}">'
        f'<threadedComment ref="{THREAD_CELL}" dT="2021-02-23T09:15:42.17" personId="{PERSON_ID}" '
        f'id="{THREAD_ID}"><text>{escape(THREAD_TEXT)}</text></threadedComment>'
        f'<threadedComment ref="{THREAD_CELL}" dT="2021-02-23T10:02:05.51" personId="{PERSON_ID}" '
        f'id="{REPLY_ID}" parentId="{THREAD_ID}"><text>{escape(REPLY_TEXT)}</text></threadedComment>'
        '</ThreadedComments>').encode("utf-8")


def _person_xml() -> bytes:
    return (
        XML_DECLARATION.decode() +
        f'<personList xmlns="{TC_NS}" xmlns:x="{MAIN_NS}">'
        f'<person displayName="Sam Analyst" id="{PERSON_ID}" userId="Sam Analyst" providerId="None"/>'
        '</personList>').encode("utf-8")


def _custom_ui_xml() -> bytes:
    """A one-tab, one-button ribbon for Office 2010+."""
    return (
        XML_DECLARATION.decode() +
        f'<customUI xmlns="{CUSTOMUI14_NS}">'
        '<ribbon><tabs><tab id="scorecardTab" label="Scorecard">'
        '<group id="scorecardGroup" label="Scorecard">'
        '<button id="refreshScorecard" label="Refresh scorecard" size="large" '
        'imageMso="Refresh" onAction="SampleCallback"/>'
        '</group></tab></tabs></ribbon></customUI>').encode("utf-8")


def _add_threaded_comment(parts: dict[str, bytes]) -> None:
    """threadedComment1.xml + person.xml, their relationships and content types."""
    sheet_rels = SHEET_PART[THREADED_SHEET].replace("worksheets/", "worksheets/_rels/") + ".rels"
    parts[THREADED_COMMENT_PART] = _threaded_comment_xml()
    parts[PERSON_PART] = _person_xml()
    parts[sheet_rels] = _add_relationship(parts[sheet_rels], REL_THREADED_COMMENT,
                                          "../threadedComments/threadedComment1.xml")
    parts["xl/_rels/workbook.xml.rels"] = _add_relationship(parts["xl/_rels/workbook.xml.rels"],
                                                            REL_PERSON, "persons/person.xml")
    ct = _add_override(parts["[Content_Types].xml"], "/" + THREADED_COMMENT_PART, CT_THREADED_COMMENTS)
    parts["[Content_Types].xml"] = _add_override(ct, "/" + PERSON_PART, CT_PERSON)


def _add_custom_ui(parts: dict[str, bytes]) -> None:
    """customUI/customUI14.xml, the package-root relationship and its content type."""
    parts[CUSTOMUI_PART] = _custom_ui_xml()
    parts["_rels/.rels"] = _add_relationship(parts["_rels/.rels"], REL_UI_EXTENSIBILITY, CUSTOMUI_PART)
    parts["[Content_Types].xml"] = _add_override(parts["[Content_Types].xml"], "/" + CUSTOMUI_PART,
                                                 CT_CUSTOMUI)


# ---------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------

def build_preservation_book(path: Path, scorecard_sheets: dict[str, list[list]] | None = None) -> Path:
    """Write the preservation workbook at ``path`` and return its path.

    ``scorecard_sheets`` maps "Indicators", "Data" and "Settings" to their rows (lists of cell
    values, header row first); a missing sheet uses the default. The book carries a VBA project,
    so it is always an .xlsm: a path with another suffix is changed to .xlsm (use the return value).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        path = path.with_suffix(".xlsm")
    sheets = default_scorecard_sheets()
    unknown = set(scorecard_sheets or {}) - set(sheets)
    if unknown:
        raise ValueError(f"scorecard_sheets may only hold Indicators, Data, Settings; got {sorted(unknown)}")
    sheets.update(scorecard_sheets or {})

    _write_with_xlsxwriter(path, sheets)

    infos, parts = _read_zip(path)
    _add_threaded_comment(parts)
    _add_custom_ui(parts)
    _write_zip(path, infos, parts)
    return path
