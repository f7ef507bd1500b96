"""Build the sample data that ``scorecard new --sample`` puts into a starter workbook.

Writes, next to this file:

* ``sample_indicators.csv`` - the Indicators sheet (DESIGN 3), 44 indicators in 8 sections;
* ``sample_data.csv``       - the long ``Data`` sheet: Ref, Month, Value, Numerator, Denominator,
                              Jan-19 .. Feb-21 (26 months) for every indicator;
* ``sample_settings.csv``   - the Settings sheet (Key, Value).

Published figures come from shared/reference/ (see README.md in this folder for which rows);
every other month is synthesised with a seeded numpy generator, so running the script twice
gives byte-identical files. Run it from the repository root::

    python workbook_templates/build_sample.py

The script checks its own output against every published figure it uses (the monthly values,
and the printed "% change from Feb-20", 12-month average and 12-month maximum of reference
000) and stops with a message if any of them is not reproduced.
"""

from __future__ import annotations

import csv
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 20210228
ORGANISATION = "Sample City Council"

# --------------------------------------------------------------------------------------------
# Months and populations
# --------------------------------------------------------------------------------------------
MONTHS = [f"{y}-{m:02d}" for y in (2019, 2020, 2021) for m in range(1, 13)][:26]  # Jan-19 .. Feb-21
IX = {m: i for i, m in enumerate(MONTHS)}
N = len(MONTHS)
FEB20 = IX["2020-02"]
WINDOW = list(range(IX["2020-03"], IX["2021-02"] + 1))  # the 12 months ending Feb-21
MAR_JUL = list(range(IX["2020-03"], IX["2020-07"] + 1))  # the months ref 000 does not print
PUBLISHED_000 = list(range(IX["2020-08"], IX["2021-02"] + 1))  # Aug-20 .. Feb-21
JAN20_DEC20 = list(range(IX["2020-01"], IX["2020-12"] + 1))  # ref 001's detail pages
CAL = np.array([int(m[5:]) for m in MONTHS])  # calendar month 1..12

# Children aged 0-17. 2020/21 is reference 001's (3522 / 57,521 x 10,000 = 612.3). 2019/20 is
# backed out of 001's own rates: 3766 referrals = 661.3 per 10,000 (Mar-20), 3788 = 665.2 (Jan-20)
# and 2282 S47s = 400.7 (Jan-20) all need 56,945..56,949. 001's 2018/19 outturn rates imply the
# same figure, so Jan-Mar 2019 use it too (the tool falls back to the earliest year it has).
POPULATION = {"2019/20": 56947, "2020/21": 57521}


def population(month: str) -> int:
    y, m = int(month[:4]), int(month[5:])
    start = y if m >= 4 else y - 1
    return POPULATION["2020/21"] if start >= 2020 else POPULATION["2019/20"]


# A generic seasonal profile for monthly flows in children's social care (school holidays in
# April, August and December are quiet; autumn and early spring are busy).
SEASON = {1: 1.02, 2: 0.97, 3: 1.03, 4: 0.91, 5: 0.98, 6: 1.03, 7: 1.07, 8: 0.87, 9: 1.04, 10: 1.06,
          11: 1.09, 12: 0.93}


# --------------------------------------------------------------------------------------------
# Rounding "as displayed" (Excel: 15 significant digits, then halves away from zero)
# --------------------------------------------------------------------------------------------
def shown(x: float, places: int = 0) -> Decimal:
    d = Decimal(format(float(x), ".15g"))
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def pct_change_shown(now: float, base: float) -> int:
    return int(shown((now - base) / abs(base) * 100))


# --------------------------------------------------------------------------------------------
# Reference 000 (monthly scorecard, Feb-21): Aug-20 .. Feb-21 as printed, "% change from
# Feb-20", "12-mnth avg", "12-mnth max.". Percentages are whole percent as printed.
# --------------------------------------------------------------------------------------------
REF000 = """
M1            | 1343 1607 1555 1787 1507 1464 1297 | 15  | 1414 | 1787
M2            | 263 357 368 449 351 271 244        | -23 | 324  | 449
M3            | 20 22 24 25 23 19 19               | -33 | 23   | 26
M2-NI         | 52 70 72 88 69 53 48               | -24 | 64   | 88
M8-QL         | 99 94 98 98 99 99 98               | -1  | 98   | 99
M6-QL (val)   | 19 23 27 37 32 8 10                | -17 | 20   | 37
M6-QL         | 7 6 7 8 9 3 4                      | 0   | 6    | 9
M5            | 4 7 14 17 0 4 5                    | -77 | 7    | 17
EH2           | 1232 1251 1305 1348 1226 1162 1109 | -20 | 1266 | 1348
EH3           | 248 243 285 346 410 305 304        | -6  | 298  | 410
EH3a%         | 4 9 12 14 16 10 12                 | 13  | 11   | 16
EH4 (val)     | 221 211 235 272 366 255 226        | -15 | 253  | 366
EH4-QL        | 89 87 82 79 89 84 74               | -10 | 85   | 93
CP1           | 81 126 121 167 149 91 91           | -23 | 119  | 167
CP1-NI        | 16 25 24 33 29 18 18               | -22 | 23   | 33
CP6B          | 415 393 389 394 399 400 358        | -19 | 401  | 426
CP6B-NI       | 82 77 77 78 78 79 70               | -20 | 79   | 84
CP2           | 22 24 43 56 48 56 20               | -13 | 42   | 72
CP3-QL (val)  | 16 19 15 32 13 40 14               | 0   | 27   | 50
CP3-QL        | 73 79 35 57 27 71 70               | 15  | 66   | 94
CP8-QL        | 85 62 85 92 87 88 89               | 10  | 76   | 92
LAC1          | 493 485 492 503 499 508 507        | 5   | 496  | 512
LAC1-NI       | 97 95 97 99 98 100 100             | 5   | 98   | 101
LAC2          | 9 8 23 25 11 23 13                 | 30  | 15   | 29
LAC3          | 24 17 16 14 12 14 21               | 0   | 13   | 24
LAC6 (val)    | 4 4 4 1 4 1 10                     | 150 | 3    | 10
LAC6 (%)      | 17 24 25 7 33 7 48                 | 150 | 17   | 48
LAC7-QL       | 73 70 80 75 85 84 90               | 21  | 72   | 90
LAC10 (%)     | 96 96 98 97 97 96 94               | 1   | 96   | 98
LAC10-QL      | 473 467 480 486 482 489 477        | 5   | 475  | 489
LAC16         | 161 161 160 159 153 152 153        | -9  | 161  | 168
LAC11-QL      | 171 178 173 176 179 177 179        | 13  | 172  | 179
LAC11-QL (%)  | 94 96 98 98 97 97 97               | 4   | 96   | 98
NI147         | 84 85 85 85 83 82 84               | 1   | 84   | 86
EH1a          | 132 124 124 127 112 117 125        | 2   | 114  | 139
EH1b          | 280 252 338 275 208 197 376        | 104 | 262  | 376
CIN5          | 2256 2250 2301 2367 2247 2193 2101 | -14 | 2290 | 2367
"""


def _parse_000(text: str) -> dict:
    table = {}
    for line in text.strip().splitlines():
        ref, months, change, avg, top = (part.strip() for part in line.split("|"))
        table[ref] = {"months": [int(v) for v in months.split()], "change": int(change), "avg": int(avg),
                      "max": int(top)}
    return table


P000 = _parse_000(REF000)
# The rates of 000 (M2-NI, CP1-NI, CP6B-NI, LAC1-NI) are not reproduced: they use that
# authority's population (about 50,700), not 57,521. Their % change is honoured where possible.
RATE_CHANGE_ONLY = {"M2-NI", "CP6B-NI"}        # reproducible with 56,947 / 57,521
NOT_REPRODUCIBLE_CHANGE = {"M6-QL", "CP1-NI", "LAC1-NI"}  # see README ("could not reconcile")

# --------------------------------------------------------------------------------------------
# Reference 001 (monthly report, Dec-20): detail pages, Jan-20 .. Dec-20 as printed
# --------------------------------------------------------------------------------------------
# CONTACTS page, "% Contacts with decision within 1 working day": "972 of 1666" ...
R001_CONTACT_DECISIONS = [(972, 1666), (676, 1161), (549, 1038), (590, 918), (630, 1067), (664, 1190),
                          (901, 1465), (695, 1148), (807, 1534), (686, 1353), (287, 565), (379, 663)]
# CHILD PROTECTION - REVIEWS page, 5.13 "No. of CP cases reviewed within timescale"
R001_CP_REVIEWS = [(141, 144), (87, 90), (104, 104), (92, 100), (81, 82), (152, 158), (102, 102),
                   (95, 95), (115, 122), (82, 82), (110, 121), (98, 98)]
# CHILDREN IN NEED page, 4.4 "CIN with an up-to-date plan (open at least 45 days)", percent
R001_CIN_PLAN = ["88.7", "90.5", "90.6", "87.6", "92.4", "93.4", "93.1", "90.0", "88.7", "90.0", "88.4",
                 "86.6"]
