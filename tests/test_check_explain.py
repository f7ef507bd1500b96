"""`scorecard check --explain`: what the tool read each indicator as, and why (README, "Commands")."""

from scorecard_xl.cli import main
from workbooks import INDICATOR_HEADERS, indicator, make_workbook

HEADERS = INDICATOR_HEADERS + ["Decimals", "DoT band", "SPC baseline", "SPC recalculate from"]


def explained(tmp_path, capsys, indicators, data, settings=None):
    path = make_workbook(tmp_path / "b.xlsx", indicators, data, settings, indicator_headers=HEADERS)
    status = main(["check", str(path), "--explain"])
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines()[1:] if line.startswith("  ") and
             not line.startswith("  -")}
    return status, out, lines


def test_explain_says_what_was_typed_and_what_was_inferred(tmp_path, capsys):
    inds = [indicator("L", polarity="Info", name="Number of Looked after Children at end of period"),
            indicator("C", polarity="Info", name="Number of contacts"),
            {**indicator("F", polarity="Info", Kind="flow", ytd="mean", Decimals=2), "DoT band": "2%"},
            indicator("P", unit="Percentage"), indicator("Q", unit="Percentage"),
            indicator("R", unit="Rate per 100,000", polarity="Low")]
    data = [("L", "2021-02", 450), ("C", "2021-02", 10), ("F", "2021-02", 3), ("P", "2021-02", 58.3),
            ("Q", "2021-02", 0.583), ("R", "2021-02", 5.2)]
    status, out, lines = explained(tmp_path, capsys, inds, data, settings={"DoT band": "1%"})
    assert status == 0
    assert "kind snapshot, from the words 'at end of' in its name" in lines["L"]
    assert "year to date latest" in lines["L"]
    assert "kind flow, the default for a count" in lines["C"]
    assert "year to date sum" in lines["C"]
    assert "kind flow, as typed" in lines["F"] and "year to date mean, as typed" in lines["F"]
    assert "2 decimals, as typed" in lines["F"]
    assert "DoT band 2%, as typed" in lines["F"]
    assert "DoT band 1%, from Settings" in lines["C"]
    assert "read as percent numbers (58.3 = 58.3%)" in lines["P"]
    assert "read as fractions (0.583 = 58.3%)" in lines["Q"]
    assert "0 decimals, the default for a percentage" in lines["Q"]
    assert "1 decimal, the default for a rate per 100,000" in lines["R"]
    assert "read as" not in lines["R"]


def test_explain_works_beside_errors(tmp_path, capsys):
    inds = [indicator("A", polarity="Higher"), indicator("B", name="Current caseload")]
    status, out, lines = explained(tmp_path, capsys, inds, [("A", "2021-02", 1), ("B", "2021-02", 2)])
    assert status == 1
    assert "Indicators!C2" in out
    assert "kind snapshot, from the words 'current', 'caseload' in its name" in lines["B"]


def test_without_explain_check_is_as_before(tmp_path, capsys):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("A", Kind="flow")], [("A", "2021-02", 1)])
    assert main(["check", str(path)]) == 0
    assert "kind" not in capsys.readouterr().out


def test_explain_names_the_spc_baseline_and_recalculations_typed(tmp_path, capsys):
    inds = [{**indicator("S"), "SPC baseline": "Apr-19 to Mar-20", "SPC recalculate from": "Oct-20, Apr-20"},
            indicator("T")]
    status, _, lines = explained(tmp_path, capsys, inds, [("S", "2021-02", 1), ("T", "2021-02", 2)])
    assert status == 0
    assert "SPC limits fixed on Apr-19 to Mar-20; SPC recalculated from Apr-20, Oct-20" in lines["S"]
    assert "SPC" not in lines["T"]
