"""The measures of docs/design.md §5, computed end to end from workbooks built by code."""

import math

import numpy as np
import pandas as pd
import pytest

from scorecard_xl.compute.engine import load_scorecard, rows_by_index
from scorecard_xl.compute.months import month_index
from scorecard_xl.compute.rules import DOWN, SAME, UP
from workbooks import indicator, make_workbook, monthly_series


def card(tmp_path, indicators, data, settings=None, month=None, shape="long"):
    path = make_workbook(tmp_path / "book.xlsx", indicators, data, settings, shape=shape)
    return load_scorecard(path, month)


def measure(scorecard, ref, column):
    return scorecard.measures.loc[ref, column]


class TestChange:
    def test_previous_month_and_year(self, tmp_path):
        values = list(range(100, 113)) + [130]  # Jan-20 .. Feb-21, Feb-21 = 130, Feb-20 = 101
        sc = card(tmp_path, [indicator("A")], monthly_series("A", 2020, 1, values))
        assert sc.reporting_month == month_index(2021, 2)
        assert measure(sc, "A", "change_prev_month") == pytest.approx((130 - 112) / 112)
        assert measure(sc, "A", "change_prev_year") == pytest.approx((130 - 101) / 101)
        assert measure(sc, "A", "arrow_prev_year") == UP

    def test_zero_base_and_missing_base_are_not_available(self, tmp_path):
        data = monthly_series("A", 2020, 1, [0] + [5] * 13) + monthly_series("B", 2020, 2, [5] * 13)
        sc = card(tmp_path, [indicator("A"), indicator("B")], data, month="Jan-21")
        assert math.isnan(measure(sc, "A", "change_prev_year"))
        assert measure(sc, "A", "arrow_prev_year") == ""
        assert math.isnan(measure(sc, "B", "change_prev_year"))  # Jan-20 has no figure

    def test_values_exactly_on_the_band(self, tmp_path):
        data = (monthly_series("UP", 2020, 1, [100] + [1] * 11 + [100, 110])
                + monthly_series("DN", 2020, 1, [100] + [1] * 11 + [100, 90])
                + monthly_series("NEAR", 2020, 2, [1000] + [1] * 11 + [903]))
        sc = card(tmp_path, [indicator(r) for r in ("UP", "DN", "NEAR")], data, month="Feb-21")
        assert measure(sc, "UP", "arrow_prev_month") == UP
        assert measure(sc, "DN", "arrow_prev_month") == DOWN
        # -9.7% displays as -10%: the arrow follows the display
        assert measure(sc, "NEAR", "change_prev_year") == pytest.approx(-0.097)
        assert measure(sc, "NEAR", "arrow_prev_year") == DOWN

    def test_points_basis_for_percentages(self, tmp_path):
        ind = indicator("P", unit="Percentage", Change="points")
        sc = card(tmp_path, [ind], monthly_series("P", 2021, 1, [0.50, 0.56]))
        assert measure(sc, "P", "change_prev_month") == pytest.approx(0.06)

    def test_negative_values(self, tmp_path):
        sc = card(tmp_path, [indicator("N", polarity="Low", unit="Average")],
                  monthly_series("N", 2021, 1, [-10, -5]))
        assert measure(sc, "N", "change_prev_month") == pytest.approx(0.5)
        assert measure(sc, "N", "dot") == DOWN  # rose, and low is good


class TestDirectionOfTravel:
    @pytest.mark.parametrize("polarity, values, dot, verdict", [
        ("High", [0.5, 0.6], UP, "better"), ("High", [0.6, 0.5], DOWN, "worse"),
        ("Low", [0.6, 0.5], UP, "better"), ("Low", [0.5, 0.6], DOWN, "worse"),
        ("Info", [10, 12], UP, "neutral"), ("Info", [12, 10], DOWN, "neutral"),
        ("High", [7, 7], SAME, "similar")])
    def test_each_polarity(self, tmp_path, polarity, values, dot, verdict):
        sc = card(tmp_path, [indicator("X", polarity=polarity)], monthly_series("X", 2021, 1, values))
        assert measure(sc, "X", "dot") == dot
        assert measure(sc, "X", "judgement") == verdict

    def test_within_limits_range(self, tmp_path):
        ind = indicator("W", polarity="Within limits", unit="Average", Green="14-20",
                        Amber="1 above / below range limit", Red="1+ above range limit")
        sc = card(tmp_path, [ind], monthly_series("W", 2021, 1, [23, 20.5]))
        assert measure(sc, "W", "dot") == DOWN  # the numbers fell
        assert measure(sc, "W", "judgement") == "better"  # closer to the range
        assert measure(sc, "W", "rag") == "Amber"  # within 1 of the range; "1+ above" (21) is red