# CARE LEAVERS page, 7.5 "% of care leavers in employment, education or training", percent
R001_CL_EET = ["60.0", "60.3", "59.7", "58.5", "58.7", "59.6", "59.2", "61.0", "62.2", "61.6", "62.2",
               "65.3"]
# ADOPTIONS page, 10.4 "Av. No. days between a child becoming LAC & having an adoption
# placement (A1) (ytd. ave.)"; 0.0 in Apr-Jun 20 is as printed (no adoption yet that year).
R001_A1 = ["408.0", "404.1", "391.5", "0.0", "0.0", "0.0", "164.0", "109.3", "344.8", "396.1", "416.8",
           "427.3"]
# CASELOADS page: average cases per social worker in LAC Teams (1-3), Duty Teams (1-4),
# Locality (CIN) Teams (1-12) = Performance Summary rows 11.5, 11.6, 11.7.
R001_CASES_LAC = ["17.8", "18.6", "17.9", "17.4", "17.3", "16.5", "18.4", "17.8", "18.4", "18.2", "18.1",
                  "16.7"]
R001_CASES_DUTY = ["20.6", "20.8", "17.7", "14.4", "15.0", "15.9", "19.2", "18.0", "19.9", "18.0", "14.8",
                   "16.1"]
R001_CASES_CIN = ["20.2", "21.2", "21.7", "21.8", "20.7", "19.8", "20.9", "20.8", "21.2", "20.4", "19.6",
                  "19.9"]
# Annual trend rows of the same pages (2018/19 outturn of a snapshot = its Mar-19 value;
# 2019/20 totals constrain the sums of Apr-19 .. Mar-20).
R001_MAR19 = {"CIN6": "89.9", "CL1": "62.8", "A1": "386.9", "WF1": "19.4", "WF2": "20.2", "WF3": "19.6"}
R001_CONTACTS_2019_20 = (15605, "59.5")  # contacts (harm & not sure) and % decided in 1 working day
R001_REVIEWS_2019_20 = (1372, 1415)     # CP cases reviewed within timescale, 2019/20

# --------------------------------------------------------------------------------------------
# The indicators
# --------------------------------------------------------------------------------------------
HOS_FRONT = "Head of Service, Front Door & Assessment"
HOS_EH = "Head of Service, Early Help"
HOS_CP = "Head of Service, Safeguarding"
HOS_LAC = "Head of Service, Children in Care"
PSW = "Principal Social Worker"
SM_MASH = "Service Manager, MASH"
SM_CIN = "Service Manager, Children in Need"
EH_MGR = "Early Help Locality Manager"
SM_SAFE = "Service Manager, Safeguarding Unit"
SM_CARE = "Service Manager, Children in Care"
SM_FOST = "Service Manager, Fostering & Adoption"
SM_LEAVE = "Service Manager, Care Leavers"
PQT = "Performance & Quality Team"

OUT_TIMELY_ASSESS = ("Assessments are completed in a timely manner, to ensure that children receive the help "
                     "they need without unnecessary delay.")
OUT_REREFERRAL = ("The service is effective in helping children and families address their issues, and where "
                  "there is a re-referral, the issues are understood.")
OUT_CP_TIMELY = ("Child Protection planning is timely, ensuring that the risks to children are discussed and "
                 "responded to expediently.")
OUT_FRONT = ("There is an effective 'front door' with which anyone with a concern about a child can engage "
             "and receive appropriate advice, support and action.")
OUT_ADOPT = "Children who are being adopted will receive timely and effective support."
OUT_PLANS = ("Children have good quality care plans, to which they have contributed, and which meet their "
             "needs.")
OUT_CASELOAD = ("Social workers have caseloads that let them know their children well and work with them "
                "effectively.")  # invented: 000 has no caseload measure

