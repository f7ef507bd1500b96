"""One writer at a time for each workbook: an exclusive lock on a hidden file beside it.

A refresh holds the lock from reading the workbook to replacing it, so a second refresh cannot
compute from a version that is about to be replaced, and backups are made and pruned by one
process at a time. The lock file ('.~scorecard Book.xlsx.lock') is removed on release. Removing
it opens a race: a waiter may have opened the file just before, and then lock a file that no
longer has a name while a third process creates and locks a new one. So whoever gets the lock
checks that the path still names the file it locked, and starts again if not.

POSIX uses flock (released by the kernel when a process dies, even by kill -9); Windows locks
the file's first byte with msvcrt.locking. The lock is re-entrant within a thread, so a refresh
that holds it can call the common save step, which takes it too.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..problems import WorkbookError

LOCK_WAIT_SECONDS = 5.0  # a refresh of a large workbook takes a second or two
POLL_SECONDS = 0.05
WINDOWS = os.name == "nt"
# File systems that cannot lock at all (some network shares): the work goes on unguarded, as it
# did before there was a lock, rather than refusing every refresh there.
_CANNOT_LOCK = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}

_held = threading.local()


def lock_path(target: Path) -> Path:
    return target.with_name(f".~scorecard {target.name}.lock")


@dataclass
class HeldLock:
    path: Path
    descriptor: int | None  # None: re-entered, or the file system cannot lock
    exclusive: bool = True  # False only when the file system cannot lock
    reentered: bool = False  # this thread held it already; the outer holder releases it
    key: str | None = None

    def release(self) -> None:
        if self.descriptor is None:
            return
        _held_keys().discard(self.key)
        _release(self.path, self.descriptor)
        self.descriptor = None


def acquire(target: Path, activity: str) -> HeldLock:
    """Lock ``target`` (a real path, links resolved), waiting up to LOCK_WAIT_SECONDS.

    ``activity`` completes the refusal: 'Book.xlsx is being <activity> by another process'.
    File-system failures (no folder, no permission, a full disk) are raised as they are.
    """
    path = lock_path(target)
    key = os.path.normcase(os.path.abspath(target))
    if key in _held_keys():
        return HeldLock(path, None, reentered=True)
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        descriptor = _open(path, deadline)
        try:
            locked = _try_lock(descriptor)
        except OSError as error:
            os.close(descriptor)
            if error.errno in _CANNOT_LOCK:
                return HeldLock(path, None, exclusive=False)
            raise
        if locked and _still_named(path, descriptor):
            _hide(path)
            _held_keys().add(key)
            return HeldLock(path, descriptor, key=key)
        _close(descriptor, locked)
        if not locked:
            if time.monotonic() >= deadline:
                raise WorkbookError(
                    f"{target.name} is being {activity} by another process (its lock file {path.name} is held). "
                    "Wait for it to finish, then try again. Nothing was changed.")
            time.sleep(POLL_SECONDS)


def _held_keys() -> set[str]:
    if not hasattr(_held, "keys"):
        _held.keys = set()
    return _held.keys


def _open(path: Path, deadline: float) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    while True:
        try:
            return os.open(path, flags, 0o666)
        except PermissionError:
            # Windows refuses to open a file another process is deleting: the holder is letting go.
            if not WINDOWS or time.monotonic() >= deadline:
                raise
            time.sleep(POLL_SECONDS)


def _still_named(path: Path, descriptor: int) -> bool:
    try:
        named = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


if WINDOWS:
    import msvcrt

    def _try_lock(descriptor: int) -> bool:
        os.lseek(descriptor, 0, os.SEEK_SET)
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError as error:
            if error.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True

    def _close(descriptor: int, locked: bool) -> None:
        if locked:
            os.lseek(descriptor, 0, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
        os.close(descriptor)

    def _release(path: Path, descriptor: int) -> None:
        _close(descriptor, True)
        try:  # fails harmlessly when a waiter has it open: the file then stays for that waiter
            os.remove(path)
        except OSError:
            pass

    def _hide(path: Path) -> None:
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # FILE_ATTRIBUTE_HIDDEN, as Excel's ~$ file
else:
    import fcntl

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _close(descriptor: int, locked: bool) -> None:
        os.close(descriptor)  # closing the last descriptor releases a flock

    def _release(path: Path, descriptor: int) -> None:
        try:
            if _still_named(path, descriptor):  # removed while still held, so no one can lock it in between
                os.unlink(path)
        except OSError:
            pass
        finally:
            os.close(descriptor)

    def _hide(path: Path) -> None:
        pass  # the leading dot hides it
