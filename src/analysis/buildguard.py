"""One build at a time, and a build that stops cleanly when interrupted.

The lock: `<out>/.build/build.lock`, an OS file lock (filelock; flock on POSIX), so it is
released by the operating system when the process holding it dies, however it dies. The side
file `<out>/.build/build.owner.json` names the holder (pid, host, start time) for the message a
second build prints; it is removed on release, so one found by a process that has just taken
the lock was left by a build that was killed, and is reported as such.

The interruption: `python -m analysis build` runs the build in a child process of its own
process group; the command's own process only holds the lock and waits. On Ctrl-C or SIGTERM it
freezes that group (SIGSTOP: no new worker or kernel can start), collects the child, its
descendants and their process groups (notebook kernels run in sessions of their own), kills
them all, removes `.build/stage` and prints one line. Publishing is the one step not cut short:
a child that has begun swapping outputs in is let finish. If the command's process itself is
killed (SIGKILL), the child notices its pipe closing and kills its own tree. Ctrl-Z stops the
child with the command, `fg` resumes both. The child's temporary files (TMPDIR, where kernels'
connection files go) live in `.build/tmp`, removed however the build ends.
"""
from __future__ import annotations

import json
import mmap
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_FILE = "build.lock"
OWNER_FILE = "build.owner.json"
TMP = "tmp"  # the build's temporary files (kernels' connection files among them), removed after it
EXIT_BUSY = 2
EXIT_INTERRUPTED = 130
INTERRUPTED = "build interrupted; outputs unchanged"
INTERRUPTED_PUBLISHED = "build interrupted while publishing; the new outputs were published whole"

_PHASE: mmap.mmap | None = None  # shared with the supervising process; byte 0: 1 while publishing, 2 once published


class BuildBusy(Exception):
    """Another build holds the lock and the caller asked not to wait."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM reached the supervising process."""


def publishing() -> None:
    """Called by the build just before it starts swapping outputs in: from here it is let finish."""
    if _PHASE is not None:
        _PHASE[0] = 1


def published() -> None:
    """Called by the build once every new output is in place (the publish's commit)."""
    if _PHASE is not None:
        _PHASE[0] = 2


# --- the lock -----------------------------------------------------------------------------

def _read_owner(path: Path) -> dict | None:
    try:
        owner = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return owner if isinstance(owner, dict) and isinstance(owner.get("pid"), int) else None


def _describe(owner: dict | None) -> str:
    if owner is None:
        return "its pid is not recorded"
    host = f" on {owner['host']}" if owner.get("host") not in (None, socket.gethostname()) else ""
    return f"pid {owner['pid']}{host}, started {owner.get('started', '?')}"


def _alive(owner: dict) -> bool:
    if owner.get("host") not in (None, socket.gethostname()):
        return True  # another machine's process: cannot tell, trust the file
    return owner["pid"] in {pid for pid, (_, _, state) in _processes().items() if state not in "ZX"}


class BuildLock:
    """Hold `<build_dir>/build.lock` for the duration of a build.

    Busy: with wait=False raise BuildBusy (one line naming the holder); otherwise log one line
    naming the holder and wait. A side file left by a killed build is reported and replaced.
    """

    def __init__(self, build_dir: Path, wait: bool = True, log: Callable[[str], None] = print):
        self.dir, self.wait, self.log = build_dir, wait, log
        self.owner_file = build_dir / OWNER_FILE
        self.lock = FileLock(build_dir / LOCK_FILE)

    def __enter__(self) -> BuildLock:
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            holder = self._holder()
            where = self.dir.parent
            if not self.wait:
                raise BuildBusy(f"another build is running in {where} ({holder}); not waiting (--no-wait)") from None
            self.log(f"waiting for the build already running in {where} ({holder}) to finish")
            self.lock.acquire()
        try:
            stale = _read_owner(self.owner_file)
            if stale is not None:
                self.log(f"note: a previous build ({_describe(stale)}) was killed before it finished; taking over its lock")
            owner = {"pid": os.getpid(), "host": socket.gethostname(),
                     "started": datetime.now().isoformat(sep=" ", timespec="seconds"), "args": sys.argv[1:]}
            atomic_write(self.owner_file, json.dumps(owner) + "\n")
        except BaseException:
            self.lock.release()
            raise
        return self

    def _holder(self) -> str:
        """The holder as named by the side file; a file naming a dead process is not believed (the
        holder may not have written its own yet: wait a little for it)."""
        deadline = time.monotonic() + 1.0
        while True:
            owner = _read_owner(self.owner_file)
            if owner is not None and _alive(owner):
                return _describe(owner)
            if time.monotonic() > deadline:
                return _describe(None)
            time.sleep(0.05)

    def __exit__(self, *exc) -> None:
        try:
            if (_read_owner(self.owner_file) or {}).get("pid") == os.getpid():
                self.owner_file.unlink()
        except OSError:
            pass
        finally:
            self.lock.release()


