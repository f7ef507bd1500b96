"""The Excel add-in, checked statically: no Excel needed.

The built scorecard_xl.xlam is read back as a zip, its ribbon XML with lxml and its compiled VBA
with oletools; every ribbon callback must exist in VBA and every RunPython command must name a
real Python callable.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from oletools.olevba import VBA_Parser

from scorecard_xl.excel import addin

MACROS = Path(__file__).resolve().parent.parent / "macros"
RIBBON_NS = "http://schemas.microsoft.com/office/2009/07/customui"
OFFICE_2010_RIBBON_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"


# ------------------------------------------------------------------------------ VBA reading

def vba_modules(xlam: Path) -> dict[str, str]:
    """Module name -> source, from the compiled VBA of an Office file (oletools)."""
    parser = VBA_Parser(str(xlam))
    try:
        assert parser.detect_vba_macros(), f"{xlam.name} has no VBA"
        return {Path(vba_filename).stem: code for _, _, vba_filename, code in parser.extract_macros()}
    finally:
        parser.close()


def _logical_lines(code: str) -> list[str]:
    """Source lines with ' _' continuations joined and comments removed."""
    code = re.sub(r" _\r?\n", " ", code)
    lines = []
    for line in code.splitlines():
        in_string = False
        for i, char in enumerate(line):
            if char == '"':
                in_string = not in_string
            elif char == "'" and not in_string:
                line = line[:i]
                break
        if re.match(r"\s*Rem\b", line, re.I):
            line = ""
        lines.append(line.rstrip())
    return lines


_PROCEDURE = re.compile(
    r"^\s*(?P<scope>Public\s+|Private\s+|Friend\s+)?(?:Static\s+)?(?P<kind>Sub|Function)\s+(?P<name>\w+)"
    r"\s*\((?P<params>[^)]*)\)", re.I)


def procedures(code: str) -> dict[str, dict]:
    """Name -> {kind, scope, params, body lines} for every Sub and Function of a module."""
    found: dict[str, dict] = {}
    current = None
    for line in _logical_lines(code):
        header = _PROCEDURE.match(line)
        if header and current is None:
            current = {"kind": header["kind"].lower(), "scope": (header["scope"] or "").strip().lower(),
                       "params": [p.strip() for p in header["params"].split(",") if p.strip()], "body": []}
            found[header["name"]] = current
        elif current is not None and re.match(r"^\s*End\s+(Sub|Function)\b", line, re.I):
            current = None
        elif current is not None:
            current["body"].append(line)
    return found


def is_ribbon_callback(procedure: dict) -> bool:
    return (procedure["kind"] == "sub" and procedure["scope"] != "private" and len(procedure["params"]) == 1
            and re.fullmatch(r"(ByRef\s+|ByVal\s+)?\w+\s+As\s+IRibbonControl", procedure["params"][0], re.I)
            is not None)


def vba_module_name(file_name: str) -> str:
    """What RunMain imports: Left(ThisWorkbook.Name, InStrRev(ThisWorkbook.Name, ".") - 1)."""
    return file_name[: file_name.rindex(".")]


_FILE_STEM = re.sub(r"\s", "", 'Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))')


def evaluate_vba_string(expression: str, variables: dict[str, str], file_name: str) -> str:
    """A VBA string expression made of literals, variables, & and the file-stem idiom of RunMain."""
    expression = expression.strip()
    if re.sub(r"\s", "", expression).lower() == _FILE_STEM.lower():
        return vba_module_name(file_name)
    tokens = [t.strip() for t in re.findall(r'"(?:[^"]|"")*"|&|[^&"]+', expression) if t.strip()]
    assert tokens and "".join(tokens) == re.sub(r'\s+(?=(?:[^"]*"[^"]*")*[^"]*$)', "", expression), expression
    pieces, operators = tokens[0::2], tokens[1::2]
    assert set(operators) <= {"&"} and "&" not in pieces, f"not a string concatenation: {expression!r}"
    value = ""
    for piece in pieces:
        if piece.startswith('"'):
            value += piece[1:-1].replace('""', '"')
        elif piece.lower() in variables:
            value += variables[piece.lower()]
        else:
            raise AssertionError(f"cannot evaluate {piece!r} in the VBA expression {expression!r}")
    return value


def runpython_commands(modules: dict[str, str], file_name: str) -> list[tuple[str, str]]:
    """(where, Python command) for every RunPython call in the modules, evaluated as VBA would."""
    commands = []
    for module, code in modules.items():
        for name, procedure in procedures(code).items():
            variables: dict[str, str] = {}
            for line in procedure["body"]:
                call = re.match(r"^\s*(?:Call\s+)?RunPython\b(?!\s*=)\s*(.+)$", line, re.I)
                if call:
                    argument = call.group(1).strip()
                    if argument.startswith("(") and argument.endswith(")"):
                        argument = argument[1:-1]
                    commands.append((f"{module}.{name}", evaluate_vba_string(argument, variables, file_name)))
                    continue
                assignment = re.match(r"^\s*(?:Let\s+)?(\w+)\s*=\s*(.+)$", line, re.I)
                if assignment:
                    try:
                        variables[assignment.group(1).lower()] = evaluate_vba_string(
                            assignment.group(2), variables, file_name)
                    except AssertionError:
                        pass  # not a string we need
    return commands


def python_targets(command: str) -> list[tuple[str, str]]:
    """(module, attribute path) of every call in a RunPython command such as 'import m as a; a.f()'."""
    tree = ast.parse(command)
    bound: dict[str, str] = {}
    imported: set[str] = set()
    targets = []
    for statement in tree.body:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                imported.add(alias.name)
                bound[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            parts = []
            node = statement.value.func
            while isinstance(node, ast.Attribute):
                parts.insert(0, node.attr)
                node = node.value
            assert isinstance(node, ast.Name) and node.id in bound, f"{command!r} calls something it did not import"
            dotted = ".".join([bound[node.id]] + parts)
            module = max((m for m in imported if dotted.startswith(m + ".")), key=len)
            targets.append((module, dotted[len(module) + 1:]))
        else:
            raise AssertionError(f"{command!r} does more than import and call: {ast.dump(statement)}")
    assert targets, f"{command!r} calls nothing"
    return targets


def resolve(module: str, attribute: str):
    value = importlib.import_module(module)
    for part in attribute.split("."):
        value = getattr(value, part)
    return value


def ribbon_root(xlam: Path):
    parts = addin.ribbon_parts(xlam)
    assert len(parts) == 1, parts
    (part,) = parts
    with zipfile.ZipFile(xlam) as archive:
        return etree.fromstring(archive.read(part))


def on_actions(root) -> dict[str, str]:
    """Control label -> onAction callback."""
    return {element.get("label", element.get("id")): element.get("onAction")
            for element in root.iter() if element.get("onAction") is not None}


# --------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return addin.build_addin(tmp_path_factory.mktemp("addin"))


@pytest.fixture(scope="module")
def built_vba(built) -> dict[str, str]:
    return vba_modules(built)


# ----------------------------------------------------------------------------- the package

def test_build_makes_a_valid_zip_that_xlwings_imports_as_scorecard_xl(built):
    assert built.name == "scorecard_xl.xlam"
    assert zipfile.is_zipfile(built)
    with zipfile.ZipFile(built) as archive:
        assert archive.testzip() is None
    # RunMain imports the add-in's file name without its extension: that must be our package.
    assert vba_module_name(built.name) == addin.ADDIN_MODULE == "scorecard_xl"
    assert importlib.util.find_spec(vba_module_name(built.name)) is not None


def test_only_the_ribbon_part_differs_from_xlwings_quickstart(built):
    quickstart = addin.quickstart_addin()
    ribbon = set(addin.ribbon_parts(built))
    assert ribbon == {"customUI/customUI.xml"}
    with zipfile.ZipFile(quickstart) as before, zipfile.ZipFile(built) as after:
        assert after.namelist() == before.namelist()
        for name in before.namelist():
            if name in ribbon:
                assert after.read(name) == (MACROS / "customUI.xml").read_bytes()
                assert after.read(name) != before.read(name)
            else:  # vbaProject.bin, _rels/.rels and [Content_Types].xml included
                assert after.read(name) == before.read(name), f"{name} changed"
                assert after.getinfo(name).compress_type == before.getinfo(name).compress_type


def test_rebuilding_keeps_the_previous_addin(tmp_path):
    first = addin.build_addin(tmp_path)
    with zipfile.ZipFile(first, "a") as archive:  # as if a module had been imported and saved
        archive.writestr("xl/imported-by-hand.txt", "ScorecardButtons")
    kept_before = first.read_bytes()
    second = addin.build_addin(tmp_path)
    assert second == first and second.read_bytes() != kept_before
    (backup,) = (tmp_path / "scorecard backups").glob("scorecard_xl *.xlam")
    assert backup.read_bytes() == kept_before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp.xlam")]


def test_ribbon_is_well_formed_customui_in_the_office_2010_part(built):
    parts = addin.ribbon_parts(built)
    assert list(parts.values()) == [OFFICE_2010_RIBBON_RELATIONSHIP]  # the part type of the 2009/07 namespace
    root = ribbon_root(built)
    assert root.tag == f"{{{RIBBON_NS}}}customUI"
    assert all(e.tag.startswith(f"{{{RIBBON_NS}}}") for e in root.iter() if isinstance(e.tag, str))
    with zipfile.ZipFile(built) as archive:
        assert addin._content_type(archive.read("[Content_Types].xml"), next(iter(parts))) == "application/xml"
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[A-Za-z_][\w.-]*", i) for i in ids)
    (tab,) = root.iter(f"{{{RIBBON_NS}}}tab")
    assert tab.get("label") == "Scorecard"
    buttons = {b.get("label"): b for b in root.iter(f"{{{RIBBON_NS}}}button")}
    assert set(buttons) == {"Refresh scorecard"}  # each other button is an add-in of its own (test_ribbon_addins.py)
    refresh = buttons["Refresh scorecard"]
    assert refresh.get("size") == "large" and refresh.get("imageMso") == "Refresh"
    for button in buttons.values():
        assert button.get("imageMso") and button.get("screentip") and button.get("supertip")
        assert len(button.get("supertip")) <= 1024


def test_refresh_button_calls_a_callback_compiled_into_the_addin(built, built_vba):
    callback = on_actions(ribbon_root(built))["Refresh scorecard"]
    assert callback == addin.REFRESH_CALLBACK
    module, sub = callback.split(".")
    assert module in built_vba, f"the add-in's VBA has no module {module}"
    procedure = procedures(built_vba[module]).get(sub)
    assert procedure is not None, f"{module} has no Sub {sub}"
    assert is_ribbon_callback(procedure), procedure["params"]


def test_addin_vba_runs_scorecard_xl_main(built, built_vba):
    commands = runpython_commands(built_vba, built.name)
    assert commands == [("RibbonMyAddin.RunMain", "import scorecard_xl;scorecard_xl.main()")]
    for _, command in commands:
        assert '"' not in command  # ExecuteWindows puts the command inside double quotes
        for module, attribute in python_targets(command):
            assert callable(getattr(importlib.import_module(module), attribute, None)), (
                f"{module}.{attribute} is missing: the Refresh scorecard button would fail")


def test_settings_file_name_is_the_one_compiled_into_the_addin(built_vba):
    project = re.search(r'PROJECT_NAME As String = "(\w+)"', built_vba["xlwings"])
    assert project and project.group(1) == addin.CONFIG_NAME
    body = "\n".join(procedures(built_vba["xlwings"])["GetConfigFilePath"]["body"])
    assert '"\\." & PROJECT_NAME & "\\" & PROJECT_NAME & ".conf"' in body  # Windows
    assert '"/" & PROJECT_NAME & ".conf"' in body  # Mac
    home = Path("/home/someone")
    assert addin.user_config_path("win32", home) == home / ".myaddin" / "myaddin.conf"
    assert addin.user_config_path("darwin", home) == (
        home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "myaddin.conf")


# ------------------------------------------------------------------------- configuration

def test_check_configuration_on_an_empty_home_reports_interpreter_and_udf_modules(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    messages = addin.check_configuration(system="win32")
    assert len(messages) == 2, messages
    interpreter, udfs = messages
    assert '"INTERPRETER_WIN"' in interpreter and str(tmp_path / ".myaddin" / "myaddin.conf") in interpreter
    assert '"UDF MODULES","scorecard_xl.excel.udfs"' in udfs
    importlib.import_module(addin.UDF_MODULE)  # the module the setting names exists
    mac = addin.check_configuration(system="darwin")
    assert len(mac) == 1 and '"INTERPRETER_MAC"' in mac[0]
    if sys.platform not in ("win32", "darwin"):  # no Excel here: both systems are checked
        text = "\n".join(addin.check_configuration())
        assert "INTERPRETER_WIN" in text and "INTERPRETER_MAC" in text and "scorecard_xl.excel.udfs" in text


def test_written_configuration_satisfies_the_check_and_keeps_other_lines(tmp_path):
    config = addin.user_config_path("win32", tmp_path)
    config.parent.mkdir(parents=True)
    config.write_text('"Show Console","True"\n"UDF MODULES",""\n')
    addin.write_configuration(tmp_path, system="win32", interpreter=r"C:\envs\scorecard\python.exe")
    assert addin.read_config_file(config) == {
        "SHOW CONSOLE": "True", "UDF MODULES": "scorecard_xl.excel.udfs", "INTERPRETER_WIN": r"C:\envs\scorecard\python.exe"}
    assert addin.check_configuration(tmp_path, system="win32") == []


def test_settings_left_in_xlwings_conf_are_pointed_out(tmp_path):
    xlwings_conf = addin.xlwings_config_path("win32", tmp_path)
    xlwings_conf.parent.mkdir(parents=True)
    xlwings_conf.write_text('"INTERPRETER_WIN","C:\\Python\\python.exe"\n')
    (message, _) = addin.check_configuration(tmp_path, system="win32")
    assert "reads myaddin.conf, not xlwings.conf" in message


def test_udf_modules_without_ours_and_an_empty_sheet_setting_are_reported(tmp_path):
    import openpyxl

    addin.write_configuration(tmp_path, system="win32", interpreter=r"C:\Python\python.exe")
    config = addin.user_config_path("win32", tmp_path)
    config.write_text(config.read_text().replace("scorecard_xl.excel.udfs", "my_functions"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "myaddin.conf"
    sheet.append(["Interpreter_Win", None])  # present but empty: hides the user file's setting
    workbook = tmp_path / "scorecard.xlsx"
    book.save(workbook)
    interpreter, udfs = addin.check_configuration(tmp_path, system="win32", workbook=workbook)
    assert "empty in the myaddin.conf sheet of scorecard.xlsx" in interpreter
    assert '"my_functions;scorecard_xl.excel.udfs"' in udfs
