"""The year's figures (docs/design.md §5.4, §5.5): targets for the year, "X of Y" year-to-date parts,
outturns computed from the data and typed as published, benchmarks typed with their year."""

import math
import re

import pytest

from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.problems import InputProblems
from workbooks import INDICATOR_HEADERS, indicator, make_workbook, monthly_series, openpyxl_sheet

HEADERS = INDICATOR_HEADERS + ["Decimals", "Annual Target", "YTD Target", "Best SN", "Outturn 2018/19", "Outturn 2019/20"]


def typed(row: dict, **columns) -> dict:
    """An indicator row with columns under headings the keyword cannot spell: YTD_target is 'YTD Target',
    Outturn_2019_20 is 'Outturn 2019/20'."""
    def heading(key: str) -> str:
        return "YTD Target" if key == "YTD_target" else re.sub(r"^Outturn_(\d{4})_(\d{2})$", r"Outturn \1/\2", key)
    return row | {heading(key): value for key, value in columns.items()}


def card(tmp_path, indicators, data, month=None, settings=None):
    path = make_workbook(tmp_path / "book.xlsx", indicators, data, settings, indicator_headers=HEADERS)
    return load_scorecard(path, month)


def notes(scorecard):
    return [str(note) for note in scorecard.problems.notes]


# 000's LAC6: adoptions, an annual target of 50; 001's adoptions Apr-20 .. Dec-20 add to 26.
ADOPTIONS = [1, 0, 0, 1, 1, 9, 7, 5, 2]


class TestTargetsForTheYear:
    def test_an_annual_target_of_a_count_is_rated_at_the_years_pace_and_leaves_the_month_unrated(self, tmp_path):
        sc = card(tmp_path, [indicator("LAC6", Kind="flow", Annual_target=50)],
                  monthly_series("LAC6", 2020, 4, ADOPTIONS))
        row = sc.measures.loc["LAC6"]
        assert row["ytd"] == 26
        assert row["ytd_target"] == pytest.approx(37.5)  # 50 x 9/12 by December
        assert row["ytd_rag"] == "Red"  # below 37.5 by more than the 10% band
        assert row["rag"] == "Grey"  # December's 2 adoptions are not judged against a year's 50

    def test_the_same_50_typed_as_a_monthly_target_turns_the_month_red(self, tmp_path):
        sc = card(tmp_path, [indicator("LAC6", Kind="flow", Target=50)], monthly_series("LAC6", 2020, 4, ADOPTIONS))
        assert sc.measures.loc["LAC6", "rag"] == "Red"

    def test_a_ytd_target_stands_in_place_of_the_pace(self, tmp_path):
        sc = card(tmp_path, [typed(indicator("LAC6", Kind="flow", Annual_target=50), YTD_target=27)],
                  monthly_series("LAC6", 2020, 4, ADOPTIONS))
        assert sc.measures.loc["LAC6", "ytd_target"] == 27
        assert sc.measures.loc["LAC6", "ytd_rag"] == "Amber"  # 26 is within 10% of 27

    def test_an_annual_target_of_a_ratio_is_compared_with_the_year_to_date_itself(self, tmp_path):
        data = [("P", "2020-04", None, 45, 50), ("P", "2020-05", None, 47, 50)]  # 92 of 100 = 92%
        sc = card(tmp_path, [indicator("P", unit="Percentage", ytd="ratio", Annual_target="90%")], data)
        assert sc.measures.loc["P", "ytd_target"] == pytest.approx(0.9)
        assert sc.measures.loc["P", "ytd_rag"] == "Green"

    def test_a_low_indicator_meets_its_annual_target_from_below(self, tmp_path):
        sc = card(tmp_path, [indicator("L", polarity="Low", Kind="flow", Annual_target=120)],
                  monthly_series("L", 2020, 4, [10] * 9))  # 90 by December, the pace is 90
        assert sc.measures.loc["L", "ytd_rag"] == "Green"

    def test_without_a_target_for_the_year_the_year_to_date_is_not_rated(self, tmp_path):
        sc = card(tmp_path, [indicator("A", Kind="flow")], monthly_series("A", 2020, 4, ADOPTIONS))
        assert math.isnan(sc.measures.loc["A", "ytd_target"]) and sc.measures.loc["A", "ytd_rag"] == "Grey"

    def test_an_annual_target_that_is_not_a_number_names_its_cell(self, tmp_path):
        with pytest.raises(InputProblems) as refused:
            card(tmp_path, [indicator("A", Annual_target="fifty")], [("A", "2020-04", 1)])
        assert "Indicators!S2: Annual Target is 'fifty'" in str(refused.value)


class TestYearToDateParts:
    def test_a_ratio_year_to_date_gives_its_numerator_and_denominator(self, tmp_path):
        # 001's "% contacts with decision within 1 working day": Apr-20 .. Dec-20 is 5639 of 9903 = 56.9%
        parts = [(590, 918), (630, 1067), (664, 1190), (901, 1465), (695, 1148), (807, 1534), (686, 1353),
                 (287, 565), (379, 663)]
        data = [("M", f"2020-{month:02d}", None, a, b) for month, (a, b) in enumerate(parts, start=4)]
        sc = card(tmp_path, [indicator("M", unit="Percentage", ytd="ratio")], data)
        row = sc.measures.loc["M"]
        assert (row["ytd_numerator"], row["ytd_denominator"]) == (5639, 9903)
        assert round(row["ytd"], 3) == 0.569

    def test_other_rules_have_no_parts(self, tmp_path):
        sc = card(tmp_path, [indicator("A", Kind="flow")], monthly_series("A", 2020, 4, ADOPTIONS))
        assert math.isnan(sc.measures.loc["A", "ytd_numerator"]) and math.isnan(sc.measures.loc["A", "ytd_denominator"])


