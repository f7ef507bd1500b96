"""Property: the whole pipeline never raises on any mix of numbers, blanks and placeholders."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from scorecard_xl.compute.engine import build_scorecard
from scorecard_xl.problems import InputProblems
from scorecard_xl.read.sheet import Sheet
from scorecard_xl.compute.rules import POLARITIES

CELLS = st.one_of(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.integers(min_value=-1000, max_value=100000),
    st.sampled_from([None, "tbc", "-", "n/a", "..", "", "58.3%", "1,234", "0"]),
)
UNITS = ["Count", "Percentage", "Rate per 10,000", "Days", "Average"]
TOLERANCES = [("", "", ""), ("<92%", "92%>", "95%+"), ("26%+", "26%<", "23%<"), ("", "", "14-20")]


@st.composite
def workbooks(draw):
    count = draw(st.integers(min_value=1, max_value=4))
    months = draw(st.integers(min_value=1, max_value=30))
    indicators = [["Ref", "Indicator", "Polarity", "Unit", "Section", "Red", "Amber", "Green", "Change"]]
    for i in range(count):
        polarity = draw(st.sampled_from(POLARITIES))
        tolerance = draw(st.sampled_from(TOLERANCES))
        if tolerance[2] == "14-20":
            polarity = "Within limits"
        elif tolerance[0] == "<92%":
            polarity = "High"
        elif tolerance[0] == "26%+":
            polarity = "Low"
        indicators.append([f"R{i}", f"Indicator {i}", polarity, draw(st.sampled_from(UNITS)), "S",
                           *tolerance, draw(st.sampled_from(["relative", "points"]))])
    header = ["Ref"] + [f"{2019 + (m // 12)}-{m % 12 + 1:02d}" for m in range(months)]
    data = [header] + [[f"R{i}"] + [draw(CELLS) for _ in range(months)] for i in range(count)]
    return [Sheet("Indicators", indicators), Sheet("Data", data)]


@pytest.mark.filterwarnings("error::RuntimeWarning")  # numpy noise would reach users' terminals
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workbooks())
@example([  # once found: a change from a near-zero base overflowed when rounded for its arrow
    Sheet("Indicators", [["Ref", "Indicator", "Polarity", "Unit", "Section", "Red", "Amber", "Green", "Change"],
                         ["R0", "Indicator 0", "High", "Count", "S", "", "", "", "relative"]]),
    Sheet("Data", [["Ref", "2019-01", "2019-02"], ["R0", 4.0060868163630245e-302, 72018.0]])])
def test_measures_never_raise(sheets):
    try:
        scorecard = build_scorecard(sheets)
    except InputProblems as failure:
        # A refusal is allowed (no figures at all; percent numbers mixed with fractions), but
        # only as the tool's own report, each problem at its place.
        assert failure.problems and all(p.sheet for p in failure.problems), failure
        return
    measures = scorecard.measures
    assert list(measures.index) == [row[0] for row in sheets[0].rows[1:]]
    for column in ("value", "change_prev_month", "change_prev_year", "avg_12m", "ytd"):
        assert measures[column].dtype == float
    assert set(measures["dot"]) <= {"\u2191", "\u2192", "\u2193", ""}
    assert set(measures["rag"]) <= {"Red", "Amber", "Green", "Grey", ""}
    missing = np.isnan(measures["value"].to_numpy(dtype=float))
    assert all(rag == "" for rag in measures["rag"][missing])
    for value, avg, high, low in zip(measures["value"], measures["avg_12m"], measures["max_12m"],
                                     measures["min_12m"]):
        if not math.isnan(avg):
            assert low - 1e-9 <= avg <= high + 1e-9
