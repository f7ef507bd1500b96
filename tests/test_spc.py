"""XmR statistics and Making Data Count's rules.

Oracles ported from NHSRplotthedots (nhs-r-community) name the R test file and test they come
from; the R function each test mirrors is named in scorecard_xl/compute/spc.py.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from scorecard_xl.compute import spc

# R: set.seed(123); rnorm(20) -- the data of tests/testthat/test-ptd_spc_standard.R
RNORM_123 = np.array([-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
                      -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
                      -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279156])


def one(values, polarity="High", **options):
    """xmr over one series whose last value is the reporting month."""
    values = np.asarray(values, dtype=float)[None, :]
    return spc.xmr(values, values.shape[1] - 1, [polarity], **options)


def ints(values):
    return np.asarray(values).astype(int).tolist()


# --- tests/testthat/test-ptd_calculate_point_type.R -------------------------------------------

def test_seven_point_one_side_mean():
    # "ptd_seven_point_one_side_mean works as expected"
    assert ints(spc.seven_point_one_side_mean(np.array([]))) == []
    assert ints(spc.seven_point_one_side_mean([1] * 6)) == [0] * 6
    assert ints(spc.seven_point_one_side_mean([1] * 6 + [-1])) == [0] * 7
    assert ints(spc.seven_point_one_side_mean([1] * 8 + [-1])) == [0, 0, 0, 0, 0, 0, 1, 1, 0]
    assert ints(spc.seven_point_one_side_mean([-1] * 8 + [1])) == [0, 0, 0, 0, 0, 0, 1, 1, 0]


def test_part_of_seven():
    # "ptd_part_of_seven_trend works as expected"
    assert ints(spc.part_of_seven(np.array([]))) == []
    assert ints(spc.part_of_seven([0] * 6)) == [0] * 6
    assert ints(spc.part_of_seven([0] * 6 + [1, 0])) == [1] * 7 + [0]
    assert ints(spc.part_of_seven([0] * 7 + [1, 0])) == [0] + [1] * 7 + [0]
    assert ints(spc.part_of_seven([0] * 6 + [-1, 0])) == [1] * 7 + [0]
    assert ints(spc.part_of_seven([0] * 7 + [-1, 0])) == [0] + [1] * 7 + [0]


def test_seven_point_trend():
    # "ptd_seven_point_trend works as expected"
    assert ints(spc.seven_point_trend(np.array([]))) == []
    assert ints(spc.seven_point_trend(range(1, 7))) == [0] * 6
    assert ints(spc.seven_point_trend([1, 2, 3, 3, 4, 5, 6])) == [0] * 7
    assert ints(spc.seven_point_trend(range(1, 8))) == [0] * 6 + [1]
    assert ints(spc.seven_point_trend([2, 1, 2, 3, 4, 5, 6, 7, 3])) == [0] * 7 + [1, 0]
    assert ints(spc.seven_point_trend(range(7, 0, -1))) == [0] * 6 + [-1]
    assert ints(spc.seven_point_trend([2, 7, 6, 5, 4, 3, 2, 1, 3])) == [0] * 7 + [-1, 0]


def test_two_in_three():
    # "ptd_two_in_three works as expected"
    assert ints(spc.two_in_three(np.array([]), np.array([]))) == []
    assert ints(spc.two_in_three(np.zeros(3), np.zeros(1))) == [0, 0, 0]
    for close in ([1, 0, 1], [0, 1, 1], [1, 1, 0]):
        assert ints(spc.two_in_three(close, [1, 1, 1])) == [1, 1, 1]
    assert ints(spc.two_in_three([0, 0, 1, 0, 1, 0, 0], [1] * 7)) == [0, 0, 1, 1, 1, 0, 0]
    assert ints(spc.two_in_three([0, 0, 1, 1, 0, 0, 0], [1] * 7)) == [0, 1, 1, 1, 1, 0, 0]


def test_two_in_three_needs_all_three_on_one_side():
    # "ptd_two_in_three works as expected when points are on opposite sides of the mean"
    for close in ([1, 0, 1], [0, 1, 1], [1, 1, 0]):
        assert ints(spc.two_in_three(close, [1, -1, 1])) == [0, 0, 0]
    assert ints(spc.two_in_three([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1])) == [0] * 7
    assert ints(spc.two_in_three([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1])) == [0] * 7


def test_part_of_two_in_three():
    # "ptd_part_of_two_in_three works as expected"
    def part(close, side):
        return ints(spc.part_of_two_in_three(spc.two_in_three(close, side), close))
    assert part(np.array([]), np.array([])) == []
    assert ints(spc.part_of_two_in_three(np.zeros(3), spc.two_in_three(np.zeros(3), np.zeros(1)))) == [0, 0, 0]
    assert part([1, 0, 1], [1, 1, 1]) == [1, 0, 1]
    assert part([0, 1, 1], [1, 1, 1]) == [0, 1, 1]
    assert part([1, 1, 0], [1, 1, 1]) == [1, 1, 0]
    assert part([0, 0, 1, 0, 1, 0, 0], [1] * 7) == [0, 0, 1, 0, 1, 0, 0]
    assert ints(spc.part_of_two_in_three([0, 0, 1, 1, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0])) == [0, 0, 1, 1, 0, 0, 0]
    assert part([1, 0, 0, 1], [1] * 4) == [0, 0, 0, 0]
    assert part([1, 0, 0, 1, 1], [1] * 5) == [0, 0, 0, 1, 1]


def test_special_cause_type_precedence():
    # "ptd_special_cause_type works as expected": the R test mocks the part-of vectors; they are
    # passed here directly. y = 1:8 rises, so its trend points are increasing.
    side = [1, 1, 1, 1, -1, -1, -1, -1]
    beyond = [0, 0, 0, 0, 0, 1, -1, 0]
    trend_part = [1, -1, 0, 0, 0, 0, 0, 0]
    shift_part = [0, 0, 1, -1, 0, 0, 0, 0]
    two_part = [0, 0, 0, 0, 1, 0, 0, 0]
    trend_way = spc.trend_direction(spc.seven_point_trend(range(1, 9)))  # increasing at 1..8
    assert ints(trend_way) == [1] * 8
    mask, signal = spc.classify_points(side, np.abs(beyond) == 1, trend_part, trend_way, two_part, shift_part)
    assert list(spc.special_cause_label(mask, signal)) == [
        "7 Point Trend (Increasing)", "7 Point Trend (Increasing)", "7 Points Above CL", "7 Points Above CL",
        "2 in 3 Below CL", "Below LCL", "Below LCL", "Common Cause"]


def test_trend_direction_at_a_peak_follows_the_later_trend():
    ends = spc.seven_point_trend([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1])
    assert ints(spc.trend_direction(ends)) == [1] * 6 + [-1] * 7


def test_trend_direction_where_two_trends_meet_without_sharing_a_step():
    # NHSRplotthedots takes the step to the next point whenever that point is in a trend too,
    # even where that step belongs to no trend: the joining point of two rises over a flat step
    # comes out "Decreasing" there, and the last point of a fall followed by a rise then another
    # fall "Increasing". Here each point takes the direction of the trend it belongs to.
    rises = spc.seven_point_trend([1, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 12, 13])
    assert ints(spc.part_of_seven(rises)) == [1] * 14
    assert ints(spc.trend_direction(rises)) == [1] * 14
    falls = spc.seven_point_trend([0, -1, -2, -3, -4, -5, -6, -5, -6, -7, -8, -9, -10, -11])
    assert ints(spc.trend_direction(falls)) == [-1] * 14


# --- R's rule functions, written as loops the way the R code reads, against the vectorised ones

def r_seven_point_one_side_mean(v):
    vp = [0] * 6 + list(v)
    return [int(all(vp[i] == vp[i - k] for k in range(1, 7)) and vp[i] != 0) for i in range(6, len(vp))]


def r_part_of_seven_trend(v):
    vp = list(v) + [0] * 6
    return [int(any(abs(x) == 1 for x in vp[i:i + 7])) for i in range(len(v))]


def r_seven_point_trend(y):
    out = [0] * min(6, len(y))
    for i in range(6, len(y)):
        d = [np.sign(y[i - k] - y[i - k - 1]) for k in range(6)]
        out.append(1 if all(x == 1 for x in d) else -1 if all(x == -1 for x in d) else 0)
    return out


def r_two_in_three(v, rtm):
    vp, rp = [0, 0] + list(v) + [0, 0], [0, 0] + list(rtm) + [0, 0]
    return [int(any(sum(vp[i + s:i + s + 3]) >= 2 and abs(sum(rp[i + s:i + s + 3])) == 3 for s in range(3)))
            for i in range(len(v))]


def r_trend_side(y, part):
    """ptd_special_cause_type's sdy: the step to the right inside a trend, else the one to the left."""
    steps = np.sign(np.diff(y))
    right = list(steps) + [steps[-1]]
    left = [0] + list(steps)
    following = list(part[1:]) + [0]
    return [right[i] if following[i] and part[i] else left[i] for i in range(len(y))]


