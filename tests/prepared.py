"""Workbooks many tests start from, made once per test process and copied into each test's folder.

Writing the sample and refreshing it takes a few tenths of a second, and dozens of tests start from
it. The first test to ask for one makes it in a folder of this process's own; each test then gets a
copy of everything the making left there (the workbook and the backup its refresh kept, with their
times) in its own folder, as if it had made them itself. So the making must not depend on anything a
test changes (a monkeypatch in force when the first test asks would reach every later one).
"""

from __future__ import annotations

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
