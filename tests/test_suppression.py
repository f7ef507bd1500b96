"""`scorecard export --suppress`: no suppressed figure can be worked back from anything the copy
shows, colours and arrows included; and chart titles are always literal text.

The strongest check is a property: two exports whose workbooks differ only in the small figures
behind a `c` must be the same file, read back cell by cell (values with python-calamine; fills,
fonts and number formats with openpyxl), part by part, and in the email draft.
"""

import email
import email.policy
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from python_calamine import CalamineWorkbook

from scorecard_xl.send.export import export_copy
from workbooks import INDICATOR_HEADERS, indicator, make_workbook, monthly_series, openpyxl_sheet

MONTHS = 14  # Jan-20 .. Feb-21: the year-ago month, the 12-month window and the reporting month
HEADERS = INDICATOR_HEADERS + ["Decimals"]
LOW_COUNT = dict(polarity="Low", red="3+", amber="3<", green="2<")  # 1 is green, 2 amber, 3+ red
C_NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
        "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


# --- Reading a copy back as a reader sees it -------------------------------------------------------

def styled_cells(path: Path) -> dict:
    """Every cell that shows something: its value and every visible mark of its style (openpyxl)."""
    cells = {}
    for sheet in openpyxl.load_workbook(path):
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                font, fill = cell.font, cell.fill
                cells[(sheet.title, cell.coordinate)] = (
                    cell.value, cell.number_format, fill.fill_type, fill.fgColor.rgb if fill.fill_type else None,
                    font.color.rgb if font.color is not None else None, font.b, font.i, cell.alignment.horizontal)
    return cells


