"""=SPC(values, polarity, [target], [what]) (scorecard_xl.excel.udfs): Making Data Count's verdict on the
last value of a row or column, from compute/spc.py's XmR. Through xlwings' server call path in
tests/test_udfs.py (SERVER_CALLS) and through xlwings Lite's in tests/test_lite.py (CALLS).

Worked by hand: the 12 values 20, 24, 22, 25, 21, 23, 26, 22, 24, 21, 23, 25 have mean 23 and moving
ranges 4, 2, 3, 4, 2, 3, 4, 2, 3, 2, 2 (31 / 11 = 2.82 on average): limits 23 +/- 2.66 x 2.82 = 15.50
to 30.50, and 25, the last, lies within them: common cause. With a 13th value of 40 the mean is
316 / 13 = 24.31; its moving range of 15 is at least 3.267 times the average of all twelve (46 / 12 =
3.83, so 12.5) and is left out of it, leaving 31 / 11 again: limits 24.31 +/- 7.50 = 16.81 to 31.80,
and 40 is beyond the upper one.
"""

from __future__ import annotations

import pytest

from scorecard_xl.excel.udfs import POLARITY_HELP, SPC

BASELINE = [20, 24, 22, 25, 21, 23, 26, 22, 24, 21, 23, 25]
HIGH_LAST = BASELINE + [40]


@pytest.mark.parametrize("polarity, expected", [
    ("High", "improvement"), ("low", "concern"), ("Info", "special cause"), ("Within limits", "special cause"),
])
def test_a_value_beyond_the_limits_is_read_by_the_polarity(polarity, expected):
    assert SPC(HIGH_LAST, polarity) == expected


def test_a_value_within_the_limits_is_common_cause():
    assert SPC(BASELINE, "High") == "common cause"


@pytest.mark.parametrize("values", [BASELINE[:11], [], [None, "tbc", "#N/A"]])
def test_under_twelve_values_are_too_few_points(values):
    assert SPC(values, "High") == "too few points"
    assert SPC(values, "High", 0.95, "assurance") == "too few points"


def test_a_column_blanks_text_numbers_and_errors_are_read_as_the_other_functions_read_them():
    column = [[v] for v in HIGH_LAST[:6]] + [[None], ["#N/A"]] + [[v] for v in HIGH_LAST[6:12]] + [["40"]]
    assert SPC(column, "High") == "improvement"  # the missing months between are left out
    assert SPC(HIGH_LAST + [None, None, ""], "Low") == "concern"  # months still to come


@pytest.mark.parametrize("polarity, target, expected", [
    ("High", 10, "consistently passing"),  # 10 is below the lower limit, 16.81
    ("Low", 10, "consistently failing"),
    ("High", 35, "consistently failing"),  # above the upper limit, 31.80
    ("High", 25, "hit and miss"),
    ("Low", "25", "hit and miss"),
    ("High", None, "no target"),
    ("Info", 10, ""),  # no side is better: no assurance
])
def test_the_assurance_against_a_target(polarity, target, expected):
    assert SPC(HIGH_LAST, polarity, target, "assurance") == expected
    assert SPC(HIGH_LAST, polarity, target, " Assurance ") == expected


def test_the_target_leaves_the_variation_alone():
    assert SPC(HIGH_LAST, "High", 10) == SPC(HIGH_LAST, "High", 10, "variation") == "improvement"


@pytest.mark.parametrize("args, message", [
    (("Hgh",), POLARITY_HELP),
    (("High", "ninety"), "target must be a number, such as 95% or 158.8, or left out"),
    (("High", "#N/A"), "target must be a number, such as 95% or 158.8, or left out"),
    (("High", 10, "signal"), "what must be variation (the default) or assurance"),
    (("High", 10, 2), "what must be variation (the default) or assurance"),
])
def test_misuse_says_what_to_write(args, message):
    assert SPC(HIGH_LAST, *args) == message
    assert SPC([], *args) == message  # said even without figures
