"""The xlwings Lite edition: `scorecard lite`'s files, run as xlwings Lite runs them.

xlwings Lite hands a script the open workbook as xlwings' remote Book and applies the actions the
script queued once it returns; it calls a worksheet function through ``custom_functions_call``.
The same calls run here in a child process (xlwings picks its decorators once, from
XLWINGS_ON_SERVER, when it is first imported; see test_udfs.py) on the generated main.py, with
the packages Pyodide lacks made unimportable and every file-system write recorded, as Lite's
Python has no file of the workbook to write to. The parent compares the actions with a refresh of
the same workbook file, read back with python-calamine and openpyxl.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

import scorecard_xl
from remote_book import apply_actions, book_json, open_remote
from scorecard_xl.excel import lite, lite_code, udfs
from scorecard_xl.problems import WorkbookError
from scorecard_xl.starter import write_starter
from workbooks import indicator, make_workbook, openpyxl_sheet, scaled_sample

ROOT = Path(__file__).resolve().parents[1]
PYODIDE_LACKS = ("python_calamine", "msoffcrypto", "rich")

LITE_RUNNER = r"""
import asyncio, contextlib, importlib.abc, io, json, os, sys, time

request = json.load(sys.stdin)
assert os.environ["XLWINGS_ON_SERVER"] == "true" and "xlwings" not in sys.modules
sys.dont_write_bytecode = True  # an import's .pyc is the interpreter's write, not the scorecard's