def atomic_write(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temporary file in the same directory, then os.replace."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        with suppress(FileNotFoundError):
            tmp.unlink()


# --- processes ----------------------------------------------------------------------------

def _processes() -> dict[int, tuple[int, int, str]]:
    """pid -> (parent pid, process group, state letter) of every process on the machine."""
    table: dict[int, tuple[int, int, str]] = {}
    if os.path.isdir("/proc/self"):
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                stat = Path("/proc", name, "stat").read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()  # after "pid (command)": state ppid pgrp ...
            table[int(name)] = (int(fields[1]), int(fields[2]), fields[0])
        return table
    try:  # other POSIX systems
        out = subprocess.run(["ps", "-A", "-o", "pid=,ppid=,pgid=,stat="], capture_output=True, text=True, check=False).stdout
    except OSError:
        return table
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0].isdigit():
            table[int(parts[0])] = (int(parts[1]), int(parts[2]), parts[3][0])
    return table


def _tree(pid: int, table: dict[int, tuple[int, int, str]]) -> tuple[set[int], set[int]]:
    """The processes descending from pid (pid included) and the process groups they lead or sit in."""
    children: dict[int, list[int]] = {}
    for p, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(p)
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        if p in found:
            continue
        found.add(p)
        todo += children.get(p, [])
    groups = {table[p][1] for p in found if p in table} - {os.getpgid(0)}
    return found | {p for p, (_, pgid, _) in table.items() if pgid in groups}, groups


def _kill(pids: set[int], groups: set[int]) -> None:
    for group in groups:
        with suppress(OSError):
            os.killpg(group, signal.SIGKILL)
    for p in pids:
        if p != os.getpid():
            with suppress(OSError):
                os.kill(p, signal.SIGKILL)


