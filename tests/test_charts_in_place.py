"""The splice draws a page's charts in the user's own workbook, and a refresh replaces only them.

A person's chart and picture on the page's sheet live in the same drawing part as the tool's charts
(a sheet has one). Refreshed again and again, with more charts, fewer and none, the person's anchors,
chart part and image stay byte for byte, the tool's old chart parts go, nothing is left that no
relationship points to, and no two part names differ only in case. Names and titles shaped like
formulas or references stay literal text. LibreOffice draws what the splice wrote.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import xlsxwriter
from lxml import etree

from preservation_book import tiny_png
from remote_book import apply_actions, book_json
from rendering import has_colour, pixels, renders
from scorecard_xl.backends.protocol import FEATURES, SheetWrite, unrendered_notes
from scorecard_xl.backends.record import record_for
from scorecard_xl.backends.xlsx_file import write_plans
from scorecard_xl.backends.xlsxwriter_book import write_new_workbook
from scorecard_xl.backends.xlwings_book import LiveBook
from scorecard_xl.pages.sheetplan import Chart, ChartSeries, MarkedPoint, SheetPlan

PAGE = "Page"
NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
ANCHOR = re.compile(rb"<xdr:(twoCellAnchor|oneCellAnchor|absoluteAnchor)\b.*?</xdr:\1>", re.S)
MONTHS = ["Sep-20", "Oct-20", "Nov-20", "Dec-20", "Jan-21", "Feb-21"]
TITLES = ['=HYPERLINK("http://example.com","x") first chart', "+cmd|' /C calc'!A0 second", "Sheet1!A1 third"]


# --- the workbooks --------------------------------------------------------------------------------

def persons_workbook(path: Path) -> Path:
    """A workbook whose Page sheet has a person's figures (K1:L4), their own line chart and a
    picture below the tool's area, and another sheet with a chart of its own."""
    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
    page, other = book.add_worksheet(PAGE), book.add_worksheet("Other")
    for r, (label, value) in enumerate([("Q1", 4), ("Q2", 7), ("Q3", 5), ("Q4", 9)]):
        page.write_row(r, 10, [label, value])
        other.write_row(r, 0, [label, value * 2])
    theirs = book.add_chart({"type": "line", "name": "Sales"})
    theirs.add_series({"categories": [PAGE, 0, 10, 3, 10], "values": [PAGE, 0, 11, 3, 11], "name": "Sales"})
    page.insert_chart(30, 10, theirs)
    page.insert_image(50, 10, "logo.png", {"image_data": io.BytesIO(tiny_png())})
    elsewhere = book.add_chart({"type": "column"})
    elsewhere.add_series({"values": ["Other", 0, 1, 3, 1]})
    other.insert_chart(6, 0, elsewhere)
    book.close()
    return path


