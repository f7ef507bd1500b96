"""Statistical process control: XmR charts as NHS England's "Making Data Count" reads them.

The arithmetic and the special-cause rules follow NHSRplotthedots (nhs-r-community), the R
package behind Making Data Count: ``ptd_spc_standard`` (mean and limits),
``ptd_calculate_point_type`` (rules, variation) and ``ptd_calculate_assurance_type``.
Every function works on all series at once: arrays of shape (rows, points).

Points used: the months up to the reporting month, at most the last ``window`` (24). A missing
month is left out: the rules read the present points one after another and a moving range is
taken between consecutive present points. (NHSRplotthedots asks for no gaps; a gap there voids
the two moving ranges beside it.) Limits need ``min_points`` (12) points behind them, else the
row has too few points and no verdict. Optional per row: ``phase_starts`` (a new phase, with
its own mean and limits, starts at each named month: a known process change) and
``baseline_points`` (a phase's limits come from its first N points only, however old).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import rules
from .measures import window as month_window

LIMIT = 2.66  # process limits: mean ± 2.66 × average moving range (= 3 sigma)
SIGMA_PER_MOVING_RANGE = LIMIT / 3
SCREEN = 3.267  # moving ranges at or above 3.267 × their average are left out of it
RUN = 7  # points in a shift or a trend
WINDOW = 24
NOISE = 1e-9  # relative: differences this small are float rounding, not a move
MIN_POINTS = 12

COMMON_CAUSE, IMPROVEMENT, CONCERN, SPECIAL_CAUSE = "common_cause", "improvement", "concern", "special_cause"
CONSISTENTLY_PASSING, CONSISTENTLY_FAILING = "consistently_passing", "consistently_failing"
HIT_AND_MISS = "hit_and_miss"

# Bits of the per-point rule mask, in NHSRplotthedots' order of precedence.
BEYOND_LIMITS, TREND, TWO_OF_THREE, SHIFT = 1, 2, 4, 8


@dataclass
class Spc:
    """Per point, over the window (column j is panel column ``first_column + j``; the last is the
    reporting month): the mean, sigma and limits of the point's phase (NaN: too few points),
    the rules the point is part of (bit mask) and its signal (+1 special cause high, -1 low).
    Per row: the verdicts on the reporting month and how many points its limits rest on.
    ``rests_on`` (rows, panel columns up to the reporting month): True where a figure feeds what is
    shown, the window's points and those a fixed phase's limits come from, however old; suppression
    must hide the statistics wherever one of these shows as c."""
    first_column: int
    mean: np.ndarray
    sigma: np.ndarray
    rules: np.ndarray
    signal: np.ndarray
    points: np.ndarray
    variation: np.ndarray
    assurance: np.ndarray
    rests_on: np.ndarray

    def line(self, sigmas: float) -> np.ndarray:
        """mean + sigmas × sigma: ±3 are the process limits, ±1 and ±2 the sigma lines."""
        return self.mean + sigmas * self.sigma

    @property
    def lower(self) -> np.ndarray:
        return self.line(-3)

    @property
    def upper(self) -> np.ndarray:
        return self.line(3)


def improvement_direction(polarity) -> np.ndarray:
    """+1 where up is better (High), -1 where down is (Low), 0 for Info and Within limits."""
    polarity = np.asarray(polarity, dtype=object)
    return np.where(polarity == rules.HIGH, 1, np.where(polarity == rules.LOW, -1, 0))


def _sign(values) -> np.ndarray:
    """+1, -1 or 0 (also for missing) as small integers."""
    values = np.asarray(values)
    if values.dtype == np.int8:
        return values
    return (values > 0).view(np.int8) - (values < 0).view(np.int8)


def _runs(array: np.ndarray, length: int) -> list[np.ndarray]:
    """Every run of ``length`` consecutive points, as one array per place in the run, each with
    one entry per run (by where it ends: points length-1 .. n-1). Slices, so cheap to combine."""
    count = array.shape[-1] - length + 1
    return [array[..., place:place + count] for place in range(length)]


def _every_point_of(found: np.ndarray, length: int) -> np.ndarray:
    """From runs found (one entry per run, by its end) to 1 at each of their points."""
    count = found.shape[-1]
    points = np.zeros(found.shape[:-1] + (count + length - 1,), dtype=bool)
    for place in range(length):
        points[..., place:place + count] |= found
    return points


def _at_run_ends(found: np.ndarray, shape, length: int) -> np.ndarray:
    ends = np.zeros(shape, dtype=np.int8)
    if shape[-1] >= length:
        ends[..., length - 1:] = found
    return ends


def beyond_limits(y, lower, upper) -> np.ndarray:
    """Rule 1, a point beyond a process limit: strictly above the upper or below the lower
    (``outside_limits`` in ptd_spc_standard). Missing never is."""
    with np.errstate(invalid="ignore"):
        return (y > upper) | (y < lower)


def near_limits(y, mean, sigma, beyond) -> np.ndarray:
    """Strictly beyond two sigma but not beyond the process limit (``close_to_limits``)."""
    with np.errstate(invalid="ignore"):
        return ~beyond & ((y < mean - 2 * sigma) | (y > mean + 2 * sigma))


def seven_point_one_side_mean(side) -> np.ndarray:
    """Rule 3, a shift (ptd_seven_point_one_side_mean): 1 at the 7th and each later point of a
    run of 7 or more points on one side of the mean. ``side`` is sign(point - mean): a point on
    the mean (0) breaks the run."""
    side = _sign(side)
    if side.shape[-1] < RUN:
        return np.zeros(side.shape, dtype=np.int8)
    *earlier, last = _runs(side, RUN)
    found = last != 0
    for point in earlier:
        found &= point == last
    return _at_run_ends(found, side.shape, RUN)


def seven_point_trend(y) -> np.ndarray:
    """Rule 2, a trend (ptd_seven_point_trend): +1 (-1) at the 7th point of 7 points in a row
    each higher (lower) than the one before: 7 points, 6 moves. Equal neighbours break it."""
    y = np.asarray(y, dtype=float)
    if y.shape[-1] < RUN:
        return np.zeros(y.shape, dtype=np.int8)
    moves = _runs(_sign(np.diff(y, axis=-1)), RUN - 1)
    up, down = moves[0] == 1, moves[0] == -1
    for move in moves[1:]:
        up &= move == 1
        down &= move == -1
    found = up.astype(np.int8) - down
    return _at_run_ends(found, y.shape, RUN)


def part_of_seven(ends) -> np.ndarray:
    """ptd_part_of_seven_trend: 1 for every point of a run, not only where it is found: a point
    is part of a run when the run ends at it or at one of the 6 points after it."""
    ends = np.asarray(ends) != 0
    part = ends.copy()
    for ahead in range(1, min(RUN, ends.shape[-1])):
        part[..., :ends.shape[-1] - ahead] |= ends[..., ahead:]
    return part


def trend_direction(ends) -> np.ndarray:
    """Which way each point's trend runs: that of the latest trend the point belongs to, so the
    top of a rise-then-fall counts with the fall (NHSRplotthedots' "use right side"). Where two
    trends meet without sharing a step, NHSRplotthedots takes the direction of that step, which
    belongs to neither; the reporting month, being last, is never such a point."""
    ends = np.asarray(ends, dtype=np.int8)
    direction = ends.copy()
    for ahead in range(1, min(RUN, ends.shape[-1])):
        later = ends[..., ahead:]
        np.copyto(direction[..., :ends.shape[-1] - ahead], later, where=later != 0)
    return direction


def two_in_three(close, side) -> np.ndarray:
    """Rule 4 (ptd_two_in_three): 1 for each point of three in a row, all on one side of the mean
    (a point on the mean breaks it), of which two or more are beyond two sigma (``close``)."""
    close = np.asarray(close) != 0
    side = np.broadcast_to(_sign(side), close.shape)
    if close.shape[-1] < 3:
        return np.zeros(close.shape, dtype=np.int8)
    near, sides = _runs(close.view(np.int8), 3), _runs(side, 3)
    found = (near[0] + near[1] + near[2] >= 2) & (np.abs(sides[0] + sides[1] + sides[2]) == 3)
    return _every_point_of(found, 3)


def part_of_two_in_three(in_three, close) -> np.ndarray:
    """ptd_part_of_two_in_three: of those three points, only the ones beyond two sigma."""
    return (np.asarray(in_three) == 1) & (np.abs(np.asarray(close)) == 1)


def classify_points(side, beyond, trend_part, trend_way, two_part, shift_part):
    """Every rule a point is part of (bit mask) and its signal (ptd_special_cause_type): a point
    beyond a limit, in a two-in-three or in a shift is high or low by its side of the mean; a
    point in a trend by the trend's direction. The first rule in that order decides."""
    side = _sign(side)
    parts = [np.asarray(part) != 0 for part in (beyond, trend_part, two_part, shift_part)]
    mask = np.zeros(side.shape, dtype=np.uint8)
    for bit, part in zip((BEYOND_LIMITS, TREND, TWO_OF_THREE, SHIFT), parts):
        mask |= part.view(np.uint8) * np.uint8(bit)
    signal = np.where(parts[2] | parts[3], side, np.int8(0))
    np.copyto(signal, np.asarray(trend_way, dtype=np.int8), where=parts[1])
    np.copyto(signal, side, where=parts[0])
    return mask, signal


def special_cause_label(mask, signal) -> np.ndarray:
    """NHSRplotthedots' words for a point's deciding rule, e.g. "7 Points Above CL"."""
    mask, high = np.asarray(mask), np.asarray(signal) > 0
    labels = [np.where(high, "Above UCL", "Below LCL"),
              np.where(high, "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"),
              np.where(high, "2 in 3 Above CL", "2 in 3 Below CL"),
              np.where(high, "7 Points Above CL", "7 Points Below CL")]
    conditions = [(mask & bit) != 0 for bit in (BEYOND_LIMITS, TREND, TWO_OF_THREE, SHIFT)]
    return np.select(conditions, labels, "Common Cause").astype(object)


def variation(signal, direction) -> np.ndarray:
    """ptd_point_type for the table: common_cause with no signal; with one, improvement when it
    goes the better way, concern when the worse, special_cause when neither way is better."""
    signal, direction = np.asarray(signal), np.asarray(direction)
    words = np.array([COMMON_CAUSE, SPECIAL_CAUSE, IMPROVEMENT, CONCERN], dtype=object)
    return words[np.select([signal == 0, direction == 0, signal * direction > 0], [0, 1, 2], 3)]


def assurance(lower, upper, target, direction) -> np.ndarray:
    """ptd_calculate_assurance_type: a target strictly beyond one limit is always met or always
    missed (the whole process lies on one side of it); otherwise hit_and_miss. "" with no
    target, no limits, or no better direction (Info, Within limits)."""
    lower, upper, target = (np.asarray(a, dtype=float) for a in (lower, upper, target))
    direction = np.sign(direction)
    with np.errstate(invalid="ignore"):
        target_beyond = np.greater(target, upper).astype(int) - np.less(target, lower)
    words = np.array([HIT_AND_MISS, CONSISTENTLY_FAILING, CONSISTENTLY_PASSING, ""], dtype=object)
    none = (direction == 0) | np.isnan(target) | np.isnan(lower) | np.isnan(upper)
    return words[np.where(none, 3, (target_beyond * direction) % 3)]  # -1 % 3 = 2: passing


def phase_numbers(phase_starts, origin: int, first_column: int, width: int) -> np.ndarray:
    """Phase of each of ``width`` columns from ``first_column``, one row per entry of
    ``phase_starts``: how many of the row's phase starts (panel columns) lie after ``origin``
    (where phase 0 begins) and at or before the column."""
    phase = np.zeros((len(phase_starts), width), dtype=np.int64)
    columns = first_column + np.arange(width)
    for row, starts in enumerate(phase_starts):
        for start in starts if starts is not None else ():
            if start > origin:
                phase[row] += columns >= start
    return phase


def rank_in_group(keep: np.ndarray, group: np.ndarray) -> np.ndarray:
    """How many kept points of the same group come before each column."""
    before = np.cumsum(keep, axis=1, dtype=np.int32) - keep
    if (group[:, 0] == group[:, -1]).all():  # one group a row
        return before
    group = np.broadcast_to(group, keep.shape)
    starts = np.ones(group.shape, dtype=bool)
    starts[:, 1:] = group[:, 1:] != group[:, :-1]
    return before - np.maximum.accumulate(np.where(starts, before, 0), axis=1)


class Packing:
    """Each group's kept points side by side, in order, in a row of the group's own (row number =
    group number), and back. Rules and moving ranges then run along rows: across a missing month
    but never across a phase start."""

    def __init__(self, keep: np.ndarray, group: np.ndarray, groups: int, width: int):
        self.keep, self.shape = keep, (groups, width)
        self.places = (group * width + rank_in_group(keep, group))[keep]

    def pack(self, array: np.ndarray) -> np.ndarray:
        packed = np.full(self.shape, np.nan)
        packed.ravel()[self.places] = array[self.keep]
        return packed

    def unpack(self, packed: np.ndarray) -> np.ndarray:
        array = np.zeros(self.keep.shape, dtype=packed.dtype)
        array[self.keep] = packed.ravel()[self.places]
        return array


def group_limits(y: np.ndarray, screen_outliers: bool):
    """Mean, sigma and point count of each row of packed points (NaN after them), as
    ptd_spc_standard: sigma = 2.66/3 × the average moving range between consecutive points; with
    screening, moving ranges at or above 3.267 × that average are left out and it is taken again.
    An average of 0 (a flat series) is kept, where NHSRplotthedots would lose its limits."""
    points = ~np.isnan(y)
    count = points.sum(axis=1)
    ranges = np.abs(np.diff(y, axis=1))
    paired = points[:, 1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(points, y, 0).sum(axis=1) / count
        average = np.where(paired, ranges, 0).sum(axis=1) / paired.sum(axis=1)
        if screen_outliers:
            paired &= (ranges < SCREEN * average[:, None]) | (average[:, None] == 0)
            average = np.where(paired, ranges, 0).sum(axis=1) / paired.sum(axis=1)
    return mean, average * SIGMA_PER_MOVING_RANGE, count


def _per_row(values, rows: int, fill) -> np.ndarray:
    return np.full(rows, fill) if values is None else np.broadcast_to(np.asarray(values), (rows,))


def deviation(y, mean) -> np.ndarray:
    """y - mean, with float noise taken as 0: the mean of 24 × 0.6 is 0.6000000000000001, and a
    flat series must sit on its mean, not a whisker below it (a shift, beyond limits of no width)."""
    with np.errstate(invalid="ignore"):
        difference = y - mean
        return np.where(np.abs(difference) <= NOISE * np.maximum(np.abs(y), np.abs(mean)), 0.0, difference)


def point_rules(y, mean, sigma):
    """Every rule along each row of packed points: the rule mask and signal of each point."""
    from_mean = deviation(y, mean)  # the rules compare points with the mean and limits: measure from it
    side = _sign(from_mean)
    beyond = beyond_limits(from_mean, -3 * sigma, 3 * sigma)
    close = near_limits(from_mean, 0.0, sigma, beyond)
    trend_ends = seven_point_trend(y)
    return classify_points(side, beyond, part_of_seven(trend_ends), trend_direction(trend_ends),
                           part_of_two_in_three(two_in_three(close, side), close),
                           part_of_seven(seven_point_one_side_mean(side)))


def phase_groups(phase_starts, rows: int, origin: int, first_column: int, width: int):
    """Group number of each of ``width`` columns from ``first_column``: each row's phases, numbered
    on through all rows; also the number of each row's first group and how many groups there are."""
    if phase_starts is None:
        phase = np.zeros((rows, 1), dtype=np.int64)  # one phase a row, the same for every column
    else:
        phase = phase_numbers(phase_starts, origin, first_column, width)
    phases = phase[:, -1] + 1
    offset = np.cumsum(phases) - phases
    return offset[:, None] + phase, offset, int(phases.sum())


def baseline_limits(values, reporting_column: int, origin: int, baseline, phase_starts, offset, groups: int,
                    screen_outliers: bool):
    """Limits of each phase of the rows with a baseline, from the phase's first ``baseline`` points
    (back to ``origin``, however old), and which groups they belong to."""
    fixed = np.flatnonzero(baseline)
    history = month_window(values[fixed], reporting_column, reporting_column - origin + 1)
    starts = [()] * len(fixed) if phase_starts is None else [phase_starts[row] for row in fixed]
    group = offset[fixed, None] + phase_numbers(starts, origin, origin, history.shape[1])
    present = ~np.isnan(history)
    used = present & (rank_in_group(present, group) < baseline[fixed, None])
    limits = group_limits(Packing(used, group, groups, int(baseline.max())).pack(history), screen_outliers)
    chosen = np.zeros(groups, dtype=bool)
    chosen[group.ravel()] = True
    return limits, chosen, (fixed, used, group, origin)


def points_behind(values, reporting_column: int, first: int, window_groups, groups: int,
                  fixed_points=None) -> np.ndarray:
    """Per row and panel column up to the reporting month: True where the figure is a point of the
    window from ``first``, or one the limits of a fixed phase shown in the window were taken from
    (``fixed_points``: the rows, points used and groups ``baseline_limits`` gives, from ``origin``)."""
    behind = np.zeros((values.shape[0], reporting_column + 1), dtype=bool)
    start = max(first, 0)
    behind[:, start:] = ~np.isnan(values[:, start:reporting_column + 1])
    if fixed_points is not None:
        rows, used, group, origin = fixed_points
        shown = np.zeros(groups, dtype=bool)
        shown[np.ravel(window_groups)] = True
        # History column j is panel column origin + j; with a baseline the first phase starts at the
        # panel's first column or before it (origin <= 0), so the panel's columns are those from -origin.
        behind[rows] |= (used & shown[group])[:, -origin:]
    return behind


def xmr(values, reporting_column: int, polarity, target=None, baseline_points=None, phase_starts=None,
        window: int = WINDOW, min_points: int = MIN_POINTS, screen_outliers: bool = True) -> Spc:
    """XmR statistics and verdicts for every row of ``values`` (rows, months; NaN = missing) at
    ``reporting_column``. Per row: ``polarity`` (High, Low, Info, Within limits), ``target``
    (NaN = none), ``baseline_points`` (0 = none) and ``phase_starts`` (panel columns)."""
    values = np.asarray(values, dtype=float)
    rows = values.shape[0]
    baseline = _per_row(baseline_points, rows, 0).astype(np.int64)
    first = reporting_column - window + 1
    origin = min(first, 0) if baseline.any() else first  # where the first phase begins
    group, offset, groups = phase_groups(phase_starts, rows, origin, first, window)
    recent = month_window(values, reporting_column, window)
    packing = Packing(~np.isnan(recent), group, groups, window)
    y = packing.pack(recent)
    mean, sigma, count = group_limits(y, screen_outliers)
    fixed_points = None
    if baseline.any():
        fixed, chosen, fixed_points = baseline_limits(values, reporting_column, origin, baseline, phase_starts,
                                                      offset, groups, screen_outliers)
        mean, sigma, count = (np.where(chosen, a, b) for a, b in zip(fixed, (mean, sigma, count)))
    enough = count >= min_points
    mean, sigma = np.where(enough, mean, np.nan), np.where(enough, sigma, np.nan)
    judged = np.where(enough[:, None], y, np.nan)  # too few points: no limits, no patterns
    mask, signal = point_rules(judged, mean[:, None], sigma[:, None])
    mask, signal = packing.unpack(mask), packing.unpack(signal)
    group = np.broadcast_to(group, recent.shape)
    point_mean, point_sigma = mean[group], sigma[group]
    direction = improvement_direction(_per_row(polarity, rows, rules.INFO))
    words = variation(signal[:, -1], direction)
    words[np.isnan(recent[:, -1] + point_mean[:, -1])] = ""
    lower, upper = point_mean[:, -1] - 3 * point_sigma[:, -1], point_mean[:, -1] + 3 * point_sigma[:, -1]
    verdict = assurance(lower, upper, _per_row(target, rows, np.nan).astype(float), direction)
    return Spc(first, point_mean, point_sigma, mask, signal, count[group[:, -1]], words, verdict,
               points_behind(values, reporting_column, first, group, groups, fixed_points))