@given(st.lists(st.integers(-2, 2), min_size=0, max_size=30), st.lists(st.integers(0, 1), min_size=30, max_size=30))
def test_rule_functions_match_the_r_loops(values, close_flags):
    side = np.sign(values)
    close = close_flags[:len(values)]
    assert ints(spc.seven_point_one_side_mean(side)) == r_seven_point_one_side_mean(side)
    assert ints(spc.seven_point_trend(values)) == r_seven_point_trend(values)
    assert ints(spc.part_of_seven(spc.seven_point_trend(values))) == r_part_of_seven_trend(r_seven_point_trend(values))
    assert ints(spc.two_in_three(np.array(close), side)) == r_two_in_three(close, side)


@given(st.lists(st.integers(-3, 3), min_size=7, max_size=30))
def test_trend_direction_matches_r_inside_each_trend(steps):
    y = np.cumsum([0] + steps)
    ends = spc.seven_point_trend(y)
    part = spc.part_of_seven(ends)
    mine, theirs = spc.trend_direction(ends), r_trend_side(y, part)
    # where two trends meet without sharing a step, the directions differ on purpose (above)
    padded = list(ends) + [0] * 7
    shared = [bool(part[i]) and (i + 1 == len(y) or any(padded[i + 1:i + 7])) for i in range(len(y))]
    assert [m for m, keep in zip(mine, shared) if keep] == [t for t, keep in zip(theirs, shared) if keep]