L = "Local"
# Columns: ref, indicator, polarity, unit, section, owner, reporter, outcome, kind, ytd,
# numerator, denominator, red, amber, green, target, sn, england, region, best sn, top quartile,
# change, band, decimals.
INDICATORS = [
    # ---- Front door ----------------------------------------------------------------------
    dict(ref="M1", indicator="Number of contacts received (includes contacts that become referrals)",
         polarity="Info", unit="Count", section="Front door", owner=HOS_FRONT, reporter=SM_MASH,
         outcome=OUT_FRONT, kind="flow", ytd="sum", sn=L, england=L, region=L),
    dict(ref="M9", indicator="Percentage of contacts (harm & not sure) with a decision within 1 working day",
         polarity="High", unit="Percentage", section="Front door", owner=HOS_FRONT, reporter=SM_MASH,
         outcome=OUT_FRONT, kind="flow", ytd="ratio", red="<92%", amber="92%>", green="95%+"),
    dict(ref="M2", indicator="Number of new referrals of Children In Need (CiN)", polarity="Info", unit="Count",
         section="Front door", owner=HOS_FRONT, reporter=SM_MASH,
         outcome="Referrals for children in need of help and support are accepted appropriately by the service.",
         kind="flow", ytd="sum", sn=368, england=353, region=502),
    dict(ref="M3", indicator="Percentage of all contacts that become new referrals of Children In Need (CiN)",
         polarity="Info", unit="Percentage", section="Front door", owner=HOS_FRONT, reporter=SM_MASH,
         outcome=("Children and families receive the help they need at the right time, and from the best "
                  "possible resource - in line with the established continuum of need."),
         kind="flow", ytd="ratio", numerator="M2", denominator="M1", sn=L, england=L, region=L),
    dict(ref="M2-NI", indicator="Number of new referrals of Children in Need (CiN) rate per 10,000 (0-17 year olds)",
         polarity="Info", unit="Rate per 10,000", section="Front door", owner=HOS_FRONT, reporter=SM_MASH,
         outcome=("Referrals for children in need of help and support are comparable with other local "
                  "authorities like Sample City."),
         kind="flow", ytd="sum", numerator="M2", denominator="population", sn=L, england=L, region=L,
         decimals=1),
    dict(ref="M8-QL", indicator=("Percentage of referrals dealt with by MASH where time from referral received / "
                                 "recorded to completion by MASH was 24 hours / 1 working day or less"),
         polarity="High", unit="Percentage", section="Front door", owner=HOS_FRONT, reporter=SM_MASH,
         outcome="The safety of children is supported by referrals being dealt with in a timely manner.",
         kind="flow", ytd="ratio", sn=L, england=L, region=L),
    dict(ref="M6-QL (val)", indicator="Number of referrals which are re-referrals within one year of a closure assessment",
         polarity="Low", unit="Count", section="Front door", owner=HOS_FRONT, reporter=SM_CIN,
         outcome=OUT_REREFERRAL, kind="flow", ytd="sum", sn=L, england=L, region=L),
    dict(ref="M6-QL", indicator="Percentage of referrals which are re-referrals within one year of a closure assessment",
         polarity="Low", unit="Percentage", section="Front door", owner=HOS_FRONT, reporter=SM_CIN,
         outcome=OUT_REREFERRAL, kind="flow", ytd="ratio", numerator="M6-QL (val)", denominator="M2",
         red="26%+", amber="26%<", green="23%<", sn=0.27, england=0.23, region=0.26),
    # ---- Early help ----------------------------------------------------------------------
    dict(ref="EH1a", indicator="Number of Early Help Assessment (EHA) started in the month", polarity="Info",
         unit="Count", section="Early help", owner=HOS_EH, reporter=EH_MGR,
         outcome=("Children and families benefit from an early help offer that is rooted in a good "
                  "understanding of their needs."), kind="flow", ytd="sum", sn=L, england=L, region=L),
    dict(ref="EH1b", indicator=("Number of Early Help Plans (EHPs) opened in the month (includes EHPs completed, "
                                "and those still open at end of period)"),
         polarity="Info", unit="Count", section="Early help", owner=HOS_EH, reporter=EH_MGR,
         outcome="Children and families benefit from early help plans that meet their presenting needs.",
         kind="flow", ytd="sum", sn=L, england=L, region=L),
    dict(ref="M5", indicator=("Number of children receiving Early Help services who are stepped up for Children "
                              "In Need (CiN) assessment"),
         polarity="Info", unit="Count", section="Early help", owner=HOS_EH, reporter=EH_MGR,
         # As printed in 000 (a copy of M4's outcome there); see README.
         outcome=("The needs and safety of children at risk of child sexual exploitation are responded to "
                  "effectively."), kind="flow", ytd="sum", sn=L, england=L, region=L),
    # ---- Assessments ---------------------------------------------------------------------
    dict(ref="EH3", indicator="Number of Single Assessments (SA) completed", polarity="Info", unit="Count",
         section="Assessments", owner=HOS_FRONT, reporter=SM_MASH,
         outcome=("Children receive a comprehensive assessment of their needs; with strengths and areas of "
                  "risk identified to inform evidence-based planning."),
         kind="flow", ytd="sum", sn=354, england=365, region=485),
    dict(ref="EH3a%", indicator="Percentage of Single Assessments (SA) completed within 10 days", polarity="High",
         unit="Percentage", section="Assessments", owner=HOS_FRONT, reporter=SM_MASH,
         outcome=OUT_TIMELY_ASSESS, kind="flow", ytd="ratio", sn=0.11, england=0.12, region=0.13),
    dict(ref="EH4 (val)", indicator="Number of Single Assessments (SA) completed in 45 working days",
         polarity="Info", unit="Count", section="Assessments", owner=HOS_FRONT, reporter=SM_MASH,
         outcome=OUT_TIMELY_ASSESS, kind="flow", ytd="sum"),
    dict(ref="EH4-QL", indicator="Percentage of Single Assessments (SA) completed in 45 working days",
         polarity="High", unit="Percentage", section="Assessments", owner=HOS_FRONT, reporter=SM_MASH,
         outcome=OUT_TIMELY_ASSESS, kind="flow", ytd="ratio", numerator="EH4 (val)", denominator="EH3",
         red="<90%", amber="90%>", green="95%+"),
    # ---- Children in need ----------------------------------------------------------------
    dict(ref="EH2", indicator=("Number of Children In Need (CiN) at end of period (all open cases, excluding "
                               "EHPs, EHAs, CPP and LAC)"),
         polarity="Info", unit="Count", section="Children in need", owner=HOS_FRONT, reporter=SM_CIN,
         outcome="Children in need of help and support receive a consistent and effective service.",
         kind="snapshot", ytd="latest", sn=L, england=L, region=L),
    dict(ref="CIN5", indicator=("Number of all Children in Need (CiN) (including Child Protection (CP) / Looked "
                                "after Children (LAC) / Care Leavers)"),
         polarity="Info", unit="Count", section="Children in need", owner=HOS_FRONT, reporter=SM_CIN,
         outcome=("Children and families receive support safely, at the right threshold and in a timely "
                  "manner; supported by the interface between Early Help and Social Care."),
         kind="snapshot", ytd="latest", sn=L, england=L, region=L),
    dict(ref="CIN6", indicator="Percentage of Children In Need (CiN) open at least 45 days with an up to date plan",
         polarity="High", unit="Percentage", section="Children in need", owner=HOS_FRONT, reporter=SM_CIN,
         outcome="Children in need of help and support receive a consistent and effective service.",
         kind="snapshot", ytd="latest", red="<85%", amber="85%>", green="90%+", change="points"),
    # ---- Child protection ----------------------------------------------------------------
    dict(ref="CP1", indicator="Number of Section 47 (S47) enquiries started", polarity="Info", unit="Count",
         section="Child protection", owner=HOS_CP, reporter=SM_MASH,
         outcome="Where there are concerns about a child's safety, there is a robust assessment of risk.",
         kind="flow", ytd="sum", sn=119, england=110, region=155),
    dict(ref="CP1-NI", indicator="Rate of Section 47 (S47) enquiries started per 10,000 children aged 0-17",
         polarity="Info", unit="Rate per 10,000", section="Child protection", owner=HOS_CP, reporter=SM_MASH,
         outcome=("Safeguarding investigations undertaken by the service are at a level that is comparable "
                  "with other local authorities like Sample City."),
         kind="flow", ytd="sum", numerator="CP1", denominator="population", sn=19, england=14, region=15,
         decimals=1),
    dict(ref="CP2", indicator=("Number of children subject to Initial Child Protection Conferences (ICPCs), "
                               "excluding transfer-Ins and temporary registrations"),
         polarity="Info", unit="Count", section="Child protection", owner=HOS_CP, reporter=SM_SAFE,
         outcome=("Where it has been assessed that multi-agency intervention is required to keep a child safe, "
                  "the case is progressed to Initial Child Protection Conference."),
         kind="flow", ytd="sum", sn=43, england=42, region=53),
    dict(ref="CP3-QL (val)", indicator=("Number of children subject to Initial Child Protection Conferences (ICPCs) "
                                        "which were held within timescales (excludes transfer-ins)"),
         polarity="Info", unit="Count", section="Child protection", owner=HOS_CP, reporter=SM_SAFE,
         outcome=OUT_CP_TIMELY, kind="flow", ytd="sum", sn=34, england=33, region=40),
    dict(ref="CP3-QL", indicator=("Percentage of Initial Child Protection Conferences (ICPCs) held within "
                                  "timescales (based on count of children)"),
         polarity="High", unit="Percentage", section="Child protection", owner=HOS_CP, reporter=SM_SAFE,
         outcome=OUT_CP_TIMELY, kind="flow", ytd="ratio", numerator="CP3-QL (val)", denominator="CP2",
         red="<85%", amber="85%>", green="90%+", sn=0.81, england=0.78, region=0.76),
    dict(ref="CP6B", indicator=("Number of children with a Child Protection Plan (CPP) at the end of the month, "
                                "excluding temporary registrations"),
         polarity="Info", unit="Count", section="Child protection", owner=HOS_CP, reporter=SM_SAFE,
         outcome=("Child Protection Plans are in place for children where it has been assessed that "
                  "multi-agency intervention is required to keep them safe."),
         kind="snapshot", ytd="latest", sn=350, england=339, region=427),
    dict(ref="CP6B-NI", indicator=("Rate of children with Child Protection Plan (CPP) per 10,000 (0-17 year olds) "
                                   "at end of period"),
         polarity="Within limits", unit="Rate per 10,000", section="Child protection", owner=HOS_CP,
         reporter=SM_SAFE,
         outcome=("The number of children who require Child Protection Plans is at a level that is comparable "
                  "with other local authorities like Sample City."),
         kind="snapshot", ytd="latest", numerator="CP6B", denominator="population",
         red="more than +/-15", amber="+/-15", green="+/-5 of 64.1", sn=53, england=43, region=41, decimals=1),
    dict(ref="CP8-QL", indicator="Percentage of children subject to a Child Protection Plan seen in the last 15 working days.",
         polarity="High", unit="Percentage", section="Child protection", owner=HOS_CP, reporter=SM_CIN,
         outcome=("The service is in regular contact with children subject to Child Protection planning to "
                  "ensure that there is ongoing assessment of risk and opportunities to intervene effectively."),
         kind="snapshot", ytd="latest", red="<90%", amber="90%>", green="95%+", sn=L, england=L, region=L),
    dict(ref="CP10", indicator="Percentage of Child Protection (CP) cases reviewed within timescales",
         polarity="High", unit="Percentage", section="Child protection", owner=HOS_CP, reporter=SM_SAFE,
         outcome=("Where children are subject to Child Protection planning, their cases are reviewed regularly "
                  "to identify progress and any barriers."),
         kind="flow", ytd="ratio", red="<95%", amber="95%>", green="98%+", sn=0.89, england=0.915,
         best_sn=1.0, top_quartile=0.976, change="points"),
    # ---- Children looked after -----------------------------------------------------------
    dict(ref="LAC1", indicator="Number of Looked after Children at end of period", polarity="Low", unit="Count",
         section="Children looked after", owner=HOS_LAC, reporter=SM_CARE,
         outcome=("Where it is assessed that there is no safe alternative, the local authority will take "
                  "children into its care for their welfare and protection."),
         kind="snapshot", ytd="latest", target=420, sn=496, england=527, region=550),
    dict(ref="LAC1-NI", indicator="Looked after Children rate per 10,000", polarity="Low", unit="Rate per 10,000",
         section="Children looked after", owner=HOS_LAC, reporter=SM_CARE,
         outcome=("The level of children in care is at a level that is comparable with other local "
                  "authorities like Sample City."),
         kind="snapshot", ytd="latest", numerator="LAC1", denominator="population", sn=89, england=67,
         region=53, decimals=1),
    dict(ref="LAC2", indicator="Number of new Looked after Children (episodes)", polarity="Info", unit="Count",
         section="Children looked after", owner=HOS_LAC, reporter=SM_CARE,
         outcome=("Where children meet the threshold and there are no alternatives, they will be safe and have "
                  "their welfare needs addressed through accommodation by the local authority."),
         kind="flow", ytd="sum", sn=47, england=44, region=46),
    dict(ref="LAC3", indicator="Number of ceasing Looked after Children (episodes)", polarity="Info", unit="Count",
         section="Children looked after", owner=HOS_LAC, reporter=SM_CARE,
         outcome="Children will leave care in a planned way with clear networks of support around them.",
         kind="flow", ytd="sum", sn=16, england=16, region=19),
    dict(ref="LAC6 (val)", indicator="Number of adoptions (E11, E12)", polarity="High", unit="Count",
         section="Children looked after", owner=HOS_LAC, reporter=SM_FOST, outcome=OUT_ADOPT, kind="flow",
         ytd="sum"),
    dict(ref="LAC6 (%)", indicator="Percentage of adoptions (E11, E12)", polarity="High", unit="Percentage",
         section="Children looked after", owner=HOS_LAC, reporter=SM_FOST, outcome=OUT_ADOPT, kind="flow",
         ytd="ratio", numerator="LAC6 (val)", denominator="LAC3", red="<20%", amber="20%>", green="22.7%+",
         sn=0.173, england=0.12, best_sn=0.42, top_quartile=0.166),
    dict(ref="A1", indicator=("Average number of days between a child becoming Looked After and having an "
                              "adoption placement (A1), year-to-date average"),
         polarity="Low", unit="Days", section="Children looked after", owner=HOS_LAC, reporter=SM_FOST,
         outcome=OUT_ADOPT, kind="snapshot", ytd="none", red="511+", amber="511<", green="487<", sn=359.7,
         england=376.0, best_sn=310.0, top_quartile=333.0, decimals=1),
    dict(ref="LAC7-QL", indicator="Percentage of Looked after Children visited within timescales", polarity="High",
         unit="Percentage", section="Children looked after", owner=HOS_LAC, reporter=SM_CARE,
         outcome=("The service is in regular contact with Looked after Children to ensure that there is "
                  "ongoing assessment of risk and opportunities to intervene effectively."),
         kind="snapshot", ytd="latest", red="<95%", amber="95%>", green="98%+", sn=L, england=L, region=L),
    dict(ref="LAC10-QL", indicator="Number of Looked after Children with an authorised CLA Plan", polarity="Info",
         unit="Count", section="Children looked after", owner=HOS_LAC, reporter=SM_CARE, outcome=OUT_PLANS,
         kind="snapshot", ytd="latest", sn=L, england=L, region=L),
    dict(ref="LAC10 (%)", indicator="Percentage of Looked after Children with an authorised CLA plan",
         polarity="High", unit="Percentage", section="Children looked after", owner=HOS_LAC, reporter=SM_CARE,
         outcome=OUT_PLANS, kind="snapshot", ytd="latest", numerator="LAC10-QL", denominator="LAC1",
         red="<93%", amber="93%>", green="95%+", sn=L, england=L, region=L, band=0.05),
    dict(ref="LAC16", indicator="Number of in-house foster carers at the end of period", polarity="High",
         unit="Count", section="Children looked after", owner=HOS_LAC, reporter=SM_FOST,
         outcome=("Our Looked after Children will benefit from high quality fostering provision, with our own "
                  "carers wherever possible."), kind="snapshot", ytd="latest", target=200, sn=L, england=L,
         region=L),
    # ---- Care leavers --------------------------------------------------------------------
    dict(ref="LAC11-QL (%)", indicator=("Percentage of Looked after Children aged 16+ or open Care Leavers with an "
                                        "authorised Pathway Plan"),
         polarity="High", unit="Percentage", section="Care leavers", owner=HOS_LAC, reporter=SM_LEAVE,
         outcome=("Care Leavers have a good quality Pathway Plans, to which they have contributed, and which "
                  "meets their needs."), kind="snapshot", ytd="latest", red="<93%", amber="93%>", green="95%+",
         sn=L, england=L, region=L),
    dict(ref="NI147", indicator="Percentage of Care Leavers in contact and in suitable accommodation",
         polarity="High", unit="Percentage", section="Care leavers", owner=HOS_LAC, reporter=SM_LEAVE,
         outcome="Care Leavers are in accommodation that is safe and secure.", kind="snapshot", ytd="latest",
         target=0.94, sn=0.85, england=0.94, region=0.91, band=0.05),
    dict(ref="CL1", indicator="Percentage of care leavers in employment, education or training", polarity="High",
         unit="Percentage", section="Care leavers", owner=HOS_LAC, reporter=SM_LEAVE,
         outcome="Young people benefit from an effective work to engage them in education, training and employment.",
         kind="snapshot", ytd="latest", red="<70%", amber="70%>", green="72%+", sn=0.56, england=0.51,
         best_sn=0.73, top_quartile=0.59, change="points"),
    # ---- Workforce -----------------------------------------------------------------------
    dict(ref="WF1", indicator="Average number of cases per qualified social worker in LAC Teams",
         polarity="Within limits", unit="Average", section="Workforce", owner=PSW, reporter=PQT,
         outcome=OUT_CASELOAD, kind="snapshot", ytd="mean", red="1+ above range limit",
         amber="1 above / below range limit", green="14-20", decimals=1),
    dict(ref="WF2", indicator="Average number of cases per qualified social worker in Duty Teams",
         polarity="Within limits", unit="Average", section="Workforce", owner=PSW, reporter=PQT,
         outcome=OUT_CASELOAD, kind="snapshot", ytd="mean", red="1+ above range limit",
         amber="1 above / below range limit", green="16-22", decimals=1),
    dict(ref="WF3", indicator="Average number of cases per qualified social worker in CIN Teams",
         polarity="Within limits", unit="Average", section="Workforce", owner=PSW, reporter=PQT,
         outcome=OUT_CASELOAD, kind="snapshot", ytd="mean", red="1+ above range limit",
         amber="1 above / below range limit", green="16-22", decimals=1),
]
INDICATOR_COLUMNS = [("Ref", "ref"), ("Indicator", "indicator"), ("Polarity", "polarity"), ("Unit", "unit"),
                     ("Section", "section"), ("Owner", "owner"), ("Reporter", "reporter"), ("Outcome", "outcome"),
                     ("Kind", "kind"), ("YTD", "ytd"), ("Numerator", "numerator"),
                     ("Denominator", "denominator"), ("Red", "red"), ("Amber", "amber"), ("Green", "green"),
                     ("Target", "target"), ("SN", "sn"), ("England", "england"), ("Region", "region"),
                     ("Best SN", "best_sn"), ("Top quartile", "top_quartile"), ("Change", "change"),
                     ("Band", "band"), ("Decimals", "decimals")]
