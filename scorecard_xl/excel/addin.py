"""The Excel add-ins of the Scorecard ribbon tab: build them, install them, check what they need.

Each add-in is xlwings' own ``quickstart_addin_ribbon.xlam`` with one of our ribbons (``macros/``)
in place of its ribbon part; every other part of the file, the compiled VBA above all, is copied
byte for byte. Nothing in ``vbaProject.bin`` is edited, so what an add-in does is what xlwings
compiled into it:

- the ribbon callback ``RibbonMyAddin.RunMain`` runs ``import <name>; <name>.main()`` where
  ``<name>`` is the add-in's file name up to its last dot. That callback is the only one there
  is, and a ribbon can call only into its own file, so each button is an add-in of its own,
  named after the module its button runs (``ADDINS``): ``scorecard_xl.xlam`` runs
  ``scorecard_xl.main()``, ``scorecard_xl.excel.check_button.xlam`` runs
  ``scorecard_xl.excel.check_button.main()``. No VBA is imported into any of them, so every
  button works as soon as the add-ins are installed, on Windows and on a Mac;
- the three ribbons name the tab and its groups in one namespace (``idQ``), so Excel puts the
  three buttons on one Scorecard tab;
- the VBA project is named ``myaddin`` (``PROJECT_NAME`` in its ``xlwings`` module), so the
  add-in reads its settings from ``myaddin.conf`` (a sheet of that name in the workbook, a file
  of that name beside the workbook, or the user file ``%USERPROFILE%\\.myaddin\\myaddin.conf`` on
  Windows, ``~/Library/Containers/com.microsoft.Excel/Data/myaddin.conf`` on a Mac), *not* from
  xlwings' ``xlwings.conf``. All three add-ins read the same file.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .addin_config import (_SYSTEM_NAMES, CONFIG_NAME, MAC, UDF_MODULE, USER_STARTUP_FOLDER, WINDOWS, _system,  # noqa: F401,E501
                           _systems, check_configuration, read_config_file, user_config_path,
                           write_configuration, xlwings_config_path)
from ..read.ooxml_package import clone_info
from ..problems import WorkbookError



@dataclass(frozen=True)
class RibbonAddin:
    """One button of the Scorecard tab: an add-in file and the ribbon (in macros/) it carries."""

    file_name: str
    ribbon: str

    @property
    def module(self) -> str:
        """What the add-in's RunMain imports and calls main() of: its file name up to the last dot
        (``InStrRev`` in the compiled VBA)."""
        return self.file_name.rsplit(".", 1)[0]


RIBBON_SOURCE = "customUI.xml"
ADDINS = (
    RibbonAddin("scorecard_xl.xlam", RIBBON_SOURCE),  # Refresh scorecard: scorecard_xl.main()
    RibbonAddin("scorecard_xl.excel.check_button.xlam", "customUI_check_data.xml"),
    RibbonAddin("scorecard_xl.excel.export_button.xlam", "customUI_export_for_email.xml"),
)
ADDIN_FILE_NAME = ADDINS[0].file_name
ADDIN_MODULE = ADDINS[0].module
REFRESH_CALLBACK = "RibbonMyAddin.RunMain"  # compiled into xlwings' quickstart add-in; every button's
QUICKSTART_ADDIN = "quickstart_addin_ribbon.xlam"

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

def read_ribbon(source: str = RIBBON_SOURCE) -> bytes:
    """A ribbon of macros/, checked: well-formed, a customUI element in the Office 2010 namespace."""
    path = macros_folder() / source
    data = path.read_bytes()
    root = _parse_xml(data, str(path))
    if root.tag != f"{{{RIBBON_NAMESPACE}}}customUI":
        raise WorkbookError(
            f"{path} must have a customUI element in the namespace {RIBBON_NAMESPACE}; found {root.tag}.")
    return data


def build_addins(out_dir: Path | str) -> list[Path]:
    """Write every add-in of the Scorecard tab into ``out_dir``; every ribbon is read and checked
    before the first file is written."""
    ribbons = [read_ribbon(addin.ribbon) for addin in ADDINS]
    return [build_addin(out_dir, addin, ribbon) for addin, ribbon in zip(ADDINS, ribbons)]


def build_addin(out_dir: Path | str, addin: RibbonAddin = ADDINS[0], ribbon: bytes | None = None) -> Path:
    """Write ``<out_dir>/<addin.file_name>``: xlwings' quickstart ribbon add-in with the add-in's ribbon.

    Every zip member is copied unchanged except the ribbon part. The quickstart's only ribbon
    part is ``customUI/customUI.xml``, reached through the Office 2010 relationship type, which
    is the one our Office 2010 (2009/07) ribbon needs; so neither ``_rels/.rels`` nor
    ``[Content_Types].xml`` changes (``Default Extension="xml"`` gives it ``application/xml``).
    Should a later xlwings ship only an Office 2007 ribbon relationship, that relationship's
    type is changed in place; nothing else is rewritten. A previous file of the same name is
    kept under 'scorecard backups' (someone may have changed it).
    """
    from ..update.saving import atomic_write

    ribbon = read_ribbon(addin.ribbon) if ribbon is None else ribbon
    source = quickstart_addin()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / addin.file_name

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

def install_addins(folder: Path | str | None = None, *, configure: bool = True) -> list[Path]:
    """Copy every add-in of the Scorecard tab into Excel's start-up folder (XLSTART), as
    ``xlwings addin install`` does for one.

    ``folder`` holds add-ins built before (``scorecard addin build``); None builds fresh ones.
    With ``configure`` the user's ``myaddin.conf`` gets the settings it lacks (the Python
    interpreter, the worksheet-function module); existing settings are never changed. Returns
    the installed files. On a computer without Excel (Linux) it prints where the add-ins would
    go and raises WorkbookError.
    """
    system = _system()
    names = [addin.file_name for addin in ADDINS]
    if system not in (WINDOWS, MAC):
        print(f"On a computer with Excel the add-ins ({', '.join(names)}) would be copied to Excel's "
              "start-up folder:")
        for chosen in (WINDOWS, MAC):
            print(f"  {_SYSTEM_NAMES[chosen]}: {USER_STARTUP_FOLDER[chosen]}{_separator(chosen)}")
        raise WorkbookError(
            f"Excel add-ins install on Windows or Mac, and this computer runs {sys.platform} (no Excel). "
            "Build the add-ins here with `scorecard addin build --out DIR`, copy the folder DIR to a Windows or "
            "Mac computer that has Excel and scorecard_xl, and run `scorecard addin install --from DIR` there.")

    if folder is None:
        sources = build_addins(Path(tempfile.mkdtemp(prefix="scorecard_xl-addin-")))
    else:
        sources = [Path(folder) / name for name in names]
        missing = [source.name for source in sources if not source.is_file()]
        if missing:
            raise WorkbookError(
                f"{folder} has no {', '.join(missing)}: each button of the Scorecard tab is an add-in of its own, "
                f"and all {len(names)} are needed. Build them there first: `scorecard addin build --out \"{folder}\"`.")

    import xlwings as xw

    startup = _startup_folder()
    installed = []
    for source in sources:
        target = startup / source.name
        _close_in_excel(xw, source.name)
        if target.exists() and target.read_bytes() != source.read_bytes():
            kept = _keep_copy(target, source.parent)
            print(f"The add-in installed before was kept as {kept}.")
        try:
            _copy_atomically(source, target)
        except PermissionError:
            raise WorkbookError(
                f"could not write {target}: quit Excel (on a Mac with Cmd-Q) and try again.") from None
        installed.append(target)
    if system == WINDOWS:
        for target in installed:
            _open_in_excel(xw, target)
    else:
        from xlwings.cli import runpython_install

        runpython_install(None)  # the AppleScript RunPython needs on a Mac
    if configure:
        write_configuration(system=system)
    return installed


def missing_addins(startup: Path | None = None) -> list[str]:
    """A line naming the add-ins of the Scorecard tab that are not in Excel's start-up folder;
    none on a computer without Excel."""
    if startup is None:
        if _system() not in (WINDOWS, MAC):
            return []
        try:
            startup = _startup_folder()
        except WorkbookError as failure:
            return [f"Whether the add-ins are installed is not known: {failure}"]
    missing = [addin.file_name for addin in ADDINS if not (startup / addin.file_name).is_file()]
    if not missing:
        return []
    return [f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not in Excel's start-up folder "
            f"({startup}), so the Scorecard tab lacks {'its button' if len(missing) == 1 else 'their buttons'}. "
            "Quit Excel and run `scorecard addin install`."]


def _startup_folder() -> Path:
    """Excel's start-up folder, as Excel reports it (xlwings asks a running or hidden Excel)."""
    from xlwings.cli import get_addin_dir

    try:
        return Path(get_addin_dir())
    except Exception as failure:  # Excel could not be started or asked
        raise WorkbookError(
            f"could not ask Excel for its start-up folder ({failure}). Start Excel once, close it, "
            "then try again.") from None


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
    """Keep the add-in being replaced (someone may have changed it) outside XLSTART."""
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