# --- tests/testthat/test-ptd_spc_standard.R and its snapshot ---------------------------------

def test_mean_and_limits_match_nhsrplotthedots():
    # "it returns expected values", r1: mean_col 0.1416238, lpl -3.01138, upl 3.294627
    result = one(RNORM_123)
    assert result.mean[0, -1] == pytest.approx(0.1416238, abs=5e-8)
    assert result.lower[0, -1] == pytest.approx(-3.01138, abs=5e-6)
    assert result.upper[0, -1] == pytest.approx(3.294627, abs=5e-7)


def test_screening_leaves_out_a_huge_moving_range():
    # "it returns expected values", r2 (y[15] <- 10, screened) and r3 (screen_outliers = FALSE)
    values = RNORM_123.copy()
    values[14] = 10
    screened, unscreened = one(values), one(values, screen_outliers=False)
    assert screened.mean[0, -1] == pytest.approx(0.6694159, abs=5e-8)
    assert (screened.lower[0, -1], screened.upper[0, -1]) == pytest.approx((-2.383666, 3.722497), abs=5e-7)
    assert (unscreened.lower[0, -1], unscreened.upper[0, -1]) == pytest.approx((-4.596625, 5.935457), abs=5e-7)


def test_two_near_limits_on_opposite_sides_is_common_cause():
    # "it only reports special cause for 2 of 3 points close to limits when they are on the same side of the mean"
    values = np.array([1.0, -1.0] * 8)
    values[14], values[15] = 5.5, -5.5
    result = one(values)
    assert ints(result.signal[0, -2:]) == [0, 0]
    assert list(result.variation) == ["common_cause"]


# --- tests/testthat/test-ptd_calculate_assurance_type.R --------------------------------------

LPL, UPL = np.array([1.0, 5, 1]), np.array([3.0, 7, 5])


def test_assurance_when_increase_is_better():
    # "it returns correct values for assurance when improvement_direction is increase"
    assert list(spc.assurance(LPL, UPL, 4, 1)) == ["consistently_failing", "consistently_passing", "hit_and_miss"]


def test_assurance_when_decrease_is_better():
    # "it returns correct values for assurance when improvement_direction is decrease"
    assert list(spc.assurance(LPL, UPL, 4, -1)) == ["consistently_passing", "consistently_failing", "hit_and_miss"]


