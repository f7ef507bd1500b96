"""The Excel add-in: build scorecard_xl.xlam, install it, check the settings it needs.

The add-in is xlwings' own ``quickstart_addin_ribbon.xlam`` with our ribbon
(``macros/customUI.xml``) in place of its ribbon part; every other part of the file, the
compiled VBA above all, is copied byte for byte. Nothing in ``vbaProject.bin`` is edited, so
what the add-in does is what xlwings compiled into it:

- the ribbon callback ``RibbonMyAddin.RunMain`` runs ``import <name>; <name>.main()`` where
  ``<name>`` is the add-in's file name without its extension. The file is therefore always
  called ``scorecard_xl.xlam`` and the Refresh button runs ``scorecard_xl.main()``;
- the VBA project is named ``myaddin`` (``PROJECT_NAME`` in its ``xlwings`` module), so the
  add-in reads its settings from ``myaddin.conf`` (a sheet of that name in the workbook, a file
  of that name beside the workbook, or the user file ``%USERPROFILE%\\.myaddin\\myaddin.conf`` on
  Windows, ``~/Library/Containers/com.microsoft.Excel/Data/myaddin.conf`` on a Mac), *not* from
  xlwings' ``xlwings.conf``;
- the "Check data" and "Export for email" buttons call ``ScorecardButtons.*`` from
  ``macros/ScorecardButtons.bas``, which a person imports into the add-in once (macros/README.md).
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from .addin_config import (_SYSTEM_NAMES, CONFIG_NAME, MAC, UDF_MODULE, USER_STARTUP_FOLDER, WINDOWS, _system,  # noqa: F401,E501
                           _systems, check_configuration, read_config_file, user_config_path,
                           write_configuration, xlwings_config_path)
from ..read.ooxml_package import clone_info
from ..problems import WorkbookError

ADDIN_FILE_NAME = "scorecard_xl.xlam"
ADDIN_MODULE = "scorecard_xl"  # what RunMain imports: the file name without its extension
REFRESH_CALLBACK = "RibbonMyAddin.RunMain"  # compiled into xlwings' quickstart add-in
QUICKSTART_ADDIN = "quickstart_addin_ribbon.xlam"
RIBBON_SOURCE = "customUI.xml"
BUTTONS_SOURCE = "ScorecardButtons.bas"

RIBBON_NAMESPACE = "http://schemas.microsoft.com/office/2009/07/customui"
# [MS-OI29500] 3.4.1.3 and 3.4.1.4: the Office 2007 ribbon part and the Office 2010+ one
# (customUI14). When a package has both, Office 2010 and later apply only the second.
RIBBON_RELATIONSHIP_2007 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
RIBBON_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
_PACKAGE_RELATIONSHIPS = "_rels/.rels"
_CONTENT_TYPES = "[Content_Types].xml"
_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

# --------------------------------------------------------------------------- where things are

def quickstart_addin() -> Path:
    """xlwings' shipped ribbon add-in, the base of ours."""
    import xlwings

    path = Path(xlwings.__file__).resolve().parent / QUICKSTART_ADDIN
    if not path.is_file():
        raise WorkbookError(
            f"xlwings {xlwings.__version__} has no {QUICKSTART_ADDIN} (looked in {path.parent}). "
            "Reinstall xlwings (pip install --force-reinstall xlwings), then try again.")
    return path


def macros_folder() -> Path:
    """The ribbon XML and VBA sources: packaged as scorecard_xl/macros, else the repository's macros/."""
    package = Path(__file__).resolve().parents[1]  # scorecard_xl/
    packaged = package / "macros"
    repository = package.parent / "macros"
    for folder in (packaged, repository):
        if (folder / RIBBON_SOURCE).is_file():
            return folder
    raise WorkbookError(
        f"cannot find the add-in's ribbon ({RIBBON_SOURCE}) in {packaged} or {repository}. "
        "Reinstall scorecard_xl from a complete copy of its folder.")


def ribbon_parts(package: Path | str) -> dict[str, str]:
    """Zip member name -> relationship type, for every ribbon (customUI) part of an Office file."""
    with zipfile.ZipFile(package) as archive:
        return _ribbon_relationships(archive.read(_PACKAGE_RELATIONSHIPS))


def _ribbon_relationships(rels: bytes) -> dict[str, str]:
    root = _parse_xml(rels, _PACKAGE_RELATIONSHIPS)
    found = {}
    for relationship in root.iter(f"{{{_RELATIONSHIPS_NS}}}Relationship"):
        kind = relationship.get("Type")
        if kind in (RIBBON_RELATIONSHIP, RIBBON_RELATIONSHIP_2007):
            found[_part_name(relationship.get("Target", ""))] = kind
    return found


