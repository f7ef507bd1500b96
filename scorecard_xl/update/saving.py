"""Writing a workbook without ever leaving it broken (docs/design.md §7).

Write to a temporary file beside the target, fsync, check it opens, keep the previous
version as a timestamped backup, then atomically replace. A crash at any point leaves either
the old file or the new one, never half of one; the backup too is written to a temporary file
and renamed, so it is complete or absent. A symbolic link is followed: the file it points to is
replaced and the link stays, as Excel does.

Whoever replaces a file holds its lock (``workbook_lock``) for the whole save, so the hidden
temporary files of ours found beside it then (".Name.xxxxxxxx.tmp.xlsx", also in the backups
folder) were left by a killed process, whatever their age, and are removed. An exception
removes what this save made. A full disk, a read-only or immutable file, and a second save of
the same file are each refused in one plain line.
"""

from __future__ import annotations

import datetime as _dt
import errno
import gc
import glob
import os
import shutil
import stat
import sys
import tempfile
import time
import traceback
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from . import workbook_lock
from ..problems import WorkbookError
from .writable import real_path, refusal, unwritable_reason, writable_target

BACKUPS_KEPT = 5
BACKUP_FOLDER = "scorecard backups"


# The owner files an office program keeps beside a workbook it has open.
OWNER_FILES = (("Excel", "~${name}"), ("LibreOffice", ".~lock.{name}#"))


def refuse_if_open(path: Path) -> None:
    """Refuse a workbook Excel or LibreOffice has open (looked for beside a link and its file)."""
    for place in dict.fromkeys([Path(path), real_path(path)]):
        for program, pattern in OWNER_FILES:
            owner = place.with_name(pattern.format(name=place.name))
            if owner.exists():
                button = ", or use the Refresh scorecard button inside Excel" if program == "Excel" else ""
                raise WorkbookError(
                    f"{path.name} is open in {program} (there is a lock file {owner.name} beside it). "
                    f"Close it in {program}{button}, then try again. "
                    f"If {program} is not running, delete the lock file.")


def refuse_if_encrypted(path: Path) -> None:
    """Password-protected workbooks are OLE files; msoffcrypto tells encrypted from old .xls."""
    from ..read.workbook import OLE_SIGNATURE

    with open(path, "rb") as handle:
        if handle.read(len(OLE_SIGNATURE)) != OLE_SIGNATURE:
            return  # an ordinary zip package: nothing to ask msoffcrypto (whose import alone costs 50 ms)
        handle.seek(0)
        import msoffcrypto

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
    from ..read.workbook import sheet_names  # our own reader: a macro sheet or odd part must not make this check fail

    names = {name.casefold() for name in sheet_names(path)}
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
    """Copy ``path`` to 'scorecard backups/<name> YYYY-MM-DD HHMMSS<ext>', complete or not at all.

    Older backups are pruned by ``prune_backups`` once the new version is in place.
    """
    folder = path.parent / BACKUP_FOLDER
    created = not folder.is_dir()
    folder.mkdir(exist_ok=True)
    stamp = (now or _dt.datetime.now()).strftime("%Y-%m-%d %H%M%S")
    target = folder / f"{path.stem} {stamp}{path.suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{path.stem} {stamp}-{counter}{path.suffix}"
    temp = None
    try:
        temp = _temporary_file(path, folder)
        shutil.copy2(path, temp)
        _fsync_file(temp)
        os.rename(temp, target)
    except BaseException:
        if temp is not None:
            temp.unlink(missing_ok=True)
        if created:  # a full disk leaves no trace, not even an empty folder
            _remove_if_empty(folder)
        raise
    _fsync_directory(folder)
    return target


def prune_backups(path: Path) -> None:
    """Keep the last five backups of ``path`` (by when each version was written)."""
    dated = []
    for candidate in (path.parent / BACKUP_FOLDER).glob(f"{glob.escape(path.stem)} ????-??-?? ??????*{path.suffix}"):
        try:
            dated.append((candidate.stat().st_mtime, candidate))
        except FileNotFoundError:  # deleted by hand meanwhile
            pass
    for _, old in sorted(dated)[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # something else was put in it meanwhile


# ------------------------------------------------------------------------------------------
# A full disk.

_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def disk_full(failure: BaseException | None) -> bool:
    """Whether the disk (or the person's quota) ran out behind ``failure``, also when a library
    raised something else while handling it (zipfile closing, XlsxWriter's FileCreateError)."""
    for link in _chain(failure):
        if isinstance(link, WorkbookError):  # already said in plain words
            return False
        if isinstance(link, OSError) and link.errno in _NO_SPACE:
            return True
    return False


def _chain(failure: BaseException | None) -> Iterator[BaseException]:
    """``failure`` and the exceptions it was raised from or while handling."""
    seen = set()
    while failure is not None and id(failure) not in seen:
        seen.add(id(failure))
        yield failure
        failure = failure.__cause__ or failure.__context__


@contextmanager
def _refusing_a_full_disk(given: Path, existed: bool) -> Iterator[None]:
    try:
        yield
    except Exception as failure:
        if not disk_full(failure):
            raise
        folder = Path(os.path.abspath(given)).parent
        kept = f"{given.name} is as it was" if existed else "nothing was written"
        raise WorkbookError(f"There is not enough space on the disk to save {given.name} in {folder}. Free some "
                            f"space, then try again; {kept}.") from failure


# ------------------------------------------------------------------------------------------
# Temporary files.

STALE_AFTER_SECONDS = 600  # without a lock (a file system that cannot lock) only old ones are surely stale
TEMP_NAME_CHARACTERS = "[abcdefghijklmnopqrstuvwxyz0123456789_]"  # tempfile's names: eight of these


def _temporary_file(target: Path, folder: Path) -> Path:
    """A new empty hidden file in ``folder`` named after ``target`` ('.Book.xxxxxxxx.tmp.xlsx')."""
    descriptor, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=folder)
    os.close(descriptor)
    return Path(name)


