"""Writing under an unlucky machine: links, read-only and immutable files, a full disk, kills and
two refreshes at once. The workbook is always the old or the new complete version, every refusal
is one line, and nothing of ours is left beside it."""

import functools
import hashlib
import os
import random
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from scorecard_xl.update import workbook_lock, writable
from scorecard_xl.backends.xlsx_file import read_sheet_cells
from scorecard_xl.cli import main
from scorecard_xl.update.manual import read_manual
from scorecard_xl.send.export import export_copy
from scorecard_xl.compute.months import month_label
from scorecard_xl.problems import WorkbookError
from scorecard_xl.update.refresh import refresh
from scorecard_xl.starter import write_starter
from workbooks import type_commentary

BACKUPS = "scorecard backups"


@functools.lru_cache(maxsize=None)
def sample_bytes(refreshed: bool) -> bytes:
    """The sample workbook as `scorecard new --sample` writes it, or after its first refresh."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        write_starter(path, sample=True)
        if refreshed:
            refresh(path)
        return path.read_bytes()


def new_book(folder: Path, name: str = "book.xlsx", refreshed: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(sample_bytes(refreshed))
    return path


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def run(capsys, *args) -> tuple[int, list[str]]:
    status = main([str(a) for a in args])
    return status, capsys.readouterr().err.strip().splitlines()


def opens(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        if archive.testzip() is not None:
            return False
    return "Scorecard" in CalamineWorkbook.from_path(str(path)).sheet_names


class TestSymbolicLinks:
    def test_the_file_the_link_points_to_is_refreshed_and_the_link_kept(self, tmp_path):
        real = new_book(tmp_path / "shared", refreshed=False)
        before = real.read_bytes()
        link = tmp_path / "desk" / "Scorecard.xlsx"
        link.parent.mkdir()
        link.symlink_to(Path("..") / "shared" / "book.xlsx")

        report = refresh(link)

        assert link.is_symlink() and os.readlink(link) == str(Path("..") / "shared" / "book.xlsx")
        assert real.read_bytes() != before and opens(real)
        (kept,) = (real.parent / BACKUPS).iterdir()
        assert kept.read_bytes() == before and report.backup == kept
        assert listing(link.parent) == ["Scorecard.xlsx"]
        assert listing(real.parent) == ["book.xlsx", BACKUPS]

    def test_excel_working_on_the_real_file_is_respected(self, tmp_path):
        real = new_book(tmp_path / "shared")
        link = tmp_path / "Scorecard.xlsx"
        link.symlink_to(real)
        (real.parent / ("~$" + real.name)).write_bytes(b"owner")
        before = real.read_bytes()
        with pytest.raises(WorkbookError, match="open in Excel"):
            refresh(link)
        assert real.read_bytes() == before and link.is_symlink()


class TestReadOnlyAndImmutable:
    @pytest.fixture
    def read_only(self, tmp_path):
        path = new_book(tmp_path)
        os.chmod(path, 0o444)
        yield path
        os.chmod(path, 0o644)

    def test_a_read_only_workbook_is_refused_before_any_work(self, read_only, monkeypatch):
        before = read_only.read_bytes()

        def no_work(*_args, **_kwargs):
            raise AssertionError("the workbook was read although it cannot be saved")
        monkeypatch.setattr("scorecard_xl.backends.xlsx_file.read_workbook", no_work)
        with pytest.raises(WorkbookError, match="book.xlsx is read-only"):
            refresh(read_only)
        assert read_only.read_bytes() == before
        assert stat.S_IMODE(read_only.stat().st_mode) == 0o444
        assert listing(read_only.parent) == ["book.xlsx"]

    def test_the_command_line_says_it_in_one_line(self, read_only, capsys):
        status, lines = run(capsys, "refresh", read_only)
        assert status == 2 and len(lines) == 1
        assert "book.xlsx is read-only" in lines[0] and "Traceback" not in lines[0]

    def test_a_read_only_out_file_is_refused_too(self, read_only, tmp_path):
        source = new_book(tmp_path / "source")
        before = read_only.read_bytes()
        with pytest.raises(WorkbookError, match="read-only"):
            refresh(source, out=read_only)
        assert read_only.read_bytes() == before

    @pytest.fixture
    def immutable(self, tmp_path, monkeypatch):
        """As root the file really is made immutable (chattr +i); elsewhere, where that needs a
        privilege the tests do not have, the file system is made to report the attribute."""
        path = new_book(tmp_path)
        really = os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
        if not really:
            real_flags = writable.attribute_flags
            monkeypatch.setattr(writable, "attribute_flags",
                                lambda p: {"immutable"} if Path(p) == path else real_flags(p))
        yield path
        if really:
            subprocess.run(["chattr", "-i", str(path)], check=True)

    def test_an_immutable_workbook_names_the_real_cause(self, immutable, capsys):
        before = immutable.read_bytes()
        status, lines = run(capsys, "refresh", immutable)
        assert status == 2 and len(lines) == 1
        assert "immutable" in lines[0] and "chattr -i" in lines[0]
        assert "OneDrive" not in lines[0] and "virus" not in lines[0]
        assert immutable.read_bytes() == before and listing(immutable.parent) == ["book.xlsx"]


    @pytest.fixture
    def on_a_read_only_drive(self, tmp_path, monkeypatch):
        """As root a tmpfs holding the workbook is remounted read-only; elsewhere the file system
        is made to report its drive read-only."""
        drive = tmp_path / "drive"
        drive.mkdir()
        really = os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(drive)],
                                                      capture_output=True).returncode == 0
        path = new_book(drive)
        if really:
            subprocess.run(["mount", "-o", "remount,ro", str(drive)], check=True)
        else:
            real_statvfs = os.statvfs

            def read_only(where):
                found = real_statvfs(where)
                return found if Path(where) != path else os.statvfs_result(found[:8] + (os.ST_RDONLY,) + found[9:])
            monkeypatch.setattr(os, "statvfs", read_only)
        yield path
        if really:
            subprocess.run(["umount", "-l", str(drive)], check=True)

    def test_a_workbook_on_a_read_only_drive_is_refused_in_those_words(self, on_a_read_only_drive, capsys):
        before = on_a_read_only_drive.read_bytes()
        status, lines = run(capsys, "refresh", on_a_read_only_drive)
        assert status == 2 and len(lines) == 1
        assert "book.xlsx is on a drive that is mounted read-only" in lines[0]
        assert on_a_read_only_drive.read_bytes() == before


def test_a_workbook_open_in_libreoffice_is_refused(tmp_path, capsys):
    path = new_book(tmp_path)
    (tmp_path / ".~lock.book.xlsx#").write_text("Jo Bloggs,jo,laptop,01.03.2021 09:00,jo;\n")
    before = path.read_bytes()
    status, lines = run(capsys, "refresh", path)
    assert status == 2 and len(lines) == 1
    assert "open in LibreOffice" in lines[0] and ".~lock.book.xlsx#" in lines[0]
    assert path.read_bytes() == before


class TestStaleFiles:
    def test_our_temp_files_go_whatever_their_age_and_nothing_else_is_touched(self, tmp_path):
        path = new_book(tmp_path)
        refresh(path)
        backups = tmp_path / BACKUPS
        ours = [tmp_path / ".book.abcd1234.tmp.xlsx", tmp_path / ".book.k_9zz0q1.tmp.xlsx",
                backups / ".book.x1y2z3w4.tmp.xlsx", workbook_lock.lock_path(path)]
        not_ours = [tmp_path / ".book.v2.abcd1234.tmp.xlsx",  # a temp file of book.v2.xlsx
                    tmp_path / ".other.abcd1234.tmp.xlsx", tmp_path / "book.abcd1234.tmp.xlsx",
                    tmp_path / ".book.abcd1234.tmp.xlsm", tmp_path / ".book.abcd123.tmp.xlsx",
                    tmp_path / ".book.ABCD1234.tmp.xlsx", tmp_path / ".~scorecard other.xlsx.lock",
                    backups / "notes.txt"]
        for number, stray in enumerate(ours + not_ours):
            stray.write_bytes(path.read_bytes()[: 1000 + number])  # fresh: written a moment ago

        refresh(path)

        assert [p.name for p in ours if p.exists()] == []
        assert all(p.read_bytes() == path.read_bytes()[: 1000 + n]
                   for n, p in enumerate(ours + not_ours) if p in not_ours)
        assert opens(path)


def hold_lock(path: Path, release_after: float | None = None) -> subprocess.Popen:
    """Another process holding the workbook's lock until told (or for ``release_after`` seconds)."""
    script = ("import sys, time; from pathlib import Path; from scorecard_xl.update.workbook_lock import acquire\n"
              "lock = acquire(Path(sys.argv[1]).resolve(), 'refreshed')\n"
              "print('held', flush=True)\n"
              "time.sleep(float(sys.argv[2])) if sys.argv[2] else sys.stdin.readline()\n"
              "lock.release()\n")
    holder = subprocess.Popen([sys.executable, "-c", script, str(path), str(release_after or "")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


class TestTwoAtOnce:
    def test_a_second_refresh_waits_briefly_then_refuses_plainly(self, tmp_path, monkeypatch, capsys):
        path = new_book(tmp_path)
        before = path.read_bytes()
        monkeypatch.setattr(workbook_lock, "LOCK_WAIT_SECONDS", 0.4)
        holder = hold_lock(path)
        try:
            started = time.monotonic()
            status, lines = run(capsys, "refresh", path, "--month", "Jan-21")
            waited = time.monotonic() - started
        finally:
            holder.communicate("\n")
        assert status == 2 and len(lines) == 1 and waited >= 0.4
        assert "book.xlsx is being refreshed by another process" in lines[0]
        assert path.read_bytes() == before and listing(tmp_path) == ["book.xlsx"]

    def test_a_refresh_that_finishes_soon_is_waited_for(self, tmp_path):
        path = new_book(tmp_path)
        holder = hold_lock(path, release_after=0.3)
        refresh(path, month="Jan-21")
        holder.wait()
        assert month_of(path) == "Jan-21" and listing(tmp_path) == ["book.xlsx", BACKUPS]

    def test_export_reads_while_a_refresh_holds_the_lock(self, tmp_path):
        """Export never writes the workbook, and a refresh replaces it in one step, so export
        reads a complete version without waiting for the lock."""
        path = new_book(tmp_path)
        holder = hold_lock(path)
        try:
            result = export_copy(path, out=tmp_path / "copy.xlsx")
        finally:
            holder.communicate("\n")
        assert result.workbook == tmp_path / "copy.xlsx" and opens(result.workbook)

    def test_the_lock_is_never_held_twice_when_its_file_is_removed_on_release(self, tmp_path, monkeypatch):
        """Four holders taking and releasing the lock as fast as they can: the one releasing
        removes the lock file while a waiter may already have opened it. A pause between
        opening the lock file and locking it, as a busy machine makes, widens that window."""
        target = tmp_path / "book.xlsx"
        monkeypatch.setattr(workbook_lock, "POLL_SECONDS", 0.0005)
        lock_now = workbook_lock._try_lock

        def lock_after_a_pause(descriptor):
            time.sleep(0.001)
            return lock_now(descriptor)
        monkeypatch.setattr(workbook_lock, "_try_lock", lock_after_a_pause)
        inside, most, failures = [0], [0], []
        guard = threading.Lock()

        def hammer():
            try:
                for _ in range(40):
                    lock = workbook_lock.acquire(target, "refreshed")
                    with guard:
                        inside[0] += 1
                        most[0] = max(most[0], inside[0])
                    time.sleep(0.0005)
                    with guard:
                        inside[0] -= 1
                    lock.release()
            except Exception as failure:  # noqa: BLE001 - reported below
                failures.append(failure)
        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == [] and most[0] == 1
        assert listing(tmp_path) == []


def month_of(path: Path) -> str:
    return month_label(read_manual(read_sheet_cells(path, "Scorecard")).month)


# ---------------------------------------------------------------------------------------------
# A full disk: a small tmpfs, filled up to what is left for the case.

@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the disk-full tests mount a small tmpfs, which needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True,
                             text=True)
    if mounted.returncode:
        pytest.skip(f"a tmpfs cannot be mounted here: {mounted.stderr.strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


def fill_leaving(disk: Path, free_bytes: int) -> Path:
    filler = disk / "filler.bin"
    usage = os.statvfs(disk)
    size = usage.f_bavail * usage.f_frsize - free_bytes
    with open(filler, "wb") as handle:
        os.posix_fallocate(handle.fileno(), 0, size)
    return filler


@pytest.mark.parametrize("room, command", [
    (0.5, "refresh"),   # the new file does not fit
    (1.5, "refresh"),   # the new file fits, its backup stops half-way
    (0.5, "export"),    # the email copy does not fit: XlsxWriter stops with its zip half written
])
def test_a_full_disk_is_one_line_and_leaves_nothing_behind(small_disk, commands, room, command):
    book = new_book(small_disk / "work")
    before = book.read_bytes()
    filler = fill_leaving(small_disk, int(len(before) * room))

    status, output, _ = commands.run(command, book, "--month", "Jan-21")
    lines = output.strip().splitlines()

    assert status == 2 and len(lines) == 1, lines  # a real process: nothing more on its error output
    assert "not enough space" in lines[0] and "Free some space" in lines[0]
    assert book.read_bytes() == before and listing(book.parent) == ["book.xlsx"]
    filler.unlink()
    assert commands.run(command, book, "--month", "Jan-21").status == 0  # nothing was left stuck


def test_a_full_disk_met_after_the_copy_is_saved_is_one_line_too(tmp_path, monkeypatch, capsys):
    book = new_book(tmp_path)

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")  # as a write() reports it: no file name
    monkeypatch.setattr("scorecard_xl.send.export.write_draft", disk_full)
    status, lines = run(capsys, "export", book, "--eml", "head.of.service@example.org")
    assert status == 2 and lines == ["scorecard: there is not enough space on the disk to finish. Free some space, "
                                     "then try again."]


def test_several_refreshes_at_once_one_complete_version_and_nothing_lost(tmp_path, commands):
    path = new_book(tmp_path / "work")
    type_commentary(path, {"M1": "Typed before the race"})
    backups = path.parent / BACKUPS
    backups.mkdir()
    for day in range(1, 6):  # five older backups, so that every refresh prunes one
        old = backups / f"book 2021-01-0{day} 120000.xlsx"
        old.write_bytes(path.read_bytes())
        os.utime(old, (day * 1e6, day * 1e6))
    seeded = set(listing(backups))
    started = path.read_bytes()

    runs = [commands.start("refresh", path, "--month", month) for month in ("Nov-20", "Dec-20", "Jan-21", "Feb-21")]
    outcomes = [commands.wait(pid)[:2] for pid, _ in runs]  # (status, output)

    refused = [text for status, text in outcomes if status == 2]
    assert all(status in (0, 2) for status, _ in outcomes), outcomes
    assert all("being refreshed by another process" in text and text.count("\n") == 1 for text in refused)
    assert not any("Traceback" in text or "No such file" in text for _, text in outcomes)
    succeeded = len(outcomes) - len(refused)
    assert succeeded >= 1
    # Each successful refresh backed up a version nobody else backed up, the first of them the
    # workbook as it was before; and (below) the workbook is the refresh of the newest backup, which
    # fails when a refresh computed from an older version replaced another's work.
    new_backups = [backups / name for name in listing(backups) if name not in seeded]
    contents = {p.read_bytes() for p in new_backups}
    assert len(new_backups) == succeeded == len(contents) and started in contents
    assert len(listing(backups)) == 5  # pruned to the last five, without tripping over each other
    # The workbook is one complete refresh of the newest of those versions.
    final = path.read_bytes()
    newest = max(new_backups, key=lambda p: p.stat().st_mtime_ns)
    assert final == refreshed_bytes(newest.read_bytes(), month_of(path), tmp_path / "expected")
    assert listing(path.parent) == ["book.xlsx", BACKUPS]
    book = CalamineWorkbook.from_path(str(path))
    typed = [value for name in book.sheet_names if name in ("Scorecard", "Commentary history")
             for row in book.get_sheet_by_name(name).to_python() for value in row]
    assert "Typed before the race" in typed


def refreshed_bytes(source: bytes, month: str, scratch: Path) -> bytes:
    """What a complete refresh of ``source`` for ``month`` writes (a refresh is deterministic)."""
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / "book.xlsx"
    copy.write_bytes(source)
    refresh(copy, month=month)
    return copy.read_bytes()


KILLS = 15


def test_killed_refreshes_leave_the_old_or_the_new_workbook_and_nothing_of_ours(tmp_path, commands):
    rng = random.Random(20210301)
    path = new_book(tmp_path / "work")
    months = ("Jan-21", "Feb-21")
    expected: dict[tuple[str, str], bytes] = {}
    versions = {path.read_bytes()}

    def complete(source: bytes, month: str) -> bytes:
        key = (hashlib.sha256(source).hexdigest(), month)
        if key not in expected:
            expected[key] = refreshed_bytes(source, month, tmp_path / "expected")
            versions.add(expected[key])
        return expected[key]

    started = time.monotonic()
    pid, _ = commands.start("refresh", path, "--month", months[0])
    assert commands.wait(pid).status == 0
    whole_refresh = time.monotonic() - started  # the window the kills are spread over
    versions.add(path.read_bytes())

    outcomes = []
    for kill in range(KILLS):
        old, month = path.read_bytes(), months[(kill + 1) % 2]
        new = complete(old, month)
        pid, _ = commands.start("refresh", path, "--month", month)
        time.sleep(rng.uniform(0, whole_refresh))
        os.kill(pid, 9)
        commands.wait(pid)
        now = path.read_bytes()
        assert now in (old, new), f"kill {kill}: the workbook is neither the old nor the new version"
        outcomes.append("new" if now == new and new != old else "old")
        assert opens(path)
        for kept in (path.parent / BACKUPS).glob("book *.xlsx"):
            assert kept.read_bytes() in versions, f"kill {kill}: {kept.name} is not a complete version"
        if kill % 5 == 4:  # the next successful refresh clears whatever the kills left
            refresh(path, month=months[kill % 2])
            versions.add(path.read_bytes())
            assert listing(path.parent) == ["book.xlsx", BACKUPS]
            assert all(not name.startswith(".") for name in listing(path.parent / BACKUPS))
    print(f"kills: {outcomes.count('old')} left the old version, {outcomes.count('new')} the new one")