attempted = []
class PyodideLacks(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in request["blocked"]:
            attempted.append(name)
            raise ImportError(f"{name} is not available in Pyodide")
sys.meta_path.insert(0, PyodideLacks())

writes = []
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
def audit(event, args):
    if event == "open" and args[0] is not None and not isinstance(args[0], int):
        mode, flags = args[1] or "r", args[2] or 0
        if any(c in mode for c in "wax+") or flags & WRITING:
            writes.append(f"open {args[0]} {mode}")
    elif event in ("os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.truncate", "os.link", "os.symlink",
                   "shutil.copyfile", "shutil.rmtree", "os.chmod"):
        writes.append(f"{event} {args[0]}")
sys.addaudithook(audit)

sys.path.insert(0, request["main_dir"])
import xlwings as xw
import xlwings.server as server
import main

report = {"scripts": server.custom_scripts_meta(main), "functions": server.custom_functions_meta(main),
          "runs": [], "calls": []}
for job in request["jobs"]:
    text = json.dumps(job["book"])
    book = xw.Book(json=job["book"])
    printed = io.StringIO()
    started = time.perf_counter()
    run = {"request_bytes": len(text)}
    try:
        with contextlib.redirect_stdout(printed):
            returned = asyncio.run(server.custom_scripts_call(main, job["script"], typehint_to_value={xw.Book: book}))
        run["actions"] = returned.json()["actions"]
        run["response_bytes"] = len(json.dumps(returned.json()))
    except Exception as error:
        run["error"] = repr(error)
    run["seconds"] = time.perf_counter() - started
    run["printed"] = printed.getvalue()
    report["runs"].append(run)
for call in request["calls"]:
    data = {"func_name": call[0], "args": call[1], "caller_address": "Sheet1!B2", "version": xw.__version__,
            "client": "Office.js", "runtime": "1.4", "culture_info_name": "en-GB", "date_format": "dd/mm/yyyy"}
    report["calls"].append(asyncio.run(server.custom_functions_call(data, main)))
report["attempted"] = attempted
report["writes"] = writes
report["loaded"] = sorted({name.split(".")[0] for name in sys.modules})
json.dump(report, sys.__stdout__)
"""


def cell(value):
    return [[value]]


def row(*values):
    return [list(values)]


# Worksheet functions as Office.js sends their arguments, and the direct call that must agree.
CALLS = [
    (("DOT", [row(0.507, 0.508, "", "57.2%"), cell("High")]), lambda: udfs.DOT([0.507, 0.508, None, "57.2%"], "High")),
    (("DOTS", [[[1, 2], [3, 2]], cell("High")]), lambda: [[v] for v in udfs.DOTS([[1, 2], [3, 2]], "High")]),
    (("RAG", [cell(0.93), cell("High"), cell("<92%"), cell("92%>"), cell("95%+")]),
     lambda: udfs.RAG(0.93, "High", "<92%", "92%>", "95%+")),
    (("PCTCHANGE", [row(*range(1, 14))]), lambda: udfs.PCTCHANGE(list(range(1, 14)))),
    (("SPC", [row(*range(1, 14)), cell("High"), cell(20), cell("assurance")]),
     lambda: udfs.SPC(list(range(1, 14)), "High", 20, "assurance")),
    (("SPC", [row(20, 24, 22, 25, 21, 23, 26, 22, 24, 21, 23, 25, 40), cell("Low")]), lambda: "concern"),
]


# --------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lite")
    sample = write_starter(folder / "sample.xlsx", sample=True)
    bad = make_workbook(folder / "bad.xlsx", [indicator("A", unit="Furlongs"), indicator("B", polarity="Upwards")],
                        [("A", "2021-02", 1), ("B", "2021-02", 2)])
    theirs = make_workbook(folder / "theirs.xlsx", [indicator("A")], [("A", "2021-02", 1)],
                           extra_sheets={"Scorecard": [["My own report"]]})
    return {"sample": sample, "x1": scaled_sample(folder, 1), "x4": scaled_sample(folder, 4), "bad": bad,
            "theirs": theirs, "folder": folder}


def without_print_area(data: dict) -> dict:
    """The book as a client that does not report print areas sends it (older Excel hosts)."""
    for sheet in data["sheets"]:
        sheet["print_area"] = None
    return data


JOBS = {  # name -> (script, workbook, change to the book JSON)
    "refresh": ("refresh_scorecard", "sample", None),
    "refresh_x1": ("refresh_scorecard", "x1", None),  # the sample again, in the same shape as x4
    "refresh_x4": ("refresh_scorecard", "x4", None),
    "first_refresh_no_print_area": ("refresh_scorecard", "sample", without_print_area),
    "refresh_bad": ("refresh_scorecard", "bad", None),
    "refresh_theirs": ("refresh_scorecard", "theirs", None),
    "check": ("check_data", "sample", None),
    "check_bad": ("check_data", "bad", None),
    "check_theirs": ("check_data", "theirs", None),
}


@pytest.fixture(scope="module")
def lite_run(workbooks):
    main_dir = workbooks["folder"] / "lite"
    lite_code.write_lite_files(main_dir, scorecard_xl.__version__)
    jobs, books = [], {}
    for script, workbook, change in JOBS.values():
        data = book_json(workbooks[workbook])
        jobs.append({"script": script, "book": change(data) if change else data})
    request = {"main_dir": str(main_dir), "blocked": PYODIDE_LACKS, "jobs": jobs,
               "calls": [call for call, _ in CALLS]}
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", LITE_RUNNER], input=json.dumps(request), capture_output=True,
                          text=True, env=env, cwd=workbooks["folder"], timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    report["by_job"] = dict(zip(JOBS, report["runs"]))
    report["books"] = {name: job["book"] for name, job in zip(JOBS, jobs)}
    return report


def file_refresh(path: Path, out: Path) -> dict:
    """The file path's Scorecard, read back by other readers: values, fills, widths and heights."""
    scorecard_xl.refresh(path, out=out)
    values = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Scorecard").to_python(skip_empty_area=False)
    sheet = openpyxl_sheet(out, "Scorecard")
    fills = {(c.row - 1, c.column - 1): "#" + c.fill.fgColor.rgb[-6:].upper()
             for line in sheet.iter_rows() for c in line if c.fill is not None and c.fill.fill_type == "solid"}
    widths = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.customWidth:
            for column in range(dimension.min - 1, dimension.max):
                # Excel shows a stored width as whole pixels (7 a character in Calibri 11), 3/4 pt each.
                widths[column] = round(dimension.width * 7) * 0.75
    heights = {r - 1: d.height for r, d in sheet.row_dimensions.items() if d.height is not None}
    return {"values": {(r, c): v for r, line in enumerate(values) for c, v in enumerate(line) if v != ""},
            "fills": fills, "widths": widths, "heights": heights}


def sized(actions: list[dict], func: str) -> dict[int, float]:
    """Column (or row) index -> the size that ``func`` actions set on the Scorecard."""
    found = {}
    for action in actions:
        if action["func"] == func:
            start, count = ((action["start_column"], action["column_count"]) if func == "setColumnWidth"
                            else (action["start_row"], action["row_count"]))
            for index in range(start, start + count):
                found[index] = action["args"][0]
    return found


# ------------------------------------------------------------------------- import hygiene

def test_the_lite_path_imports_nothing_pyodide_lacks_and_writes_no_file(lite_run):
    assert lite_run["attempted"] == []
    assert not set(PYODIDE_LACKS) & set(lite_run["loaded"])
    assert lite_run["writes"] == []
    assert all("error" not in run for run in lite_run["runs"]), [run.get("error") for run in lite_run["runs"]]


def test_the_import_blocker_and_write_recorder_would_notice(tmp_path):
    """The child's guards are live: importing a blocked package, or writing a file, is caught."""
    probe = tmp_path / "main.py"
    probe.write_text("open(__file__ + '.out', 'w').close()\ntry:\n    import rich\nexcept ImportError:\n    pass\n")
    request = {"main_dir": str(tmp_path), "blocked": PYODIDE_LACKS, "jobs": [], "calls": []}
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", LITE_RUNNER], input=json.dumps(request), capture_output=True,
                          text=True, env=env, timeout=300)
    report = json.loads(done.stdout)
    assert report["attempted"] == ["rich"]
    assert len(report["writes"]) == 1 and "main.py.out" in report["writes"][0]


