"""Reference 001 (Dec-20) as an officer would keep it: a workbook built from tests/fixtures.

Its 98 Performance Summary rows become the Indicators sheet, as printed: GOOD PERF IS, DATA NOTE,
the Red, Amber and Target Green tolerances, the five years' outturns (typed in `Outturn 2015/16` ..
`Outturn 2019/20` columns) and the benchmarks. A row whose measure has a detail page gets that page's
Jan-20 .. Dec-20 figures (with "972 of 1666" numerators and denominators); any other row its Oct-20 ..
Dec-20 figures as the summary prints them. The detail pages' referrals, which the summary shows only
as a rate, are one more indicator, so its indicator page can show 3522 / 57,521 x 10,000 = 612.3.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from workbooks import make_workbook

FIXTURES = Path(__file__).parent / "fixtures"
POPULATION_2020_21 = 57521  # reference README: 3522 / 57,521 x 10,000 = 612.3
YEARS = ("2015_16", "2016_17", "2017_18", "2018_19", "2019_20")
HEADERS = ["Ref", "Indicator", "Polarity", "Unit", "Section", "Kind", "YTD", "Numerator", "Denominator", "Red",
           "Amber", "Green", "SN", "Best SN", "England", "Top quartile", "Decimals"] + \
          [f"Outturn {year.replace('_', '/')}" for year in YEARS]
FIRST_SECTION = "CONTACTS & REFERRALS"  # 001's pages before its first printed section are these
REFERRALS = "REF"  # the detail pages' referrals in month, not a summary row

# Summary row -> (detail page measure, which figure of it): the rows whose months the detail pages print.
DETAIL = {
    2: ("contacts", "value"), 5: ("contacts_decision_1wd_pct", "numerator"), 6: ("contacts_decision_1wd_pct", "value"),
    9: ("contacts_to_referral_pct", "numerator"), 10: ("contacts_to_referral_pct", "value"),
    12: ("referrals_to_assessment_pct", "value"), 13: ("re_referrals_pct", "value"), 15: ("cse_cohort", "value"),
    16: ("cse_referrals", "value"), 17: ("assessments_started", "value"), 18: ("assessments_45wd_pct", "value"),
    19: ("assessments_open_past_45wd", "value"), 20: ("assessments_completed", "value"),
    21: ("assessments_outcome_ongoing_pct", "value"), 22: ("assessments_outcome_nfa_pct", "value"),
    23: ("assessments_outcome_step_down_pct", "value"), 24: ("assessments_outcome_not_recorded_pct", "value"),
    25: ("s47_started", "value"), 28: ("s47_completed", "value"),
    29: ("s47_outcome_continuing_risk_pct", "value"), 30: ("s47_outcome_no_continuing_risk_pct", "value"),
    31: ("s47_outcome_not_substantiated_pct", "value"), 32: ("s47_outcome_not_recorded_pct", "value"),
    33: ("cin_open_cases", "value"), 34: ("cin_dfe", "value"), 36: ("cin_up_to_date_plan_pct", "value"),
    37: ("cpp_open", "value"), 40: ("icpc_children", "value"), 41: ("icpc_15_days_pct", "value"),
    45: ("cp_repeat_24m_rolling_pct", "value"), 46: ("cp_repeat_ever_rolling_pct", "value"),
    47: ("cp_open_2y_plus_pct", "value"), 48: ("cp_ceased_2y_plus_pct", "value"),
    49: ("cp_reviews_in_time_pct", "value"), 50: ("cp_up_to_date_plan_pct", "value"),
    51: ("cp_visits_2_weeks_pct", "value"), 52: ("lac", "value"), 54: ("lac_admissions", "value"),
    55: ("lac_ceased", "value"), 56: ("lac_ceased_permanence_pct", "value"), 57: ("sgo_started", "value"),
    58: ("lac_ceased_sgo_pct", "value"), 59: ("lac_reviews_in_time_pct", "value"),
    61: ("lac_health_assessments_pct", "value"), 62: ("lac_dental_assessments_pct", "value"),
    63: ("lac_initial_health_assessments_in_time_pct", "value"), 70: ("lac_up_to_date_plan_pct", "value"),
    71: ("lac_visits_nms_pct", "value"), 72: ("care_leavers", "value"),
    73: ("care_leavers_pathway_plan_pct", "value"), 74: ("care_leavers_up_to_date_pathway_plan_pct", "value"),
    75: ("care_leavers_suitable_accommodation_pct", "value"), 76: ("care_leavers_eet_pct", "value"),
    77: ("lac_long_term_stable_2y_pct", "value"), 78: ("lac_3_plus_placements_rolling_pct", "value"),
    79: ("lac_family_based_pct", "value"), 80: ("lac_placed_with_parents_pct", "value"),
    81: ("lac_commissioned_placement_pct", "value"), 82: ("lac_fostering", "value"),
    83: ("lac_fostering_pct", "value"), 84: ("foster_carers", "value"), 85: ("foster_carers_recruited", "value"),
    86: ("foster_carers_deregistered", "value"), 87: ("adoptions", "value"),
    88: ("adoptions_within_12m_shobpa", "value"), 89: ("adoptions_within_12m_shobpa_pct", "value"),
    90: ("adoption_a1_days_ytd_avg", "value"), 91: ("adoption_a2_days_ytd_avg", "value"),
    92: ("agency_staff_pct", "value"), 93: ("max_caseload_safeguarding", "value"),
    94: ("max_caseload_lac", "value"), 95: ("avg_caseload_lac_teams", "value"),
    96: ("avg_caseload_duty_teams", "value"), 97: ("avg_caseload_locality_teams", "value"),
    98: ("avg_caseload_cdt", "value"),
}
IN_MONTH_PERCENTAGES = {13}  # "in current month": events in the month, not a position at its end


def fixture(name: str) -> list[dict]:
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


SUMMARY = fixture("ref001_performance_summary.csv")
MONTHLY = fixture("ref001_detail_pages.csv")


def ref_of(row: dict) -> str:
    """NO. as printed where it names the row alone; 'NEW' and empty ones by their row (S1, S6)."""
    return row["no"] if row["no"] not in ("", "NEW") else f"S{row['row']}"


def printed_number(text: str) -> float | None:
    """A summary cell as printed: '50.7%' -> 0.507, '1954' -> 1954.0; None for '-', 'tbc', ''."""
    text = text.strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?%?", text):
        return None
    return float(text.rstrip("%")) / (100 if text.endswith("%") else 1)


def printed_decimals(text: str) -> int:
    match = re.fullmatch(r"-?\d+(?:\.(\d+))?%?", text.strip())
    return len(match.group(1) or "") if match else 0


def _number(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def detail_rows(measure: str, figure: str, ref: str) -> list[tuple]:
    rows = [r for r in MONTHLY if r["measure"] == measure]
    if figure == "numerator":
        return [(ref, r["month"], _number(r["numerator"])) for r in rows if r["numerator"]]
    return [(ref, r["month"], _number(r["value"]), _number(r["numerator"]), _number(r["denominator"])) for r in rows]


def _indicator(row: dict, section: str, typed_outturns: bool) -> dict:
    months = [row[key] for key in ("oct_20", "nov_20", "dec_20")]
    unit = row["unit_printed"]
    count = unit == "Count"
    measure = DETAIL.get(int(row["row"]))
    has_parts = measure is not None and measure[1] == "value" and \
        all(r["numerator"] for r in MONTHLY if r["measure"] == measure[0])
    year_to_date = printed_number(row["ytd"]) is not None
    # What a year to date adds up is events in the month; anything else is a position at the month's end.
    kind = "flow" if year_to_date or int(row["row"]) in IN_MONTH_PERCENTAGES else "snapshot"
    rule = ("sum" if count else "ratio" if has_parts else "none") if year_to_date else "none"
    typed = {"Ref": ref_of(row), "Indicator": row["indicator"], "Polarity": row["polarity_printed"], "Unit": unit,
             "Section": section, "Kind": kind, "YTD": rule, "Red": row["red"] or None, "Amber": row["amber"] or None,
             "Green": row["green"] or None, "SN": row["sn_avg"] or None, "Best SN": row["best_sn"] or None,
             "England": row["nat_avg"] or None, "Top quartile": row["nat_top_quartile"] or None,
             "Decimals": max(printed_decimals(m) for m in months)}
    if typed_outturns:
        typed |= {f"Outturn {year.replace('_', '/')}": row[f"fy_{year}"] or None for year in YEARS}
    return typed


def ref001_book(path: Path, pages: str = "Performance Summary, Indicator pages", typed_outturns: bool = True,
                paper: str = "A4") -> Path:
    """The workbook at ``path``; without ``typed_outturns`` only the outturns its data gives are shown."""
    indicators, data, section = [], [], FIRST_SECTION
    for row in SUMMARY:
        section = row["section"] or section
        ref = ref_of(row)
        indicators.append(_indicator(row, section, typed_outturns))
        measure = DETAIL.get(int(row["row"]))
        if measure is not None:
            data += detail_rows(*measure, ref)
        else:
            data += [(ref, month, printed_number(row[key])) for key, month in
                     (("oct_20", "2020-10"), ("nov_20", "2020-11"), ("dec_20", "2020-12"))
                     if printed_number(row[key]) is not None]
    indicators.append({"Ref": REFERRALS, "Indicator": "Number of referrals", "Polarity": "Info", "Unit": "Count",
                       "Section": FIRST_SECTION, "Kind": "flow", "YTD": "sum"})
    data += detail_rows("referrals", "value", REFERRALS)
    return make_workbook(path, indicators, data, indicator_headers=HEADERS,
                         settings={"Title": "Safeguarding Children & Families Monthly Performance Report",
                                   "Pages": pages, "Population 0-17 2020/21": POPULATION_2020_21, "Paper": paper})
