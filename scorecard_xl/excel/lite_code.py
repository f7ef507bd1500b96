"""The xlwings Lite edition's two files: the workbook's ``main.py`` and ``requirements.txt``.

xlwings Lite keeps a workbook's Python in the workbook, as these two editor tabs; the package
itself comes from ``requirements.txt``. ``main.py`` stays thin so that an update of the package
changes what the buttons do without anyone pasting code again:

- the two scripts are *defined* in main.py, as wrappers around ``lite.py``, not imported: some
  Lite versions list a workbook's scripts by reading main.py's source for ``@script`` functions,
  and would not show one that is only imported;
- the worksheet functions are imported under their own names: Lite registers every function of
  main.py that carries xlwings' function mark, and calls it by its Python name. The import line
  is made from ``udfs.WORKSHEET_FUNCTIONS``, so a function added there is registered with no
  change here.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from ..problems import WorkbookError

MAIN_FILE, REQUIREMENTS_FILE = "main.py", "requirements.txt"
# The xlwings the protocol tests run against. Older ones lack actions the live writer sends
# (Range.set_colors arrived in 0.37.5, borders in 0.37.1); Lite applies actions it knows only.
LITE_XLWINGS = "xlwings>=0.37.8,<1.0.0"
PACKAGE = "scorecard_xl"


def main_source(version: str) -> str:
    """The text of a workbook's main.py."""
    from . import udfs

    names = [function.__name__ for function in udfs.WORKSHEET_FUNCTIONS]
    imports = textwrap.fill(", ".join(names), width=96, initial_indent="    ", subsequent_indent="    ")
    shown = textwrap.fill("Worksheet functions: " + ", ".join(f"={name}" for name in names) + ".", width=96)
    return f'''"""# Scorecard

**Refresh scorecard** rebuilds the Scorecard sheet from the Indicators and Data sheets and keeps
the commentary typed in it. **Check data** lists every problem, with its cell, and changes nothing.
{shown}

Written by `scorecard lite` for {PACKAGE} {version}. What the buttons do lives in the {PACKAGE}
package named in requirements.txt: change that line, not this file, to update them.
"""

import xlwings as xw
from xlwings import script

from {PACKAGE}.excel import lite
from {PACKAGE}.excel.udfs import (  # noqa: F401  (each worksheet function, registered by its name)
{imports},
)


@script(name="Refresh scorecard")
def refresh_scorecard(book: xw.Book):
    """Rebuild the Scorecard sheet from the raw monthly figures. Commentary you typed is kept."""
    lite.refresh_scorecard(book)


@script(name="Check data")
def check_data(book: xw.Book):
    """List every problem in the Indicators and Data sheets. Nothing is changed."""
    lite.check_data(book)
'''


def requirements_text(version: str, wheel_url: str | None = None) -> str:
    """The text of a workbook's requirements.txt: package lines only, as Lite may read a comment
    line as a package to install."""
    if wheel_url is not None:
        _check_wheel_url(wheel_url)
    return f"{LITE_XLWINGS}\n{wheel_url or f'{PACKAGE}=={version}'}\n"


def _check_wheel_url(url: str) -> None:
    if not url.startswith("https://") or not url.split("?", 1)[0].endswith(".whl") or any(c.isspace() for c in url):
        raise WorkbookError(
            f"--wheel-url must be the https:// address of a wheel, ending in .whl (it is {url!r}). Make the "
            f"wheel with `pip wheel --no-deps -w dist .` in the {PACKAGE} folder, put it on a web server "
            "that allows https://addin.xlwings.org, and give its address.")


def write_lite_files(out_dir: Path | str, version: str, wheel_url: str | None = None) -> list[Path]:
    """Write main.py and requirements.txt into ``out_dir`` (made if missing); returns their paths.
    A file there already is replaced only by the same text: it may hold code a person wrote."""
    out_dir = Path(out_dir)
    files = {out_dir / MAIN_FILE: main_source(version),
             out_dir / REQUIREMENTS_FILE: requirements_text(version, wheel_url)}
    for path, text in files.items():  # everything is refused before anything is written
        if path.exists() and (not path.is_file() or path.read_text(encoding="utf-8", errors="replace") != text):
            raise WorkbookError(
                f"{path} already exists and says something else (perhaps code of your own). Choose another "
                "folder with --out, or move that file away; nothing was written.")
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8", newline="\n")
    return list(files)
