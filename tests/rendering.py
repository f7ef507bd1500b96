"""LibreOffice renders the workbooks the tests look at, all of them in one conversion that runs
while the other tests do.

LibreOffice takes seconds to start, and more to convert a long workbook, so the tests that only need a
rendering to check do not each start it. Such a test names the function that builds its workbooks with
``@renders(build)`` and asks for the ``rendered`` fixture (tests/conftest.py). As the run starts, one
test process builds the workbooks of every such test selected and sets one ``soffice --convert-to pdf``
going on all of them; the other tests run meanwhile, and the rendering tests run last (conftest.py
orders them), each reading its own workbooks, the folder their PDFs are in, and what that call
returned. Parallel test processes share the conversion through a file lock: the process holding it
converts, the others wait for its record only when a test needs it. (The product's own
``send.render.to_pdf`` keeps its end-to-end test, through ``scorecard export --pdf``.)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pytest
from filelock import FileLock, Timeout

Build = Callable[[Path], list[Path]]  # makes its workbooks in the (empty) folder it is given
MARK = "renders"
TIMEOUT = 600  # seconds for the whole conversion, on a machine other work is slowing down


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


class Batch:
    """The one conversion of a run, in ``folder``, which every test process of the run sees."""

    def __init__(self, builds: dict[str, Build], folder: Path):
        self.builds, self.folder, self.record = builds, folder, folder / "batch.json"
        folder.mkdir(parents=True, exist_ok=True)
        # held from the start of a conversion to its record, by whichever thread of ours finishes it
        self.lock = FileLock(str(folder / "batch.lock"), thread_local=False)
        self.process: subprocess.Popen | None = None
        self.finishing: threading.Thread | None = None

    def start(self) -> None:
        """Build the workbooks (here, before any test can change what building uses) and set LibreOffice
        converting them in the background, unless another test process has already begun."""
        if not self.builds:
            return
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            return
        if self.record.exists():
            self.lock.release()
            return
        try:
            made, errors = self.begin()
        except Exception:  # left for the rendering tests to meet again, and report, in results()
            self.lock.release()
            return
        self.finishing = threading.Thread(target=self.finish, args=(made, errors), daemon=True)
        self.finishing.start()

    def results(self) -> dict[str, Rendering]:
        """Every test's rendering, once the conversion (here or in another test process) is done."""
        if self.finishing is not None:
            self.finishing.join()
        with self.lock:
            if not self.record.exists():  # not started early (or it failed): convert now
                self.write_record(*self.begin())
        stored = json.loads(self.record.read_text())
        return {name: Rendering(**(value | {"files": [Path(f) for f in value["files"]],
                                            "outdir": Path(value["outdir"])}))
                for name, value in stored.items()}

    def end(self, cut_short: bool) -> None:
        """At the end of this process's tests: the conversion is finished for the test processes still
        running, or, when the run was cut short, stopped so that it does not outlive the run."""
        if self.finishing is None:
            return
        if cut_short and self.process is not None:
            kill(self.process)
        self.finishing.join()

    def begin(self) -> tuple[dict[str, list[Path]], dict[str, str]]:
        made, errors = self.build_all()
        self.process = start_soffice([file for files in made.values() for file in files], self.folder)
        return made, errors

    def build_all(self) -> tuple[dict[str, list[Path]], dict[str, str]]:
        """Each test's workbooks, in a folder of its own; a failure is kept for that test to report."""
        made, errors = {}, {}
        for name, build in self.builds.items():
            (self.folder / name).mkdir(parents=True, exist_ok=True)
            try:
                made[name] = [Path(p) for p in build(self.folder / name)]
            except Exception:
                made[name], errors[name] = [], traceback.format_exc()
        stems = [file.stem for files in made.values() for file in files]
        clashes = sorted({stem for stem in stems if stems.count(stem) > 1})
        assert not clashes, f"workbooks to render must have names of their own (one PDF folder): {clashes}"
        return made, errors

    def finish(self, made: dict[str, list[Path]], errors: dict[str, str]) -> None:
        try:
            self.write_record(made, errors)
        finally:
            self.lock.release()

    def write_record(self, made: dict[str, list[Path]], errors: dict[str, str]) -> None:
        """Wait for soffice, give each test's PDFs a folder of their own and record it all."""
        returncode, stdout, stderr = wait_for(self.process)
        record = {}
        for name, files in made.items():
            outdir = self.folder / name / "pdf"
            outdir.mkdir(parents=True, exist_ok=True)
            for file in files:
                pdf = self.folder / "pdf" / (file.stem + ".pdf")
                if pdf.exists():
                    pdf.rename(outdir / pdf.name)
            record[name] = asdict(Rendering(files, outdir, returncode, stdout, stderr, errors.get(name, ""))) | {
                "files": [str(f) for f in files], "outdir": str(outdir)}
        written = self.record.with_suffix(".tmp")
        written.write_text(json.dumps(record))
        written.replace(self.record)  # whole or absent, for a process that reads it


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def start_soffice(files: list[Path], folder: Path) -> subprocess.Popen | None:
    """One soffice converting ``files`` into folder/pdf, with a profile of its own in ``folder``."""
    if soffice() is None or not files:
        return None
    return subprocess.Popen(
        [soffice(), f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, files)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)  # a group of its own: soffice's launcher starts the converter as a child


def kill(process: subprocess.Popen) -> None:
    """soffice and the processes it started."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def wait_for(process: subprocess.Popen | None) -> tuple[int | None, str, str]:
    if process is None:
        return (0, "", "") if soffice() else (None, "", "LibreOffice (soffice) is not installed")
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        kill(process)
        stdout, stderr = process.communicate()
        stderr += f"\nLibreOffice did not finish within {TIMEOUT} seconds"
    return process.returncode, stdout, stderr


def pixels(pdf: Path, page: int = 1) -> np.ndarray:
    """The page as an (height, width, 3) array of RGB, from pdftoppm's PPM."""
    data = subprocess.run(["pdftoppm", "-r", "60", "-f", str(page), "-l", str(page), str(pdf)],
                          capture_output=True, check=True).stdout
    header = data.split(b"\n", 3)
    width, height = map(int, header[1].split())
    return np.frombuffer(header[3], dtype=np.uint8)[: width * height * 3].reshape(height, width, 3)


def has_colour(image: np.ndarray, rgb: str, tolerance: int = 40, at_least: int = 20) -> bool:
    wanted = np.array([int(rgb[i:i + 2], 16) for i in (0, 2, 4)])
    return int((np.abs(image.astype(int) - wanted).sum(axis=2) < tolerance).sum()) >= at_least