# ------------------------------------------------------------------------------ registration

def test_main_registers_both_scripts_and_every_worksheet_function(lite_run):
    scripts = {s["function_name"]: s["name"] for s in lite_run["scripts"]}
    assert scripts == {"refresh_scorecard": "Refresh scorecard", "check_data": "Check data"}
    functions = [f["name"] for f in lite_run["functions"]["functions"]]
    assert sorted(functions) == sorted(f.__name__ for f in udfs.WORKSHEET_FUNCTIONS)


# ---------------------------------------------------------------------------- the scripts

def test_refresh_gives_the_file_paths_values_fills_and_widths(lite_run, workbooks, tmp_path):
    expected = file_refresh(workbooks["sample"], tmp_path / "file.xlsx")
    run = lite_run["by_job"]["refresh"]
    assert run["printed"].startswith("Refreshed sample.xlsx: 44 indicators, reporting month Feb-21.")
    live = apply_actions(lite_run["books"]["refresh"], run["actions"])["Scorecard"]
    assert live["values"].keys() == expected["values"].keys()
    for position, value in expected["values"].items():
        assert live["values"][position] == (pytest.approx(value) if isinstance(value, float) else value), position
    assert live["fills"] == expected["fills"] and "#C00000" in live["fills"].values()
    # Lite sets widths in points (the desktop in characters): the same width on screen either way.
    widths = sized(run["actions"], "setColumnWidth")
    assert widths.keys() == expected["widths"].keys()
    for column, points in expected["widths"].items():
        assert widths[column] == pytest.approx(points, abs=0.375), (column, widths[column], points)
    heights = sized(run["actions"], "setRowHeight")
    assert {r: h for r, h in heights.items() if r in expected["heights"]} == pytest.approx(expected["heights"])


def test_the_first_refresh_of_a_new_workbook_works_without_a_reported_print_area(lite_run):
    """`scorecard new` marks its placeholder with the tool's own name, which every client sends."""
    books = lite_run["books"]["first_refresh_no_print_area"]
    assert all(sheet["print_area"] is None for sheet in books["sheets"])
    assert any(name["name"] == "_scorecard_xl_area" and name["scope_sheet_name"] == "Scorecard"
               for name in books["names"])
    run = lite_run["by_job"]["first_refresh_no_print_area"]
    assert run["printed"].startswith("Refreshed sample.xlsx: 44 indicators")
    assert Counter(a["func"] for a in run["actions"]) == Counter(a["func"] for a in lite_run["by_job"]["refresh"]["actions"])


def test_a_refusal_is_printed_in_plain_words_and_changes_nothing(lite_run):
    run = lite_run["by_job"]["refresh_bad"]
    assert run["actions"] == []
    lines = run["printed"].splitlines()
    assert lines[:2] == ["Scorecard not refreshed.", "The workbook has 2 problems to fix first:"]
    assert lines[2].startswith("  - Indicators!D2: Unit is 'Furlongs'.")
    assert lines[3].startswith("  - Indicators!C3: Polarity is 'Upwards'.")
    assert lines[4] == "Nothing in the workbook was changed."
    assert "Traceback" not in run["printed"]


