"""The commands of issue 2 on the sample workbook, checked against reference 000's printed figures."""

import csv
import io
import json

import openpyxl
import pytest

from scorecard_xl.cli import main
from workbooks import openpyxl_sheet

# Reference 000 (Feb-21), as printed: % change from Feb-20, 12-month average and maximum.
REFERENCE_000 = {
    "M1": {"change_prev_year": "15%", "arrow_prev_year": "\u2191", "avg_12m": 1414, "max_12m": 1787, "value": 1297},
    "M2": {"change_prev_year": "-23%", "arrow_prev_year": "\u2193", "avg_12m": 324, "max_12m": 449, "value": 244},
    "M3": {"change_prev_year": "-33%", "arrow_prev_year": "\u2193", "avg_12m": 0.23, "max_12m": 0.26, "value": 0.19},
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "sample.xlsx"
    assert main(["new", str(path), "--sample"]) == 0
    return path


def run(capsys, *args):
    status = main([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_table_csv_matches_reference_000(sample, capsys):
    status, out, _ = run(capsys, "table", sample)
    assert status == 0
    rows = {row["ref"]: row for row in csv.DictReader(io.StringIO(out))}
    assert len(rows) >= 40
    for ref, printed in REFERENCE_000.items():
        row = rows[ref]
        shown = f"{round(float(row['change_prev_year']) * 100):.0f}%"
        assert shown == printed["change_prev_year"], ref
        assert row["arrow_prev_year"] == printed["arrow_prev_year"], ref
        places = 2 if isinstance(printed["avg_12m"], float) else 0
        assert round(float(row["avg_12m"]), places) == printed["avg_12m"], ref
        assert round(float(row["max_12m"]), places) == printed["max_12m"], ref
        assert round(float(row["value"]), places) == printed["value"], ref
        assert row["2021-02"] == row["value"]


def test_table_columns_are_the_documented_ones(sample, capsys):
    _, out, _ = run(capsys, "table", sample, "--month", "Jan-21")
    header = out.splitlines()[0].split(",")
    assert header[:5] == ["ref", "section", "indicator", "polarity", "unit"]
    months = header[5:12]
    assert months == ["2020-07", "2020-08", "2020-09", "2020-10", "2020-11", "2020-12", "2021-01"]
    assert header[12:30] == ["value", "change_prev_month", "arrow_prev_month", "change_prev_year",
                             "arrow_prev_year", "dot", "judgement", "rag", "avg_12m", "max_12m", "min_12m",
                             "ytd", "ytd_numerator", "ytd_denominator", "ytd_target", "ytd_rag", "rolling_12m",
                             "rolling_12m_rate_10k"]
    assert header[30:35] == ["spc_mean", "spc_lower", "spc_upper", "spc_variation", "spc_assurance"]
    assert header[35:45] == ["target", "annual_target", "red", "amber", "green", "sn", "england", "region",
                             "best_sn", "top_quartile"]
    assert all(h.startswith("outturn_") for h in header[45:])


def test_table_json_has_nulls_for_missing(sample, capsys):
    _, out, _ = run(capsys, "table", sample, "--format", "json")
    records = json.loads(out)
    m1 = next(r for r in records if r["ref"] == "M1")
    assert m1["value"] == 1297 and m1["target"] is None
    assert any(r["rolling_12m"] is None for r in records)  # percentages have no rolling total


def test_check_on_the_sample(sample, capsys):
    status, out, _ = run(capsys, "check", sample)
    assert status == 0
    assert "no errors" in out and "Feb-21" in out


def test_check_lists_every_planted_problem(sample, tmp_path, capsys):
    broken = tmp_path / "broken.xlsx"
    book = openpyxl.load_workbook(sample)  # another library plants the problems
    indicators, data = book["Indicators"], book["Data"]
    indicators["C3"] = "Higher is better"  # polarity
    indicators["D5"] = "Kilograms"  # unit
    indicators["M2"] = "below 92"  # tolerance text
    data["B10"] = "Febtember 2020"  # month
    data["C20"] = "lots"  # value
    data["A30"] = "ZZ9"  # ref with no indicator
    data.append([data["A40"].value, data["B40"].value, (data["C40"].value or 0) + 1])  # duplicate, different
    book.save(broken)
    status, out, _ = run(capsys, "check", broken)
    assert status == 1
    for cell in ("Indicators!C3", "Indicators!D5", "Indicators!M2", "Data!B10", "Data!C20", "Data!C30",
                 f"Data!C{data.max_row}"):
        assert cell in out, cell
    assert "7 problems" in out


def test_new_refuses_to_overwrite(sample, capsys):
    before = sample.read_bytes()
    status, _, err = run(capsys, "new", sample)
    assert status == 2 and "already exists" in err
    assert sample.read_bytes() == before


def test_a_folder_named_like_a_workbook_is_a_plain_message(tmp_path, capsys):
    folder = tmp_path / "Scorecard.xlsx"
    folder.mkdir()
    assert main(["check", str(folder)]) == 2
    assert capsys.readouterr().err.strip() == f"scorecard: Is a directory: {folder}"


def test_new_into_a_missing_folder_is_a_plain_message(tmp_path, capsys):
    target = tmp_path / "no such folder" / "Scorecard.xlsx"
    assert main(["new", str(target)]) == 2
    assert capsys.readouterr().err.strip() == f"scorecard: No such file or directory: {target}"


def test_a_bug_still_shows_its_traceback(monkeypatch, sample):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")
    monkeypatch.setattr("scorecard_xl.backends.xlsx_file.read_workbook", broken)  # the file backend's reader
    with pytest.raises(ZeroDivisionError):
        main(["check", str(sample)])


def test_a_missing_file_of_the_package_itself_is_a_bug_not_a_user_error(monkeypatch, tmp_path):
    from scorecard_xl import starter
    real = starter._template_rows
    monkeypatch.setattr(starter, "_template_rows", lambda name: real(name.replace(".csv", ".gone.csv")))
    with pytest.raises(FileNotFoundError):
        main(["new", str(tmp_path / "s.xlsx"), "--sample"])


def test_saving_into_a_missing_folder_names_the_folder_not_a_temp_file(sample, tmp_path, capsys):
    for command in (["export", str(sample), "--out"], ["refresh", str(sample), "--out"]):
        before = sample.read_bytes()
        assert main(command + [str(tmp_path / "no such folder" / "out.xlsx")]) == 2
        error = capsys.readouterr().err.strip()
        assert error == f"scorecard: There is no folder {tmp_path / 'no such folder'} to save out.xlsx in. " \
                        "Create it, or name another folder."
        assert sample.read_bytes() == before


def test_a_folder_that_refuses_files_is_named(monkeypatch, sample, tmp_path, capsys):
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / ".out.x1y2.tmp.xlsx"))
    monkeypatch.setattr("tempfile.mkstemp", refused)
    assert main(["export", str(sample), "--out", str(tmp_path / "out.xlsx")]) == 2
    error = capsys.readouterr().err.strip()
    assert error == f"scorecard: out.xlsx cannot be saved in {tmp_path} (Permission denied). " \
                    "Choose a folder you can save to."
    assert ".tmp" not in error


def test_the_sample_indicators_sheet_rows_are_tall_enough_for_their_wrapped_text(sample):
    sheet = openpyxl_sheet(sample, "Indicators")
    header = [c.value for c in sheet[1]]
    indicator, outcome = header.index("Indicator") + 1, header.index("Outcome") + 1
    width = sheet.column_dimensions[openpyxl.utils.get_column_letter(indicator)].width
    long_rows = 0
    for r in range(2, sheet.max_row + 1):
        for column in (indicator, outcome):
            assert sheet.cell(r, column).alignment.wrap_text
        assert sheet.cell(r, 1).alignment.vertical == "top"
        text = str(sheet.cell(r, indicator).value or "")
        if len(text) > 1.5 * width:  # surely two lines or more at that width
            long_rows += 1
            assert (sheet.row_dimensions[r].height or 15) >= 30, (r, text)
    assert long_rows >= 5