class TestSingleMonth:
    def test_one_month_of_data(self, tmp_path):
        sc = card(tmp_path, [indicator("A")], [("A", "2021-02", 12)])
        assert measure(sc, "A", "value") == 12
        for column in ("change_prev_month", "change_prev_year", "rolling_12m"):
            assert math.isnan(measure(sc, "A", column))
        assert measure(sc, "A", "dot") == ""
        assert measure(sc, "A", "avg_12m") == 12
        assert measure(sc, "A", "ytd") == 12


class TestYearToDate:
    def test_sum_restarts_in_april(self, tmp_path):
        data = monthly_series("A", 2020, 1, list(range(1, 17)))  # Jan-20 .. Apr-21
        sc = card(tmp_path, [indicator("A", Kind="flow", ytd="sum")], data, month="Mar-21")
        assert measure(sc, "A", "ytd") == sum(range(4, 16))  # Apr-20 (4) .. Mar-21 (15)
        sc = card(tmp_path, [indicator("A", Kind="flow", ytd="sum")], data, month="Apr-21")
        assert measure(sc, "A", "ytd") == 16

    def test_ratio_of_sums(self, tmp_path):
        # reference 001: "5639 of 9903 = 56.9%" is a ratio of sums, not a mean of ratios
        inds = [indicator("N"), indicator("D"), indicator("P", unit="Percentage", Numerator="N", Denominator="D")]
        data = [("N", "2020-04", 1), ("D", "2020-04", 2), ("N", "2020-05", 90), ("D", "2020-05", 100)]
        sc = card(tmp_path, inds, data)
        assert measure(sc, "P", "value") == pytest.approx(0.9)
        assert measure(sc, "P", "ytd") == pytest.approx(91 / 102)

    def test_mean_latest_none(self, tmp_path):
        inds = [indicator("M", unit="Days", ytd="mean"), indicator("L", Kind="snapshot"),
                indicator("Z", unit="Days", ytd="none")]
        data = [(r, m, v) for r in "MLZ" for m, v in (("2020-04", 10), ("2020-05", 20), ("2020-06", 60))]
        sc = card(tmp_path, inds, data)
        assert measure(sc, "M", "ytd") == pytest.approx(30)
        assert measure(sc, "L", "ytd") == 60
        assert math.isnan(measure(sc, "Z", "ytd"))


class TestTwelveMonths:
    def test_average_max_min_exclude_missing(self, tmp_path):
        values = [1000] + [10, None, 30] + [20] * 9  # Feb-20 outside the window
        sc = card(tmp_path, [indicator("A")], monthly_series("A", 2020, 2, values))
        assert measure(sc, "A", "avg_12m") == pytest.approx((10 + 30 + 20 * 9) / 11)
        assert measure(sc, "A", "max_12m") == 30
        assert measure(sc, "A", "min_12m") == 10

    def test_rolling_needs_all_twelve(self, tmp_path):
        data = monthly_series("A", 2020, 1, [10] * 12) + monthly_series("B", 2020, 1, [10] * 11 + [None])
        sc = card(tmp_path, [indicator("A", Kind="flow"), indicator("B", Kind="flow")], data)
        assert measure(sc, "A", "rolling_12m") == 120
        assert math.isnan(measure(sc, "B", "rolling_12m"))

    def test_rolling_rate_per_10k(self, tmp_path):
        data = monthly_series("R", 2020, 1, [293] * 11 + [299])  # 3522 in the year
        sc = card(tmp_path, [indicator("R", Kind="flow")], data, settings={"Population 0-17 2020/21": 57521})
        assert measure(sc, "R", "rolling_12m") == 3522
        assert measure(sc, "R", "rolling_12m_rate_10k") == pytest.approx(612.29, abs=0.01)