def test_assurance_when_neither_direction_is_better_or_no_target():
    # "... improvement_direction is neutral" and "it returns a column of NA's if there is no target"
    assert list(spc.assurance(LPL, UPL, 4, 0)) == ["", "", ""]
    assert list(spc.assurance(LPL, UPL, np.nan, 1)) == ["", "", ""]


def test_assurance_on_a_limit_is_hit_and_miss():
    assert list(spc.assurance([1.0, 1.0], [3.0, 3.0], [3.0, 1.0], 1)) == ["hit_and_miss", "hit_and_miss"]


def test_assurance_uses_the_latest_phase():
    # "it returns correct values for assurance when rebase": the last group's limits decide.
    low_phase, high_phase = [10.0, 12.0] * 6, [30.0, 32.0] * 6
    result = one(low_phase + high_phase, "Low", target=20.0, phase_starts=[[12]])
    assert list(result.assurance) == ["consistently_failing"]
    result = one(high_phase + low_phase, "Low", target=20.0, phase_starts=[[12]])
    assert list(result.assurance) == ["consistently_passing"]


# --- ptd_point_type: the variation word -------------------------------------------------------

@pytest.mark.parametrize("signal, direction, word", [
    (0, 1, "common_cause"), (0, 0, "common_cause"), (1, 1, "improvement"), (-1, -1, "improvement"),
    (-1, 1, "concern"), (1, -1, "concern"), (1, 0, "special_cause"), (-1, 0, "special_cause")])
def test_variation(signal, direction, word):
    assert list(spc.variation(np.array([signal]), np.array([direction]))) == [word]


def test_polarity_gives_the_better_direction():
    assert ints(spc.improvement_direction(["High", "Low", "Info", "Within limits"])) == [1, -1, 0, 0]


# --- the rules through xmr, one at a time ----------------------------------------------------

STEADY = [14.0, 10.0] * 8  # mean 12, moving range 4, limits 12 ± 10.64, two sigma 12 ± 7.09


def test_a_point_beyond_a_limit():
    # mean 13.06; the moving range of 20 is screened out, so the upper limit is 13.06 + 10.64
    result = one(STEADY + [30.0], "Low")
    assert result.rules[0, -1] == spc.BEYOND_LIMITS and result.signal[0, -1] == 1
    assert list(result.variation) == ["concern"]


def test_a_shift_flags_all_seven_points():
    result = one(STEADY + [13.0] * 7)
    assert ints(result.rules[0, -7:] & spc.SHIFT) == [spc.SHIFT] * 7
    assert ints(result.rules[0, :-7] & spc.SHIFT) == [0] * (result.rules.shape[1] - 7)
    assert list(result.variation) == ["improvement"]


def test_a_point_on_the_mean_breaks_a_shift():
    around_12 = [14.0, 10.0] * 7 + [9.0, 9.0] + [13.0] * 3
    on_the_mean = one(around_12 + [12.0] + [13.0] * 3)
    assert on_the_mean.mean[0, -1] == 12.0
    assert not (on_the_mean.rules[0] & spc.SHIFT).any()
    assert ints(one(around_12 + [12.5] + [13.0] * 3).rules[0, -7:] & spc.SHIFT) == [spc.SHIFT] * 7


def test_a_trend_flags_all_seven_points_and_equal_values_break_it():
    rising = STEADY + [5.0, 6, 7, 8, 9, 10, 11]
    result = one(rising)
    assert ints(result.rules[0, -7:] & spc.TREND) == [spc.TREND] * 7
    assert list(result.variation) == ["improvement"]
    flat_step = STEADY + [5.0, 6, 7, 7, 9, 10, 11]
    assert not (one(flat_step).rules[0] & spc.TREND).any()


def test_two_of_three_beyond_two_sigma_flags_only_those_two():
    # mean 13.16, two sigma 8.67: 22 is beyond two sigma (21.83), not beyond the limit (26.2)
    result = one(STEADY + [22.0, 14.0, 22.0], "Low")
    assert ints(result.rules[0, -3:] & spc.TWO_OF_THREE) == [spc.TWO_OF_THREE, 0, spc.TWO_OF_THREE]
    assert list(result.variation) == ["concern"]


def test_info_and_within_limits_give_special_cause():
    values = np.array([STEADY + [30.0]] * 2)
    result = spc.xmr(values, values.shape[1] - 1, ["Info", "Within limits"], target=[0.0, 0.0])
    assert list(result.variation) == ["special_cause", "special_cause"]
    assert list(result.assurance) == ["", ""]