def page_plan(charts: int, titles=TITLES) -> SheetPlan:
    """A page with its figures (a month row, an actual, a constant target, a benchmark with a month
    missing) and ``charts`` charts of them."""
    plan = SheetPlan(PAGE)
    for c, month in enumerate(MONTHS, start=1):
        plan.put(0, c, month)
    for r, row in enumerate([[0.52, 0.55, None, 0.61, 0.58, 0.66], [0.6] * 6, [0.5, 0.51, 0.53, None, 0.55, 0.56]], 1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                plan.put(r, c, value)
    months = (0, 1, 0, len(MONTHS))
    for k in range(charts):
        plan.charts.append(Chart(titles[k % len(titles)], (
            ChartSeries((1, 1, 1, 6), months, name=f"=Actual!A{k + 1}", marked=(MarkedPoint(5, "ED8B00"),)),
            ChartSeries((2, 1, 2, 6), months, name="Target", color="00863D", dash="dash", markers=False),
            ChartSeries((3, 1, 3, 6), months, name="England", color="7F7F7F", dash="dash", markers=False)),
            "0%", anchor=(5 + 12 * k, 0), width=420, height=200, axis_min=0, legend="bottom"))
    return plan


def refreshed(source: Path, target: Path, charts: int, titles=TITLES) -> Path:
    plan = page_plan(charts, titles)
    write_plans(source, [plan], target, records={PAGE: record_for(plan)})
    return target


# --- reading the package --------------------------------------------------------------------------

def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def targets(package: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of ``part``."""
    name = rels_name(part) if part else "_rels/.rels"
    if name not in package:
        return {}
    found = {}
    for rel in etree.fromstring(package[name]):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target")
        resolved = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
        found[rel.get("Id")] = (rel.get("Type").rsplit("/", 1)[-1], resolved)
    return found


def page_drawing(package: dict[str, bytes]) -> str | None:
    workbook = etree.fromstring(package["xl/workbook.xml"])
    rel_id = next(s.get(f"{{{NS['r']}}}id") for s in workbook.iter(f"{{{workbook.nsmap[None]}}}sheet")
                  if s.get("name") == PAGE)
    sheet = targets(package, "xl/workbook.xml")[rel_id][1]
    drawings = [part for kind, part in targets(package, sheet).values() if kind == "drawing"]
    return drawings[0] if drawings else None


def tool_and_persons_anchors(package: dict[str, bytes]) -> tuple[list, list]:
    drawing = page_drawing(package)
    if drawing is None:
        return [], []
    anchors = list(etree.fromstring(package[drawing]))
    ours = [a for a in anchors if (a.find(".//xdr:cNvPr", NS).get("name") or "").startswith("scorecard_xl chart ")]
    return ours, [a for a in anchors if a not in ours]


def check_package(package: dict[str, bytes]) -> None:
    """No two names alike but for case; every relationship finds its part; every part but the
    package's own is pointed to; [Content_Types].xml names only parts there are."""
    names = list(package)
    assert len({n.casefold() for n in names}) == len(names), sorted(names)
    pointed = {"[Content_Types].xml"}
    for source in [""] + names:
        for _, target in targets(package, source).values():
            assert target in package, f"{source} points to {target}, which is not there"
            pointed.add(target)
    leftovers = [n for n in names if n not in pointed and not n.endswith(".rels")]
    assert leftovers == [], leftovers
    for rels in (n for n in names if n.endswith(".rels") and n != "_rels/.rels"):
        source = posixpath.join(posixpath.dirname(posixpath.dirname(rels)), posixpath.basename(rels)[:-5])
        assert source in package, f"{rels} belongs to no part"
    for override in etree.fromstring(package["[Content_Types].xml"]).iterfind("ct:Override", NS):
        assert override.get("PartName").lstrip("/") in package, override.get("PartName")


def renamed(path: Path, old: str, new: str) -> Path:
    """The package with part ``old`` renamed ``new`` everywhere it is named (a name in another case)."""
    package = parts(path)
    out = path.with_name(path.stem + "-renamed.xlsx")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in package.items():
            if name.endswith(".rels") or name == "[Content_Types].xml":
                data = data.replace(posixpath.basename(old).encode(), posixpath.basename(new).encode())
            z.writestr(new if name == old else name, data)
    return out


# --- the tests -------------------------------------------------------------------------------------

def test_a_persons_chart_and_picture_on_the_page_stay_byte_for_byte_through_refreshes(tmp_path):
    base = persons_workbook(tmp_path / "base.xlsx")
    original = parts(base)
    their_drawing = page_drawing(original)
    their_anchors = [m.group(0) for m in ANCHOR.finditer(original[their_drawing])]
    assert len(their_anchors) == 2  # their chart and their picture
    their_parts = {name: data for name, data in original.items()
                   if name.startswith(("xl/charts/", "xl/media/")) or name.startswith("xl/drawings/_rels")}
    one = refreshed(base, tmp_path / "one.xlsx", 3)
    two = refreshed(one, tmp_path / "two.xlsx", 3)
    fewer = refreshed(two, tmp_path / "fewer.xlsx", 1)
    none = refreshed(fewer, tmp_path / "none.xlsx", 0)
    assert parts(one) == parts(two), "a second refresh of the same page writes the same parts"
    for path, count in ((one, 3), (two, 3), (fewer, 1), (none, 0)):
        package = parts(path)
        check_package(package)
        drawing = page_drawing(package)
        assert drawing == their_drawing  # one drawing part for the sheet: theirs, with ours in it
        for anchor in their_anchors:
            assert anchor in package[drawing], f"{path.name}: a person's anchor changed"
        ours, theirs = tool_and_persons_anchors(package)
        assert len(ours) == count and len(theirs) == len(their_anchors)
        for name, data in their_parts.items():
            if name.startswith("xl/drawings/_rels"):
                continue  # the drawing's relationships gain ours
            assert package[name] == data, f"{path.name}: {name} changed"
        charts = [n for n in package if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == 2 + count  # theirs on the page, the other sheet's, and the tool's
    assert parts(none)[their_drawing] == original[their_drawing]  # the tool's charts gone, theirs as they were


def plain_workbook(path: Path) -> Path:
    """A workbook whose Page sheet has no drawing, but a note (a comment, drawn by a legacy drawing)."""
    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
    page = book.add_worksheet(PAGE)
    page.write(0, 0, "placeholder")
    page.write_comment("K1", "their note")
    book.close()
    return path


def test_a_drawing_of_only_the_tools_charts_goes_with_them(tmp_path):
    base = plain_workbook(tmp_path / "plain.xlsx")
    drawn = refreshed(base, tmp_path / "drawn.xlsx", 2)
    package = parts(drawn)
    check_package(package)
    assert page_drawing(package) is not None and len(tool_and_persons_anchors(package)[0]) == 2
    gone = parts(refreshed(drawn, tmp_path / "gone.xlsx", 0))
    check_package(gone)
    assert page_drawing(gone) is None
    assert [n for n in gone if "drawing" in n or "chart" in n] == ["xl/drawings/vmlDrawing1.vml"]  # the note's
    sheet = next(n for n in gone if n.startswith("xl/worksheets/sheet"))
    assert b"<drawing" not in gone[sheet] and b"drawing+xml" not in gone["[Content_Types].xml"]
    assert gone == parts(refreshed(base, tmp_path / "never.xlsx", 0))  # as if the charts had never been


def test_new_chart_parts_take_no_name_a_part_has_in_another_case(tmp_path):
    base = renamed(persons_workbook(tmp_path / "base.xlsx"), "xl/charts/chart1.xml", "xl/charts/Chart1.xml")
    assert "xl/charts/Chart1.xml" in parts(base)
    one = parts(refreshed(base, tmp_path / "one.xlsx", 2))
    check_package(one)
    assert "xl/charts/Chart1.xml" in one and "xl/charts/chart1.xml" not in one


def test_names_and_titles_shaped_like_formulas_stay_literal_text(tmp_path):
    path = refreshed(persons_workbook(tmp_path / "base.xlsx"), tmp_path / "one.xlsx", 3)
    package = parts(path)
    titles, names = [], []
    for name in sorted(n for n in package if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
        chart = etree.fromstring(package[name])
        if not chart.findall(".//c:title", NS):
            continue  # the person's charts
        assert chart.findall(".//c:tx/c:strRef", NS) == [] and chart.findall(".//c:title//c:f", NS) == []
        titles.append("".join(chart.find(".//c:title", NS).itertext()))
        names += [ser.findtext("c:tx/c:v", namespaces=NS) for ser in chart.iterfind(".//c:ser", NS)]
    assert sorted(titles) == sorted(TITLES)
    assert sorted(set(names)) == sorted({"=Actual!A1", "=Actual!A2", "=Actual!A3", "Target", "England"})
    sheet = openpyxl.load_workbook(path)[PAGE]  # and the workbook opens
    assert sheet["B1"].value == MONTHS[0]


def test_the_spliced_drawing_and_charts_are_what_xlsxwriter_writes_for_a_new_file(tmp_path):
    """The splice writes the parts Excel's own writer library writes for the same plan, and points
    the sheet at its drawing before the note's legacy drawing, as CT_Worksheet's sequence wants."""
    spliced = parts(refreshed(plain_workbook(tmp_path / "plain.xlsx"), tmp_path / "one.xlsx", 2))
    new = parts(write_new_workbook(tmp_path / "new.xlsx", [page_plan(2)]))
    drawing = page_drawing(spliced)
    assert etree.tostring(etree.fromstring(spliced[drawing])) == \
        etree.tostring(etree.fromstring(new["xl/drawings/drawing1.xml"]))
    for chart in ("xl/charts/chart1.xml", "xl/charts/chart2.xml"):
        assert spliced[chart] == new[chart]
    sheet = next(part for kind, part in targets(spliced, "xl/workbook.xml").values() if kind == "worksheet")
    order = [etree.QName(child).localname for child in etree.fromstring(spliced[sheet])]
    assert order[-2:] == ["drawing", "legacyDrawing"]


# --- the live writer (xlwings' remote engine, its actions replayed) ----------------------------------

def live_write(path: Path, plan: SheetPlan) -> tuple[dict, list[str]]:
    import xlwings as xw
    data = book_json(path)
    backend = LiveBook(xw.Book(json=copy.deepcopy(data)))  # the engine edits its payload as it goes
    written = backend.write([SheetWrite(plan, record_for(plan))])
    return apply_actions(data, backend.book.json()["actions"])[PAGE], unrendered_notes([plan], backend) + written.notes


def test_a_live_refresh_replaces_the_tools_charts_and_keeps_a_persons(tmp_path):
    spliced = refreshed(persons_workbook(tmp_path / "base.xlsx"), tmp_path / "one.xlsx", 3)
    tool = [f"scorecard_xl chart {n}" for n in (1, 2, 3)]
    assert [chart["name"] for chart in book_json(spliced)["sheets"][0]["charts"]] == ["Sales"] + tool
    state, notes = live_write(spliced, page_plan(2))
    assert [chart["name"] for chart in state["charts"]] == ["Sales"] + tool[:2]
    first = state["charts"][1]
    assert (first["source"], first["plot_by"], first["categories"]) == ("Page!$B$2:$G$4", "Rows", "Page!$B$1:$G$1")
    assert first["title"] == TITLES[0] and first["anchor"] == "$A$6" and first["axis"]["value"]["minimum_scale"] == 0
    assert notes == [f"The {PAGE} sheet was written without {FEATURES['chart_series']}: "
                     "xlwings' connection to Excel cannot set them."]  # each line as Excel draws it by default


def test_a_chart_whose_lines_are_not_side_by_side_is_left_out_live_and_said_so(tmp_path):
    plan = page_plan(1)
    apart = plan.charts[0]
    plan.charts[0] = Chart(apart.title, (apart.series[0], apart.series[2]), apart.num_format, apart.anchor,
                           apart.width, apart.height)  # rows 2 and 4: a row between them
    state, notes = live_write(persons_workbook(tmp_path / "base.xlsx"), plan)
    assert [chart["name"] for chart in state["charts"]] == ["Sales"]
    assert any(note == f"The {PAGE} sheet's chart {apart.title!r} was left out: xlwings draws a chart from one "
                       "block of cells, and its lines' figures are not side by side." for note in notes)


# --- LibreOffice draws them --------------------------------------------------------------------------

def workbooks_to_render(folder: Path) -> list[Path]:
    base = persons_workbook(folder / "base.xlsx")
    return [refreshed(refreshed(base, folder / "once.xlsx", 2), folder / "charts_in_place.xlsx", 2)]


@renders(workbooks_to_render)
def test_libreoffice_draws_the_charts_spliced_in_place(rendered):
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice and poppler are needed to look at the rendering")
    assert rendered.returncode == 0, rendered.stderr
    (workbook,) = rendered.files
    pdf = rendered.pdf(workbook)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for words in ("first chart", "second", "Target", "England", "=Actual!A1"):
        assert words in text, words
    image = np.concatenate([pixels(pdf, page) for page in range(1, 3)], axis=0)
    for colour in ("1F3864", "00863D", "7F7F7F"):  # the actual line, the target and the benchmark
        assert has_colour(image, colour), colour
