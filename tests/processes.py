"""Whole `scorecard` processes for the tests, each forked from one prepared interpreter.

A prepared Python forks one process per command, so that it starts in milliseconds and a kill
lands in its work rather than in the interpreter's start-up (a fresh interpreter spends most of a
second of processor time importing pandas, numpy and lxml before it reads a cell). The child
runs the `scorecard` entry point with its output going to a log, and ends without the
interpreter's clean-up, like a process that is killed or exits.

Peak memory: Linux counts in a forked child's resident size the prepared interpreter's private
pages from the fork on (shared until written; about 60 MB) and its file pages as the child touches
them. So a command's peak is that of a whole `scorecard` process that has imported everything and
refreshed the sample once, plus what the command needed beyond it, not of the command's work
alone: checking the sample peaks at about 75 MB here, 80 MB in a fresh process. (A process started by
fork and exec from a larger one counts the larger one's private pages too: the peak survives exec.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

FORK_SERVER = r"""
import contextlib, io, json, os, resource, signal, sys, time, traceback
from scorecard_xl.cli import main

book = os.path.join(sys.argv[1], "warm.xlsx")
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    for argv in (["new", book, "--sample"], ["refresh", book]):
        assert main(argv) == 0, argv  # every import a refresh makes, done once
print(json.dumps({"ready": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)


def child(command):
    status = 70  # what a command that cannot even start reports
    try:
        log = os.open(command["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # the server's commands are not the child's input
        if command["memory_cap"]:
            resource.setrlimit(resource.RLIMIT_AS, (command["memory_cap"], command["memory_cap"]))
        try:
            status = main(command["argv"])
        except SystemExit as exit:  # ended as the interpreter ends on it: None is success, text is printed
            status = 0 if exit.code is None else exit.code
            if not isinstance(status, int):
                print(status, file=sys.stderr)
                status = 1
        except BaseException:
            traceback.print_exc()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status if isinstance(status, int) else 70)  # never back into the server's loop


def wait(pid, timeout):
    # Polled rather than blocked on, so that a command that never ends is killed at its time
    # limit; wait4 gives the child's peak resident size however it ended, killed or not.
    deadline = None if timeout is None else time.monotonic() + timeout
    timed_out = False
    while True:
        ended, status, usage = os.wait4(pid, 0 if deadline is None else os.WNOHANG)
        if ended:
            return {"status": os.waitstatus_to_exitcode(status), "peak_kb": usage.ru_maxrss, "timed_out": timed_out}
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            timed_out, deadline = True, None
        else:
            time.sleep(0.005)


for line in sys.stdin:
    command = json.loads(line)
    if "argv" in command:
        pid = os.fork()
        if pid == 0:
            child(command)
        print(json.dumps(pid), flush=True)
    else:
        print(json.dumps(wait(command["pid"], command["timeout"])), flush=True)
"""


class Ended(NamedTuple):
    status: int   # the exit status, or minus the signal that ended it
    output: str   # what it printed, standard output and error together, in order
    peak_kb: int  # its peak resident size (see the module's note on what that counts)


class Commands:
    """`scorecard` processes, each forked from one prepared interpreter."""

    def __init__(self, scratch: Path):
        self.logs = scratch
        warm = scratch / "warm"
        warm.mkdir(parents=True, exist_ok=True)
        self.server = subprocess.Popen([sys.executable, "-c", FORK_SERVER, str(warm)],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.warm_kb = self._reply()["ready"]  # the prepared interpreter's own peak resident size
        self.count = 0
        self.started: dict[int, tuple[list[str], Path]] = {}

    def _reply(self):
        line = self.server.stdout.readline()
        if not line:
            raise RuntimeError(f"the fork server ended (status {self.server.wait()}); its error output says why")
        return json.loads(line)

    def _ask(self, command: dict):
        self.server.stdin.write(json.dumps(command) + "\n")
        self.server.stdin.flush()
        return self._reply()

    def start(self, *argv, memory_cap: int | None = None) -> tuple[int, Path]:
        """Start ``scorecard *argv``, its address space capped at ``memory_cap`` bytes if given,
        so that a command that allocates without bound fails instead of swapping the machine."""
        self.count += 1
        log = self.logs / f"command-{self.count}.log"
        args = [*map(str, argv)]
        pid = self._ask({"argv": args, "log": str(log), "memory_cap": memory_cap})
        self.started[pid] = (args, log)
        return pid, log

    def wait(self, pid: int, timeout: float | None = None) -> Ended:
        """How the command ended; one still running after ``timeout`` seconds is killed and
        TimeoutExpired raised, so that a command that hangs fails its test instead of blocking it."""
        reply = self._ask({"pid": pid, "timeout": timeout})
        args, log = self.started.pop(pid)
        output = log.read_text()
        if reply["timed_out"]:
            raise subprocess.TimeoutExpired(["scorecard", *args], timeout, output=output)
        return Ended(reply["status"], output, reply["peak_kb"])

    def run(self, *argv, memory_cap: int | None = None, timeout: float | None = None) -> Ended:
        return self.wait(self.start(*argv, memory_cap=memory_cap)[0], timeout)

    def close(self):
        self.server.stdin.close()
        self.server.wait(timeout=10)

    def __enter__(self) -> Commands:
        return self

    def __exit__(self, *_exception):
        self.close()