def calamine_values(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def package_parts(path: Path) -> dict[str, bytes]:
    """Every part but docProps/core.xml (it carries the time the copy was made)."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def mail_body(result) -> str:
    message = email.message_from_bytes(result.eml.read_bytes(), policy=email.policy.default)
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def seen(result) -> dict:
    """All a recipient (or the person running the export) can see of one export: the copy's parts
    byte for byte, the email and what the export reported."""
    return {"workbook": result.workbook, "parts": package_parts(result.workbook), "mail": mail_body(result),
            "summary": result.summary().replace(str(result.workbook.parent), "<folder>"), "lists": result.lists,
            "rag": result.rag, "suppressed": result.suppressed}


def differences(first: dict, second: dict) -> list[str]:
    """What differs. Every cell, value and style a reader shows comes from the parts, so identical
    parts show the same; where parts differ, the copies are read back cell by cell (openpyxl and
    python-calamine) so that a failure names the leaking cell."""
    found = []
    for what in ("mail", "summary", "lists", "rag", "suppressed"):
        if first[what] != second[what]:
            found.append(f"{what}: {first[what]!r} != {second[what]!r}")
    parts = [name for name in sorted(set(first["parts"]) | set(second["parts"]))
             if first["parts"].get(name) != second["parts"].get(name)]
    if parts:
        cells = [styled_cells(side["workbook"]) for side in (first, second)]
        for key in sorted(set(cells[0]) | set(cells[1])):
            if cells[0].get(key) != cells[1].get(key):
                found.append(f"{key}: {cells[0].get(key)} != {cells[1].get(key)}")
        values = [calamine_values(side["workbook"]) for side in (first, second)]
        if values[0] != values[1]:
            found.append(f"values: {values[0]!r} != {values[1]!r}")
        found += [f"part {name} differs" for name in parts]
    return found


def export(folder: Path, name: str, indicators: list[dict], series: dict[str, list]):
    """A workbook of ``series`` (Jan-20 onwards) exported with --suppress and an email draft."""
    folder = folder / name
    folder.mkdir(parents=True, exist_ok=True)
    data = [row for ref, values in series.items() for row in monthly_series(ref, 2020, 1, values) if row[2] is not None]
    path = make_workbook(folder / "book.xlsx", indicators, data, indicator_headers=HEADERS)
    return export_copy(path, out=folder / "copy.xlsx", suppress=True, eml=[])


def summary_text(result) -> list[str]:
    return [str(row[0]) for row in calamine_values(result.workbook)["Board summary"] if row and row[0] not in ("", None)]


def kpi_rows(result) -> dict[str, list]:
    rows = calamine_values(result.workbook)["Board summary"]
    header = next(row for row in rows if row[0] == "Ref")
    return {row[0]: row for row in rows[rows.index(header) + 1:] if row[0]}


# --- The reported case ------------------------------------------------------------------------------

def reported_case(folder: Path, name: str, a: float, b: float):
    return export(folder, name, [indicator("A", **LOW_COUNT), indicator("B", **LOW_COUNT)],
                  {"A": [10] * 13 + [a], "B": [10] * 13 + [b]})


def test_two_low_counts_of_1_and_2_show_the_same_c_whatever_the_figure(tmp_path):
    one_two, two_five = reported_case(tmp_path, "1-2", 1, 2), reported_case(tmp_path, "2-5", 2, 5)
    assert differences(seen(one_two), seen(two_five)) == []
    sheet = openpyxl_sheet(one_two.workbook, "Scorecard")
    feb = next(cell for cell in sheet[7] if cell.value == "Feb-21")
    for row in (9, 10):
        cell = sheet.cell(row, feb.column)
        assert cell.value == "c" and cell.fill.fill_type is None  # no RAG colour behind the c
    kpi = kpi_rows(one_two)
    assert kpi["A"][4] == kpi["B"][4] == "c" and kpi["A"][9] == kpi["B"][9] == "c"  # no RAG word


def test_suppressed_indicators_are_not_listed_and_one_line_says_so(tmp_path):
    result = reported_case(tmp_path, "case", 1, 2)
    text = summary_text(result)
    assert not any(line.startswith("\u2022 A ") or line.startswith("\u2022 B ") for line in text)
    assert "Not assessed because of small numbers (c in Feb-21 or Jan-21): A, B." in text
    assert "RAG this month: 0 red, 0 amber, 0 green, 0 not rated (grey), 2 not shown (c)." in text[1]
    assert result.rag["not shown (c)"] == 2 and result.rag["Green"] == result.rag["Amber"] == 0
    assert "Not assessed because of small numbers (2)\n- A Indicator A\n- B Indicator B" in mail_body(result)


def test_movement_arrow_dot_and_colour_go_with_a_suppressed_month(tmp_path):
    # with a 50% band, 6 -> 4 is "similar" and 6 -> 2 is down: the arrow and its colour would tell
    indicators = [indicator("A", polarity="Low", band=0.5), indicator("B", polarity="High")]
    low = export(tmp_path, "low", indicators, {"A": [10, 6] + [10] * 11 + [2], "B": [10] * 12 + [2, 3]})
    high = export(tmp_path, "high", indicators, {"A": [10, 6] + [10] * 11 + [4], "B": [10] * 12 + [3, 2]})
    assert differences(seen(low), seen(high)) == []
    sheet = openpyxl_sheet(low.workbook, "Scorecard")
    header = {cell.value: cell.column for cell in sheet[7]}
    for row in (9, 10):
        change, dot = sheet.cell(row, header["% change from Feb-20"]), sheet.cell(row, header["DoT"])
        assert change.value == "c" and "\u2193" not in change.number_format and "\u2192" not in change.number_format
        assert dot.value == "c"
    assert kpi_rows(low)["B"][8] == "c"  # the Summary's DoT too


def test_a_figure_that_displays_as_one_to_five_is_suppressed(tmp_path):
    indicators = [indicator(ref) for ref in ("R", "S", "T", "Z")] + [indicator("D", decimals=1)]
    result = export(tmp_path, "shown", indicators, {"R": [10] * 13 + [5.4], "S": [10] * 13 + [0.4],
                                                   "T": [10] * 13 + [5.5], "Z": [10] * 13 + [0],
                                                   "D": [10] * 12 + [5.04, 5.05]})
    header = next(row for row in calamine_values(result.workbook)["Scorecard"] if row[0] == "Ref.")
    rows = {row[0]: row for row in calamine_values(result.workbook)["Scorecard"] if row and row[0]}
    feb, jan = header.index("Feb-21"), header.index("Jan-21")
    assert rows["R"][feb] == "c"  # 5.4 shows as 5
    assert rows["S"][feb] == "c"  # 0.4 shows as 0, but is a small number above zero
    assert rows["T"][feb] == 5.5 and rows["Z"][feb] == 0  # 5.5 shows as 6; zeros stay
    assert rows["D"][jan] == "c" and rows["D"][feb] == 5.05  # one decimal: 5.0 is suppressed, 5.1 is not


def test_a_dropped_chart_is_said_to_be_dropped(tmp_path):
    # red this month and last (so listed "to do better"), but a small count in its last 12 months
    result = export(tmp_path, "chart", [indicator("A", **LOW_COUNT), indicator("B", **LOW_COUNT)],
                    {"A": [10, 10, 3] + [10] * 11, "B": [10] * 14})
    text = summary_text(result)
    assert any(line.startswith("\u2022 A ") for line in text) and any(line.startswith("\u2022 B ") for line in text)
    assert "No chart for A: a month in the last 12 is a small number (c)." in text
    with zipfile.ZipFile(result.workbook) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 1  # B's


def test_twelve_month_maximum_of_a_percentage_hides_a_suppressed_month_in_its_window(tmp_path):
    indicators = [indicator("N", polarity="Info"), indicator("D", polarity="Info"),
                  indicator("P", unit="Percentage", numerator="N", denominator="D")]
    series = {"D": [20] * 6 + [10] + [20] * 7}  # 6 of 20 is 30%, every month but Jul-20
    low = export(tmp_path, "low", indicators, {"N": [6] * 6 + [2] + [6] * 7, **series})  # 20%: not the largest
    high = export(tmp_path, "high", indicators, {"N": [6] * 6 + [5] + [6] * 7, **series})  # 50%: the largest
    assert differences(seen(low), seen(high)) == []


# --- The property: whatever small figure sits behind a c, the copy is the same ---------------------

SMALL = (1, 2, 3, 4, 5, 5.4, 0.6, 0.4)  # counts that display as 1 to 5, or as 0 while above zero
SMALL_ONE_DECIMAL = (1, 2.5, 5.04, 0.04)
SHOWN = st.one_of(st.just(0), st.integers(6, 40), st.just(5.5))
SHOWN_ONE_DECIMAL = st.one_of(st.just(0), st.sampled_from([5.05, 6.2, 12.0]))
PROPERTY_INDICATORS = [
    indicator("L", **LOW_COUNT),
    indicator("H", polarity="High", red="<3", amber="3>", green="4+"),
    indicator("W", polarity="Within limits", red="1+ above range limit", amber="1 above / below range limit",
              green="2-4"),
    indicator("T", polarity="High", target=4),
    indicator("I", polarity="Info", band=0.3),
    indicator("X", polarity="Low", target=3, decimals=1),
    indicator("N", polarity="Info"), indicator("D", polarity="Info"),
    indicator("P", unit="Percentage", numerator="N", denominator="D", red="<20%", amber="20%>", green="50%+"),
]
SMALL_SLOT = "small"


@st.composite
def two_versions(draw):
    """Series for every count, identical but for the small figures behind a c."""
    layout = {}
    for spec in PROPERTY_INDICATORS:
        if spec["Unit"] != "Count":
            continue
        shown = SHOWN_ONE_DECIMAL if spec.get("Decimals") else SHOWN
        layout[spec["Ref"]] = draw(st.lists(st.one_of(shown, st.just(SMALL_SLOT)), min_size=MONTHS, max_size=MONTHS))

    def fill(layout):
        return {ref: [draw(st.sampled_from(SMALL_ONE_DECIMAL if ref == "X" else SMALL)) if value == SMALL_SLOT
                      else value for value in values] for ref, values in layout.items()}

    return fill(layout), fill(layout)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(versions=two_versions())
def test_the_copy_is_the_same_whatever_small_figure_is_behind_a_c(tmp_path, versions):
    first, second = versions
    one, two = export(tmp_path, "one", PROPERTY_INDICATORS, first), export(tmp_path, "two", PROPERTY_INDICATORS, second)
    assert differences(seen(one), seen(two)) == []


# --- SPC limits fixed on figures older than the window ---------------------------------------------

ALL_PAGES = "Scorecard, Board summary, Performance Summary, Indicator pages"


def baseline_export(folder: Path, first_figure: float):
    """A's series from Jan-18 with the baseline Mar-20 to Feb-21: the phase before the baseline, which
    the indicator page's chart shows in Feb-20, is fixed on its first 12 points, Jan-18 to Dec-18,
    all older than the 24 months of the SPC window (Mar-19 on)."""
    folder.mkdir()
    values = [first_figure] + [12, 16] * 18 + [14]  # Jan-18 .. Feb-21
    data = monthly_series("A", 2018, 1, values) + monthly_series("B", 2018, 1, [20, 24] * 19)
    inds = [{**indicator("A", decimals=1), "SPC baseline": "Mar-20 to Feb-21"}, indicator("B")]
    path = make_workbook(folder / "book.xlsx", inds, data, settings={"Pages": ALL_PAGES},
                         indicator_headers=HEADERS + ["SPC baseline"])
    return export_copy(path, out=folder / "copy.xlsx", suppress=True, eml=[])


def test_limits_fixed_on_months_before_the_window_do_not_tell_a_small_figure_there(tmp_path):
    three, four = baseline_export(tmp_path / "3", 3), baseline_export(tmp_path / "4", 4)
    assert differences(seen(three), seen(four)) == []
    # the pair can tell: figures that show (14 and 15) move the mean the indicator page draws (to one decimal)
    shown = [baseline_export(tmp_path / str(first), first) for first in (14, 15)]
    assert any(found.startswith("('Indicator pages', ") for found in differences(*map(seen, shown)))


# --- Chart titles are literal text ---------------------------------------------------------------

@pytest.mark.parametrize("name", ["+cmd|' /C calc'!A0", '=HYPERLINK("http://example.com","x")', "Sheet1!A1",
                                  "=Sheet1!$A$1"])
def test_a_chart_title_is_literal_text_whatever_the_indicator_is_called(tmp_path, name):
    result = export(tmp_path, "title", [indicator("A", name=name, **LOW_COUNT)], {"A": [10] * 14})
    with zipfile.ZipFile(result.workbook) as archive:
        (chart,) = [archive.read(n) for n in archive.namelist() if n.startswith("xl/charts/chart")]
    root = etree.fromstring(chart)
    assert root.findall(".//c:tx//c:f", C_NS) == []  # neither the title nor a series name is a reference
    (title,) = root.findall(".//c:title", C_NS)
    assert "".join(title.itertext()) == f"A {name}"
    assert not re.search(rb"<c:f>[^<]*(cmd|HYPERLINK|Sheet1)", chart)


def test_the_email_body_counts_the_indicators_whose_rag_is_withheld(tmp_path):
    # its RAG line adds up to the number of indicators, c included
    result = reported_case(tmp_path, "1-2", 1, 2)
    rag_line = next(line for line in mail_body(result).splitlines() if line.startswith("RAG:"))
    assert rag_line == "RAG: 0 red, 0 amber, 0 green, 0 not rated, 2 not shown (c)."