# --- which points -----------------------------------------------------------------------------

def test_too_few_points_gives_no_verdict():
    eleven = one(STEADY[:11], target=0.0)
    assert (list(eleven.variation), list(eleven.assurance), ints(eleven.points)) == ([""], [""], [11])
    assert np.isnan(eleven.mean).all()
    twelve = one(STEADY[:12], target=0.0)
    assert (list(twelve.variation), list(twelve.assurance)) == (["common_cause"], ["consistently_passing"])


def test_too_few_points_flag_nothing():
    result = one([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    assert not result.rules.any() and not result.signal.any()


def test_no_rows():
    result = spc.xmr(np.zeros((0, 30)), 29, [], target=[])
    assert result.mean.shape == (0, 24) and list(result.variation) == []


def test_only_the_last_24_months_count():
    recent = [11.0, 13.0] * 12
    base = one([500.0] + recent)
    assert (base.mean[0, -1], base.points[0], base.first_column) == (12.0, 24, 1)
    assert base.mean.shape == (1, 24)


def test_missing_months_are_left_out():
    with_gaps = [12.0, 10.0, None, 14.0, 10.0, None, None, 14.0] + [10.0, 14.0] * 4 + [5.0, 6, 7, None, 8, 9, 10, 11]
    assert len(with_gaps) == 24
    present = [v for v in with_gaps if v is not None]
    gaps, dense = one(with_gaps), one(present)
    assert gaps.points[0] == dense.points[0] == len(present)
    assert gaps.mean[0, -1] == dense.mean[0, -1] and gaps.sigma[0, -1] == dense.sigma[0, -1]
    kept = ~np.isnan(np.array(with_gaps, dtype=float)[-24:])
    assert ints(gaps.rules[0][kept]) == ints(dense.rules[0][-kept.sum():])
    assert ints(gaps.rules[0][~kept]) == [0] * (~kept).sum()
    assert ints(gaps.rules[0, -8:] & spc.TREND) == [spc.TREND] * 3 + [0] + [spc.TREND] * 4


def test_a_missing_reporting_month_has_no_variation():
    assert list(one(STEADY + [None]).variation) == [""]


def test_a_flat_series_has_zero_width_limits_and_common_cause():
    result = one([7.0] * 15)
    assert (result.lower[0, -1], result.upper[0, -1]) == (7.0, 7.0)
    assert list(result.variation) == ["common_cause"]
    assert not result.rules.any()  # on a limit is not beyond it


def test_baseline_fixes_the_limits_on_the_first_points():
    values = [10.0, 14.0] * 6 + [30.0, 34.0] * 6
    fixed = one(values, baseline_points=12)
    assert fixed.mean[0, -1] == 12.0 and fixed.points[0] == 12
    assert list(fixed.variation) == ["improvement"]
    assert one(values).mean[0, -1] == 22.0


def test_a_baseline_may_lie_before_the_window():
    values = [10.0, 14.0] * 6 + [20.0, 24.0] * 18
    result = one(values, baseline_points=12)
    assert result.mean[0, -1] == 12.0 and result.first_column == len(values) - 24


def test_what_the_statistics_rest_on_is_the_window_and_the_points_fixed_limits_came_from():
    # 40 months; the window is columns 16-39. The baseline phase starts at 32, so the phase before it
    # (shown from 16 to 31) is fixed on its first 8 points: columns 0-7, long before the window.
    values = np.array([[10.0, 14.0] * 20, [10.0, 14.0] * 20])
    values[:, 3] = np.nan  # a missing month feeds nothing
    result = spc.xmr(values, 39, ["High"] * 2, baseline_points=[8, 0], phase_starts=[(32,), ()])
    assert result.rests_on.shape == (2, 40)
    assert list(np.flatnonzero(result.rests_on[0])) == [0, 1, 2, 4, 5, 6, 7, 8, *range(16, 40)]
    assert list(np.flatnonzero(result.rests_on[1])) == list(range(16, 40))  # no baseline: the window alone
    # a baseline before the window: the phase before it is never shown, so its points feed nothing
    early = spc.xmr(values[:1], 39, ["High"], baseline_points=[12], phase_starts=[(12,)])
    assert list(np.flatnonzero(early.rests_on[0])) == list(range(12, 40))  # the baseline 12-23, the window
    # a panel shorter than the window (it starts 4 months into it): the fixed phase's points are
    # counted from before the panel, and only the panel's own columns come back
    short = spc.xmr(values[:1, :20], 19, ["High"], baseline_points=[8], phase_starts=[(12,)])
    assert short.rests_on.shape == (1, 20)
    assert list(np.flatnonzero(short.rests_on[0])) == [0, 1, 2, *range(4, 20)]


def test_phases_have_their_own_limits_and_patterns():
    values = [10.0, 14.0] * 6 + [13.0] * 3 + [20.0, 24.0] * 6
    result = one(values, phase_starts=[[15]])
    assert ints(result.mean[0, :3]) == [12] * 3  # window starts at column 3: phase 1
    assert result.mean[0, -1] == 22.0 and result.points[0] == 12
    assert not (result.rules[0] & spc.SHIFT).any()
    assert np.isnan(one(values, phase_starts=[[20]]).mean[0, -1])  # 7 points since the change: too few


def test_a_shift_does_not_run_across_a_phase_start():
    # four points above the first phase's mean, then three above the second's
    before, after = [14.0, 10.0] * 4 + [13.0] * 4, [23.0] * 3 + [20.0, 24.0] * 4 + [21.0]
    result = one(before + after, phase_starts=[[12]])
    assert (result.points[0], result.mean[0, 0] < 13, result.mean[0, -1] < 23) == (12, True, True)
    assert not result.rules.any()


def test_sigma_lines():
    result = one(STEADY)
    assert result.sigma[0, -1] == pytest.approx(4 * 2.66 / 3)
    assert result.line(2)[0, -1] == pytest.approx(12 + 8 * 2.66 / 3)
    assert result.line(-1)[0, -1] == pytest.approx(12 - 4 * 2.66 / 3)


# --- properties -------------------------------------------------------------------------------

@given(st.floats(-1e6, 1e6), st.lists(st.floats(1, 2), min_size=12, max_size=24))
def test_alternation_around_a_level_stays_common_cause(level, sizes):
    values = [level + (1 if i % 2 else -1) * size for i, size in enumerate(sizes)]
    for polarity in ("High", "Low", "Info"):
        result = one(values, polarity)
        assert list(result.variation) == ["common_cause"]
        assert not result.rules.any()


SWAP = {"improvement": "concern", "concern": "improvement", "consistently_passing": "consistently_failing",
        "consistently_failing": "consistently_passing"}

SERIES = st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=0, max_size=40)


@given(SERIES, st.integers(0, 40))
def test_reversing_the_polarity_swaps_improvement_and_concern(values, target):
    high, low = one(values + [1.0], "High", target=target), one(values + [1.0], "Low", target=target)
    assert [SWAP.get(w, w) for w in high.variation] == list(low.variation)
    assert [SWAP.get(w, w) for w in high.assurance] == list(low.assurance)


@given(SERIES, st.integers(-1000, 1000))
def test_adding_a_constant_moves_mean_and_limits_only(values, shift):
    values = np.array([np.nan] * 24 + [np.nan if v is None else v for v in values + [20]], dtype=float)
    before, after = one(values), one(values + shift)
    lines = [before.line(k)[0] for k in (-3, -2, 0, 2, 3)]
    assume(all(np.nanmin(np.abs(values[-24:] - line), initial=1) > 1e-6 for line in lines))
    for k in (-3, -1, 0, 1, 3):
        np.testing.assert_allclose(after.line(k), before.line(k) + shift, rtol=0, atol=1e-6)
    assert (after.rules == before.rules).all() and (after.signal == before.signal).all()
    assert list(after.variation) == list(before.variation)


@st.composite
def panels(draw):
    rows, months = draw(st.integers(1, 4)), draw(st.integers(1, 40))
    values = np.array([[draw(st.one_of(st.none(), st.integers(0, 30))) for _ in range(months)]
                       for _ in range(rows)], dtype=float)
    polarity = [draw(st.sampled_from(["High", "Low", "Info", "Within limits"])) for _ in range(rows)]
    target = [draw(st.one_of(st.just(np.nan), st.integers(0, 30))) for _ in range(rows)]
    baseline = [draw(st.sampled_from([0, 0, 12, 14])) for _ in range(rows)]
    starts = [draw(st.lists(st.integers(0, months), max_size=2)) for _ in range(rows)]
    return values, draw(st.integers(0, months - 1)), polarity, target, baseline, starts


@settings(max_examples=60, deadline=None)
@given(panels())
def test_each_row_is_computed_as_if_alone(panel):
    values, column, polarity, target, baseline, starts = panel
    together = spc.xmr(values, column, polarity, target, baseline, starts)
    for row in range(values.shape[0]):
        alone = spc.xmr(values[row:row + 1], column, polarity[row:row + 1], target[row:row + 1],
                        baseline[row:row + 1], starts[row:row + 1])
        for name in ("mean", "sigma", "rules", "signal", "points", "variation", "assurance"):
            np.testing.assert_array_equal(getattr(together, name)[row], getattr(alone, name)[0], err_msg=name)


# --- the worked examples for the README: 12 months whose limits are fixed as a baseline ---------
# mean 276 / 12 = 23; moving ranges 4 2 3 4 2 3 4 2 3 2 2, average 31 / 11 = 2.818;
# limits 23 ± 2.66 × 2.818 = 15.50 .. 30.50; one sigma 2.66 / 3 × 2.818 = 2.50, two sigma 18.00 .. 28.00

EXAMPLE = [20.0, 24, 22, 25, 21, 23, 26, 22, 24, 21, 23, 25]


def example(extra, polarity="Low", target=None):
    values = np.array([EXAMPLE + extra])
    return spc.xmr(values, values.shape[1] - 1, [polarity], target=[target], baseline_points=[12])


def test_example_limits():
    result = example([])
    assert result.mean[0, -1] == 23
    assert (result.lower[0, -1], result.upper[0, -1]) == pytest.approx((23 - 2.66 * 31 / 11, 23 + 2.66 * 31 / 11))
    assert (result.line(-2)[0, -1], result.line(2)[0, -1]) == pytest.approx((18.0, 28.0), abs=0.01)


@pytest.mark.parametrize("extra, polarity, flagged, word", [
    ([31.0], "Low", ["Above UCL"], "concern"),
    ([31.0], "Info", ["Above UCL"], "special_cause"),
    ([24.0, 25, 24, 26, 24, 25, 24], "Low", ["7 Points Above CL"] * 7, "concern"),
    ([24.0, 25, 24, 26, 24, 25, 24], "High", ["7 Points Above CL"] * 7, "improvement"),
    ([24.0, 25, 24, 23, 26, 24, 25], "Low", ["Common Cause"] * 7, "common_cause"),  # 23 is on the mean
    ([25.0, 24, 23, 22, 21, 20, 19], "Low", ["7 Point Trend (Decreasing)"] * 7, "improvement"),  # from the 25 before
    ([25.0, 24, 23, 23, 22, 21, 20], "Low", ["Common Cause"] * 7, "common_cause"),  # a level step breaks it
    ([29.0, 24, 28.5], "Low", ["2 in 3 Above CL", "Common Cause", "2 in 3 Above CL"], "concern"),
])
def test_example_rules(extra, polarity, flagged, word):
    result = example(extra, polarity)
    points = slice(-len(extra), None)
    assert list(spc.special_cause_label(result.rules[0, points], result.signal[0, points])) == flagged
    assert list(result.variation) == [word]


@pytest.mark.parametrize("target, polarity, word", [
    (35.0, "High", "consistently_failing"), (12.0, "High", "consistently_passing"), (22.0, "High", "hit_and_miss"),
    (35.0, "Low", "consistently_passing"), (12.0, "Low", "consistently_failing")])
def test_example_assurance(target, polarity, word):
    assert list(example([], polarity, target).assurance) == [word]


def test_a_flat_series_of_a_figure_floats_cannot_hold_exactly_is_common_cause():
    """24 × 0.7 averages to 0.6999999999999998 and 12 × 0.6 to 0.5999999999999999: the points sit on
    their mean, not a whisker beside it, beyond limits of no width."""
    flat = np.full((2, 24), 0.7)
    flat[1, :12], flat[1, 12:] = np.nan, 0.6
    result = spc.xmr(flat, 23, np.array(["High", "Low"], dtype=object))
    assert list(result.variation) == [spc.COMMON_CAUSE, spc.COMMON_CAUSE]
    assert not result.rules.any()
