"""Reading workbooks that are damaged, oversized or built to hurt: one plain line, never a
traceback, memory that follows the cells present, and the file left as it was."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from damaged_packages import write_big_member
from scorecard_xl.backends.ooxml_package import Package
from scorecard_xl.cli import main
from workbooks import indicator, make_workbook, monthly_series

REPO = Path(__file__).resolve().parent.parent


def small_book(path: Path) -> Path:
    return make_workbook(path, [indicator("A1", red="<5", amber="5>", green="10+")],
                         monthly_series("A1", 2020, 1, list(range(14))), settings={"Title": "Test"})


def run_cli(capsys, *args) -> tuple[int, str]:
    """Exit status and everything printed; a traceback fails the test by propagating."""
    status = main([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


PEAK_RSS = textwrap.dedent("""
    import resource, sys
    from scorecard_xl.cli import main
    try:
        status = main(sys.argv[2:])
    finally:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        open(sys.argv[1], "w").write(str(peak))
    sys.exit(status)
""")


def run_measured(tmp_path: Path, *args, memory_cap: int = 4 << 30, timeout: int = 120):
    """(exit status, output, peak RSS in KB) of a whole ``scorecard`` process whose address space is
    capped, so a reader that allocates the bounding box dies instead of swapping the machine."""
    import resource

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))
    peak_file = tmp_path / "peak.txt"
    result = subprocess.run([sys.executable, "-c", PEAK_RSS, str(peak_file), *map(str, args)], cwd=REPO,
                            capture_output=True, text=True, timeout=timeout, preexec_fn=cap)
    peak = int(peak_file.read_text()) if peak_file.exists() else None
    return result.returncode, result.stdout + result.stderr, peak


# --- copying parts unchanged -----------------------------------------------------------------------

def test_parts_copied_unchanged_are_streamed(tmp_path):
    path = small_book(tmp_path / "book.xlsx")
    write_big_member(path, "xl/media/film.bin", b"", bytes(range(256)) * 4096, 60, b"")  # 60 MB
    target = tmp_path / "copy.xlsx"
    tracemalloc.start()
    try:
        with Package(path) as package:
            package.write(target, {})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(target) as new:
        assert [i.filename for i in old.infolist()] == [i.filename for i in new.infolist()]
        assert all(old.getinfo(n).CRC == new.getinfo(n).CRC for n in old.namelist())


# --- only regular files are opened -------------------------------------------------------------------

def test_a_fifo_named_like_a_workbook_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    for command in ("check", "refresh", "export"):
        status, output, _ = run_measured(tmp_path, command, fifo, timeout=30)
        assert status == 2, output
        assert output.strip() == f"scorecard: {fifo} is not a file but a named pipe (FIFO); name the workbook " \
                                 "itself (an .xlsx or .xlsm file).", output


def test_a_link_to_a_device_is_refused_and_a_link_to_a_workbook_is_read(tmp_path, capsys):
    device = tmp_path / "device.xlsx"
    device.symlink_to("/dev/zero")
    status, output = run_cli(capsys, "check", device)
    assert status == 2 and "is not a file but a device" in output
    link = tmp_path / "link.xlsx"
    link.symlink_to(small_book(tmp_path / "book.xlsx"))
    status, output = run_cli(capsys, "check", link)
    assert status == 0 and "no errors" in output, output
