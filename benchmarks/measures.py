"""Benchmark: the measures over (a) one authority and (b) a national benchmarking file.

    python benchmarks/measures.py            # full run: (a) and (b) at 1/4, 1/2 and full size
    python benchmarks/measures.py --quick    # (a) and (b) at 1/8 size, for a smoke test

Each case runs in its own process (so peak memory is that case's alone) and reports the
time to read the long CSV, to build the panel, to compute every measure and SPC's limits and
verdicts (compute/spc_columns.py, as a refresh does), plus peak memory. The scaling rows show cost per value, which should stay flat (linear growth).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

POLARITIES = ["High", "Low", "Info", "Within limits"]


def generate(path: Path, authorities: int, indicators: int, months: int, seed: int = 1) -> int:
    """A long CSV (authority, ref, month, value, numerator, denominator) of realistic shape."""
    rng = np.random.default_rng(seed)
    month_keys = pd.period_range("2011-04", periods=months, freq="M").strftime("%Y-%m")
    level = rng.uniform(5, 2000, size=(authorities, indicators, 1))
    values = np.round(level * rng.normal(1, 0.1, size=(authorities, indicators, months)))
    values[rng.random(values.shape) < 0.02] = np.nan  # a few gaps, as in real returns
    frame = pd.DataFrame({
        "authority": np.repeat([f"LA{a:03d}" for a in range(authorities)], indicators * months),
        "ref": np.tile(np.repeat([f"I{i:03d}" for i in range(indicators)], months), authorities),
        "month": np.tile(month_keys, authorities * indicators),
        "value": values.ravel(),
    })
    frame.to_csv(path, index=False)
    return values.size


def indicator_table(indicators: int):
    from scorecard_xl.compute.tolerances import NO_RULE, parse_tolerances, green_limits

    rules = [parse_tolerances("<80", "80>", "95+", "High"), parse_tolerances("26+", "26<", "23<", "Low"), NO_RULE]
    rows = []
    for i in range(indicators):
        rule = rules[i % 3]
        low, high = green_limits(rule)
        rows.append({"ref": f"I{i:03d}", "polarity": POLARITIES[i % 4], "unit": "Count", "change": "relative",
                     "band": 0.10, "ytd_rule": ["sum", "latest", "mean", "none"][i % 4],
                     "kind": "flow" if i % 2 else "snapshot", "rag_rule": rule, "green_low": low,
                     "green_high": high, "target": np.nan, "spc_baseline": None, "spc_recalculate": ()})
    return pd.DataFrame(rows).set_index("ref", drop=False)


def run_case(csv_path: str, indicators: int) -> dict:
    """In a child process: read, build the panel, compute. Returns timings and peak memory."""
    import resource

    from scorecard_xl.compute.measures import compute_measures
    from scorecard_xl.compute.months import parse_month
    from scorecard_xl.compute.panel import build_panel
    from scorecard_xl.compute.spc_columns import spc_table

    started = time.perf_counter()
    tidy = pd.read_csv(csv_path, dtype={"authority": "category", "ref": "category", "month": str})
    read_s = time.perf_counter() - started

    started = time.perf_counter()
    month_codes = {m: parse_month(m) for m in tidy["month"].unique()}
    tidy["month"] = tidy["month"].map(month_codes).astype(np.int64)
    tidy["numerator"] = np.nan
    tidy["denominator"] = np.nan
    table = indicator_table(indicators)
    keys = pd.MultiIndex.from_product([tidy["authority"].cat.categories, table.index], names=["authority", "ref"])
    first, last = int(tidy["month"].min()), int(tidy["month"].max())
    panel = build_panel(tidy, keys, first, last, key_columns=["authority", "ref"])
    params = table.loc[keys.get_level_values("ref")].reset_index(drop=True)
    panel_s = time.perf_counter() - started

    started = time.perf_counter()
    measures = compute_measures(panel, params, last, 7, np.full(panel.month_count, 57521.0))
    measures_s = time.perf_counter() - started

    started = time.perf_counter()
    spc_table(panel, params, last)
    spc_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": len(measures), "values": int(panel.values.size), "read_s": read_s, "panel_s": panel_s,
            "measures_s": measures_s, "spc_s": spc_s, "peak_mb": peak_mb}


def measure(directory: Path, name: str, authorities: int, indicators: int, months: int) -> dict:
    csv_path = directory / f"{name}.csv"
    generate(csv_path, authorities, indicators, months)
    code = ("import json, sys; sys.path.insert(0, %r); from measures import run_case; "
            "print(json.dumps(run_case(%r, %d)))" % (str(Path(__file__).parent), str(csv_path), indicators))
    started = time.perf_counter()
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    result = json.loads(output)
    result["process_s"] = time.perf_counter() - started
    result["case"] = name
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    scales = [8] if args.quick else [4, 2, 1]
    cases = [("a: 100 indicators x 60 months", 1, 100, 60)]
    cases += [(f"b/{s}: {150 // s} LAs x 300 x 120", 150 // s, 300, 120) for s in scales]
    print(f"{'case':34} {'values':>10} {'read s':>8} {'panel s':>8} {'measures s':>10} {'spc s':>7} "
          f"{'ns/value':>9} {'peak MB':>8} {'process s':>9}")
    with tempfile.TemporaryDirectory() as directory:
        for name, authorities, indicators, months in cases:
            r = measure(Path(directory), name.split(":")[0].replace("/", "_"), authorities, indicators, months)
            per_value = (r["panel_s"] + r["measures_s"] + r["spc_s"]) / r["values"] * 1e9
            print(f"{name:34} {r['values']:>10,} {r['read_s']:>8.3f} {r['panel_s']:>8.3f} {r['measures_s']:>10.4f} "
                  f"{r['spc_s']:>7.3f} "
                  f"{per_value:>9.1f} {r['peak_mb']:>8.0f} {r['process_s']:>9.2f}")


if __name__ == "__main__":
    main()
