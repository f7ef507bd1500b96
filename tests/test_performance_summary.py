"""The Performance Summary page (reference 001), refreshed in place and read back with python-calamine."""

from __future__ import annotations

import pytest
from python_calamine import CalamineWorkbook

from scorecard_xl.send.export import export_copy
from scorecard_xl.update.refresh import refresh
from workbooks import INDICATOR_HEADERS, indicator, make_workbook, monthly_series, openpyxl_sheet

PAGE = "Performance Summary"
HEADERS = INDICATOR_HEADERS + ["Best SN", "Top quartile", "Decimals", "Annual Target", "Outturn 2017/18",
                               "Outturn 2018/19", "Outturn 2019/20"]
APR19 = (2019, 4)  # the data: Apr-19 .. Dec-20, so 2019/20 is a whole year in it


def series(ref, values):
    return monthly_series(ref, *APR19, values)


def book(folder, pages="Performance Summary"):
    inds = [
        indicator("H1", unit="Percentage", name="% contacts decided within 1 working day", ytd="ratio", Decimals=1,
                  Red="<92%", Amber="92%>", Green="95%+", section="CONTACTS") |
        {"Outturn 2017/18": "79.5%", "Outturn 2018/19": 80.9},
        indicator("C1", polarity="Info", name="Number of referrals", Kind="flow", section="CONTACTS", sn=686.6,
                  England="Local") | {"Best SN": "12.3% (2017)", "Top quartile": "-", "Outturn 2017/18": "tbc"},
        indicator("S1", polarity="Info", unit="Rate per 10,000", name="S47s per 10,000", section="S47",
                  Red="more than +/-15", Amber="+/-15", Green="+/-5 of 158.8", Decimals=1),
        indicator("W1", polarity="Within limits", unit="Average count", name="Cases per worker", section="S47",
                  Red="1+ above range limit", Amber="1 above / below range limit", Green="14-20", Decimals=1),
        indicator("A1", name="Adoptions", Kind="flow", section="S47", Annual_target=50),
        indicator("N1", unit="Percentage", name="Termly measure", section="S47", Green="n/a"),
    ]
    parts = [(50 + k, 100) for k in range(21)]  # Apr-19 .. Dec-20
    data = [("H1", f"{y}-{m:02d}", None, a, b)
            for (a, b), (y, m) in zip(parts, [(2019 + (3 + k) // 12, (3 + k) % 12 + 1) for k in range(21)])]
    data += series("C1", [300 + k for k in range(21)])
    data += series("S1", [160.0] * 19 + [175.0, 168.6])
    data += series("W1", [18.0] * 19 + [21.5, 16.7])
    data += series("A1", [3] * 12 + [1, 0, 0, 1, 1, 9, 7, 5, 2])
    data += series("N1", [0.9] * 17)  # nothing after Aug-20
    path = make_workbook(folder / "summary.xlsx", inds, data, indicator_headers=HEADERS,
                         settings={"Pages": pages, "Population 0-17 2020/21": 57521})
    return path


def page(path, sheet=PAGE):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def by_ref(rows):
    header = next(i for i, row in enumerate(rows) if row[0] == "NO.")
    names = [b or a for a, b in zip(rows[header], rows[header + 1])]
    return {row[0]: dict(zip(names, row)) for row in rows[header + 2:] if row[0] and row[2]}, rows[header:header + 2]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    path = book(tmp_path_factory.mktemp("summary"))
    refresh(path)
    return path


def test_the_page_has_001s_columns_under_001s_headings(refreshed):
    _, (groups, headings) = by_ref(page(refreshed))
    assert groups[:5] == ["NO.", "INDICATOR", "GOOD PERF IS", "DATA NOTE (Monthly)", "2020 / 21"]
    assert headings[4:7] == ["Oct-20", "Nov-20", "Dec-20"] and headings[7] == "YTD"
    for group in ("DOT (Month on Month)", "RAG (in month)", "Target and Tolerances", "YR ON YR TREND",
                  "LATEST BENCHMARKING"):
        assert group in groups
    start = headings.index("Red")
    assert headings[start:start + 3] == ["Red", "Amber", "Target Green"]
    assert headings[start + 3:start + 8] == ["2015/16", "2016/17", "2017/18", "2018/19", "2019/20"]
    assert headings[-4:] == ["STAT NEIGH AVE", "BEST STAT NEIGH", "NAT AVE", "NAT TOP QTILE THRESHOLD"]


def test_001s_key_and_section_bands(refreshed):
    rows = page(refreshed)
    text = [row[0] for row in rows]
    assert text[0] == "Performance Summary" and "As at Month End: December 2020" in text[1]
    assert any(t.startswith('"DOT" - Direction of travel represents the direction of \'performance\'') for t in text)
    assert "\u2191 - improvement in performance / increase in numbers" in text
    assert "\u2192 - no movement - numbers stable with last month" in text
    assert "\u2193 - decline in performance, not on target / decrease in numbers" in text
    assert any(t.startswith("GOOD PERF IS: High") for t in text)
    assert ["CONTACTS", "S47"] == [row[0] for row in rows if row[0] in ("CONTACTS", "S47")]


def test_each_row_shows_the_indicator_as_typed_and_its_figures(refreshed):
    rows, _ = by_ref(page(refreshed))
    h1 = rows["H1"]
    assert (h1["GOOD PERF IS"], h1["DATA NOTE (Monthly)"]) == ("High", "Percentage")
    assert (h1["Oct-20"], h1["Nov-20"], h1["Dec-20"]) == (0.68, 0.69, 0.70)
    assert h1["YTD"] == pytest.approx((62 + 63 + 64 + 65 + 66 + 67 + 68 + 69 + 70) / 900)
    assert h1["YTD (X of Y)"] == "594 of 900"
    assert (h1["Red"], h1["Amber"], h1["Target Green"]) == ("<92%", "92%>", "95%+")
    assert (h1["RAG (in month)"], h1["DOT (Month on Month)"]) == ("Red", "\u2191")
    assert rows["W1"]["DATA NOTE (Monthly)"] == "Average count"  # the data note as typed


def test_rag_follows_001s_tolerances(refreshed):
    rows, _ = by_ref(page(refreshed))
    assert rows["S1"]["RAG (in month)"] == "Amber"  # 168.6: beyond +/-5 of 158.8, within +/-15
    assert rows["W1"]["RAG (in month)"] == "Green"  # 16.7 within 14-20
    assert rows["W1"]["Red"] == "1+ above range limit" and rows["S1"]["Target Green"] == "+/-5 of 158.8"
    assert rows["C1"]["RAG (in month)"] == ""  # no tolerance, no target: blank, as 001 leaves it


def test_dashes_n_a_and_typed_words_as_001_shows_them(refreshed):
    rows, _ = by_ref(page(refreshed))
    n1 = rows["N1"]
    assert (n1["Oct-20"], n1["Nov-20"], n1["Dec-20"], n1["YTD"]) == ("-", "-", "-", "-")
    assert n1["DOT (Month on Month)"] == "n/a" and n1["Target Green"] == "n/a"
    assert rows["S1"]["YTD"] == "-"  # a rate has no year to date
    c1 = rows["C1"]
    assert (c1["STAT NEIGH AVE"], c1["NAT AVE"], c1["BEST STAT NEIGH"], c1["NAT TOP QTILE THRESHOLD"]) == \
        (686.6, "Local", "12.3% (2017)", "-")
    assert c1["DOT (Month on Month)"] == "\u2191" and c1["YTD"] == sum(312 + k for k in range(9))


def test_outturns_typed_and_computed(refreshed):
    rows, _ = by_ref(page(refreshed))
    h1, c1 = rows["H1"], rows["C1"]
    assert (h1["2015/16"], h1["2016/17"]) == ("-", "-")
    assert (h1["2017/18"], h1["2018/19"]) == (pytest.approx(0.795), pytest.approx(0.809))  # typed
    assert h1["2019/20"] == pytest.approx(sum(50 + k for k in range(12)) / 1200)  # Apr-19 .. Mar-20 in the data
    assert c1["2017/18"] == "tbc" and c1["2019/20"] == sum(300 + k for k in range(12))


def test_a_year_target_fills_the_ytd_and_shows_as_its_target(refreshed):
    rows, _ = by_ref(page(refreshed))
    assert rows["A1"]["YTD"] == 26 and rows["A1"]["RAG (in month)"] == ""  # December alone is not rated
    assert rows["A1"]["Target Green"] == 50
    sheet = openpyxl_sheet(refreshed, PAGE)
    ytd = next(row[7] for row in sheet.iter_rows() if row[0].value == "A1")
    assert ytd.fill.fgColor.rgb.endswith("C00000")  # red: 26 by December against 37.5, the year's pace
    assert ytd.number_format == "#,##0" and sheet.cell(ytd.row, 16).number_format == '#,##0" a year"'  # P: Target Green


def test_it_prints_landscape_with_its_heading_rows_on_every_page(refreshed):
    """On A4 (the default Paper) 001's 23 columns fitted to one page wide would print below 8 pt, so the
    page prints at the smallest readable scale over more pages wide, NO. and INDICATOR on each."""
    sheet = openpyxl_sheet(refreshed, PAGE)
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.scale >= 73
    assert sheet.print_title_cols == "$A:$B"
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "NO.")
    assert sheet.print_title_rows == f"${header}:${header + 1}"


def test_a_second_refresh_rewrites_the_page_it_recorded(refreshed, tmp_path):
    copy = tmp_path / "again.xlsx"
    copy.write_bytes(refreshed.read_bytes())
    refresh(copy)
    assert page(copy) == page(refreshed)


def test_small_numbers_and_what_would_give_them_away_show_as_c(refreshed, tmp_path):
    result = export_copy(refreshed, out=tmp_path / "copy.xlsx", suppress=True)
    assert PAGE in result.sheets
    rows, _ = by_ref(page(result.workbook))
    a1 = rows["A1"]  # Dec-20 is 2, Oct-20 7, Nov-20 5
    assert (a1["Oct-20"], a1["Nov-20"], a1["Dec-20"]) == (7, "c", "c")
    assert a1["YTD"] == "c" and a1["DOT (Month on Month)"] == "c" and a1["RAG (in month)"] == "c"
    assert a1["2019/20"] == "c"  # its months hold 3s
    assert rows["C1"]["YTD"] == sum(312 + k for k in range(9)) and rows["C1"]["Dec-20"] == 320  # nothing small
    plain = export_copy(refreshed, out=tmp_path / "plain.xlsx")
    assert by_ref(page(plain.workbook))[0]["A1"]["Dec-20"] == 2