BY_REF = {row["ref"]: row for row in INDICATORS}
DERIVED = {row["ref"]: (row["numerator"], row["denominator"]) for row in INDICATORS if row.get("numerator")}

# Planted messiness: missing values in early months, none in an indicator with tolerances.
MISSING = {("EH1b", "2019-05"): "tbc", ("M5", "2019-08"): "", ("CIN5", "2019-01"): "tbc"}


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
def fit_sum(raw: np.ndarray, total: int) -> np.ndarray:
    """Non-negative integers proportional to ``raw`` that add up to exactly ``total``."""
    raw = np.clip(np.asarray(raw, dtype=float), 1e-9, None)
    x = raw / raw.sum() * total
    v = np.floor(x).astype(int)
    rest = total - int(v.sum())
    v[np.argsort(-(x - v), kind="stable")[:rest]] += 1
    return v


def window_total(avg: int, published_sum: float, months: int = 12) -> tuple[int, int]:
    """Integer totals of the unpublished months that make the 12-month average show ``avg``."""
    lo = math.ceil((avg - 0.5) * months - published_sum - 1e-9)
    hi = math.ceil((avg + 0.5) * months - published_sum - 1e-9) - 1
    return lo, hi


def bases_for_change(now: float, change: int, candidates) -> list:
    return [b for b in candidates if b and pct_change_shown(now, b) == change]


def nearest_numerator(den: int, percent: int) -> int:
    """The numerator nearest percent% of den whose ratio shows as that whole percent."""
    best = None
    for num in range(max(0, round(den * percent / 100) - 3), min(den, round(den * percent / 100) + 3) + 1):
        if shown(num / den * 100) == percent:
            if best is None or abs(num / den - percent / 100) < abs(best / den - percent / 100):
                best = num
    if best is None:
        raise ValueError(f"no numerator of {den} shows as {percent}%")
    return best


def nearest_denominator(num: int, percent: int) -> int:
    best = None
    guess = round(num * 100 / percent)
    for den in range(max(num, guess - 4), guess + 5):
        if den and shown(num / den * 100) == percent:
            if best is None or abs(num / den - percent / 100) < abs(num / best - percent / 100):
                best = den
    if best is None:
        raise ValueError(f"no denominator for {num} shows as {percent}%")
    return best


class Book:
    """Series being built: values (float|None), numerators and denominators (int|None)."""

    def __init__(self):
        self.value: dict[str, list] = {}
        self.num: dict[str, list] = {}
        self.den: dict[str, list] = {}

    def series(self, ref: str) -> list:
        return self.value.setdefault(ref, [None] * N)

    def parts(self, ref: str) -> tuple[list, list]:
        return self.num.setdefault(ref, [None] * N), self.den.setdefault(ref, [None] * N)


def publish_000_counts(book: Book, ref: str) -> None:
    s = book.series(ref)
    for i, v in zip(PUBLISHED_000, P000[ref]["months"]):
        s[i] = v


