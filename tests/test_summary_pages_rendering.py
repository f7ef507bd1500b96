"""LibreOffice prints the Performance Summary and the Indicator pages as a refresh wrote them in the workbook.

The workbooks are refreshed in place (the splice), with their raw sheets hidden so that only the pages
print; LibreOffice converts them with every other rendering test's (tests/rendering.py), and the PDF's
text and pixels are read back.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from ref001_book import ref001_book
from rendering import has_colour, pixels, renders
from scorecard_xl.update.refresh import refresh
from test_indicator_pages import book as pages_book

RAW_SHEETS = ("Indicators", "Data", "Settings")


def pages_only(path: Path) -> Path:
    """Hide the raw sheets (a one-line cover stays visible, as a workbook needs one), then refresh."""
    workbook = openpyxl.load_workbook(path)
    workbook.create_sheet("Cover")["A1"] = "Pages regenerated in place"
    for name in RAW_SHEETS:
        workbook[name].sheet_state = "hidden"
    workbook.active = workbook.sheetnames.index("Cover")
    workbook.save(path)
    refresh(path)
    return path


def summary_pages_to_render(folder: Path) -> list[Path]:
    return [pages_only(ref001_book(folder / "ref001 performance summary.xlsx", pages="Performance Summary", paper="A3")),
            pages_only(pages_book(folder, name="indicator pages.xlsx"))]


def pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"], capture_output=True, text=True).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def printed(rendered):
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        pytest.skip("poppler is needed to read the rendering back")
    assert rendered.returncode == 0, rendered.stderr
    summary, pages = rendered.files
    return rendered.pdf(summary), rendered.pdf(pages)


@renders(summary_pages_to_render)
def test_the_performance_summary_prints_landscape_with_its_headings_on_each_page(printed):
    summary, _ = printed
    assert page_count(summary) == 4  # the cover, then 98 rows over three pages as 001 prints them
    first, second = pdf_text(summary, 2), pdf_text(summary, 3)
    assert "Performance Summary" in first and "As at Month End: December 2020" in first
    assert "Direction of travel represents the direction of 'performance'" in first
    for page in (first, second, pdf_text(summary, 4)):
        for heading in ("GOOD", "DATA NOTE", "YR ON YR TREND", "LATEST BENCHMARKING", "Target and Tolerances"):
            assert heading in page, heading
    assert "5,639 of" in first and "+/-5 of" in first and "1+ above" in pdf_text(summary, 4)  # wrapped in its cell
    image = pixels(summary, 2)
    assert image.shape[1] > image.shape[0]  # landscape
    for colour in ("C00000", "00B050", "1F3864"):  # red and green RAG fills, the navy headings
        assert has_colour(image, colour), colour


@renders(summary_pages_to_render)
def test_the_indicator_pages_print_an_indicator_a_page_with_its_chart(printed):
    _, pages = printed
    assert page_count(pages) == 4  # the cover, then one page for each of the three indicators
    for page, title in ((2, "R1 Number of referrals"), (3, "P1 % decided in a day"), (4, "W1 Cases per worker")):
        text = pdf_text(pages, page)
        assert " ".join(text.split()).count(title) >= 1, title
        assert "Commentary (Dec-20)" in text
    assert "3,522 / 57,521 \u00d7 10,000 = 612.3" in " ".join(pdf_text(pages, 2).split())
    assert "5,639 of 9,903 = 56.9%" in pdf_text(pages, 3)
    # The SPC lines of R1 and W1 (12 months each), listed in the chart's legend; P1's 9 months have none.
    assert ["Process limits" in pdf_text(pages, page) for page in (2, 3, 4)] == [True, False, True]
    for page, colours in ((2, ("1F3864", "C55A11")), (3, ("1F3864", "00863D"))):  # figures; England, target
        image = pixels(pages, page)
        for colour in colours:
            assert has_colour(image, colour), (page, colour)
