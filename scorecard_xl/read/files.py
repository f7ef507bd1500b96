"""The gate before reading: only regular .xlsx/.xlsm files are opened, and what is refused is said plainly."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from ..problems import WorkbookError

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and encrypted OOXML both use it
ZIP_SIGNATURE = b"PK\x03\x04"
REPAIR = "Open it in Excel, let Excel repair it if it offers to, save it, and try again."


_NOT_FILES = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
              (stat.S_ISSOCK, "a socket"))


def check_readable(path: Path) -> None:
    """Refuse, in plain words, the files we must not or cannot read."""
    if not path.exists():
        raise WorkbookError(f"There is no file at {path}.")
    mode = path.stat().st_mode  # of what a link points to: a link to a workbook is a workbook
    for test, what in _NOT_FILES:
        if test(mode):  # opening one would wait for a writer, or read for ever
            raise WorkbookError(f"{path} is not a file but {what}; name the workbook itself (an .xlsx or .xlsm file).")
    if path.suffix.lower() == ".xls":
        raise WorkbookError(
            f"{path.name} is an old-style .xls workbook. Open it in Excel and use "
            "File > Save As > Excel Workbook (*.xlsx), then run this again on the .xlsx file.")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head == OLE_SIGNATURE:
        raise WorkbookError(
            f"{path.name} is password-protected (encrypted) or is not an .xlsx/.xlsm file. "
            "Remove the password in Excel (File > Info > Protect Workbook > Encrypt with "
            "Password, clear it), save, and try again.")
    if not zipfile.is_zipfile(path):
        if head.startswith(ZIP_SIGNATURE):
            raise WorkbookError(f"{path.name} is damaged: it is cut short (the end of its zip directory is "
                                f"missing). {REPAIR}")
        raise WorkbookError(f"{path.name} is not an Excel workbook (.xlsx or .xlsm).")
