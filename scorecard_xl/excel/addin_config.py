"""The Excel add-ins' settings: myaddin.conf, where it lives and what it must say.

Each add-in of the Scorecard tab is xlwings' compiled "myaddin" project (see addin.py), so all
of them read the same ``myaddin.conf`` (a sheet of that name in the workbook, a file beside it,
or the user file), not xlwings.conf.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from ..problems import WorkbookError

CONFIG_NAME = "myaddin"  # PROJECT_NAME in the quickstart add-in's compiled VBA
UDF_MODULE = "scorecard_xl.excel.udfs"
WINDOWS, MAC = "win32", "darwin"
_SYSTEM_NAMES = {WINDOWS: "Windows", MAC: "Mac"}
# Where Excel opens add-ins from at start-up (Application.StartupPath), for people to read;
# install_addins asks Excel itself, through xlwings.
USER_STARTUP_FOLDER = {
    WINDOWS: r"%APPDATA%\Microsoft\Excel\XLSTART",
    MAC: "~/Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel",
}
_INTERPRETER_KEY = {WINDOWS: "INTERPRETER_WIN", MAC: "INTERPRETER_MAC"}
_EXAMPLE_INTERPRETER = {WINDOWS: r"C:\path\to\venv\Scripts\python.exe", MAC: "/path/to/venv/bin/python"}


def _system(system: str | None = None) -> str:
    system = (system or sys.platform).lower()
    if system.startswith("win"):
        return WINDOWS
    if system in ("darwin", "mac", "macos", "osx"):
        return MAC
    return system


def _systems(system: str | None) -> list[str]:
    chosen = _system(system)
    return [chosen] if chosen in (WINDOWS, MAC) else [WINDOWS, MAC]


# ---------------------------------------------------------------------------- configuration

def user_config_path(system: str | None = None, home: Path | str | None = None) -> Path:
    """The add-in's user settings file (GetConfigFilePath in its VBA)."""
    home = Path(home) if home is not None else Path.home()
    if _system(system) == MAC:
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / f"{CONFIG_NAME}.conf"
    return home / f".{CONFIG_NAME}" / f"{CONFIG_NAME}.conf"


def xlwings_config_path(system: str | None = None, home: Path | str | None = None) -> Path:
    """xlwings' own settings file (read by the xlwings add-in, not by ours)."""
    home = Path(home) if home is not None else Path.home()
    if _system(system) == MAC:
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
    return home / ".xlwings" / "xlwings.conf"


def read_config_file(path: Path | str) -> dict[str, str]:
    """Settings of a ``"KEY","value"`` file as VBA's ``Input #`` reads them: upper-case key -> value.

    The first line for a key wins, as in the add-in's GetConfigFromFile.
    """
    path = Path(path)
    if not path.is_file():
        return {}
    settings: dict[str, str] = {}
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    for row in csv.reader(text.splitlines(), skipinitialspace=True):
        if not row or not row[0].strip():
            continue
        key = row[0].strip().upper()
        value = row[1].strip() if len(row) > 1 else ""
        settings.setdefault(key, value)
    return settings


def _read_config_sheet(workbook: Path) -> dict[str, str]:
    """A ``myaddin.conf`` sheet in the workbook: keys in column A from A1 down, values in column B."""
    from ..read.workbook import read_workbook

    wanted = f"{CONFIG_NAME}.conf".casefold()
    try:  # the workbook's own reader: bounded memory whatever the sheet holds
        sheets = read_workbook(workbook, wanted=lambda name: name.casefold() == wanted)
    except Exception:
        return {}
    if not sheets:
        return {}
    settings: dict[str, str] = {}
    for row in sheets[0].rows:
        key = str(row[0]).strip() if len(row) and row[0] is not None else ""
        if not key:
            break
        value = row[1] if len(row) > 1 and row[1] is not None else ""
        settings.setdefault(key.upper(), str(value))
    return settings


