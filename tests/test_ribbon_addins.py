"""The Scorecard tab's add-ins, one per button, checked statically: no Excel, no VBA imported.

Each built add-in is read back as a zip, its ribbon with lxml and its compiled VBA with oletools
(the helpers of test_addin.py): its one button must call the callback xlwings compiled into it,
and that callback's RunPython command, evaluated for the add-in's file name as VBA would, must
import a module of ours and call a ``main()`` it has. The three ribbons must share one tab.
"""

from __future__ import annotations

import importlib
import os
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from remote_book import open_remote
from scorecard_xl.excel import addin
from scorecard_xl.problems import WorkbookError
from scorecard_xl.starter import write_starter
from test_addin import (RIBBON_NS, is_ribbon_callback, procedures, python_targets, runpython_commands, vba_modules,
                        vba_module_name)
from workbooks import sample_book

ROOT = Path(__file__).resolve().parents[1]
BUTTONS = {"scorecard_xl.xlam": "Refresh scorecard", "scorecard_xl.excel.check_button.xlam": "Check data",
           "scorecard_xl.excel.export_button.xlam": "Export for email"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    return {path.name: path for path in addin.build_addins(tmp_path_factory.mktemp("addins"))}


def ribbon(path: Path):
    (part,) = addin.ribbon_parts(path)
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(part))


def qualified(element, attribute: str = "idQ") -> tuple[str, str]:
    """An idQ value as (namespace URI, local id), the prefix resolved as Office resolves it."""
    prefix, _, local = element.get(attribute).partition(":")
    return element.nsmap[prefix], local


# ------------------------------------------------------------------------------ the packages

def test_one_addin_per_button(built):
    assert set(built) == set(BUTTONS) == {a.file_name for a in addin.ADDINS}
    for name, path in built.items():
        labels = [b.get("label") for b in ribbon(path).iter(f"{{{RIBBON_NS}}}button")]
        assert labels == [BUTTONS[name]], name


def test_each_addin_is_the_quickstart_with_only_its_ribbon_changed(built):
    quickstart = addin.quickstart_addin()
    for a in addin.ADDINS:
        path = built[a.file_name]
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
        (part,) = addin.ribbon_parts(path)
        with zipfile.ZipFile(quickstart) as before, zipfile.ZipFile(path) as after:
            assert after.namelist() == before.namelist()
            for name in before.namelist():
                if name == part:
                    assert after.read(name) == (ROOT / "macros" / a.ribbon).read_bytes()
                else:  # the compiled VBA above all
                    assert after.read(name) == before.read(name), (a.file_name, name)


def test_every_button_calls_the_compiled_callback(built):
    for name, path in built.items():
        modules = vba_modules(path)
        (button,) = ribbon(path).iter(f"{{{RIBBON_NS}}}button")
        assert button.get("onAction") == addin.REFRESH_CALLBACK
        module, sub = addin.REFRESH_CALLBACK.split(".")
        assert is_ribbon_callback(procedures(modules[module])[sub]), name
        assert all(e.get("onAction") in (None, addin.REFRESH_CALLBACK) for e in ribbon(path).iter()), name


def test_each_file_name_maps_to_a_module_with_main(built):
    """RunMain's command for each file, evaluated as VBA would, imports a module of ours and calls main()."""
    for name, path in built.items():
        module = vba_module_name(name)  # the file name up to its LAST dot: several dots are fine
        assert module == next(a.module for a in addin.ADDINS if a.file_name == name)
        commands = runpython_commands(vba_modules(path), name)
        assert commands == [("RibbonMyAddin.RunMain", f"import {module};{module}.main()")]
        (target,) = python_targets(commands[0][1])
        assert target == (module, "main")
        assert callable(getattr(importlib.import_module(module), "main", None)), f"{module}.main is missing"


def test_the_three_ribbons_share_one_tab(built):
    roots = {name: ribbon(path) for name, path in built.items()}
    tabs = {}
    groups: dict[tuple[str, str], set[str]] = {}
    for name, root in roots.items():
        assert root.tag == f"{{{RIBBON_NS}}}customUI"
        (tab,) = root.iter(f"{{{RIBBON_NS}}}tab")
        assert tab.get("id") is None and tab.get("idMso") is None  # only a qualified id is shared
        tabs[name] = (qualified(tab), tab.get("label"), tab.get("insertAfterMso"))
        for group in tab.iter(f"{{{RIBBON_NS}}}group"):
            assert group.get("id") is None
            groups.setdefault(qualified(group), set()).add(group.get("label"))
    assert len(set(tabs.values())) == 1, tabs
    (namespace, tab_id), label, after = next(iter(tabs.values()))
    assert namespace not in ("", RIBBON_NS) and label == "Scorecard" and after == "TabHome"
    assert all(len(labels) == 1 for labels in groups.values()), groups  # a shared group, one label
    assert {labels.pop() for labels in groups.values()} == {"Monthly scorecard", "Share"}


def test_buttons_have_help_and_distinct_ids(built):
    ids = []
    for path in built.values():
        for button in ribbon(path).iter(f"{{{RIBBON_NS}}}button"):
            assert button.get("imageMso") and button.get("screentip") and button.get("size") == "large"
            assert 0 < len(button.get("supertip")) <= 1024
            ids.append(button.get("id"))
    assert len(ids) == len(set(ids)) == 3


