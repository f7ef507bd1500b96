"""One test per arithmetic rule of docs/design.md §5 (the NHSRplotthedots habit: each rule alone)."""

import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from scorecard_xl.compute import rules
from scorecard_xl.compute.rules import DOWN, SAME, UP


class TestRoundHalfAway:
    @pytest.mark.parametrize("value, decimals, expected", [
        (38.5, 0, 39), (-38.5, 0, -39), (0.385, 2, 0.39), (2.675, 2, 2.68), (-0.0965, 2, -0.10),
        (0.125, 2, 0.13), (1.5, 0, 2), (2.5, 0, 3), (0.49999, 0, 0)])
    def test_halves_go_away_from_zero(self, value, decimals, expected):
        assert rules.round_half_away(value, decimals) == pytest.approx(expected)

    def test_python_round_would_differ(self):
        assert round(38.5) == 38 and rules.round_half_away(38.5) == 39

    def test_missing_stays_missing(self):
        assert math.isnan(rules.round_half_away(float("nan")))

    @pytest.mark.filterwarnings("error::RuntimeWarning")
    def test_a_figure_too_large_to_scale_is_kept_without_a_warning(self):
        # a change of 72018 from a base of 4e-302 (found by the measures property): ×100 overflows
        assert rules.round_half_away(1.79771441e306, 2) == 1.79771441e306
        assert list(rules.round_half_away(np.array([-1.7e306, 0.385, np.inf]), 2)) == [-1.7e306, 0.39, np.inf]
        assert rules.movement_arrow(72018.0 / 4.0060868163630245e-302) == UP


class TestRelativeChange:
    def test_relative_to_the_base(self):
        assert rules.relative_change(115, 100) == pytest.approx(0.15)
        assert rules.relative_change(85, 100) == pytest.approx(-0.15)

    def test_zero_base_is_not_available(self):
        assert math.isnan(rules.relative_change(5, 0))

    def test_missing_now_or_base(self):
        assert math.isnan(rules.relative_change(float("nan"), 4))
        assert math.isnan(rules.relative_change(4, float("nan")))

    def test_negative_base_uses_its_magnitude(self):
        # from -10 to -5 is a rise of half the base's size
        assert rules.relative_change(-5, -10) == pytest.approx(0.5)

    def test_reference_000_m1(self):
        # M1 contacts Feb-21 1297 vs Feb-20 shown as "↑ 15%": Feb-20 must be about 1128
        assert rules.relative_change(1297, 1128) == pytest.approx(0.1498, abs=1e-4)


def test_points_change():
    assert rules.points_change(0.572, 0.508) == pytest.approx(0.064)


class TestMovementArrow:
    def test_exactly_on_the_band_counts_as_movement(self):
        assert rules.movement_arrow(0.10) == UP
        assert rules.movement_arrow(-0.10) == DOWN

    def test_as_displayed_minus_9_7_percent_is_down(self):
        # docs/design.md §5.2: -9.7% displays as -10% and gets ↓
        assert rules.movement_arrow(-0.097) == DOWN

    def test_just_inside_the_band(self):
        assert rules.movement_arrow(0.0949) == SAME
        assert rules.movement_arrow(-0.094) == SAME

    def test_missing_change_has_no_arrow(self):
        assert rules.movement_arrow(float("nan")) == ""

    def test_band_per_row(self):
        got = rules.movement_arrow(np.array([0.06, 0.06]), np.array([0.05, 0.10]))
        assert list(got) == [UP, SAME]


class TestDirectionOfTravel:
    @pytest.mark.parametrize("polarity, now, previous, expected", [
        ("High", 57.2, 50.8, UP), ("High", 50.8, 57.2, DOWN), ("High", 5, 5, SAME),
        ("Low", 12.3, 19.3, UP), ("Low", 25, 7, DOWN), ("Low", 3, 3, SAME),
        ("Info", 663, 565, UP), ("Info", 91.3, 99.2, DOWN),
        ("Within limits", 16.7, 18.1, DOWN), ("Within limits", 16.1, 14.8, UP)])
    def test_each_polarity(self, polarity, now, previous, expected):
        assert rules.direction_of_travel(now, previous, polarity) == expected

    def test_missing_is_empty(self):
        assert rules.direction_of_travel(float("nan"), 4, "High") == ""

    def test_band_makes_small_moves_level(self):
        assert rules.direction_of_travel(101, 100, "High", band=0.02) == SAME
        assert rules.direction_of_travel(103, 100, "High", band=0.02) == UP

    def test_negative_values(self):
        assert rules.direction_of_travel(-3, -5, "High") == UP
        assert rules.direction_of_travel(-3, -5, "Low") == DOWN