def check_000(ref: str, values: list, scale: float, months=True, change=True) -> list[str]:
    """What of reference 000's printed row the series does not reproduce."""
    p = P000[ref]
    bad = []
    if months:
        for i, printed in zip(PUBLISHED_000, p["months"]):
            if values[i] is None or shown(values[i] * scale) != printed:
                bad.append(f"{ref} {MONTHS[i]}: {values[i]} does not show as {printed}")
    window = [values[i] for i in WINDOW if values[i] is not None]
    if shown(sum(window) / len(window) * scale) != p["avg"]:
        bad.append(f"{ref}: 12-month average {sum(window) / len(window) * scale:.3f} does not show as {p['avg']}")
    if shown(max(window) * scale) != p["max"]:
        bad.append(f"{ref}: 12-month maximum {max(window) * scale:.3f} does not show as {p['max']}")
    if change and pct_change_shown(values[-1], values[FEB20]) != p["change"]:
        bad.append(f"{ref}: change from Feb-20 {pct_change_shown(values[-1], values[FEB20])}% "
                   f"is not the printed {p['change']}%")
    return bad


def ratio(nums: list, dens: list) -> list:
    return [None if n is None or d in (None, 0) else n / d for n, d in zip(nums, dens)]


def rate(counts: list) -> list:
    return [None if c is None else c / population(m) * 10000 for c, m in zip(counts, MONTHS)]


def solve(name: str, sampler, checker, rng, tries: int = 400_000):
    """Draw candidates for the unpublished months until one reproduces every printed figure."""
    failures: list[str] = ["no candidate drawn"]
    for _ in range(tries):
        candidate = sampler(rng)
        if candidate is None:
            continue
        failures = checker(candidate)
        if not failures:
            return candidate
    raise RuntimeError(f"{name}: no synthetic months reproduce the published figures: {failures}")


def with_forced_max(rng, raw: np.ndarray, total: int, top: int, force: bool) -> np.ndarray | None:
    """Integers adding to ``total``, none above ``top``; one equal to ``top`` if ``force``."""
    raw = np.asarray(raw, dtype=float)
    if force:
        j = int(rng.integers(len(raw)))
        rest = np.delete(raw, j)
        v = np.insert(fit_sum(rest, total - top), j, top) if total - top >= 0 else None
    else:
        v = fit_sum(raw, total)
    if v is None or v.max() > top or v.min() < 0:
        return None
    return v


def count_months(rng, ref: str, shape: np.ndarray, base_choices: list) -> tuple[int, np.ndarray] | None:
    """Feb-20 and Mar-Jul 20 for a count row of 000: the printed change, average and maximum."""
    p = P000[ref]
    lo, hi = window_total(p["avg"], sum(p["months"]))
    total = int(rng.integers(lo, hi + 1))
    force = p["max"] > max(p["months"])
    v = with_forced_max(rng, shape, total, p["max"], force)
    if v is None:
        return None
    return int(rng.choice(base_choices)), v


# --------------------------------------------------------------------------------------------
# Feb-20 and Mar-20 .. Jul-20: the months 000 does not print, constrained by what it does print
# --------------------------------------------------------------------------------------------
def front_door(book: Book, rng) -> None:
    """M1, M2, M3, M2-NI, M6-QL (val), M6-QL, M8-QL, and M9 (ref 001's contacts page)."""
    for ref in ("M1", "M2", "M6-QL (val)"):
        publish_000_counts(book, ref)
    m9n, m9d = book.parts("M9")
    for i, (n, d) in zip(JAN20_DEC20, R001_CONTACT_DECISIONS):
        m9n[i], m9d[i] = n, d
    m1, m2, m6 = book.series("M1"), book.series("M2"), book.series("M6-QL (val)")
    # M8-QL: % of referrals (M2) dealt with by MASH within a working day; numerators synthesised
    # so that each month shows the printed whole percent.
    m8n, m8d = book.parts("M8-QL")
    for i, pc in zip(PUBLISHED_000, P000["M8-QL"]["months"]):
        m8d[i] = m2[i]
        m8n[i] = nearest_numerator(m2[i], pc)
    m1_bases = bases_for_change(1297, 15, range(1000, 1300))
    m2_bases = bases_for_change(244, -23, range(250, 400))
    m6_bases = bases_for_change(10, -17, range(1, 40))
    contacts_0117 = np.array([m9d[i] for i in MAR_JUL], dtype=float)

    def sample(rng):
        a = count_months(rng, "M1", contacts_0117 * rng.lognormal(0, 0.03, 5), m1_bases)
        if a is None or np.any(a[1] < contacts_0117):
            return None
        share = rng.normal(0.25, 0.012, 5)
        b = count_months(rng, "M2", a[1] * share, m2_bases)
        c = count_months(rng, "M6-QL (val)", (b[1] if b else np.ones(5)) * rng.normal(0.054, 0.012, 5).clip(0.01),
                         m6_bases)
        if b is None or c is None:
            return None
        m8_feb = int(rng.integers(round(b[0] * 0.975), b[0] + 1))
        m8 = np.array([int(rng.binomial(d, rng.uniform(0.975, 0.994))) for d in b[1]])
        return a, b, c, (m8_feb, m8)

    def place(candidate):
        (f1, v1), (f2, v2), (f6, v6), (f8, v8) = candidate
        for s, f, v in ((m1, f1, v1), (m2, f2, v2), (m6, f6, v6)):
            s[FEB20] = f
            for i, x in zip(MAR_JUL, v):
                s[i] = int(x)
        m8n[FEB20], m8d[FEB20] = f8, f2
        for i, x in zip(MAR_JUL, v8):
            m8n[i], m8d[i] = int(x), m2[i]

    def check(candidate):
        place(candidate)
        bad = check_000("M1", m1, 1) + check_000("M2", m2, 1) + check_000("M6-QL (val)", m6, 1)
        bad += check_000("M3", ratio(m2, m1), 100) + check_000("M6-QL", ratio(m6, m2), 100, change=False)
        bad += check_000("M8-QL", ratio(m8n, m8d), 100)
        r = rate(m2)  # 000's rates use another population; only their change is reproducible
        if pct_change_shown(r[-1], r[FEB20]) != P000["M2-NI"]["change"]:
            bad.append("M2-NI: change from Feb-20")
        return bad

    place(solve("front door", sample, check, rng))


def assessments(book: Book, rng) -> None:
    """EH3, EH4 (val), EH4-QL, EH3a%."""
    for ref in ("EH3", "EH4 (val)"):
        publish_000_counts(book, ref)
    eh3, eh4 = book.series("EH3"), book.series("EH4 (val)")
    an, ad = book.parts("EH3a%")
    for i, pc in zip(PUBLISHED_000, P000["EH3a%"]["months"]):
        ad[i] = eh3[i]
        an[i] = nearest_numerator(eh3[i], pc)
    season = np.array([SEASON[m] for m in CAL[MAR_JUL]])
    b3 = bases_for_change(304, -6, range(250, 400))
    b4 = bases_for_change(226, -15, range(200, 350))

    def sample(rng):
        a = count_months(rng, "EH3", season * rng.lognormal(0, 0.08, 5), b3)
        if a is None:
            return None
        share = rng.normal(0.865, 0.025, 5).clip(0.75, 0.915)
        j = int(rng.integers(5))
        share[j] = rng.uniform(0.926, 0.934)
        p = P000["EH4 (val)"]
        lo, hi = window_total(p["avg"], sum(p["months"]))
        total = int(rng.integers(lo, hi + 1))
        fixed = int(round(a[1][j] * share[j]))
        others = fit_sum(np.delete(a[1] * share, j), total - fixed)
        v4 = np.insert(others, j, fixed)
        if np.any(v4 > a[1]) or v4.max() > p["max"]:
            return None
        f4 = int(rng.choice([b for b in b4 if b <= a[0]]))
        f_a = int(round(a[0] * rng.uniform(0.095, 0.115)))
        v_a = np.array([int(rng.binomial(d, rng.uniform(0.07, 0.15))) for d in a[1]])
        return a, (f4, v4), (f_a, v_a)

    def place(candidate):
        (f3, v3), (f4, v4), (fa, va) = candidate
        eh3[FEB20], eh4[FEB20] = f3, f4
        an[FEB20], ad[FEB20] = fa, f3
        for k, i in enumerate(MAR_JUL):
            eh3[i], eh4[i] = int(v3[k]), int(v4[k])
            an[i], ad[i] = int(va[k]), int(v3[k])

    def check(candidate):
        place(candidate)
        return (check_000("EH3", eh3, 1) + check_000("EH4 (val)", eh4, 1)
                + check_000("EH4-QL", ratio(eh4, eh3), 100) + check_000("EH3a%", ratio(an, ad), 100))

    place(solve("assessments", sample, check, rng))


def simple_counts(book: Book, rng, ref: str, shape_fn, lo_base=0, hi_base=3000) -> None:
    """A count row of 000 with no partner: Feb-20 from its change, Mar-Jul from avg and max."""
    publish_000_counts(book, ref)
    s = book.series(ref)
    p = P000[ref]
    bases = bases_for_change(p["months"][-1], p["change"], range(lo_base, hi_base))

    def sample(rng):
        return count_months(rng, ref, shape_fn(rng), bases)

    def place(candidate):
        s[FEB20] = candidate[0]
        for i, x in zip(MAR_JUL, candidate[1]):
            s[i] = int(x)

    def check(candidate):
        place(candidate)
        return check_000(ref, s, 1)

    place(solve(ref, sample, check, rng))