class TestDerived:
    def test_rate_from_population(self, tmp_path):
        inds = [indicator("C"), indicator("C-NI", unit="Rate per 10,000", Numerator="C", Denominator="population")]
        sc = card(tmp_path, inds, [("C", "2021-02", 91)], settings={"Population 0-17 2020/21": 50000})
        assert measure(sc, "C-NI", "value") == pytest.approx(18.2)

    def test_population_for_a_later_year_falls_back_to_the_latest(self, tmp_path):
        inds = [indicator("C"), indicator("C-NI", unit="Rate per 10,000", Numerator="C", Denominator="population")]
        sc = card(tmp_path, inds, [("C", "2022-02", 91)], settings={"Population 0-17 2020/21": 50000})
        assert measure(sc, "C-NI", "value") == pytest.approx(18.2)

    def test_chain_of_derived_indicators(self, tmp_path):
        inds = [indicator("Q", unit="Percentage", Numerator="P", Denominator="D"),
                indicator("P", unit="Percentage", Numerator="N", Denominator="D"),
                indicator("N"), indicator("D")]
        sc = card(tmp_path, inds, [("N", "2021-02", 30), ("D", "2021-02", 60)])
        assert measure(sc, "P", "value") == pytest.approx(0.5)
        assert measure(sc, "Q", "value") == pytest.approx(0.5 / 60)


class TestShapes:
    def test_three_shapes_give_the_same_measures(self, tmp_path):
        data = monthly_series("A", 2020, 1, range(1, 15)) + monthly_series("B", 2020, 1, range(30, 44))
        inds = [indicator("A"), indicator("B", polarity="Low")]
        results = []
        for shape in ("long", "wide", "monthly"):
            months = {"long": None, "wide": None, "monthly": None}
            rows = data if shape != "monthly" else [(r, _label(m), v) for r, m, v in data]
            path = make_workbook(tmp_path / f"{shape}.xlsx", inds, rows, shape=shape)
            results.append(load_scorecard(path).measures)
            del months
        for other in results[1:]:
            assert results[0].equals(other)


def _label(key):
    from scorecard_xl.compute.months import month_label, parse_month
    return month_label(parse_month(key))


class TestReadingRules:
    def test_placeholders_are_missing_and_noted(self, tmp_path):
        data = [("A", "2021-01", "tbc"), ("A", "2021-02", 5), ("B", "2021-02", "n/a"), ("C", "2021-02", "..")]
        sc = card(tmp_path, [indicator(r) for r in "ABC"], data)
        notes = [str(n) for n in sc.problems.notes]
        assert any("Data!C2" in n and "tbc" in n for n in notes)
        assert any("Data!C4" in n and "n/a" in n for n in notes) and any("Data!C5" in n for n in notes)
        assert math.isnan(measure(sc, "B", "value"))

    def test_text_percentages_and_percent_numbers(self, tmp_path):
        inds = [indicator("P", unit="Percentage"), indicator("Q", unit="Percentage")]
        data = [("P", "2021-02", "58.3%"), ("Q", "2021-01", 50), ("Q", "2021-02", 58.3)]
        sc = card(tmp_path, inds, data)
        assert measure(sc, "P", "value") == pytest.approx(0.583)
        assert measure(sc, "Q", "value") == pytest.approx(0.583)
        assert any("Q is a percentage" in str(n) for n in sc.problems.notes)

    def test_numbers_stored_as_text(self, tmp_path):
        sc = card(tmp_path, [indicator("A")], [("A", "2021-02", "1,234")])
        assert measure(sc, "A", "value") == 1234

    def test_reporting_month_from_settings(self, tmp_path):
        sc = card(tmp_path, [indicator("A")], monthly_series("A", 2021, 1, [1, 2, 3]),
                  settings={"Reporting month": "Feb-21", "Months shown": 2})
        assert sc.reporting_month == month_index(2021, 2)
        assert [c for c in sc.measures.columns if c[:2] == "20"] == ["2021-01", "2021-02"]


def test_all_missing_mix_never_raises(tmp_path):
    data = [("A", "2021-02", None), ("A", "2021-01", "-"), ("B", "2021-02", 0), ("B", "2021-01", 0)]
    sc = card(tmp_path, [indicator("A"), indicator("B", polarity="Low")], data, month="Feb-21")
    assert math.isnan(measure(sc, "B", "change_prev_month"))
    assert measure(sc, "B", "dot") == SAME
    assert np.isnan(measure(sc, "A", "avg_12m"))


