"""LibreOffice renders the workbooks the tests look at, all of them in one conversion.

LibreOffice takes seconds to start and a fraction of one to convert a workbook, so the tests that
only need a rendering to check do not each start it. Such a test names the function that builds its
workbooks with ``@renders(build)`` and asks for the ``rendering`` fixture (tests/conftest.py). The
first of them to run builds the workbooks of every such test selected, converts them all with one
``soffice --convert-to pdf`` call, and each test gets its own workbooks, the folder their PDFs are in,
and what that call returned. Parallel test processes share one conversion: the first converts while
holding a file lock, the others read what it wrote. (The product's own ``send.render.to_pdf`` keeps its
end-to-end test, through ``scorecard export --pdf``.)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from filelock import FileLock

Build = Callable[[Path], list[Path]]  # makes its workbooks in the (empty) folder it is given
MARK = "renders"
TIMEOUT = 300  # seconds for the whole batch; one workbook takes about a second


@dataclass(frozen=True)
class Rendering:
    """One test's share of the conversion: its workbooks and the PDFs LibreOffice made of them."""

    files: list[Path]
    outdir: Path  # "<workbook stem>.pdf", as ``soffice --outdir`` names them
    returncode: int | None  # the one soffice call's; None when LibreOffice is not installed
    stdout: str
    stderr: str
    build_error: str = ""  # the traceback, when building the workbooks failed

    def pdf(self, workbook: Path) -> Path:
        return self.outdir / (Path(workbook).stem + ".pdf")


def renders(build: Build):
    """Mark a test as looking at LibreOffice's rendering of the workbooks ``build(folder)`` makes."""
    return getattr(pytest.mark, MARK).with_args(build)


def key(build: Build) -> str:
    return f"{build.__module__}.{build.__qualname__}"


def builds_of(items: Iterable[pytest.Item]) -> dict[str, Build]:
    """The build function of every selected test that renders, once each."""
    builds = {}
    for item in items:
        marker = item.get_closest_marker(MARK)
        if marker is not None:
            builds[key(marker.args[0])] = marker.args[0]
    return builds


def shared_batch(builds: dict[str, Build], folder: Path) -> dict[str, Rendering]:
    """Convert once in ``folder``, which every test process of this run sees; later callers read the record."""
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / "batch.json"
    with FileLock(str(folder / "batch.lock")):
        if not record.exists():
            renderings = convert_all(builds, folder)
            record.write_text(json.dumps({name: asdict(r) | {"files": [str(f) for f in r.files],
                                                             "outdir": str(r.outdir)}
                                          for name, r in renderings.items()}))
    stored = json.loads(record.read_text())
    return {name: Rendering(**(value | {"files": [Path(f) for f in value["files"]],
                                        "outdir": Path(value["outdir"])}))
            for name, value in stored.items()}


def convert_all(builds: dict[str, Build], folder: Path) -> dict[str, Rendering]:
    """Build every test's workbooks in a folder of its own, then convert them all in one soffice call."""
    made, errors = {}, {}
    for name, build in builds.items():
        (folder / name).mkdir(parents=True)
        try:
            made[name] = [Path(p) for p in build(folder / name)]
        except Exception:  # reported by the test whose workbooks these are, not by all of them
            made[name], errors[name] = [], traceback.format_exc()
    everything = [file for files in made.values() for file in files]
    stems = [file.stem for file in everything]
    clashes = sorted({stem for stem in stems if stems.count(stem) > 1})
    assert not clashes, f"workbooks to render must have names of their own (one PDF folder): {clashes}"
    returncode, stdout, stderr = run_soffice(everything, folder / "pdf")
    renderings = {}
    for name, files in made.items():
        outdir = folder / name / "pdf"
        outdir.mkdir(parents=True, exist_ok=True)
        for file in files:
            pdf = folder / "pdf" / (file.stem + ".pdf")
            if pdf.exists():
                pdf.rename(outdir / pdf.name)
        renderings[name] = Rendering(files, outdir, returncode, stdout, stderr, errors.get(name, ""))
    return renderings


def run_soffice(files: list[Path], outdir: Path) -> tuple[int | None, str, str]:
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        return None, "", "LibreOffice (soffice) is not installed"
    if not files:
        return 0, "", ""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = subprocess.run(
            [program, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)],
            capture_output=True, text=True, timeout=TIMEOUT)
    return result.returncode, result.stdout, result.stderr