def test_a_sheet_of_someone_elses_called_scorecard_is_left_alone(lite_run):
    run = lite_run["by_job"]["refresh_theirs"]
    assert run["actions"] == []
    lines = run["printed"].splitlines()
    assert lines[0] == "Scorecard not refreshed."
    assert lines[1].startswith("The Scorecard sheet has content the tool did not write where the new scorecard goes: A1.")
    assert lines[1].endswith("Nothing was changed.") and len([line for line in lines if "changed" in line]) == 1


def test_check_data_says_what_a_refresh_would_refuse(lite_run):
    run = lite_run["by_job"]["check_theirs"]
    assert run["actions"] == []
    assert run["printed"].startswith("The Scorecard sheet has content the tool did not write where the new "
                                     "scorecard goes: A1.")


def test_check_data_prints_the_counts_and_changes_nothing(lite_run):
    good, bad = lite_run["by_job"]["check"], lite_run["by_job"]["check_bad"]
    assert good["actions"] == [] and bad["actions"] == []
    assert good["printed"].startswith("No errors: 44 indicators, reporting month Feb-21.")
    assert bad["printed"].startswith("The workbook has 2 problems to fix first:")
    assert "Indicators!D2" in bad["printed"] and "Indicators!C3" in bad["printed"]


def test_what_lite_cannot_do_is_said_once(lite_run):
    printed = [run["printed"] for run in lite_run["runs"]]
    assert printed[0].count(lite.LITE_LIMITS) == 1
    assert sum(text.count(lite.LITE_LIMITS) for text in printed) == 1
    assert "email copy" in lite.LITE_LIMITS and "Version History" in lite.LITE_LIMITS


def test_worksheet_functions_through_lites_call(lite_run):
    for (call, direct), result in zip(CALLS, lite_run["calls"]):
        expected = direct()
        assert result == (expected if isinstance(expected, list) else [[expected]]), call[0]


# ---------------------------------------------------------------------------- the payload

def test_actions_do_not_grow_with_cells(lite_run):
    """Four times the indicators: the same actions; only the value and colour grids grow."""
    small, large = lite_run["by_job"]["refresh_x1"], lite_run["by_job"]["refresh_x4"]
    assert Counter(a["func"] for a in small["actions"]) == Counter(a["func"] for a in large["actions"])
    grids = {"setValues", "setRangeColors"}

    def formatting_bytes(run):
        return len(json.dumps([a for a in run["actions"] if a["func"] not in grids]))

    assert formatting_bytes(large) == pytest.approx(formatting_bytes(small), rel=0.02)
    assert large["response_bytes"] < 2.5 * small["response_bytes"]


def test_measurements_for_the_readme(lite_run):
    """Prints what the README's table reports (run with -s to see it)."""
    for name in ("refresh", "refresh_x1", "refresh_x4"):
        run = lite_run["by_job"][name]
        print(f"{name}: request {run['request_bytes']:,} B, {len(run['actions'])} actions, "
              f"response {run['response_bytes']:,} B, {run['seconds']:.2f} s")
        assert run["response_bytes"] > 0


# ------------------------------------------------------------------ queued changes on failure

def test_a_refusal_after_writes_were_queued_discards_them(monkeypatch, workbooks, capsys):
    import scorecard_xl.update.refresh as refreshing

    book = open_remote(workbooks["sample"])

    def refuses_midway(target, **_):
        target.sheets[0]["A1"].value = "half a scorecard"
        raise WorkbookError("Excel refused to update the Scorecard sheet.")

    monkeypatch.setattr(refreshing, "refresh", refuses_midway)
    lite.refresh_scorecard(book)  # returns normally: Lite then applies what is queued, i.e. nothing
    assert book.json()["actions"] == []
    assert "Excel refused to update the Scorecard sheet." in capsys.readouterr().out


def test_a_fault_of_ours_is_said_plainly_and_raised_with_nothing_queued(monkeypatch, workbooks, capsys):
    import scorecard_xl.update.refresh as refreshing

    book = open_remote(workbooks["sample"])

    def fails(target, **_):
        target.sheets[0]["A1"].value = "half a scorecard"
        raise KeyError("boom")

    monkeypatch.setattr(refreshing, "refresh", fails)
    with pytest.raises(KeyError):
        lite.refresh_scorecard(book)  # Lite shows the traceback and applies nothing
    assert book.json()["actions"] == []
    out = capsys.readouterr().out
    assert "through a fault of its own" in out and "(For support: KeyError: 'boom')" in out