class TestOutturns:
    def test_a_snapshot_closes_its_year_at_its_march_figure(self, tmp_path):
        # 001's 4.1 open CIN cases: the 2019/20 outturn 1260 is the Mar-20 figure; the data starts in Jan-20
        data = monthly_series("CIN", 2020, 1, [1218, 1275, 1260, 1189, 1064, 1040, 1126, 1143, 1234, 1154, 1111, 1137])
        sc = card(tmp_path, [indicator("CIN", Kind="snapshot", name="Number of open CIN cases")], data)
        assert sc.measures.loc["CIN", "outturn_2019-20"] == 1260

    def test_a_flow_needs_its_whole_year(self, tmp_path):
        data = monthly_series("F", 2019, 4, [100] * 21) + monthly_series("G", 2019, 7, [100] * 18)
        sc = card(tmp_path, [indicator("F", Kind="flow"), indicator("G", Kind="flow")], data)
        assert sc.measures.loc["F", "outturn_2019-20"] == 1200
        assert math.isnan(sc.measures.loc["G", "outturn_2019-20"])  # from Jul-19: a part year is no outturn

    def test_typed_outturns_fill_the_years_before_the_data_and_stand_beside_computed_ones(self, tmp_path):
        data = monthly_series("CIN", 2020, 1, [1218, 1275, 1260] + [1100] * 9)
        ind = typed(indicator("CIN", Kind="snapshot"), Outturn_2018_19=1372, Outturn_2019_20=1260)
        sc = card(tmp_path, [ind], data)
        assert sc.measures.loc["CIN", "outturn_2018-19"] == 1372
        assert sc.measures.loc["CIN", "outturn_2019-20"] == 1260
        assert not [n for n in notes(sc) if "outturn" in n]  # the typed 1260 is the data's Mar-20

    def test_a_typed_outturn_the_data_does_not_give_is_a_note_naming_both_cells(self, tmp_path):
        data = monthly_series("CIN", 2020, 1, [1218, 1275, 1260] + [1100] * 9)
        sc = card(tmp_path, [typed(indicator("CIN", Kind="snapshot"), Outturn_2019_20=1266)], data)
        assert sc.measures.loc["CIN", "outturn_2019-20"] == 1266  # what was published stands
        assert ("Indicators!W2: CIN: 1,266 is typed as the 2019/20 outturn, but the data gives 1,260 "
                "(Mar-20, Data!C4)") in "\n".join(notes(sc))

    def test_a_typed_percentage_outturn_is_read_as_published(self, tmp_path):
        parts = [("P", f"2019-{m:02d}", None, 50, 100) for m in range(4, 13)] + \
                [("P", f"2020-{m:02d}", None, 50, 100) for m in range(1, 4)] + [("P", "2020-04", None, 1, 2)]
        ind = typed(indicator("P", unit="Percentage", ytd="ratio", Decimals=1), Outturn_2018_19="96.5%",
                    Outturn_2019_20=59.5)
        sc = card(tmp_path, [ind], parts)
        assert sc.measures.loc["P", "outturn_2018-19"] == pytest.approx(0.965)
        assert sc.measures.loc["P", "outturn_2019-20"] == pytest.approx(0.595)
        assert "P: 59.5% is typed as the 2019/20 outturn, but the data gives 50.0% (Apr-19 to Mar-20, Data!C2 to " \
               "Data!C13)" in "\n".join(notes(sc))

    def test_text_meaning_no_figure_is_kept_and_other_text_names_its_cell(self, tmp_path):
        sc = card(tmp_path, [typed(indicator("A"), Outturn_2019_20="tbc")], [("A", "2020-04", 1)])
        assert sc.indicators.loc["A", "outturns_typed"][sc.reporting_month - 12].text == "tbc"
        with pytest.raises(InputProblems) as refused:
            card(tmp_path, [typed(indicator("A"), Outturn_2019_20="about 40")], [("A", "2020-04", 1)])
        assert "Indicators!W2: Outturn 2019/20 is 'about 40'" in str(refused.value)
        assert "Write the year's figure (40, 96.5%), or - or tbc for none." in str(refused.value)  # as it is kept


def test_a_benchmark_typed_with_its_year_is_its_figure_and_keeps_the_year(tmp_path):
    # 001's 6.7: SN average "12.3% (2017)"
    sc = card(tmp_path, [indicator("P", unit="Percentage", sn="12.3% (2017)")], [("P", "2020-04", 0.5)])
    assert sc.indicators.loc["P", "sn"] == pytest.approx(0.123)
    assert sc.indicators.loc["P", "sn_text"] == "12.3% (2017)"


def test_the_starter_has_columns_for_the_years_targets(tmp_path):
    from scorecard_xl.starter import write_starter

    path = write_starter(tmp_path / "new.xlsx")
    headings = [cell.value for cell in openpyxl_sheet(path, "Indicators")[1]]
    assert headings[headings.index("Target") + 1:headings.index("Target") + 3] == ["Annual target", "YTD target"]