def child_protection(book: Book, rng) -> None:
    """CP1 (alone), CP2, CP3-QL (val), CP3-QL, CP6B, CP6B-NI, CP8-QL."""
    season = np.array([SEASON[m] for m in CAL[MAR_JUL]])
    simple_counts(book, rng, "CP1", lambda r: season * r.lognormal(0, 0.1, 5), 50, 300)
    for ref in ("CP2", "CP3-QL (val)", "CP6B"):
        publish_000_counts(book, ref)
    cp2, cp3, cp6 = book.series("CP2"), book.series("CP3-QL (val)"), book.series("CP6B")
    n8, d8 = book.parts("CP8-QL")
    for i, pc in zip(PUBLISHED_000, P000["CP8-QL"]["months"]):
        d8[i] = cp6[i]
        n8[i] = nearest_numerator(cp6[i], pc)
    b6 = bases_for_change(358, -19, range(300, 600))

    def sample(rng):
        # CP2: one month at the printed maximum (72); another holds CP3's maximum (50 of 53 = 94%)
        p2, p3 = P000["CP2"], P000["CP3-QL (val)"]
        t2 = int(rng.integers(window_total(p2["avg"], sum(p2["months"]))[0],
                              window_total(p2["avg"], sum(p2["months"]))[1] + 1))
        j, k = rng.choice(5, size=2, replace=False)
        v2 = np.zeros(5, dtype=int)
        v2[k], v2[j] = 72, 53
        rest = [m for m in range(5) if m not in (j, k)]
        v2[rest] = fit_sum(season[rest] * rng.lognormal(0, 0.15, 3), t2 - 125)
        if v2.max() > 72 or v2.min() < 10:
            return None
        lo3, hi3 = window_total(p3["avg"], sum(p3["months"]))
        t3 = int(rng.integers(lo3, hi3 + 1))
        v3 = np.zeros(5, dtype=int)
        v3[j] = 50
        others = [m for m in range(5) if m != j]
        v3[others] = fit_sum(v2[others] * rng.uniform(0.5, 0.92, 4), t3 - 50)
        if np.any(v3 > v2) or np.any(v3[others] / v2[others] > 0.935):
            return None
        p6 = P000["CP6B"]
        lo6, hi6 = window_total(p6["avg"], sum(p6["months"]))
        t6 = int(rng.integers(lo6, hi6 + 1))
        v6 = with_forced_max(rng, rng.normal(412, 7, 5), t6, 426, True)
        if v6 is None:
            return None
        f6 = int(rng.choice(b6))
        f8 = int(round(f6 * rng.uniform(0.80, 0.815)))
        v8 = np.array([int(rng.binomial(d, rng.uniform(0.55, 0.75))) for d in v6])
        return (23, v2), (14, v3), (f6, v6), (f8, v8)

    def place(candidate):
        (f2, v2), (f3, v3), (f6, v6), (f8, v8) = candidate
        cp2[FEB20], cp3[FEB20], cp6[FEB20], n8[FEB20], d8[FEB20] = f2, f3, f6, f8, f6
        for k, i in enumerate(MAR_JUL):
            cp2[i], cp3[i], cp6[i], n8[i], d8[i] = int(v2[k]), int(v3[k]), int(v6[k]), int(v8[k]), int(v6[k])

    def check(candidate):
        place(candidate)
        bad = check_000("CP2", cp2, 1) + check_000("CP3-QL (val)", cp3, 1) + check_000("CP6B", cp6, 1)
        bad += check_000("CP3-QL", ratio(cp3, cp2), 100) + check_000("CP8-QL", ratio(n8, d8), 100)
        if pct_change_shown(rate(cp6)[-1], rate(cp6)[FEB20]) != P000["CP6B-NI"]["change"]:
            bad.append("CP6B-NI change")
        return bad

    place(solve("child protection", sample, check, rng))


def looked_after(book: Book, rng) -> None:
    """LAC1, LAC10-QL, LAC10 (%), LAC7-QL, LAC2, LAC3, LAC6 (val), LAC6 (%), LAC16."""
    for ref in ("LAC1", "LAC10-QL", "LAC2", "LAC3", "LAC6 (val)", "LAC16"):
        publish_000_counts(book, ref)
    lac1, lac10, lac2, lac3, lac6, lac16 = (book.series(r) for r in
                                            ("LAC1", "LAC10-QL", "LAC2", "LAC3", "LAC6 (val)", "LAC16"))
    n7, d7 = book.parts("LAC7-QL")
    for i, pc in zip(PUBLISHED_000, P000["LAC7-QL"]["months"]):
        d7[i] = lac1[i]
        n7[i] = nearest_numerator(lac1[i], pc)
    b1 = bases_for_change(507, 5, range(400, 600))
    b10 = bases_for_change(477, 5, range(400, 600))
    b16 = bases_for_change(153, -9, range(100, 250))

    def totals(ref, rng):
        p = P000[ref]
        lo, hi = window_total(p["avg"], sum(p["months"]))
        return int(rng.integers(lo, hi + 1))

    def sample(rng):
        v1 = with_forced_max(rng, rng.normal(490, 5, 5), totals("LAC1", rng), 512, True)
        if v1 is None:
            return None
        v10 = fit_sum(v1 * rng.normal(0.951, 0.006, 5), totals("LAC10-QL", rng))
        if v10.max() > 489 or np.any(v10 / v1 >= 0.975):
            return None
        f1, f10 = int(rng.choice(b1)), int(rng.choice(b10))
        v7 = np.array([int(rng.binomial(d, rng.uniform(0.55, 0.67))) for d in v1])
        f7 = int(round(f1 * rng.uniform(0.740, 0.747)))
        v2 = with_forced_max(rng, rng.uniform(8, 14, 5), totals("LAC2", rng), 29, True)
        v3 = fit_sum(rng.uniform(4, 12, 5), totals("LAC3", rng))
        if v2 is None or v3.min() < 3 or v3.max() > 24:
            return None
        v6 = np.array([int(rng.binomial(n, 0.13)) for n in v3])
        v16 = with_forced_max(rng, rng.normal(165.5, 1.2, 5), totals("LAC16", rng), 168, True)
        if v16 is None:
            return None
        return (f1, v1), (f10, v10), (f7, v7), (10, v2), (21, v3), (4, v6), (int(rng.choice(b16)), v16)

    series = (lac1, lac10, None, lac2, lac3, lac6, lac16)

    def place(candidate):
        for s, (f, v) in zip(series, candidate):
            if s is None:
                continue
            s[FEB20] = f
            for i, x in zip(MAR_JUL, v):
                s[i] = int(x)
        f7, v7 = candidate[2]
        n7[FEB20], d7[FEB20] = f7, lac1[FEB20]
        for i, x in zip(MAR_JUL, v7):
            n7[i], d7[i] = int(x), lac1[i]

    def check(candidate):
        place(candidate)
        bad = []
        for ref, s in (("LAC1", lac1), ("LAC10-QL", lac10), ("LAC2", lac2), ("LAC3", lac3),
                       ("LAC6 (val)", lac6), ("LAC16", lac16)):
            bad += check_000(ref, s, 1)
        bad += check_000("LAC10 (%)", ratio(lac10, lac1), 100) + check_000("LAC7-QL", ratio(n7, d7), 100)
        bad += check_000("LAC6 (%)", ratio(lac6, lac3), 100)
        return bad

    place(solve("looked after", sample, check, rng))


def care_leavers(book: Book, rng) -> None:
    """LAC11-QL (%) (numerators = 000's LAC11-QL counts) and NI147."""
    n11, d11 = book.parts("LAC11-QL (%)")
    for i, num, pc in zip(PUBLISHED_000, P000["LAC11-QL"]["months"], P000["LAC11-QL (%)"]["months"]):
        n11[i], d11[i] = num, nearest_denominator(num, pc)
    n47, d47 = book.parts("NI147")
    cohort = 252
    for i, pc in zip(PUBLISHED_000, P000["NI147"]["months"]):
        cohort += int(rng.integers(-3, 4))
        d47[i] = cohort
        n47[i] = nearest_numerator(cohort, pc)
    b11 = bases_for_change(179, 13, range(100, 250))

    def sample(rng):
        p = P000["LAC11-QL"]
        lo, hi = window_total(p["avg"], sum(p["months"]))
        t = int(rng.integers(lo, hi + 1))
        v = fit_sum(rng.normal(166, 3, 5), t)
        if v.max() > 179:
            return None
        f = int(rng.choice(b11))
        fd = int(round(f / rng.uniform(0.925, 0.935)))
        vd = np.round(v / rng.uniform(0.93, 0.975, 5)).astype(int)
        dens = np.round(d47[PUBLISHED_000[0]] + rng.normal(0, 3, 6)).astype(int)
        shares = rng.normal(0.832, 0.01, 5)
        shares[int(rng.integers(5))] = rng.uniform(0.856, 0.864)
        fn = int(round(dens[0] * rng.uniform(0.82, 0.835)))
        nums = np.round(dens[1:] * shares).astype(int)
        return (f, fd, v, vd), (fn, dens, nums)

    def place(candidate):
        (f, fd, v, vd), (fn, dens, nums) = candidate
        n11[FEB20], d11[FEB20] = f, fd
        n47[FEB20], d47[FEB20] = fn, int(dens[0])
        for k, i in enumerate(MAR_JUL):
            n11[i], d11[i] = int(v[k]), int(vd[k])
            n47[i], d47[i] = int(nums[k]), int(dens[k + 1])

    def check(candidate):
        place(candidate)
        return (check_000("LAC11-QL", n11, 1) + check_000("LAC11-QL (%)", ratio(n11, d11), 100)
                + check_000("NI147", ratio(n47, d47), 100))

    place(solve("care leavers", sample, check, rng))