class TestJudgement:
    def test_high_and_low(self):
        assert rules.judgement(0.6, 0.5, "High") == rules.BETTER
        assert rules.judgement(0.6, 0.5, "Low") == rules.WORSE
        assert rules.judgement(0.5, 0.5, "Low") == rules.SIMILAR

    def test_info_is_neutral(self):
        assert rules.judgement(10, 5, "Info") == rules.NEUTRAL

    def test_within_limits_judged_by_distance_from_the_range(self):
        assert rules.judgement(21, 23, "Within limits", lower=14, upper=20) == rules.BETTER
        assert rules.judgement(23, 21, "Within limits", lower=14, upper=20) == rules.WORSE
        assert rules.judgement(15, 19, "Within limits", lower=14, upper=20) == rules.SIMILAR
        assert rules.judgement(15, 19, "Within limits") == rules.NEUTRAL

    def test_qualitative_marks(self):
        assert list(rules.qualitative_mark(["better", "worse", "similar", "neutral", ""])) == [
            "\u25b2", "\u25bc", "\u25cf", "", ""]


def test_rate_per_10k_reference_001_referrals():
    # reference 001: 3522 referrals in 12 months / 57,521 children x 10,000 = 612.3
    assert rules.round_half_away(rules.rate_per_10k(3522, 57521), 1) == pytest.approx(612.3)
    assert math.isnan(rules.rate_per_10k(3522, 0))


numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=False, width=64), st.just(float("nan")))


@given(st.lists(st.tuples(numbers, numbers, st.sampled_from(rules.POLARITIES)), min_size=1, max_size=20))
def test_rules_never_raise_and_agree_on_missing(rows):
    now = np.array([r[0] for r in rows])
    previous = np.array([r[1] for r in rows])
    polarity = np.array([r[2] for r in rows], dtype=object)
    with np.errstate(all="ignore"):
        change = rules.relative_change(now, previous)
        arrows = rules.movement_arrow(change)
        dots = rules.direction_of_travel(now, previous, polarity)
        verdicts = rules.judgement(now, previous, polarity)
    missing = np.isnan(now) | np.isnan(previous)
    assert all(d == "" for d in dots[missing])
    assert all(v == "" for v in verdicts[missing])
    assert set(arrows) <= {UP, SAME, DOWN, ""}
    assert set(dots) <= {UP, SAME, DOWN, ""}


class TestMovementArrowWithBandZero:
    def test_no_change_is_level(self):
        assert rules.movement_arrow(0.0, 0.0) == SAME
        assert rules.movement_arrow(-0.001, 0.0) == SAME  # displays as 0%

    def test_any_displayed_change_moves(self):
        assert rules.movement_arrow(-0.05, 0.0) == DOWN
        assert rules.movement_arrow(0.05, 0.0) == UP

    def test_per_row_bands_including_zero(self):
        got = rules.movement_arrow(np.array([0.0, 0.0, -0.10, 0.10]), np.array([0.0, 0.10, 0.10, 0.0]))
        assert list(got) == [SAME, SAME, DOWN, UP]


def test_the_default_band_has_one_definition():
    from scorecard_xl.compute import indicators, settings
    assert not hasattr(settings, "DEFAULT_BAND")
    assert settings.Settings().band == rules.DEFAULT_MOVEMENT_BAND
    assert not hasattr(indicators, "is_derived")  # dead code, removed


@pytest.mark.parametrize("typed, fraction", [(0, 0.0), (0.1, 0.1), (0.999, 0.999), (1, 0.01), (10, 0.10), (12.5, 0.125)])
def test_band_fraction_reads_one_or_more_as_percent(typed, fraction):
    assert rules.band_fraction(typed) == pytest.approx(fraction)


@pytest.mark.parametrize("typed", [-0.1, -5, float("nan")])
def test_band_fraction_refuses_what_cannot_be_a_band(typed):
    assert rules.band_fraction(typed) is None
