"""Every page as LibreOffice prints it (the workbook refreshed in place, and its email copy): the PDF's
text read back has no -0% or -0.0pp, the title once a page, every word of a long commentary, and
type no smaller than about 8 pt."""

from __future__ import annotations

import functools
import re
import subprocess
from pathlib import Path

import pytest

from rendering import renders
from scorecard_xl.send.export import export_copy
from scorecard_xl.starter import write_starter
from scorecard_xl.update.refresh import refresh
from test_printing import LONG
from typing_in import append_row
from workbooks import type_commentary

TITLE = "Children's Services Performance Scorecard"
ARCHIVED = ("January's contacts were as expected, and the front door kept pace with them; the managers will "
            "report on the health visitors' referrals when the partnership has looked at them in March.")


def pages_workbooks(folder: Path) -> list[Path]:
    """The sample with the Scorecard and the Board summary, long commentary on a listed indicator (M9) and
    on another (M1), a month archived to the history; refreshed in place, and its email copy."""
    book = write_starter(folder / "printed pages.xlsx", sample=True)
    append_row(book, "Settings", ["Pages", "Scorecard, Board summary"])  # tests/typing_in.py
    refresh(book, month="Jan-21")
    type_commentary(book, {"M1": ARCHIVED})
    refresh(book)
    type_commentary(book, {"M1": LONG, "M9": LONG.replace("Contacts fell", "Decisions slowed")})
    refresh(book)
    copy = export_copy(book, out=folder / "printed copy.xlsx", include_comments=True).workbook
    return [book, copy]


def pdf_pages(pdf: Path) -> list[str]:
    return list(_pdf_pages(str(pdf), pdf.stat().st_mtime_ns))


@functools.cache  # the run's PDFs are made once: the several tests reading one need not run pdftotext again
def _pdf_pages(pdf: str, modified: int) -> tuple[str, ...]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    return tuple(text.split("\f"))


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.replace("\u2019", "'"))


def contains_in_order(page: str, wanted: str) -> bool:
    """Every word of ``wanted`` on ``page`` in its order (other cells' words may lie between lines)."""
    found = iter(words(page))
    return all(any(word == seen for seen in found) for word in words(wanted))


def word_heights(pdf: Path, page_numbers: list[int]) -> list[float]:
    """The height in points of each word LibreOffice set on those pages (1-based)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    heights = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        if number in page_numbers:
            heights += [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', page)]
    return heights


def report_pages(pages: list[str]) -> dict[str, list[int]]:
    """The 1-based numbers of the pages of each report sheet, by the footers the tool prints."""
    found = {"Scorecard": [], "Board summary": [], "Commentary": []}
    for number, page in enumerate(pages, start=1):
        if "Reporting month Feb-21" in page:
            found["Scorecard"].append(number)
        elif "Board summary, Feb-21" in page:
            found["Board summary"].append(number)
        elif page.strip().split("\n")[0] in ("Commentary history", "Commentary"):  # the history's page header
            found["Commentary"].append(number)
    return found


@pytest.fixture
def printed(rendered):
    assert rendered.returncode == 0, rendered.stderr
    book, copy = rendered.files
    return {"workbook": (rendered.pdf(book), pdf_pages(rendered.pdf(book))),
            "copy": (rendered.pdf(copy), pdf_pages(rendered.pdf(copy)))}


@renders(pages_workbooks)
def test_no_page_shows_minus_zero(printed):
    for name, (_, pages) in printed.items():
        report = report_pages(pages)
        text = "\n".join(pages[n - 1] for numbers in report.values() for n in numbers)
        assert report["Scorecard"] and report["Board summary"], name
        assert not re.search(r"-0(\.0+)?\s*(%|pp)", text), name


@renders(pages_workbooks)
def test_the_title_prints_once_on_each_page(printed):
    for name, (_, pages) in printed.items():
        report = report_pages(pages)
        for number in report["Scorecard"] + report["Board summary"]:
            assert pages[number - 1].count(TITLE) == 1, (name, number)


@renders(pages_workbooks)
def test_long_commentary_prints_whole_on_the_scorecard_the_board_and_the_history(printed):
    for name, (_, pages) in printed.items():
        report = report_pages(pages)
        scorecard = [pages[n - 1] for n in report["Scorecard"]]
        assert any(contains_in_order(page, LONG) for page in scorecard), name
        board = [pages[n - 1] for n in report["Board summary"]]
        assert any(contains_in_order(page, LONG.replace("Contacts fell", "Decisions slowed")) for page in board), name
        history = [pages[n - 1] for n in report["Commentary"]]
        assert any(contains_in_order(page, ARCHIVED) for page in history), name


@renders(pages_workbooks)
def test_the_scorecard_prints_no_smaller_than_about_8_pt_with_ref_and_indicator_on_every_page(printed):
    pdf, pages = printed["workbook"]
    numbers = report_pages(pages)["Scorecard"]
    heights = sorted(word_heights(pdf, numbers))
    # A word's box is about 1.3 times its type's size: the median word of 8 pt type is about 10.4 pt tall,
    # of the 6 pt type one A4 page wide gave, about 7.9.
    assert heights[len(heights) // 2] >= 9.8
    assert len(numbers) > 1
    for number in numbers:  # the heading row, and the Ref and Indicator columns, on every page
        assert {"Ref.", "Indicator"} <= set(pages[number - 1].split("\n")), number