def _wait_gone(pids: set[int], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        table = _processes()
        if not any(p in table and table[p][2] not in "ZX" for p in pids):
            return
        time.sleep(0.02)


def kill_descendants() -> None:
    """Kill whatever this process started that is still running (called before it exits)."""
    table = _processes()
    pids, groups = _tree(os.getpid(), table)
    _kill(pids - {os.getpid()}, groups - {os.getpgid(0)})


def _die_with_parent(fd: int) -> None:
    """In the child: block until the supervisor's end of the pipe closes, then kill the whole tree."""
    with suppress(OSError):
        while os.read(fd, 1):
            pass
    kill_descendants()
    os.killpg(0, signal.SIGKILL)


# --- the supervised build -----------------------------------------------------------------

class _Signals:
    """SIGINT and SIGTERM raise Interrupted once, while armed; otherwise they are only noted."""

    def __init__(self):
        self.armed = True

    def _handle(self, signum, frame):
        if self.armed:
            self.armed = False
            raise Interrupted(signum)

    def __enter__(self):
        self.old = {s: signal.signal(s, self._handle) for s in (signal.SIGINT, signal.SIGTERM)}
        return self

    def __exit__(self, *exc):
        for s, handler in self.old.items():
            signal.signal(s, handler)


def run(build_dir: Path, body: Callable[[], int], wait: bool = True, recover: Callable[[], bool] | None = None) -> int:
    """Run body() (the build, printing as it goes; returns an exit status) under the lock, stoppable.

    Returns body's status; 2 when busy and not waiting; 130 when interrupted by SIGINT/SIGTERM.
    recover() puts the previous outputs back after a child killed while publishing (True if it did).
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(os, "fork"):
        try:  # no signals or no fork here: run in this process, still one at a time
            with BuildLock(build_dir, wait=wait):
                return body()
        except BuildBusy as err:
            print(err, file=sys.stderr)
            return EXIT_BUSY
    with _Signals() as signals:
        try:
            with BuildLock(build_dir, wait=wait, log=lambda s: print(s, flush=True)):
                return _supervise(build_dir, body, signals, recover)
        except BuildBusy as err:
            print(err, file=sys.stderr)
            return EXIT_BUSY
        except Interrupted:  # while waiting for the lock: nothing of ours to clean up
            print(INTERRUPTED, file=sys.stderr)
            return EXIT_INTERRUPTED


def _supervise(build_dir: Path, body: Callable[[], int], signals: _Signals, recover: Callable[[], bool] | None = None) -> int:
    phase = mmap.mmap(-1, 1)
    watch_r, watch_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    blocked = {signal.SIGINT, signal.SIGTERM}
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)  # no interruption until the child has its group
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        raise
    if pid == 0:
        _child(build_dir, body, phase, watch_r, watch_w, old_mask)
    with suppress(OSError):
        os.setpgid(pid, pid)  # the child does the same; whichever runs first
    os.close(watch_r)

    def suspend(signum, frame):  # Ctrl-Z stops the build with this process; `fg` resumes both
        with suppress(OSError):
            os.killpg(pid, signal.SIGSTOP)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stops here until SIGCONT
        signal.signal(signal.SIGTSTP, suspend)
        with suppress(OSError):
            os.killpg(pid, signal.SIGCONT)

    old_tstp = signal.signal(signal.SIGTSTP, suspend)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)  # a signal that came meanwhile is raised here
        _, status = os.waitpid(pid, 0)
        signals.armed = False
        code = os.waitstatus_to_exitcode(status)
        _cleanup(build_dir, pid)
        if code < 0:
            how = f"build failed: its process was killed by {signal.Signals(-code).name}"
            if phase[0] == 1 and recover is not None:  # cut short while swapping: we hold the lock, so undo it now
                with suppress(OSError):
                    recover()
                    phase[0] = 0
            if phase[0] == 0:
                print(f"{how}; outputs unchanged", file=sys.stderr)
            elif phase[0] == 2:
                print(f"{how} after publishing; the new outputs were published whole", file=sys.stderr)
            else:
                print(f"{how} while publishing; run the build again", file=sys.stderr)
            return 1
        return code
    except Interrupted:
        signals.armed = False
        code = _stop(pid, phase)
        _cleanup(build_dir, pid)
        if code is not None:  # it was publishing, or had finished: its outputs are in place
            if code == 0 and phase[0] >= 1:
                print(INTERRUPTED_PUBLISHED, file=sys.stderr, flush=True)
                return EXIT_INTERRUPTED
            return code
        print(INTERRUPTED, file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTSTP, old_tstp)
        os.close(watch_w)


def _child(build_dir: Path, body, phase: mmap.mmap, watch_r: int, watch_w: int, old_mask) -> None:
    global _PHASE
    code = 1
    try:
        os.setpgid(0, 0)  # a group of our own: a terminal's Ctrl-C reaches only the supervisor
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # may write to the terminal from the background
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        os.close(watch_w)
        _PHASE = phase
        threading.Thread(target=_die_with_parent, args=(watch_r,), daemon=True).start()
        (build_dir / TMP).mkdir(exist_ok=True)
        os.environ["TMPDIR"] = str(build_dir / TMP)  # for kernels too: nothing left in /tmp if they are killed
        tempfile.tempdir = None
        code = body()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException as err:  # body reports its own failures; this is the last resort, one line still
        if os.environ.get("ANALYSIS_TRACEBACK"):
            traceback.print_exc()
        print(f"build failed: {type(err).__name__}: {' '.join(str(err).split())}", file=sys.stderr)
    finally:
        with suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        with suppress(BaseException):
            kill_descendants()
        os._exit(code)


def _stop(pid: int, phase: mmap.mmap) -> int | None:
    """Stop the child and all it started. Returns None once killed, or the child's exit status
    if it had already finished or was publishing (then it is let finish)."""
    try:
        os.killpg(pid, signal.SIGSTOP)  # freeze the child and its workers
    except OSError:
        os.kill(pid, signal.SIGSTOP)  # not in its own group (cannot happen once setpgid ran)
    _, status = os.waitpid(pid, os.WUNTRACED)
    if not os.WIFSTOPPED(status):
        return os.waitstatus_to_exitcode(status)
    if phase[0] >= 1:
        os.killpg(pid, signal.SIGCONT)
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)
    table = _processes()
    pids, groups = _tree(pid, table)
    _kill(pids, groups)
    os.waitpid(pid, 0)
    _wait_gone(pids)
    return None


def _cleanup(build_dir: Path, pid: int) -> None:
    """After the child is gone: nothing of its group left, no staging area, no temporary files."""
    with suppress(OSError):
        os.killpg(pid, signal.SIGKILL)
    shutil.rmtree(build_dir / "stage", ignore_errors=True)
    shutil.rmtree(build_dir / TMP, ignore_errors=True)