def _settings(system: str, home: Path, workbook: Path | None) -> dict[str, tuple[str, str]]:
    """Key -> (value, where it was found), in the add-in's order: sheet, folder, user file."""
    layers: list[tuple[str, dict[str, str]]] = []
    if workbook is not None:
        workbook = Path(workbook)
        layers.append((f"the {CONFIG_NAME}.conf sheet of {workbook.name}", _read_config_sheet(workbook)))
        folder_file = workbook.parent / f"{CONFIG_NAME}.conf"
        layers.append((str(folder_file), read_config_file(folder_file)))
    user_file = user_config_path(system, home)
    layers.append((str(user_file), read_config_file(user_file)))
    found: dict[str, tuple[str, str]] = {}
    for where, settings in layers:
        for key, value in settings.items():
            found.setdefault(key, (value, where))  # a key present but empty still hides later layers
    return found


def check_configuration(home: Path | str | None = None, *, system: str | None = None,
                        workbook: Path | str | None = None, try_interpreter: bool = True) -> list[str]:
    """What the add-in's settings lack, and how to fix it, in plain English; [] when all is well.

    Looks where the add-in looks (its VBA's GetConfig): a ``myaddin.conf`` sheet in ``workbook``,
    a ``myaddin.conf`` file beside it, then the user file (:func:`user_config_path`). ``system``
    "win32" or "darwin" checks for that system; by default the running one, or both on a computer
    without Excel. UDF MODULES is checked for Windows only (Excel for Mac has no Python worksheet
    functions). On the running system the interpreter is also started to see that it can import
    scorecard_xl (``try_interpreter``).
    """
    home = Path(home) if home is not None else Path.home()
    systems = _systems(system)
    messages: list[str] = []
    for chosen in systems:
        prefix = f"{_SYSTEM_NAMES[chosen]}: " if len(systems) > 1 else ""
        messages += [prefix + m for m in _check_system(chosen, home, workbook, try_interpreter)]
    return messages


def _check_system(system: str, home: Path, workbook, try_interpreter: bool) -> list[str]:
    messages = []
    found = _settings(system, home, Path(workbook) if workbook is not None else None)
    settings = {key: found_ for key, found_ in found.items() if found_[0].strip()}
    blank = {key: where for key, (value, where) in found.items() if not value.strip()}
    user_file = user_config_path(system, home)
    xlwings_settings = read_config_file(xlwings_config_path(system, home))
    running_here = _system() == system

    def elsewhere(key: str) -> str:
        if xlwings_settings.get(key):
            return (f" Your xlwings settings ({xlwings_config_path(system, home)}) have {key}, but this add-in "
                    f"reads {CONFIG_NAME}.conf, not xlwings.conf: copy that line across.")
        return ""

    key = _INTERPRETER_KEY[system]
    interpreter = settings.get(key) or settings.get("INTERPRETER")
    conda = system == WINDOWS and settings.get("CONDA PATH") and settings.get("CONDA ENV")
    if not interpreter and not conda:
        example = sys.executable if running_here else _EXAMPLE_INTERPRETER[system]
        target = blank.get(key, user_file)
        action = (f"fill in {key}, which is empty in {target}," if key in blank
                  else f"add the line \"{key}\",\"{example}\" to {user_file} (create the file if it does not exist),")
        messages.append(
            f"The add-in does not know which Python to run: {action} using the "
            "Python that has scorecard_xl installed. Without it Excel runs whichever 'python' it finds "
            "first, which usually does not have scorecard_xl, and the buttons fail. "
            f"`scorecard addin install` adds this line for you.{elsewhere(key)}")
    elif interpreter and running_here:
        value, where = interpreter
        program = Path(os.path.expandvars(value))
        if value not in ("python", "pythonw") and not program.is_file():
            messages.append(
                f"{key} in {where} is {value}, and there is no such file. Write the full path of the "
                f"Python that has scorecard_xl installed, e.g. {sys.executable}.")
        elif try_interpreter:
            problem = _interpreter_problem(str(program) if value not in ("python", "pythonw") else value)
            if problem:
                messages.append(f"{key} in {where} is {value}, but {problem}")

    udf = settings.get("UDF MODULES")
    if system != WINDOWS:
        pass  # worksheet functions from Python work in Excel for Windows only
    elif not udf:
        action = (f"fill in UDF MODULES, which is empty in {blank['UDF MODULES']}, with {UDF_MODULE}"
                  if "UDF MODULES" in blank
                  else f"add the line \"UDF MODULES\",\"{UDF_MODULE}\" to {user_file}")
        messages.append(
            f"The worksheet functions (=DOT, =RAG, =PCTCHANGE, ...) are not set up: {action}. "
            f"`scorecard addin install` adds this line for you.{elsewhere('UDF MODULES')}")
    else:
        value, where = udf
        modules = [m.strip() for m in value.split(";") if m.strip()]
        if UDF_MODULE not in modules:
            messages.append(
                f"UDF MODULES in {where} is \"{value}\", which does not include {UDF_MODULE}: "
                f"change it to \"{';'.join(modules + [UDF_MODULE])}\".")

    if system == MAC and running_here:
        import xlwings

        script = (home / "Library" / "Application Scripts" / "com.microsoft.Excel"
                  / f"xlwings-{xlwings.__version__}.applescript")
        if not script.is_file():
            messages.append(
                "On a Mac, Excel needs xlwings' helper script to start Python: run "
                "`xlwings runpython install` in Terminal once (`scorecard addin install` does it too).")
    return messages


