"""`scorecard refresh`: the user's workbook keeps everything, the Scorecard is regenerated."""

import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from python_calamine import CalamineWorkbook

from preservation_book import DEFAULT_INDICATORS, SHEET_PART, build_preservation_book, zip_parts
from rendering import renders
from scorecard_xl.backends.xlsx_file import read_sheet_cells
from scorecard_xl.cli import main
from scorecard_xl.update.manual import HISTORY_SHEET
from scorecard_xl.problems import InputProblems, WorkbookError
from scorecard_xl.update.refresh import refresh
from scorecard_xl.update.saving import backup
from scorecard_xl.starter import write_starter
from workbooks import indicator, make_workbook, monthly_series, sample_book, type_commentary

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# The parts a refresh may change (issue 3, Build 3); everything else must keep its bytes.
MAY_CHANGE = {"xl/styles.xml", "xl/workbook.xml", SHEET_PART["Scorecard"]}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet_values(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python(skip_empty_area=False)


def find_row(rows, ref):
    return next(row for row in rows if row and row[0] == ref)


@pytest.fixture
def preserved(tmp_path):
    original = build_preservation_book(tmp_path / "original.xlsm")
    work = tmp_path / "work.xlsm"
    shutil.copy(original, work)
    return original, work


class TestPreservation:
    def test_two_refreshes_keep_every_other_part_byte_for_byte(self, preserved):
        original, work = preserved
        refresh(work)
        refresh(work)
        before, after = zip_parts(original), zip_parts(work)
        assert set(before) == set(after), "a part was added or lost"
        changed = {name for name in before if before[name] != after[name]}
        assert changed <= MAY_CHANGE, changed - MAY_CHANGE
        assert SHEET_PART["Scorecard"] in changed

    def test_styles_are_only_appended(self, preserved):
        original, work = preserved
        refresh(work)
        old = etree.fromstring(zip_parts(original)["xl/styles.xml"])
        new = etree.fromstring(zip_parts(work)["xl/styles.xml"])
        for tag in ("numFmts", "fonts", "fills", "borders", "cellXfs"):
            old_items = [etree.tostring(e) for e in old.find(MAIN + tag)] if old.find(MAIN + tag) is not None else []
            new_items = [etree.tostring(e) for e in new.find(MAIN + tag)]
            assert new_items[:len(old_items)] == old_items, tag

    def test_cached_formula_values_survive(self, preserved):
        original, work = preserved
        refresh(work)
        trends = zip_parts(work)[SHEET_PART["Trends"]]
        assert b"<f>" in trends and b"<v>" in trends
        assert trends == zip_parts(original)[SHEET_PART["Trends"]]

    def test_independent_reader_sees_the_scorecard(self, preserved):
        _, work = preserved
        refresh(work)
        rows = sheet_values(work, "Scorecard")
        header = next(row for row in rows if row and row[0] == "Ref.")
        assert header[5:12] == ["Aug-20", "Sep-20", "Oct-20", "Nov-20", "Dec-20", "Jan-21", "Feb-21"]
        assert header[12] == "% change from Feb-20" and header[-1] == "Commentary (Feb-21)"
        data = {ref: value for ref, _, value in _default_rows() if _ == "2021-02"}
        for spec in DEFAULT_INDICATORS[1:]:  # row 0 is the heading
            ref = spec[0]
            assert find_row(rows, ref)[11] == pytest.approx(data[ref]), ref

    def test_refresh_is_idempotent(self, preserved):
        _, work = preserved
        refresh(work)
        first = zip_parts(work)
        refresh(work)
        assert zip_parts(work) == first


def _default_rows():
    from preservation_book import default_scorecard_sheets
    rows = default_scorecard_sheets()["Data"][1:]
    return [(r[0], r[1], r[2]) for r in rows]


def commentary(path: Path) -> dict[str, object]:
    from scorecard_xl.update.manual import read_manual
    return read_manual(read_sheet_cells(path, "Scorecard")).by_ref


class TestCommentary:
    def test_survives_twenty_refreshes_and_rich_text_stays_rich(self, tmp_path):
        path = sample_book(tmp_path)
        rich = CellRichText(["Contacts fell ", TextBlock(InlineFont(b=True, color="FFC00000"), "11%"), " in February."])
        type_commentary(path, {"M1": rich, "M2": "Referrals down, in line with contacts.", "CP1": "=1+1 is not a sum"})
        for _ in range(20):
            before = path.read_bytes()
            refresh(path)
            if path.read_bytes() == before:  # what a refresh writes follows from the file: so would the rest
                break
        kept = commentary(path)
        assert kept["M2"] == "Referrals down, in line with contacts."
        assert kept["CP1"] == "=1+1 is not a sum"
        assert kept["M1"].text == "Contacts fell 11% in February."
        bold = [run for run in kept["M1"].runs if run.text == "11%"][0]
        assert b"<b/>" in bold.ooxml_rpr or b'<b val="1"/>' in bold.ooxml_rpr
        assert b"FFC00000" in bold.ooxml_rpr
        sheet_xml = zip_parts(path)["xl/worksheets/sheet4.xml"]
        assert b"<f>" not in sheet_xml  # "=1+1 ..." stayed text

    def test_month_rollover_archives_and_starts_empty(self, tmp_path):
        path = sample_book(tmp_path, month="Jan-21")
        type_commentary(path, {"M1": "January's note", "M3": "Conversion steady."})
        report = refresh(path, month="Feb-21")
        assert report.archived == 2
        assert commentary(path) == {}
        history = sheet_values(path, HISTORY_SHEET)
        assert history[0] == ["Ref", "Month", "Text"]
        assert ["M1", "Jan-21", "January's note"] in history and ["M3", "Jan-21", "Conversion steady."] in history
        rows = sheet_values(path, "Scorecard")
        assert "Commentary (Feb-21)" in next(r for r in rows if r and r[0] == "Ref.")
        # Later refreshes in the same month do not archive twice.
        type_commentary(path, {"M1": "February's note"})
        refresh(path, month="Feb-21")
        assert len(sheet_values(path, HISTORY_SHEET)) == 3
        assert commentary(path) == {"M1": "February's note"}

    def test_carry_commentary_keeps_the_text(self, tmp_path, capsys):
        path = sample_book(tmp_path, month="Jan-21")
        type_commentary(path, {"M1": "Still true"})
        assert main(["refresh", str(path), "--month", "Feb-21", "--carry-commentary"]) == 0
        assert commentary(path) == {"M1": "Still true"}
        assert ["M1", "Jan-21", "Still true"] in sheet_values(path, HISTORY_SHEET)
        assert "1 archived" in capsys.readouterr().out


class TestUserContent:
    def test_content_outside_the_tools_area_is_kept(self, tmp_path):
        path = sample_book(tmp_path)
        book = openpyxl.load_workbook(path)
        book["Scorecard"]["AA3"] = "My own note"
        book.save(path)
        refresh(path)
        assert sheet_values(path, "Scorecard")[2][26] == "My own note"

    def test_content_the_scorecard_would_cover_stops_the_refresh(self, tmp_path):
        path = make_workbook(tmp_path / "b.xlsx", [indicator("A")], monthly_series("A", 2021, 1, [1, 2]),
                             extra_sheets={"Scorecard": [["My hand-made scorecard"], [None, "keep me"]]})
        before = digest(path)
        with pytest.raises(WorkbookError, match="A1, B2"):
            refresh(path)
        assert digest(path) == before


class TestSafety:
    def test_crash_before_replace_leaves_the_original(self, tmp_path, monkeypatch):
        path = sample_book(tmp_path)
        before = digest(path)
        listing = set(os.listdir(tmp_path))

        def crash(*_):
            raise OSError("power cut")
        monkeypatch.setattr("scorecard_xl.update.saving.os.replace", crash)
        with pytest.raises(OSError, match="power cut"):
            refresh(path)
        assert digest(path) == before
        stray = {n for n in set(os.listdir(tmp_path)) - listing if n != "scorecard backups"}
        assert stray == set()
        assert not [n for n in os.listdir(tmp_path) if ".tmp" in n]

    def test_backups_keep_the_last_five(self, tmp_path):
        path = sample_book(tmp_path)  # its refresh kept the first backup
        older = []  # six versions backed up as a refresh backs them up, written on the days they say
        for day in range(1, 7):
            written = dt.datetime(2021, 1, day, 12)
            older.append(backup(path, now=written))
            os.utime(older[-1], (written.timestamp(), written.timestamp()))
        refresh(path)  # the eighth backup, and the refresh prunes
        backups = list((tmp_path / "scorecard backups").iterdir())
        assert len(backups) == 5
        assert not set(older[:3]) & set(backups)  # the three versions written first are the ones gone

    def test_out_writes_elsewhere_and_leaves_the_source(self, tmp_path):
        path = tmp_path / "source.xlsx"
        write_starter(path, sample=True)
        before = digest(path)
        refresh(path, out=tmp_path / "copy.xlsx")
        assert digest(path) == before
        assert any(r and r[0] == "M1" for r in sheet_values(tmp_path / "copy.xlsx", "Scorecard"))


class TestRefusals:
    def check_refused(self, path, match, capsys=None, month=None):
        before = digest(path)
        with pytest.raises((WorkbookError, InputProblems), match=match):
            refresh(path, month=month)
        assert digest(path) == before

    def test_open_in_excel(self, tmp_path):
        path = sample_book(tmp_path)
        (tmp_path / ("~$" + path.name)).write_bytes(b"owner")
        self.check_refused(path, "open in Excel")

    def test_encrypted(self, tmp_path):
        from msoffcrypto.format.ooxml import OOXMLFile
        plain = sample_book(tmp_path)
        locked = tmp_path / "locked.xlsx"
        with open(plain, "rb") as source, open(locked, "wb") as target:
            OOXMLFile(source).encrypt("secret", target)
        self.check_refused(locked, "password-protected")

    def test_old_xls(self, tmp_path):
        path = tmp_path / "old.xls"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
        self.check_refused(path, "Save As")

    def test_protected_scorecard(self, tmp_path):
        path = sample_book(tmp_path)
        book = openpyxl.load_workbook(path)
        book["Scorecard"].protection.sheet = True
        book.save(path)
        self.check_refused(path, "protected")

    def test_bad_data(self, tmp_path):
        path = make_workbook(tmp_path / "b.xlsx", [indicator("A", polarity="Sideways")], [("A", "2021-02", 1)])
        self.check_refused(path, "Indicators!C2")

    def test_command_line_says_it_plainly(self, tmp_path, capsys):
        path = sample_book(tmp_path)
        (tmp_path / ("~$" + path.name)).write_bytes(b"owner")
        assert main(["refresh", str(path)]) == 2
        err = capsys.readouterr().err
        assert "open in Excel" in err and "Traceback" not in err


def test_formula_like_text_is_written_as_text(tmp_path):
    inds = [indicator("A", name="=HYPERLINK(\"http://example.invalid\")"), indicator("B", name="+44 contacts"),
            indicator("C", name="@risk", section="-Section")]
    path = make_workbook(tmp_path / "b.xlsx", inds, [(r, "2021-02", 1) for r in "ABC"])
    refresh(path)
    parts = zip_parts(path)
    scorecard_part = next(v for k, v in parts.items() if k.startswith("xl/worksheets/sheet") and b"HYPERLINK" in v)
    assert b"<f>" not in scorecard_part
    values = [v for row in sheet_values(path, "Scorecard") for v in row]
    for text in ('=HYPERLINK("http://example.invalid")', "+44 contacts", "@risk", "-Section"):
        assert text in values


def refreshed_sample_to_render(folder: Path) -> list[Path]:
    return [sample_book(folder, name="refreshed sample.xlsx")]


@renders(refreshed_sample_to_render)
def test_libreoffice_renders_the_refreshed_workbook(rendered):
    from scorecard_xl.send.render import soffice
    assert soffice(), "LibreOffice is needed: apt-get install -y libreoffice-calc-nogui"
    (path,) = rendered.files  # converted with the other tests' workbooks (tests/rendering.py)
    assert rendered.returncode == 0, rendered.stderr
    pdf = rendered.pdf(path)
    assert pdf.stat().st_size > 10_000
    import subprocess
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Qualitative measures" in text and "Commentary (Feb-21)" in text


@pytest.mark.parametrize("bases, heading", [(["relative"], "% change from Feb-20"), (["points"], "pp change from Feb-20"),
                                            (["relative", "points"], "% or pp change from Feb-20")])
def test_change_heading_follows_the_basis(tmp_path, bases, heading):
    inds = [indicator(f"P{i}", unit="Percentage", Change=basis) for i, basis in enumerate(bases)]
    data = [row for i in range(len(bases)) for row in monthly_series(f"P{i}", 2020, 2, [0.5] * 12 + [0.6])]
    path = make_workbook(tmp_path / "b.xlsx", inds, data)
    refresh(path)
    rows = sheet_values(path, "Scorecard")
    header = next(r for r in rows if r and r[0] == "Ref.")
    assert heading in header
    column = header.index(heading)
    for i, basis in enumerate(bases):  # 50% -> 60%: +20% relative, or +10 percentage points
        assert find_row(rows, f"P{i}")[column] == pytest.approx(10 if basis == "points" else 0.2)


class TestReviewScenarios:
    """Scenarios a review found losing or misjudging people's work; each failed before its fix."""

    def test_corrected_commentary_for_an_archived_month_is_archived_too(self, tmp_path):
        path = sample_book(tmp_path, month="Jan-21")
        type_commentary(path, {"M1": "A"})
        refresh(path, month="Feb-21")  # "A" archived under Jan-21
        report = refresh(path, month="Jan-21")  # January reissued: its commentary comes back
        assert report.restored == 1 and commentary(path) == {"M1": "A"}
        type_commentary(path, {"M1": "B (corrected)"})
        refresh(path, month="Feb-21")
        history = [row[:3] for row in sheet_values(path, HISTORY_SHEET)]
        assert ["M1", "Jan-21", "A"] in history and ["M1", "Jan-21", "B (corrected)"] in history

    def test_history_keeps_columns_people_added(self, tmp_path):
        path = sample_book(tmp_path, month="Jan-21")
        type_commentary(path, {"M1": "January"})
        refresh(path, month="Feb-21")
        book = openpyxl.load_workbook(path)
        history = book[HISTORY_SHEET]
        history["D1"] = "Action owner"
        history["D2"] = "Head of Service"
        book.save(path)
        type_commentary(path, {"M2": "February"})
        refresh(path, month="Jan-21")
        rows = sheet_values(path, HISTORY_SHEET)
        assert rows[0][3] == "Action owner" and rows[1][3] == "Head of Service"
        assert ["M2", "Feb-21", "February"] in [r[:3] for r in rows]

    def test_an_edited_print_area_does_not_lose_a_note(self, tmp_path):
        path = sample_book(tmp_path)
        book = openpyxl.load_workbook(path)
        sheet = book["Scorecard"]
        sheet["A70"] = "Signed off by the Head of Service"
        sheet.print_area = "A1:Z75"  # the officer widened the print area to include the note
        book.save(path)
        refresh(path)
        assert sheet_values(path, "Scorecard")[69][0] == "Signed off by the Head of Service"

    def test_formula_and_formatted_cells_beside_the_table_are_kept(self, tmp_path):
        path = sample_book(tmp_path)
        book = openpyxl.load_workbook(path)
        sheet = book["Scorecard"]
        sheet["AB5"] = '=IF(1>2,"x","")'  # a formula whose value is empty text
        sheet["AC5"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")  # a sign-off box
        book.save(path)
        refresh(path)
        sheet_xml = next(v for k, v in zip_parts(path).items() if k.startswith("xl/worksheets/") and b"IF(1&gt;2" in v)
        assert b'r="AC5"' in sheet_xml

    def test_out_must_keep_the_extension(self, preserved):
        _, work = preserved
        before = digest(work)
        with pytest.raises(WorkbookError, match="must end in .xlsm"):
            refresh(work, out=work.with_name("copy.xlsx"))
        assert digest(work) == before and not work.with_name("copy.xlsx").exists()

    def test_out_onto_an_existing_file_keeps_a_backup(self, tmp_path):
        source = tmp_path / "source.xlsx"
        write_starter(source, sample=True)
        target = tmp_path / "target.xlsx"
        target.write_bytes(source.read_bytes())
        report = refresh(source, out=target)
        assert report.backup is not None and report.backup.read_bytes() == source.read_bytes()

    def test_a_locked_file_gives_a_plain_message(self, tmp_path, monkeypatch):
        path = sample_book(tmp_path)
        before = digest(path)

        def locked(*_):
            raise PermissionError(13, "The process cannot access the file")
        monkeypatch.setattr("scorecard_xl.update.saving.os.replace", locked)
        with pytest.raises(WorkbookError, match="in use by another program"):
            refresh(path)
        assert digest(path) == before
