"""The xlwings Lite edition's files, as `scorecard lite` writes them, and what they install.

How the files run in xlwings Lite is test_lite.py's part; this one reads them as text.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from scorecard_xl.excel import lite, lite_code, udfs
from scorecard_xl.problems import WorkbookError

ROOT = Path(__file__).resolve().parents[1]
# What Pyodide ships built for WebAssembly, or what is pure Python: all the Lite path may need.
PYODIDE_HAS = {"numpy", "pandas", "lxml", "openpyxl", "xlsxwriter", "xlwings"}


def test_package_dependencies_install_under_pyodide():
    """micropip reads the wheel's requirements with their markers; under Pyodide sys_platform is
    'emscripten', and only what Pyodide has may be left."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(text) for text in project["dependencies"]]
    pyodide = {"sys_platform": "emscripten", "platform_system": "Emscripten"}
    under_pyodide = {r.name.lower() for r in requirements if r.marker is None or r.marker.evaluate(pyodide)}
    assert under_pyodide <= PYODIDE_HAS, under_pyodide - PYODIDE_HAS
    on_desktop = {r.name.lower() for r in requirements if r.marker is None or r.marker.evaluate()}
    assert {"python-calamine", "msoffcrypto-tool", "rich"} <= on_desktop


def test_scripts_are_defined_in_main_for_lites_that_read_its_source(tmp_path):
    """Older Lite lists the scripts by reading main.py for functions decorated with script."""
    (main, _) = lite_code.write_lite_files(tmp_path, "9.9")
    tree = ast.parse(main.read_text())
    defined = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert set(defined) == {"refresh_scorecard", "check_data"}
    for name, node in defined.items():
        assert any("script" in ast.unparse(d) for d in node.decorator_list)
        assert ast.unparse(node.args.args[0].annotation) == "xw.Book"
        assert f"lite.{name}(book)" in ast.unparse(node)
        assert callable(getattr(lite, name))


def test_a_worksheet_function_added_later_is_imported_without_changing_the_generator(monkeypatch, tmp_path):
    def FORECAST12M(values):  # noqa: N802 (an Excel function name)
        return values

    monkeypatch.setattr(udfs, "WORKSHEET_FUNCTIONS", udfs.WORKSHEET_FUNCTIONS + (FORECAST12M,))
    (main, _) = lite_code.write_lite_files(tmp_path, "9.9")
    tree = ast.parse(main.read_text())
    (imported,) = [node for node in tree.body if isinstance(node, ast.ImportFrom) and node.module.endswith(".udfs")]
    assert [alias.name for alias in imported.names] == [f.__name__ for f in udfs.WORKSHEET_FUNCTIONS]
    assert "FORECAST12M" in [alias.name for alias in imported.names] and "=FORECAST12M" in ast.get_docstring(tree)


def test_main_registers_spc(tmp_path):
    (main, _) = lite_code.write_lite_files(tmp_path, "9.9")
    tree = ast.parse(main.read_text())
    (imported,) = [node for node in tree.body if isinstance(node, ast.ImportFrom) and node.module.endswith(".udfs")]
    assert "SPC" in [alias.name for alias in imported.names] and "=SPC" in ast.get_docstring(tree)


# ------------------------------------------------------------------------------- the files

def test_requirements_name_the_package_and_a_recent_enough_xlwings(tmp_path):
    import xlwings

    (_, requirements) = lite_code.write_lite_files(tmp_path, "1.2.3")
    lines = requirements.read_text().splitlines()
    assert not [line for line in lines if line.lstrip().startswith("#") or not line.strip()]
    parsed = {Requirement(line).name: Requirement(line) for line in lines}
    assert str(parsed["scorecard_xl"].specifier) == "==1.2.3"
    assert parsed["xlwings"].specifier.contains(xlwings.__version__)  # the tests ran on an allowed one


def test_a_wheel_address_replaces_the_package_name(tmp_path):
    url = "https://intranet.example.gov.uk/python/scorecard_xl-0.1.0-py3-none-any.whl"
    (_, requirements) = lite_code.write_lite_files(tmp_path, "0.1.0", wheel_url=url)
    assert requirements.read_text().splitlines()[1:] == [url]


@pytest.mark.parametrize("url", ["http://intranet/scorecard_xl.whl", "https://intranet/scorecard_xl.zip",
                                 "https://intranet/my wheel.whl"])
def test_a_wrong_wheel_address_is_refused_before_anything_is_written(tmp_path, url):
    with pytest.raises(WorkbookError, match="--wheel-url must be the https:// address of a wheel"):
        lite_code.write_lite_files(tmp_path / "out", "0.1.0", wheel_url=url)
    assert not (tmp_path / "out").exists()


def test_code_of_ones_own_in_the_folder_is_not_overwritten(tmp_path):
    own = tmp_path / "main.py"
    own.write_text("print('my own script')\n")
    with pytest.raises(WorkbookError, match="already exists"):
        lite_code.write_lite_files(tmp_path, "0.1.0")
    assert own.read_text() == "print('my own script')\n" and not (tmp_path / "requirements.txt").exists()
    (tmp_path / "main.py").unlink()
    first = [p.read_bytes() for p in lite_code.write_lite_files(tmp_path, "0.1.0")]
    assert [p.read_bytes() for p in lite_code.write_lite_files(tmp_path, "0.1.0")] == first  # same text: fine


def test_the_lite_command(tmp_path, capsys):
    from scorecard_xl.cli import main

    assert main(["lite", "--out", str(tmp_path / "lite")]) == 0
    out = capsys.readouterr().out
    assert "main.py" in out and "requirements.txt" in out and "--wheel-url" in out
    assert sorted(p.name for p in (tmp_path / "lite").iterdir()) == ["main.py", "requirements.txt"]
    assert main(["lite", "--out", str(tmp_path / "other"), "--wheel-url", "ftp://x.whl"]) == 2
    assert "--wheel-url must be" in capsys.readouterr().err