def _interpreter_problem(interpreter: str) -> str | None:
    """Why ``interpreter`` cannot run the add-in's Python side, or None when it can."""
    check = "import scorecard_xl, xlwings"
    try:
        result = subprocess.run([interpreter, "-c", check], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as failure:
        return f"it could not be started ({failure})."
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        return (f"it cannot import scorecard_xl and xlwings ({last}). Install scorecard_xl into that Python, "
                f"or point the setting at the one that has it, e.g. {sys.executable}.")
    return None


def write_configuration(home: Path | str | None = None, *, system: str | None = None,
                        interpreter: str | None = None) -> Path:
    """Give the user file the settings the add-in needs, leaving every setting already made as it is.

    Sets ``"INTERPRETER_WIN"`` (or ``_MAC``) to ``interpreter`` (default: this Python) when no
    interpreter is set, and on Windows ``"UDF MODULES"`` to scorecard_xl.excel.udfs when it is not set. A key
    present with an empty value is filled in on its own line (the add-in reads the first line
    for a key); other lines are kept as they are. Returns the file's path.
    """
    chosen = _system(system)
    if chosen not in (WINDOWS, MAC):
        raise WorkbookError("the add-in's settings are for Excel on Windows or Mac; give system='win32' or 'darwin'.")
    path = user_config_path(chosen, home)
    existing = read_config_file(path)
    wanted: dict[str, str] = {}
    key = _INTERPRETER_KEY[chosen]
    if not (existing.get(key) or existing.get("INTERPRETER")
            or (chosen == WINDOWS and existing.get("CONDA PATH") and existing.get("CONDA ENV"))):
        wanted[key] = interpreter or sys.executable
    if chosen == WINDOWS and not existing.get("UDF MODULES"):  # worksheet functions: Windows only
        wanted["UDF MODULES"] = UDF_MODULE
    if not wanted:
        return path
    lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines() if path.is_file() else []
    written = []
    for line in lines:
        row = next(csv.reader([line], skipinitialspace=True), [])
        line_key = row[0].strip().upper() if row else ""
        if line_key in wanted:
            written.append(f'"{line_key}","{wanted.pop(line_key)}"')
        else:
            written.append(line)
    written += [f'"{k}","{v}"' for k, v in wanted.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:  # text mode: CRLF on Windows, as VBA's Input # expects
        handle.write("\n".join(written) + "\n")
    return path