def _part_name(target: str) -> str:
    """A package-relationship target ('/customUI/x.xml' or 'customUI/x.xml') as a zip member name."""
    return str(PurePosixPath(target.lstrip("/")))


def _parse_xml(data: bytes, what: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as failure:
        raise WorkbookError(f"{what} is not well-formed XML ({failure}).") from None


# --------------------------------------------------------------------------------- building

def read_ribbon() -> bytes:
    """macros/customUI.xml, checked: well-formed, a customUI element in the Office 2010 namespace."""
    path = macros_folder() / RIBBON_SOURCE
    data = path.read_bytes()
    root = _parse_xml(data, str(path))
    if root.tag != f"{{{RIBBON_NAMESPACE}}}customUI":
        raise WorkbookError(
            f"{path} must have a customUI element in the namespace {RIBBON_NAMESPACE}; found {root.tag}.")
    return data


def build_addin(out_dir: Path | str) -> Path:
    """Write ``<out_dir>/scorecard_xl.xlam``: xlwings' quickstart ribbon add-in with our ribbon.

    Every zip member is copied unchanged except the ribbon part. The quickstart's only ribbon
    part is ``customUI/customUI.xml``, reached through the Office 2010 relationship type, which
    is the one our Office 2010 (2009/07) ribbon needs; so neither ``_rels/.rels`` nor
    ``[Content_Types].xml`` changes (``Default Extension="xml"`` gives it ``application/xml``).
    Should a later xlwings ship only an Office 2007 ribbon relationship, that relationship's
    type is changed in place; nothing else is rewritten. A previous file of the same name is
    kept under 'scorecard backups' (it may hold an imported ScorecardButtons module).
    """
    from ..update.saving import atomic_write

    ribbon = read_ribbon()
    source = quickstart_addin()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ADDIN_FILE_NAME

    with zipfile.ZipFile(source) as archive:
        names = archive.namelist()
        replacements = _ribbon_replacements(archive, ribbon)

        def write(path: Path) -> None:
            with zipfile.ZipFile(path, "w") as out:
                out.comment = archive.comment
                for info in archive.infolist():
                    data = replacements.get(info.filename)
                    if data is None:
                        data = archive.read(info)
                    out.writestr(clone_info(info), data)

        atomic_write(target, write, required_sheets=[], keep_backup=True)

    with zipfile.ZipFile(target) as built:  # the file on disk is what we meant to write
        if built.namelist() != names or any(built.read(n) != d for n, d in replacements.items()):
            raise WorkbookError(f"{target} was not written as expected; build it again.")
    return target


def _ribbon_replacements(archive: zipfile.ZipFile, ribbon: bytes) -> dict[str, bytes]:
    """Member name -> new bytes: the ribbon part(s), and the package relationships if they must change."""
    rels = archive.read(_PACKAGE_RELATIONSHIPS)
    parts = _ribbon_relationships(rels)
    current = [name for name, kind in parts.items() if kind == RIBBON_RELATIONSHIP]
    replacements: dict[str, bytes] = {}
    if not current:
        older = [name for name, kind in parts.items() if kind == RIBBON_RELATIONSHIP_2007]
        if len(older) != 1 or rels.count(RIBBON_RELATIONSHIP_2007.encode()) != 1:
            raise WorkbookError(
                f"xlwings' {QUICKSTART_ADDIN} has {len(parts)} ribbon parts ({', '.join(parts) or 'none'}); "
                "scorecard_xl expects exactly one. Install the xlwings version scorecard_xl was tested with.")
        replacements[_PACKAGE_RELATIONSHIPS] = rels.replace(
            RIBBON_RELATIONSHIP_2007.encode(), RIBBON_RELATIONSHIP.encode())
        current = older
    names = set(archive.namelist())
    for part in current:
        if part not in names:
            raise WorkbookError(f"xlwings' {QUICKSTART_ADDIN} names a ribbon part {part} that it does not contain.")
        replacements[part] = ribbon
    content_types = archive.read(_CONTENT_TYPES)
    for part in current:
        if _content_type(content_types, part) != "application/xml":
            content_types = content_types.replace(
                b"</Types>",
                f'<Override PartName="/{part}" ContentType="application/xml" /></Types>'.encode())
            replacements[_CONTENT_TYPES] = content_types
    return replacements


def _content_type(content_types: bytes, part: str) -> str | None:
    root = _parse_xml(content_types, _CONTENT_TYPES)
    for override in root.iter(f"{{{_CONTENT_TYPES_NS}}}Override"):
        if override.get("PartName", "").lstrip("/").lower() == part.lower():
            return override.get("ContentType")
    extension = part.rsplit(".", 1)[-1].lower()
    for default in root.iter(f"{{{_CONTENT_TYPES_NS}}}Default"):
        if default.get("Extension", "").lower() == extension:
            return default.get("ContentType")
    return None


# ------------------------------------------------------------------------------- installing

def install_addin(addin_path: Path | str | None = None, *, configure: bool = True) -> Path:
    """Copy scorecard_xl.xlam into Excel's start-up folder (XLSTART), as ``xlwings addin install`` does.

    ``addin_path`` None builds a fresh add-in first. With ``configure`` the user's
    ``myaddin.conf`` gets the settings it lacks (the Python interpreter, the worksheet-function
    module); existing settings are never changed. Returns the installed file's path. On a
    computer without Excel (Linux) it prints where the add-in would go and raises WorkbookError.
    """
    system = _system()
    if system not in (WINDOWS, MAC):
        where = [f"{_SYSTEM_NAMES[s]}: {USER_STARTUP_FOLDER[s]}{_separator(s)}{ADDIN_FILE_NAME}"
                 for s in (WINDOWS, MAC)]
        print("On a computer with Excel the add-in would be copied to Excel's start-up folder:")
        for line in where:
            print(f"  {line}")
        raise WorkbookError(
            f"Excel add-ins install on Windows or Mac, and this computer runs {sys.platform} (no Excel). "
            "Build the add-in here with `scorecard addin build`, copy scorecard_xl.xlam to a Windows or "
            "Mac computer that has Excel and scorecard_xl, and run `scorecard addin install --file "
            f"scorecard_xl.xlam` there. It goes to Excel's start-up folder ({'; '.join(where)}).")

    if addin_path is None:
        source = build_addin(Path(tempfile.mkdtemp(prefix="scorecard_xl-addin-")))
    else:
        source = Path(addin_path)
    if not source.is_file():
        raise WorkbookError(f"{source} does not exist. Build the add-in first: `scorecard addin build`.")
    if source.name.lower() != ADDIN_FILE_NAME:
        raise WorkbookError(
            f"the add-in must be called {ADDIN_FILE_NAME}, not {source.name}: its Refresh button runs the "
            "Python module named after the file. Rename it, then try again.")

    import xlwings as xw
    from xlwings.cli import get_addin_dir

    try:
        folder = Path(get_addin_dir())
    except Exception as failure:  # Excel could not be started or asked
        raise WorkbookError(
            f"could not ask Excel for its start-up folder ({failure}). Start Excel once, close it, "
            "then try again.") from None
    target = folder / ADDIN_FILE_NAME
    _close_in_excel(xw, ADDIN_FILE_NAME)
    if target.exists() and target.read_bytes() != source.read_bytes():
        kept = _keep_copy(target, source.parent)
        print(f"The add-in installed before was kept as {kept}.")
    try:
        _copy_atomically(source, target)
    except PermissionError:
        raise WorkbookError(
            f"could not write {target}: quit Excel (on a Mac with Cmd-Q) and try again.") from None
    if system == WINDOWS:
        _open_in_excel(xw, target)
    else:
        from xlwings.cli import runpython_install

        runpython_install(None)  # the AppleScript RunPython needs on a Mac
    if configure:
        write_configuration(system=system)
    return target


def _separator(system: str) -> str:
    return "\\" if system == WINDOWS else "/"


def _in_every_excel(xw, action) -> None:
    """Do ``action(app)`` in each running Excel; none running, or one refusing, is fine."""
    try:
        apps = list(xw.apps)
    except Exception:
        return
    for app in apps:
        try:
            action(app)
        except Exception:
            pass


def _close_in_excel(xw, name: str) -> None:
    _in_every_excel(xw, lambda app: app.books[name].close())


def _open_in_excel(xw, path: Path) -> None:
    _in_every_excel(xw, lambda app: app.books.open(path))  # else Excel opens it at its next start


def _keep_copy(installed: Path, folder: Path) -> Path:
    """Keep the add-in being replaced (it may hold an imported module) outside XLSTART."""
    backups = folder / "scorecard backups"
    backups.mkdir(exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y-%m-%d %H%M%S")
    kept = backups / f"{installed.stem} installed {stamp}{installed.suffix}"
    shutil.copy2(installed, kept)
    return kept


def _copy_atomically(source: Path, target: Path) -> None:
    descriptor, temp_name = tempfile.mkstemp(prefix=f"~${target.stem}.", suffix=".tmp", dir=target.parent)
    os.close(descriptor)
    temp = Path(temp_name)
    try:
        shutil.copyfile(source, temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()