def children_in_need(book: Book, rng) -> None:
    simple_counts(book, rng, "EH2", lambda r: r.normal(1311, 15, 5), 1000, 1600)
    simple_counts(book, rng, "CIN5", lambda r: r.normal(2354, 6, 5), 2000, 2700)


def early_help(book: Book, rng) -> None:
    season = np.array([SEASON[m] for m in CAL[MAR_JUL]])
    simple_counts(book, rng, "EH1a", lambda r: season * r.lognormal(0, 0.1, 5), 50, 300)
    simple_counts(book, rng, "EH1b", lambda r: season * r.lognormal(0, 0.1, 5), 100, 400)
    simple_counts(book, rng, "M5", lambda r: r.uniform(3, 10, 5), 1, 60)


# --------------------------------------------------------------------------------------------
# Jan-19 .. Jan-20 (and, for ref 001's measures, Jan-21 and Feb-21): plausible, seeded
# --------------------------------------------------------------------------------------------
EARLY = list(range(IX["2019-01"], IX["2020-01"] + 1))   # Jan-19 .. Jan-20
EARLY_2019 = list(range(IX["2019-01"], IX["2019-12"] + 1))
APR19_DEC19 = list(range(IX["2019-04"], IX["2019-12"] + 1))
JAN19_MAR19 = list(range(IX["2019-01"], IX["2019-03"] + 1))
LATE = [IX["2021-01"], IX["2021-02"]]


def flow_level(s: list) -> float:
    known = [(s[i], SEASON[CAL[i]]) for i in range(FEB20, N) if s[i] is not None]
    return float(np.mean([v / f for v, f in known]))


def fill_flow(s: list, rng, months=EARLY, sigma=0.07) -> None:
    level = flow_level(s)
    for i in months:
        mu = level * SEASON[CAL[i]]
        s[i] = int(rng.poisson(mu)) if mu < 40 else max(0, int(round(mu * rng.lognormal(0, sigma))))


def fill_snapshot(s: list, rng, months=EARLY, sd=0.012, pull=0.15) -> None:
    """Walk backwards from the first known month, drifting towards the long-run level."""
    level = float(np.mean([v for v in s if v is not None]))
    for i in sorted(months, reverse=True):
        nxt = s[i + 1]
        s[i] = max(0, int(round(nxt + pull * (level - nxt) + rng.normal(0, sd * level))))


def early_years(book: Book, rng) -> None:
    # Front door: contacts (M9's denominator, then M1 around it), referrals, re-referrals, MASH.
    m9n, m9d = book.parts("M9")
    den = fit_sum(np.array([SEASON[CAL[i]] for i in APR19_DEC19]) * rng.lognormal(0, 0.05, 9),
                  R001_CONTACTS_2019_20[0] - sum(m9d[i] for i in JAN20_DEC20[:3]))
    for i, d in zip(APR19_DEC19, den):
        m9d[i] = int(d)
    for i in JAN19_MAR19:  # 2018/19: 16,698 contacts, 80.9% decided within a working day
        m9d[i] = int(round(16698 / 12 * SEASON[CAL[i]] * rng.lognormal(0, 0.05)))
        m9n[i] = int(rng.binomial(m9d[i], 0.80))
    total_num = R001_CONTACTS_2019_20[0] * float(R001_CONTACTS_2019_20[1]) / 100
    target = int(round(total_num)) - sum(m9n[i] for i in JAN20_DEC20[:3])
    nums = fit_sum(np.array([m9d[i] for i in APR19_DEC19]) * rng.normal(0.603, 0.03, 9), target)
    for i, n in zip(APR19_DEC19, nums):
        m9n[i] = int(min(n, m9d[i]))
    for i in LATE:  # new contact form: smaller denominators, decisions a little quicker
        m9d[i] = int(round(rng.normal(640, 30)))
        m9n[i] = int(rng.binomial(m9d[i], rng.uniform(0.56, 0.62)))
    m1, m2, m6 = book.series("M1"), book.series("M2"), book.series("M6-QL (val)")
    for i in EARLY:
        m1[i] = int(round(m9d[i] * rng.normal(1.11, 0.025)))
        m2[i] = int(round(m1[i] * rng.normal(0.268, 0.012)))
        m6[i] = int(rng.binomial(m2[i], 0.06))
    m8n, m8d = book.parts("M8-QL")
    for i in EARLY:
        m8d[i] = m2[i]
        m8n[i] = m2[i] - int(rng.binomial(m2[i], 0.016))
    # Early help
    for ref in ("EH1a", "EH1b", "M5"):
        fill_flow(book.series(ref), rng, sigma=0.1)
    # Assessments
    eh3, eh4 = book.series("EH3"), book.series("EH4 (val)")
    fill_flow(eh3, rng)
    an, ad = book.parts("EH3a%")
    for i in EARLY:
        eh4[i] = int(rng.binomial(eh3[i], rng.uniform(0.82, 0.9)))
        ad[i], an[i] = eh3[i], int(rng.binomial(eh3[i], rng.uniform(0.07, 0.12)))
    # Children in need
    fill_snapshot(book.series("EH2"), rng, sd=0.01)
    fill_snapshot(book.series("CIN5"), rng, sd=0.008)
    # Child protection
    cp2, cp3, cp6 = book.series("CP2"), book.series("CP3-QL (val)"), book.series("CP6B")
    fill_flow(book.series("CP1"), rng, sigma=0.1)
    fill_flow(cp2, rng)
    for i in EARLY:
        cp3[i] = int(rng.binomial(cp2[i], rng.uniform(0.55, 0.85)))
    fill_snapshot(cp6, rng, sd=0.015)
    n8, d8 = book.parts("CP8-QL")
    for i in EARLY:
        d8[i], n8[i] = cp6[i], int(rng.binomial(cp6[i], rng.uniform(0.76, 0.86)))
    # Children looked after
    lac1, lac10 = book.series("LAC1"), book.series("LAC10-QL")
    fill_snapshot(lac1, rng, sd=0.006)
    n7, d7 = book.parts("LAC7-QL")
    for i in EARLY:
        lac10[i] = min(lac1[i], int(round(lac1[i] * rng.normal(0.953, 0.007))))
        d7[i], n7[i] = lac1[i], int(rng.binomial(lac1[i], rng.uniform(0.68, 0.78)))
    lac3, lac6 = book.series("LAC3"), book.series("LAC6 (val)")
    fill_flow(book.series("LAC2"), rng)
    fill_flow(lac3, rng)
    for i in EARLY:
        lac3[i] = max(lac3[i], 4)
        lac6[i] = int(rng.binomial(lac3[i], 0.17))
    fill_snapshot(book.series("LAC16"), rng, sd=0.008, pull=0.05)
    # Care leavers
    n11, d11 = book.parts("LAC11-QL (%)")
    n47, d47 = book.parts("NI147")
    for i in sorted(EARLY, reverse=True):
        n11[i] = max(120, int(round(n11[i + 1] + 0.1 * (160 - n11[i + 1]) + rng.normal(0, 2.5))))
        d11[i] = int(round(n11[i] / rng.normal(0.935, 0.012)))
        d47[i] = int(round(d47[i + 1] + rng.normal(-0.8, 3)))
        n47[i] = int(rng.binomial(d47[i], rng.uniform(0.81, 0.85)))
    # CP reviews (ref 001 5.13): Apr-19 .. Dec-19 add up to 2019/20's 1372 of 1415
    rn, rd = book.parts("CP10")
    for i, (n, d) in zip(JAN20_DEC20, R001_CP_REVIEWS):
        rn[i], rd[i] = n, d
    dens = fit_sum(rng.uniform(90, 150, 9), R001_REVIEWS_2019_20[1] - sum(rd[i] for i in JAN20_DEC20[:3]))
    need = R001_REVIEWS_2019_20[0] - sum(rn[i] for i in JAN20_DEC20[:3])
    nums = np.minimum(fit_sum(dens * rng.uniform(0.93, 1.0, 9), need), dens)
    while nums.sum() < need:  # put back anything the cap removed
        k = int(np.argmax(dens - nums))
        nums[k] += 1
    for i, n, d in zip(APR19_DEC19, nums, dens):
        rn[i], rd[i] = int(n), int(d)
    for i in JAN19_MAR19:
        rd[i] = int(rng.integers(110, 160))
        rn[i] = rd[i] - int(rng.binomial(rd[i], 0.035))
    for i in LATE:
        rd[i] = int(rng.integers(85, 125))
        rn[i] = rd[i] - int(rng.binomial(rd[i], 0.03))


