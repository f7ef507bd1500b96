"""The board lists are judgements over the measures (compute/classify.py); the Summary page only lays
them out, and recomputes nothing from the panel."""

import dataclasses

import numpy as np
import pytest

from scorecard_xl.compute.classify import DO_BETTER, GOING_WELL, TO_WATCH, classify, judged_table
from scorecard_xl.compute.engine import load_scorecard
from scorecard_xl.pages.board import summary_lists
from scorecard_xl.pages.table import scorecard_table
from workbooks import indicator, make_workbook, monthly_series

SPEC = dict(unit="Percentage", red="<90%", amber="90%>", green="95%+")
SERIES = {"W": [0.99, 0.97, 0.95, 0.93],  # worse in each of the last three moves
          "T": [0.97, 0.95, 0.96, 0.93],  # worse twice in three
          "G": [0.95, 0.96, 0.97, 0.98],  # green and improving
          "I": [0.99, 0.97, 0.95, 0.93]}  # Info: never judged


@pytest.fixture(scope="module")
def scorecard(tmp_path_factory):
    specs = [indicator(ref, **SPEC) for ref in "WTG"] + [indicator("I", polarity="Info", unit="Percentage")]
    data = [row for ref, values in SERIES.items() for row in monthly_series(ref, 2020, 1, values)]
    return load_scorecard(make_workbook(tmp_path_factory.mktemp("classify") / "c.xlsx", specs, data))


def test_worse_three_moves_running_is_a_measure(scorecard):
    assert scorecard.measures["worse_run"].to_dict() == {"W": True, "T": False, "G": False, "I": False}


def test_the_table_command_does_not_show_it(scorecard):
    assert "worse_run" not in scorecard_table(scorecard).columns


def test_the_summary_lists_what_the_measures_say_without_looking_at_the_panel(scorecard):
    measures = scorecard.measures.copy()
    measures["worse_run"] = [False, False, True, False]  # as if G had got worse three months running
    panel = dataclasses.replace(scorecard.panel, values=np.full_like(scorecard.panel.values, np.nan))
    changed = dataclasses.replace(scorecard, measures=measures, panel=panel)
    lists = summary_lists(changed)
    assert [line.split(" ")[0] for line in lists[DO_BETTER]] == ["G"]
    assert "worse three months running" in lists[DO_BETTER][0]
    assert lists[GOING_WELL] == []


def test_a_run_through_a_suppressed_month_does_not_count(scorecard):
    suppressed = np.zeros(scorecard.panel.values.shape, dtype=bool)
    suppressed[0, scorecard.panel.column(scorecard.reporting_month - 2)] = True  # W, two months ago
    table = judged_table(scorecard, suppressed)
    assert not table.at["W", "worse_run"] and table.at["W", "assessed"]
    assert classify(table)["W"] == TO_WATCH  # Amber, and its run is not judged
    assert judged_table(scorecard).at["W", "worse_run"]
