"""Writing a workbook without ever leaving it broken (DESIGN 7).

Write to a temporary file beside the target, fsync, check it opens, keep the previous
version as a timestamped backup, then atomically replace. A crash at any point leaves either
the old file or the new one, never half of one. An exception removes the temporary file; a
hard kill can leave a hidden one (".Name.xxxx.tmp.xlsx"), which the next write removes.
"""

from __future__ import annotations

import datetime as _dt
import glob
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Callable

from .problems import WorkbookError

BACKUPS_KEPT = 5
BACKUP_FOLDER = "scorecard backups"


def lock_file(path: Path) -> Path:
    """Excel's owner file for an open workbook: '~$Book.xlsx' beside it."""
    return path.with_name("~$" + path.name)


def refuse_if_open(path: Path) -> None:
    if lock_file(path).exists():
        raise WorkbookError(
            f"{path.name} is open in Excel (there is a lock file {lock_file(path).name} beside it). "
            "Close it in Excel, or use the Refresh scorecard button inside Excel, then try again. "
            "If Excel is not running, delete the lock file.")


def refuse_if_encrypted(path: Path) -> None:
    """Password-protected workbooks are OLE files; msoffcrypto tells encrypted from old .xls."""
    import msoffcrypto

    with open(path, "rb") as handle:
        try:
            office = msoffcrypto.OfficeFile(handle)
            encrypted = office.is_encrypted()
        except Exception:
            return  # not an OLE file: an ordinary .xlsx, checked elsewhere
    if encrypted:
        raise WorkbookError(
            f"{path.name} is password-protected. Remove the password in Excel (File > Info > Protect "
            "Workbook > Encrypt with Password, clear it and save), then try again.")


def _verify(path: Path, required_sheets: list[str]) -> None:
    """The new file must open as a workbook and hold the sheets we wrote."""
    with zipfile.ZipFile(path) as archive:
        bad = archive.testzip()
        if bad:
            raise WorkbookError(f"the new file failed its check ({bad} is damaged); the workbook was not changed.")
    from python_calamine import CalamineWorkbook

    names = {name.casefold() for name in CalamineWorkbook.from_path(str(path)).sheet_names}
    missing = [s for s in required_sheets if s.casefold() not in names]
    if missing:
        raise WorkbookError(f"the new file lacks {', '.join(missing)}; the workbook was not changed.")


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open directories; its replace is durable enough
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def backup(path: Path, now: _dt.datetime | None = None) -> Path:
    """Copy ``path`` to 'scorecard backups/<name> YYYY-MM-DD HHMMSS<ext>' and keep the last five."""
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = (now or _dt.datetime.now()).strftime("%Y-%m-%d %H%M%S")
    target = folder / f"{path.stem} {stamp}{path.suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{path.stem} {stamp}-{counter}{path.suffix}"
    shutil.copy2(path, target)
    ours = sorted(folder.glob(f"{glob.escape(path.stem)} ????-??-?? ??????*{path.suffix}"),
                  key=lambda p: p.stat().st_mtime)
    for old in ours[:-BACKUPS_KEPT]:
        old.unlink()
    return target


STALE_AFTER_SECONDS = 600


def _remove_stale_temp_files(target: Path) -> None:
    """Temporary files of ours left by a killed process (none is younger than ten minutes)."""
    for stale in target.parent.glob(f".{glob.escape(target.stem)}.*.tmp{target.suffix}"):
        try:
            if time.time() - stale.stat().st_mtime > STALE_AFTER_SECONDS:
                stale.unlink()
        except OSError:
            pass


def atomic_write(target: Path, write: Callable[[Path], None], required_sheets: list[str],
                 keep_backup: bool = True) -> Path | None:
    """Run ``write(temp_path)``, verify, back up the old ``target``, then replace it.

    Returns the backup's path (None when there was no previous file or no backup was asked).
    """
    target = Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise WorkbookError(f"There is no folder {folder} to save {target.name} in. Create it, or name "
                            "another folder.")
    _remove_stale_temp_files(target)
    try:
        descriptor, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}",
                                                 dir=folder)
    except OSError as error:  # the temp file's name would mean nothing to the person
        raise WorkbookError(f"{target.name} cannot be saved in {folder} ({error.strerror}). Choose a folder you "
                            "can save to.") from error
    os.close(descriptor)
    temp = Path(temp_name)
    try:
        write(temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        _verify(temp, required_sheets)
        saved = backup(target) if keep_backup and target.exists() else None
        if target.exists():
            shutil.copymode(target, temp)
        else:  # a new file gets the usual permissions, not the private ones of a temp file
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        try:
            os.replace(temp, target)
        except PermissionError as error:
            raise WorkbookError(
                f"{target.name} is in use by another program (Excel, OneDrive or a virus checker), so it could "
                "not be replaced. Close it or wait a moment, then try again. The workbook was not changed.") from error
        _fsync_directory(target.parent)
        return saved
    finally:
        if temp.exists():
            temp.unlink()
