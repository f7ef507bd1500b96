"""What forbids replacing a file, found before any work is done.

A save replaces the file a path names (for a symbolic link, the file it points to). Read-only
files, immutable or append-only ones and read-only drives are refused in the person's words,
from the file's mode and attributes rather than os.access, which says every file is writable
when run as root or an administrator, where Excel would still call the file read-only.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from ..problems import WorkbookError


def real_path(path: Path) -> Path:
    """The file itself, symbolic links followed."""
    return Path(os.path.realpath(path))


def writable_target(target: Path) -> Path:
    """The file a save of ``target`` replaces (a symbolic link's target), or a plain refusal:
    no folder to save in, or a file that may not be replaced."""
    given = Path(target)
    real = real_path(given)
    for folder in dict.fromkeys([given.parent, real.parent]):
        if not folder.is_dir():
            raise WorkbookError(f"There is no folder {folder} to save {given.name} in. Create it, or name "
                                "another folder.")
    reason = unwritable_reason(real) if real.exists() else None
    if reason:
        raise refusal(given, real, reason)
    return real


def unwritable_reason(path: Path) -> str | None:
    """Why ``path`` may not be replaced, as the rest of a sentence; None when nothing forbids it."""
    flags = attribute_flags(path)
    if "immutable" in flags:
        return ("is marked immutable (the file attribute i), so no program may change or replace it. Clear "
                "the attribute (chattr -i, as root) or write elsewhere with --out.")
    if "locked" in flags:
        return "is locked (Get Info > Locked), so it cannot be replaced. Untick Locked or write elsewhere with --out."
    if "append-only" in flags:
        return ("is marked append-only (the file attribute a), so it cannot be replaced. Clear the attribute "
                "(chattr -a, as root) or write elsewhere with --out.")
    if hasattr(os, "statvfs") and os.statvfs(path).f_flag & os.ST_RDONLY:
        return ("is on a drive that is mounted read-only, so it cannot be saved there. Copy it to a folder you "
                "can save to, or write elsewhere with --out.")
    if not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        return ("is read-only, so it cannot be saved. Clear its read-only setting (Windows: Properties > "
                "Read-only; Mac: Get Info > Sharing & Permissions; Linux: chmod u+w) or write elsewhere with --out.")
    return None


def attribute_flags(path: Path) -> set[str]:
    """Attributes that forbid replacing a file whatever its permissions: 'immutable', 'append-only'
    (Linux chattr; BSD schg, sappnd) and 'locked' (the Mac's Get Info > Locked)."""
    flags = getattr(os.stat(path), "st_flags", None)
    if flags is not None:
        named = (("immutable", stat.SF_IMMUTABLE), ("locked", stat.UF_IMMUTABLE),
                 ("append-only", stat.UF_APPEND | stat.SF_APPEND))
        return {name for name, bits in named if flags & bits}
    return _linux_attributes(path) if sys.platform.startswith("linux") else set()


def _linux_attributes(path: Path) -> set[str]:
    import fcntl
    import struct

    get_flags = (2 << 30) | (struct.calcsize("l") << 16) | (ord("f") << 8) | 1  # FS_IOC_GETFLAGS
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return set()
    try:
        value = int.from_bytes(fcntl.ioctl(descriptor, get_flags, bytes(8))[:4], sys.byteorder)
    except OSError:  # a file system without attributes
        return set()
    finally:
        os.close(descriptor)
    return {name for name, bit in (("immutable", 0x10), ("append-only", 0x20)) if value & bit}


def refusal(given: Path, real: Path, reason: str) -> WorkbookError:
    """'Book.xlsx is read-only, ...', naming the file as the person did and saying where a link leads."""
    named = f"{given.name} (a link to {real})" if given.is_symlink() else given.name
    return WorkbookError(f"{named} {reason} Nothing was changed.")