def test_no_vba_to_import_any_more():
    assert not list((ROOT / "macros").glob("*.bas"))
    for path in (ROOT / "macros").glob("*.xml"):
        assert "ScorecardButtons" not in path.read_text(), path.name
    for path in (ROOT / "README.md", ROOT / "macros" / "README.md"):
        text = path.read_text()  # the old macro's name may appear only as a message an old add-in shows
        assert "ScorecardButtons.bas" not in text and "Import File" not in text, path.name


# ------------------------------------------------------------------------------ the buttons

def test_check_data_button_runs_on_the_clicked_workbook(monkeypatch, tmp_path):
    import xlwings as xw

    from scorecard_xl.excel import check_button

    book = open_remote(write_starter(tmp_path / "sample.xlsx", sample=True))
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    check_button.main()
    (alert,) = book.json()["actions"]
    assert alert["func"] == "alert" and alert["args"][0].startswith("No errors: 44 indicators")


def test_export_button_makes_the_email_copy_beside_the_saved_workbook(monkeypatch, tmp_path):
    import xlwings as xw

    from scorecard_xl.excel import export_button

    from scorecard_xl.send import export as export_module

    saved = sample_book(tmp_path)  # the sample, refreshed
    said = []
    # With LibreOffice installed the button asks for a PDF of the copy too. LibreOffice's conversion is
    # tested once, through `scorecard export --pdf` (test_export.py); here it would take seconds more.
    pdfs = []

    def render_pdf(copy):
        pdfs.append(copy)
        pdf = copy.with_suffix(".pdf")
        pdf.write_bytes(b"%PDF-1.4\n")
        return pdf
    monkeypatch.setattr(export_module, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(export_module, "render_pdf", render_pdf)

    class App:
        def alert(self, text, title="", mode=None):
            said.append((title, text))

    class Book:  # what the button reads of the clicked workbook: its saved file, and its Excel
        fullname = str(saved)
        app = App()

    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: Book()))
    export_button.main()
    ((title, text),) = said
    assert title == "Email copy made", text
    copies = [p for p in tmp_path.iterdir() if p.suffix == ".xlsx" and p != saved]
    assert len(copies) == 1 and copies[0].name in text
    assert pdfs == copies


# ------------------------------------------------------------------------------ installing

@pytest.fixture
def startup(tmp_path, monkeypatch):
    import xlwings.cli

    home, folder = tmp_path / "home", tmp_path / "XLSTART"
    home.mkdir()
    folder.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setattr(xlwings.cli, "get_addin_dir", lambda global_location=False: str(folder))
    monkeypatch.setattr(addin, "_close_in_excel", lambda xw, name: None)
    monkeypatch.setattr(addin, "_open_in_excel", lambda xw, path: None)
    return folder


@pytest.mark.parametrize("system", ["win32", "darwin"])
def test_install_puts_every_addin_in_excels_startup_folder(system, startup, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", system)
    dist = tmp_path / "dist"
    addin.build_addins(dist)
    installed = addin.install_addins(dist)
    assert sorted(p.name for p in startup.iterdir()) == sorted(BUTTONS)  # nothing else for Excel to open
    assert all(p.read_bytes() == (dist / p.name).read_bytes() for p in installed)
    assert addin.missing_addins() == []
    home = Path(os.environ["HOME"])
    assert addin.check_configuration(home, system=system, try_interpreter=False) == []
    settings = addin.read_config_file(addin.user_config_path(system, home))
    assert settings[{"win32": "INTERPRETER_WIN", "darwin": "INTERPRETER_MAC"}[system]] == sys.executable
    if system == "darwin":
        import xlwings

        assert (home / "Library" / "Application Scripts" / "com.microsoft.Excel"
                / f"xlwings-{xlwings.__version__}.applescript").is_file()

    check = startup / "scorecard_xl.excel.check_button.xlam"
    with zipfile.ZipFile(check, "a") as archive:  # someone changed the installed copy
        archive.writestr("xl/changed-by-hand.txt", "changed")
    changed = check.read_bytes()
    addin.install_addins(dist)
    (kept,) = (dist / "scorecard backups").glob("scorecard_xl.excel.check_button installed *.xlam")
    assert kept.read_bytes() == changed and check.read_bytes() == (dist / check.name).read_bytes()
    (startup / "scorecard_xl.excel.export_button.xlam").unlink()
    (message,) = addin.missing_addins()
    assert message.startswith("scorecard_xl.excel.export_button.xlam is not in Excel's start-up folder")
    assert "scorecard addin install" in message


def test_install_refuses_a_folder_without_every_addin(startup, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    dist = tmp_path / "dist"
    addin.build_addins(dist)
    (dist / "scorecard_xl.excel.check_button.xlam").unlink()
    with pytest.raises(WorkbookError, match="has no scorecard_xl.excel.check_button.xlam"):
        addin.install_addins(dist)
    assert list(startup.iterdir()) == []  # nothing half installed


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Excel can be installed here")
def test_install_without_excel_names_every_addin(tmp_path, capsys):
    with pytest.raises(WorkbookError, match="scorecard addin install --from DIR"):
        addin.install_addins(tmp_path)
    out = capsys.readouterr().out
    assert all(name in out for name in BUTTONS) and r"XLSTART" in out and "Startup.localized/Excel" in out
    assert addin.missing_addins() == []  # no Excel here to have installed them


def test_build_command_writes_every_addin(tmp_path, capsys):
    from scorecard_xl.cli import main

    assert main(["addin", "build", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(BUTTONS)
    assert f'scorecard addin install --from "{tmp_path}"' in capsys.readouterr().out
