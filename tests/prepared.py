"""Workbooks many tests start from, made once per test process and copied into each test's folder.

Writing the sample and refreshing it takes a few tenths of a second, and dozens of tests start from
it. The first test to ask for one makes it in a folder of this process's own; each test then gets a
copy of everything the making left there (the workbook and the backup its refresh kept, with their
times) in its own folder, as if it had made them itself. So the making must not depend on anything a
test changes (a monkeypatch in force when the first test asks would reach every later one).

Edits the tests make as a person would, with openpyxl (typing commentary, a heading), are remembered
the same way (``remembered``): by the bytes of the file edited and what was typed.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Hashable
from pathlib import Path

_FOLDER = tempfile.TemporaryDirectory(prefix="prepared-workbooks-")  # removed when the process ends
_made: dict[tuple, Path] = {}


def prepared(path: Path, make: Callable[..., object], *args: Hashable) -> Path:
    """``path`` and its folder as ``make(path, *args)`` leaves them: made once per process, then copied."""
    key = (path.name, make.__module__, make.__qualname__, *args)
    if key not in _made:
        folder = Path(_FOLDER.name) / str(len(_made))
        folder.mkdir()
        make(folder / path.name, *args)
        _made[key] = folder
    shutil.copytree(_made[key], path.parent, dirs_exist_ok=True)
    return path


_PLAIN = (str, int, float, bool, type(None), dt.date, dt.time, dt.timedelta)
_edited: dict[tuple, bytes] = {}


def _plain(value) -> bool:
    if type(value) is dict:
        return all(_plain(k) and _plain(v) for k, v in value.items())
    if type(value) in (list, tuple):
        return all(_plain(v) for v in value)
    return type(value) in _PLAIN or type(value) is dt.datetime


def remembered(path: Path, edit: Callable[..., object], *args) -> None:
    """``edit(path, *args)``, an edit the tests make with another library than ours (openpyxl loads and
    saves a whole workbook in tenths of a second): its result is remembered by the file's bytes and the
    arguments, so the same edit of the same workbook (a prepared one, say) is made once per process and
    written back after that. So ``edit`` must depend on nothing but the file's bytes and ``args``; an
    argument that is not plain data (rich text, say) is edited afresh every time."""
    if not _plain(args):
        edit(path, *args)
        return
    key = (hashlib.sha256(path.read_bytes()).digest(), edit.__module__, edit.__qualname__, repr(args))
    if key in _edited:
        path.write_bytes(_edited[key])
        return
    edit(path, *args)
    _edited[key] = path.read_bytes()


_read: dict[tuple, object] = {}


def remembered_reading(path: Path, read: Callable[[Path], object]):
    """``read(path)``, a reading of a workbook's bytes alone, made once per process for the same bytes
    (a deep copy each time, so that a test changing what it got changes no other test's)."""
    key = (hashlib.sha256(path.read_bytes()).digest(), read.__module__, read.__qualname__)
    if key not in _read:
        _read[key] = read(path)
    return copy.deepcopy(_read[key])