class TestReviewFixes:
    def test_months_given_only_as_parts_count_as_data(self, tmp_path):
        data = [("P", m, 0.5) for m in ("2020-12", "2021-01")] + [("P", "2021-02", None, 130, 200)]
        sc = card(tmp_path, [indicator("P", unit="Percentage")], data)
        assert sc.reporting_month == month_index(2021, 2)
        assert measure(sc, "P", "value") == pytest.approx(0.65)

    def test_a_workbook_holding_only_parts(self, tmp_path):
        data = [("P", "2021-01", None, 100, 200), ("P", "2021-02", None, 130, 200)]
        sc = card(tmp_path, [indicator("P", unit="Percentage", ytd="ratio")], data)
        assert sc.reporting_month == month_index(2021, 2)
        assert measure(sc, "P", "value") == pytest.approx(0.65)
        assert measure(sc, "P", "ytd") == pytest.approx(230 / 400)

    def test_within_limits_dot_shows_the_direction_of_the_numbers(self, tmp_path):
        from scorecard_xl.pages.scorecard import JUDGEMENT_COLOURS, monthly_layout
        ind = indicator("W", polarity="Within limits", Green="14-20", Red="1+ above range limit")
        sc = card(tmp_path, [ind], monthly_series("W", 2020, 1, [25] * 13 + [22]))
        plan = monthly_layout(sc)
        row = next(r for r, key in plan.row_keys.items() if key == "W")
        column = next(c for (r, c), cell in plan.cells.items() if r == plan.header_row and cell.value == "DoT")
        cell = plan.cells[(row, column)]
        assert cell.value == DOWN  # the numbers fell ...
        assert plan.styles[cell.style].font_color == JUDGEMENT_COLOURS["better"]  # ... towards the range

    def test_outturns_only_for_financial_years_wholly_in_the_data(self, tmp_path):
        sc = card(tmp_path, [indicator("M")], monthly_series("M", 2019, 7, [100] * 20))  # Jul-19 .. Feb-21
        assert [c for c in sc.measures.columns if c.startswith("outturn")] == []
        sc = card(tmp_path, [indicator("M")], monthly_series("M", 2019, 4, [100] * 23))  # Apr-19 .. Feb-21
        assert [c for c in sc.measures.columns if c.startswith("outturn")] == ["outturn_2019-20"]
        assert measure(sc, "M", "outturn_2019-20") == 1200


def same_value(a, b) -> bool:
    return type(a) is type(b) and (a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)))


@pytest.mark.parametrize("book", ["sample", "ref001"])
def test_pages_read_each_row_as_pandas_would_give_it(tmp_path, book):
    # the rows pages read are made a column at a time; they must be what to_dict("index") makes
    from ref001_book import ref001_book
    from scorecard_xl.compute.classify import judged_table
    from workbooks import sample_book
    path = sample_book(tmp_path) if book == "sample" else ref001_book(tmp_path / "ref001.xlsx")
    scorecard = load_scorecard(path)
    frame = scorecard.indicators.copy()
    frame["counted"] = np.arange(len(frame), dtype=np.int64)  # numpy scalars of other kinds, and pd.NA
    frame["flag"] = frame["counted"] % 2 == 0
    frame["boxed"] = pd.array([pd.NA] + [np.float64(1.5)] * (len(frame) - 1), dtype=object)
    frame["named"] = pd.array([pd.NA] + ["x"] * (len(frame) - 1), dtype="string")  # missing as pd.NA, not NaN
    judged = judged_table(scorecard, np.arange(scorecard.panel.values.size).reshape(scorecard.panel.values.shape) % 5 == 0)
    for table, rows in ((scorecard.indicators, scorecard.indicator_rows), (scorecard.measures, scorecard.measure_rows),
                        (frame, rows_by_index(frame)), (judged, rows_by_index(judged))):
        expected = table.to_dict("index")
        assert list(rows) == list(expected)
        for ref, row in expected.items():
            assert list(rows[ref]) == list(row), ref
            assert [name for name, value in row.items() if not same_value(rows[ref][name], value)] == [], ref
