"""Data as officers keep it: name columns beside the Ref in a months-across Data sheet, counts at
month end, and ratios whose published figures are typed as well as their parts (README, "The
workbook contract")."""

import pytest

from scorecard_xl.cli import main
from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.problems import InputProblems
from workbooks import indicator, make_workbook, monthly_series

FY_MONTHS = ["2020-04", "2020-05", "2020-06", "2020-07", "2020-08", "2020-09", "2020-10", "2020-11",
             "2020-12", "2021-01", "2021-02"]


def wide_book(tmp_path, rows, indicators=None):
    """A workbook whose Data sheet is exactly ``rows`` (row 1 the headings)."""
    return make_workbook(tmp_path / "wide.xlsx", indicators or [indicator("A"), indicator("B")], shape="own",
                         extra_sheets={"Data": rows})


def errors_of(path):
    with pytest.raises(InputProblems) as failure:
        load_scorecard(path)
    return [str(p) for p in failure.value.problems]


def notes_of(scorecard):
    return [str(note) for note in scorecard.problems.notes]


# --- 1. name columns in the wide Data sheet ---------------------------------------------------------

def test_text_columns_beside_the_ref_are_left_out_with_a_note(tmp_path):
    path = wide_book(tmp_path, [["Ref", "Indicator", "Unit", "Jan-21", "Feb-21"],
                                ["A", "Number of contacts", "Count", 10, 12],
                                ["B", "Number of referrals", "Count", 3, 4]])
    scorecard = load_scorecard(path)
    assert scorecard.measures.loc["A", "value"] == 12
    assert scorecard.measures.loc["B", "2021-01"] == 3
    [note] = [n for n in notes_of(scorecard) if n.startswith("Data!B1")]
    assert "'Indicator'" in note and "'Unit'" in note and "not months" in note


def test_name_columns_may_stand_between_month_columns(tmp_path):
    path = wide_book(tmp_path, [["Ref", "Jan-21", "Owner", "Feb-21"], ["A", 1, "Head of Service", 2],
                                ["B", 5, "", 6]])
    scorecard = load_scorecard(path)
    assert scorecard.measures.loc["A", "value"] == 2 and scorecard.measures.loc["B", "2021-01"] == 5
    assert any(n.startswith("Data!C1") and "'Owner'" in n for n in notes_of(scorecard))


@pytest.mark.parametrize("heading", ["Febuary 21", "Q4 2020", "2021-13"])
def test_a_heading_that_looks_like_a_month_but_cannot_be_read_stays_an_error(tmp_path, heading):
    path = wide_book(tmp_path, [["Ref", "Indicator", "Jan-21", heading], ["A", "Contacts", 1, 2],
                                ["B", "Referrals", 3, 4]])
    messages = errors_of(path)
    assert [m for m in messages if m.startswith("Data!D1:")], messages
    assert not [m for m in messages if m.startswith("Data!B1:")], messages


def test_figures_under_a_heading_that_is_no_month_stay_an_error(tmp_path):
    """Numbers under a heading such as 'Target' would otherwise be figures nobody reads."""
    path = wide_book(tmp_path, [["Ref", "Target", "Jan-21", "Feb-21"], ["A", 90, 1, 2], ["B", 80, 3, 4]])
    messages = errors_of(path)
    assert any(m.startswith("Data!B1:") and "'Target'" in m and "not a month" in m for m in messages), messages


# --- 2. counts at month end are not summed silently ------------------------------------------------------

@pytest.mark.parametrize("name", [
    "Number of Looked after Children at end of period",
    "Number of children with a CP plan at the end of the month",
    "Children in need as at month end",
    "Number of open CPP cases",
    "Current number of care leavers",
    "Social worker caseload",
])
def test_a_count_at_month_end_is_a_snapshot_by_its_wording(tmp_path, name):
    data = [("L", month, 450 + k) for k, month in enumerate(FY_MONTHS)]
    path = make_workbook(tmp_path / "b.xlsx", [indicator("L", polarity="Info", name=name)], data)
    scorecard = load_scorecard(path)
    assert scorecard.indicators.loc["L", "kind"] == "snapshot"
    assert scorecard.measures.loc["L", "ytd"] == 460  # the latest month, not 5,555 summed
    assert not any("Indicators!A2" in n for n in notes_of(scorecard))


def test_words_inside_other_words_say_nothing(tmp_path):
    data = [("R", month, 10) for month in FY_MONTHS]
    path = make_workbook(tmp_path / "b.xlsx", [indicator("R", name="Number of referrals reopened")], data)
    scorecard = load_scorecard(path)
    assert scorecard.indicators.loc["R", "kind"] == "flow"
    assert scorecard.measures.loc["R", "ytd"] == 110


def count_without_kind(tmp_path):
    data = [("C", month, 10) for month in FY_MONTHS]
    return make_workbook(tmp_path / "b.xlsx", [indicator("C", name="Number of contacts received")], data)


def test_a_count_whose_kind_is_not_known_gets_a_note_naming_its_row(tmp_path):
    scorecard = load_scorecard(count_without_kind(tmp_path))
    assert scorecard.measures.loc["C", "ytd"] == 110  # still a flow, as the contract's default says
    [note] = [n for n in notes_of(scorecard) if n.startswith("Indicators!A2:")]
    assert "C " in note and "flow" in note and "snapshot" in note