def plain_series(book: Book, rng) -> None:
    """Ref 001's measures printed without parts: CIN6, CL1, A1, WF1-3 (percent or 1 d.p.)."""
    def put(ref, printed, scale, mar19, late_sd, early_sd, lo=None, hi=None, late_drift=0.0):
        s = book.series(ref)
        for i, text in zip(JAN20_DEC20, printed):
            s[i] = Decimal(text) / scale
        s[IX["2019-03"]] = Decimal(mar19) / scale
        step = Decimal("0.001") if scale == 100 else Decimal("0.1")
        for i in LATE:
            x = float(s[i - 1]) + late_drift + rng.normal(0, late_sd)
            s[i] = Decimal(str(x)).quantize(step)
        # Jan-19, Feb-19 near Mar-19; Apr-19 .. Dec-19 bridging Mar-19 and Jan-20
        a, b = float(s[IX["2019-03"]]), float(s[IX["2020-01"]])
        for i in EARLY_2019:
            if i == IX["2019-03"]:
                continue
            t = (i - IX["2019-03"]) / (IX["2020-01"] - IX["2019-03"])
            centre = a if i < IX["2019-03"] else a + (b - a) * t
            x = centre + rng.normal(0, early_sd)
            if lo is not None:
                x = min(max(x, lo), hi)
            s[i] = Decimal(str(x)).quantize(step)

    put("CIN6", R001_CIN_PLAN, 100, R001_MAR19["CIN6"], 0.008, 0.012, 0.8, 0.96, 0.004)
    put("CL1", R001_CL_EET, 100, R001_MAR19["CL1"], 0.006, 0.008, 0.5, 0.7)
    put("WF1", R001_CASES_LAC, 1, R001_MAR19["WF1"], 0.5, 0.6)
    put("WF2", R001_CASES_DUTY, 1, R001_MAR19["WF2"], 0.8, 1.0)
    put("WF3", R001_CASES_CIN, 1, R001_MAR19["WF3"], 0.4, 0.5)
    # A1 is a year-to-date average: noisy in the spring, settling towards the outturn.
    a1 = book.series("A1")
    for i, text in zip(JAN20_DEC20, R001_A1):
        a1[i] = Decimal(text)
    a1[IX["2019-03"]] = Decimal(R001_MAR19["A1"])
    for i, centre in ((IX["2019-01"], 381.0), (IX["2019-02"], 384.5)):
        a1[i] = Decimal(str(centre + rng.normal(0, 2))).quantize(Decimal("0.1"))
    for k, i in enumerate(APR19_DEC19):
        spread = 60 / (k + 1)
        a1[i] = Decimal(str(405 + rng.normal(0, spread) - 20 / (k + 1))).quantize(Decimal("0.1"))
    for i, x in zip(LATE, (431.0, 428.5)):
        a1[i] = Decimal(str(x + rng.normal(0, 3))).quantize(Decimal("0.1"))


# --------------------------------------------------------------------------------------------
# Derived series, checks, output
# --------------------------------------------------------------------------------------------
def derive(book: Book) -> None:
    for ref, (n_ref, d_ref) in DERIVED.items():
        nums = book.series(n_ref)
        if d_ref == "population":
            book.value[ref] = rate(nums)
        else:
            dens = book.series(d_ref)
            book.value[ref] = ratio(nums, dens)
            book.num[ref], book.den[ref] = list(nums), list(dens)
    for ref in book.num:
        if ref not in DERIVED:
            book.value[ref] = ratio(*book.parts(ref))


def verify(book: Book) -> None:
    """Stop unless every published figure used is reproduced (see README for the exceptions)."""
    bad = []
    count_refs = [r for r in P000 if BY_REF.get(r, {}).get("unit") == "Count" or r == "LAC11-QL"]
    # 000's rates (M2-NI, CP1-NI, CP6B-NI, LAC1-NI) are derived here from 57,521; not comparable.
    for ref in P000:
        if ref in ("M2-NI", "CP1-NI", "CP6B-NI", "LAC1-NI"):
            continue
        values = book.num["LAC11-QL (%)"] if ref == "LAC11-QL" else book.value[ref]
        scale = 1 if ref in count_refs else 100
        bad += check_000(ref, values, scale, change=ref not in NOT_REPRODUCIBLE_CHANGE)
    for ref in RATE_CHANGE_ONLY:
        v = book.value[ref]
        if pct_change_shown(v[-1], v[FEB20]) != P000[ref]["change"]:
            bad.append(f"{ref}: change from Feb-20")
    for ref, pairs in (("M9", R001_CONTACT_DECISIONS), ("CP10", R001_CP_REVIEWS)):
        for i, pair in zip(JAN20_DEC20, pairs):
            if (book.num[ref][i], book.den[ref][i]) != pair:
                bad.append(f"{ref} {MONTHS[i]}")
    ytd = sum(book.num["M9"][i] for i in range(IX["2020-04"], IX["2020-12"] + 1)), \
        sum(book.den["M9"][i] for i in range(IX["2020-04"], IX["2020-12"] + 1))
    if ytd != (5639, 9903):
        bad.append(f"M9 YTD Dec-20 is {ytd}, not 5639 of 9903")
    y1920 = range(IX["2019-04"], IX["2020-03"] + 1)
    if sum(book.den["M9"][i] for i in y1920) != 15605 or shown(
            sum(book.num["M9"][i] for i in y1920) / 15605 * 100, 1) != Decimal("59.5"):
        bad.append("M9 2019/20 outturn")
    if (sum(book.num["CP10"][i] for i in y1920), sum(book.den["CP10"][i] for i in y1920)) != (1372, 1415):
        bad.append("CP10 2019/20 outturn")
    for i in range(N):  # all contacts >= contacts recorded as harm / not sure (except Feb-20, see README)
        if i != FEB20 and book.value["M1"][i] < book.den["M9"][i]:
            bad.append(f"M1 {MONTHS[i]} below M9's denominator")
    for ref, nums in book.num.items():
        for i, (n, d) in enumerate(zip(nums, book.den[ref])):
            if n is not None and (d is None or n > d or n < 0):
                bad.append(f"{ref} {MONTHS[i]}: {n} of {d}")
    if bad:
        raise SystemExit("build_sample: published figures not reproduced:\n  " + "\n  ".join(bad))


def number_text(value, unit: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if unit == "Percentage" else format(value, "f")
    if unit == "Count":
        return str(int(value))
    if unit == "Percentage":
        return repr(round(float(value), 6))
    return f"{float(value):.1f}"


def write(book: Book) -> None:
    with open(HERE / "sample_indicators.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([c for c, _ in INDICATOR_COLUMNS])
        for row in INDICATORS:
            cells = []
            for _, key in INDICATOR_COLUMNS:
                v = row.get(key, "")
                if key == "change" and v == "":
                    v = "relative"
                cells.append("" if v is None else (repr(v) if isinstance(v, float) else str(v)))
            w.writerow(cells)
    with open(HERE / "sample_data.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Ref", "Month", "Value", "Numerator", "Denominator"])
        for row in INDICATORS:
            ref, unit = row["ref"], row["unit"]
            values = book.value[ref]
            nums, dens = book.num.get(ref), book.den.get(ref)
            for i, month in enumerate(MONTHS):
                if (ref, month) in MISSING:
                    w.writerow([ref, month, MISSING[(ref, month)], "", ""])
                    continue
                value = number_text(values[i], unit)
                n = "" if nums is None or nums[i] is None else str(int(nums[i]))
                d = "" if dens is None or dens[i] is None else str(int(dens[i]))
                w.writerow([ref, month, value, n, d])
    with open(HERE / "sample_settings.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Key", "Value"])
        for key, value in (("Title", "Children's Services Performance Scorecard"),
                           ("Organisation", ORGANISATION), ("Region name", "South East"),
                           ("Reporting month", "Feb-21"), ("Months shown", 7),
                           ("Population 0-17 2019/20", POPULATION["2019/20"]),
                           ("Population 0-17 2020/21", POPULATION["2020/21"]), ("Band", 0.1)):
            w.writerow([key, value])


def main() -> None:
    rng = np.random.default_rng(SEED)
    book = Book()
    front_door(book, rng)
    early_help(book, rng)
    assessments(book, rng)
    children_in_need(book, rng)
    child_protection(book, rng)
    looked_after(book, rng)
    care_leavers(book, rng)
    early_years(book, rng)
    plain_series(book, rng)
    derive(book)
    verify(book)
    write(book)
    print(f"wrote {len(INDICATORS)} indicators, {len(INDICATORS) * N} data rows, Jan-19 .. Feb-21")


if __name__ == "__main__":
    main()