def _remove_stale_temp_files(target: Path, all_stale: bool) -> None:
    """Temporary files of ours left beside ``target`` and in its backups folder by a killed process.

    Only exact matches of our own names are touched ('.Book.xxxxxxxx.tmp.xlsx' for Book.xlsx, so
    not those of 'Book.v2.xlsx'), and only regular files.
    """
    pattern = f".{glob.escape(target.stem)}.{TEMP_NAME_CHARACTERS * 8}.tmp{glob.escape(target.suffix)}"
    for folder in (target.parent, target.parent / BACKUP_FOLDER):
        for stale in folder.glob(pattern):
            try:
                status = os.lstat(stale)
                if stat.S_ISREG(status.st_mode) and (all_stale or time.time() - status.st_mtime > STALE_AFTER_SECONDS):
                    stale.unlink()
            except OSError:
                pass


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


# ------------------------------------------------------------------------------------------
# Saving.

@contextmanager
def writing(target: Path, activity: str = "saved") -> Iterator[Path]:
    """Hold the lock of ``target`` for the block, refusing first what forbids replacing it, and
    turn a full disk inside the block into one plain line. Yields the file to replace (for a
    symbolic link, the file it points to: the link stays).

    ``activity`` names the work in the refusal a second process gets ('is being refreshed').
    """
    given = Path(target)
    with _refusing_a_full_disk(given, existed=given.exists()):
        real = writable_target(given)
        with _files_of_ours_beside(given, real.parent):
            lock = workbook_lock.acquire(real, activity)
        try:
            if not lock.reentered:
                _remove_stale_temp_files(real, all_stale=lock.exclusive)
            yield real
        finally:
            lock.release()


def atomic_write(target: Path, write: Callable[[Path], None], required_sheets: list[str],
                 keep_backup: bool = True) -> Path | None:
    """Run ``write(temp_path)``, verify, back up the old ``target``, then replace it.

    Returns the backup's path (None when there was no previous file or no backup was asked).
    """
    given = Path(target)
    with writing(given) as real:
        with _files_of_ours_beside(given, real.parent):
            temp = _temporary_file(real, real.parent)
        saved = None
        try:
            try:
                write(temp)
            except BaseException as failure:
                _close_what_the_writer_left(failure)
                raise
            _fsync_file(temp)
            _verify(temp, required_sheets)
            saved = backup(real) if keep_backup and real.exists() else None
            _copy_permissions(real, temp)
            _replace(temp, real, given)
        except BaseException:
            if saved is not None:  # a copy of the workbook as it still is
                saved.unlink(missing_ok=True)
            raise
        finally:
            temp.unlink(missing_ok=True)
        _fsync_directory(real.parent)
        if saved is not None:
            prune_backups(real)
        return saved


def _close_what_the_writer_left(failure: BaseException) -> None:
    """A writer that failed part-way (XlsxWriter on a full disk) may leave its zip file open in the
    frames of the traceback. Closing it now frees the temporary file (Windows cannot remove an
    open file), and doing it quietly spares the person Python's 'Exception ignored' report of
    that zip file failing again, on the full disk, when it is collected."""
    report = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None if disk_full(unraisable.exc_value) else report(unraisable)
    try:
        for link in _chain(failure):
            traceback.clear_frames(link.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = report


def _copy_permissions(target: Path, temp: Path) -> None:
    if target.exists():
        shutil.copymode(target, temp)
    else:  # a new file gets the usual permissions, not the private ones of a temp file
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)


def _replace(temp: Path, real: Path, given: Path) -> None:
    try:
        os.replace(temp, real)
    except PermissionError as error:
        reason = unwritable_reason(real) if real.exists() else None
        if reason:  # made read-only or immutable since the check, or read-only on Windows
            raise refusal(given, real, reason) from error
        raise WorkbookError(
            f"{given.name} is in use by another program (Excel, OneDrive or a virus checker), so it could "
            "not be replaced. Close it or wait a moment, then try again. The workbook was not changed.") from error


@contextmanager
def _files_of_ours_beside(given: Path, folder: Path) -> Iterator[None]:
    """Making the lock or temp file in ``folder`` failed: say so about the workbook and the folder,
    as the hidden file's name would mean nothing to the person (a full disk is said further out)."""
    try:
        yield
    except OSError as error:
        if disk_full(error):
            raise
        raise WorkbookError(f"{given.name} cannot be saved in {folder} ({error.strerror}). Choose a folder you "
                            "can save to.") from error