def test_check_and_refresh_print_the_kind_note(tmp_path, capsys):
    path = count_without_kind(tmp_path)
    assert main(["check", str(path)]) == 0
    assert "Indicators!A2: C " in capsys.readouterr().out
    assert main(["refresh", str(path)]) == 0
    assert "Indicators!A2: C " in capsys.readouterr().out


@pytest.mark.parametrize("typed", [{"Kind": "flow"}, {"ytd": "sum"}, {"Kind": "snapshot"}])
def test_a_kind_or_ytd_typed_needs_no_note(tmp_path, typed):
    data = [("C", month, 10) for month in FY_MONTHS]
    path = make_workbook(tmp_path / "b.xlsx", [indicator("C", name="Number of contacts received", **typed)], data)
    assert not any(n.startswith("Indicators!A2:") for n in notes_of(load_scorecard(path)))


def test_a_percentage_needs_no_kind(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx", [indicator("P", unit="Percentage")], [("P", "2021-02", 0.5)])
    assert not any(n.startswith("Indicators!A2:") for n in notes_of(load_scorecard(path)))


# --- 3. typed ratios are the officer's figures -------------------------------------------------------------

def ratio_book(tmp_path, typed, decimals=None):
    """P = N / D with N = 4, 5 and D = 20, 8.78 in Jan-21 and Feb-21; ``typed`` P figures by month."""
    inds = [indicator("N"), indicator("D"),
            indicator("P", unit="Percentage", Numerator="N", Denominator="D", **({"Decimals": decimals}
                                                                                 if decimals is not None else {}))]
    data = [("N", "2021-01", 4), ("D", "2021-01", 20), ("N", "2021-02", 5), ("D", "2021-02", 8.78)]
    data += [("P", month, value) for month, value in typed.items()]
    headers = None
    if decimals is not None:
        from workbooks import INDICATOR_HEADERS
        headers = INDICATOR_HEADERS + ["Decimals"]
    return make_workbook(tmp_path / "ratio.xlsx", inds, data, indicator_headers=headers)


def test_a_typed_ratio_stands_and_a_difference_is_a_note(tmp_path):
    scorecard = load_scorecard(ratio_book(tmp_path, {"2021-01": 0.25}))
    assert scorecard.measures.loc["P", "2021-01"] == 0.25  # as typed (and published), not 4/20 = 20%
    [note] = [n for n in notes_of(scorecard) if "P:" in n and "Jan-21" in n]
    assert note.startswith("Data!C6:")  # the cell the 25% was typed in
    assert "25%" in note and "20%" in note


def test_the_computed_ratio_fills_the_months_not_typed(tmp_path):
    scorecard = load_scorecard(ratio_book(tmp_path, {"2021-01": 0.25}))
    assert scorecard.measures.loc["P", "value"] == pytest.approx(5 / 8.78)


def test_a_typed_ratio_within_the_rounding_of_its_display_is_no_note(tmp_path):
    # 5 / 8.78 = 56.95%: shown as 57% (no decimals), so 57% typed agrees
    scorecard = load_scorecard(ratio_book(tmp_path, {"2021-02": 0.57}))
    assert scorecard.measures.loc["P", "value"] == 0.57
    assert not [n for n in notes_of(scorecard) if "P:" in n]


def test_rounding_means_the_indicators_display_decimals(tmp_path):
    # with one decimal 5 / 8.78 shows as 56.9%: 56.9% typed agrees, 57% typed does not
    agrees = load_scorecard(ratio_book(tmp_path, {"2021-02": 0.569}, decimals=1))
    assert not [n for n in notes_of(agrees) if "P:" in n]
    (tmp_path / "ratio.xlsx").unlink()
    differs = load_scorecard(ratio_book(tmp_path, {"2021-02": 0.57}, decimals=1))
    [note] = [n for n in notes_of(differs) if "P:" in n]
    assert note.startswith("Data!C6:") and "57.0%" in note and "56.9%" in note


def test_a_typed_rate_stands_beside_its_population_rate(tmp_path):
    inds = [indicator("C"), indicator("C-NI", unit="Rate per 10,000", Numerator="C", Denominator="population")]
    data = [("C", "2021-02", 91), ("C-NI", "2021-02", 18.5)]
    path = make_workbook(tmp_path / "b.xlsx", inds, data, settings={"Population 0-17 2020/21": 50000})
    scorecard = load_scorecard(path)
    assert scorecard.measures.loc["C-NI", "value"] == 18.5
    [note] = [n for n in notes_of(scorecard) if "C-NI:" in n]
    assert note.startswith("Data!C3:") and "18.5" in note and "18.2" in note


def test_the_samples_typed_ratios_agree_with_their_parts(tmp_path, capsys):
    path = tmp_path / "sample.xlsx"
    assert main(["new", str(path), "--sample"]) == 0
    capsys.readouterr()
    notes = notes_of(load_scorecard(path))
    assert not [n for n in notes if "ratio" in n or "Numerator" in n], notes


def test_a_figure_typed_for_a_ratio_with_no_parts_that_month_stands(tmp_path):
    inds = [indicator("N"), indicator("D"), indicator("P", unit="Percentage", Numerator="N", Denominator="D")]
    data = monthly_series("P", 2021, 1, [0.4, 0.5])
    path = make_workbook(tmp_path / "b.xlsx", inds, data + [("N", "2021-02", 1), ("D", "2021-02", 2)])
    scorecard = load_scorecard(path)
    assert scorecard.measures.loc["P", "2021-01"] == 0.4 and scorecard.measures.loc["P", "value"] == 0.5
