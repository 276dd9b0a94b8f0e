"""Accidents a build must survive: a second build at the same time, Ctrl-C or SIGTERM in the
middle, a build killed outright, a damaged cache.

The `python -m analysis build` tests share one copy of the session's build (outputs and cache),
and each makes only the stages it needs run (a stray file in a stage's outputs or inputs, or
data/processed removed), so none costs a full build. The cache tests run build() in-process
with stand-in stages: the cache logic, without the cost of the real stages.
"""
import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from analysis import build as build_module
from analysis import buildguard, cli
from analysis.build import build
from analysis.errors import DataError, Problem

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process checks read /proc (Linux)")
STAGE_NAMES = [name for name, _ in build_module.STAGES]


class Run:
    """`python -m analysis build ARGS` on a scratch copy, in a session of its own (as a terminal
    would run it), its output collected line by line as it comes."""

    def __init__(self, root: Path, *args: str):
        env = {**os.environ, "ANALYSIS_ROOT": str(root), "ANALYSIS_OUT": str(root)}
        self.proc = subprocess.Popen([sys.executable, "-m", "analysis", "build", *args], cwd=root, env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [threading.Thread(target=lambda s=s, lines=lines: lines.extend(s), daemon=True)
                         for s, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for reader in self._readers:
            reader.start()

    def wait_for(self, condition, what: str, timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.proc.poll() is not None:
                pytest.fail(f"the build ended ({self.proc.returncode}) before {what}:\n{''.join(self.out)}{''.join(self.err)}")
            if time.monotonic() > deadline:
                self.proc.kill()
                pytest.fail(f"timed out waiting for {what}:\n{''.join(self.out)}")
            time.sleep(0.05)

    def printed(self, stage: str) -> bool:
        """The stage's line (name and time, or 'unchanged') has been printed: it is done."""
        return any(line.split()[:1] == [stage] for line in list(self.out))

    def finish(self, timeout: float = 600.0) -> tuple[int, str, str]:
        code = self.proc.wait(timeout)
        for reader in self._readers:
            reader.join(10)
        return code, "".join(self.out), "".join(self.err)


def running(root: Path, parents: set[int] = frozenset()) -> dict[int, str]:
    """Live processes of a build on `root`: working directory or command line inside it, or a
    parent among `parents`. Zombies (dead, waiting to be reaped) do not count."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            state, ppid = Path("/proc", name, "stat").read_text().rsplit(")", 1)[1].split()[:2]
            command = Path("/proc", name, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        try:
            cwd = os.readlink(f"/proc/{name}/cwd")
        except OSError:
            cwd = ""
        if state != "Z" and (cwd.startswith(str(root)) or str(root) in command or int(name) in parents or int(ppid) in parents):
            found[int(name)] = command
    return found


def outputs(root: Path) -> dict[str, str]:
    """Hash of every published output file."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for rel in build_module.OUTPUTS for p in sorted((root / rel).rglob("*")) if p.is_file()}


def processed(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data/processed").rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def scratch(built, tmp_path_factory) -> Path:
    """A copy of the session's build (inputs, outputs, cache) for this module's command-line tests:
    a build on it has nothing to do until a test gives it something."""
    source, _ = built
    root = tmp_path_factory.mktemp("accidents") / "repo"
    shutil.copytree(source.root, root, symlinks=True)
    return root


# --- two builds at once ----------------------------------------------------------------------

@needs_proc
def test_two_builds_at_once_one_waits_a_third_refuses_and_outputs_equal_a_single_build(scratch, built):
    (scratch / "data" / "processed" / "datapackage.json").unlink()  # the package stage has work to do
    first, second = Run(scratch), Run(scratch)
    owner = scratch / ".build" / buildguard.OWNER_FILE
    holder: list[int] = []

    def locked() -> bool:
        try:
            holder[:] = [json.loads(owner.read_text())["pid"]]
        except (OSError, ValueError, KeyError):
            return False
        return holder[0] in (first.proc.pid, second.proc.pid)

    first.wait_for(locked, "one of the two builds to take the lock", 120)
    winner, waiter = (first, second) if holder[0] == first.proc.pid else (second, first)
    # Pause the winner's command (its build goes on): it holds the lock for as long as a long build would.
    os.kill(winner.proc.pid, signal.SIGSTOP)
    try:
        env = {**os.environ, "ANALYSIS_ROOT": str(scratch), "ANALYSIS_OUT": str(scratch)}
        refused = subprocess.run([sys.executable, "-m", "analysis", "build", "--no-wait"], cwd=scratch, env=env,
                                 capture_output=True, text=True, timeout=120)
        waiter.wait_for(lambda: any(line.startswith("waiting for the build") for line in waiter.out), "the waiting message", 120)
    finally:
        os.kill(winner.proc.pid, signal.SIGCONT)
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and refused.stderr.endswith("; not waiting (--no-wait)\n")
    assert refused.stderr.startswith(f"another build is running in {scratch} (pid {winner.proc.pid}, started ")
    waiting = next(line for line in waiter.out if line.startswith("waiting for the build"))
    assert f"(pid {winner.proc.pid}, started " in waiting

    results = {run: run.finish() for run in (winner, waiter)}
    for code, out, err in results.values():
        assert code == 0, out + err
        assert "Traceback" not in out + err
    # The waiter ran after the winner had published: nothing was left for it to do.
    waited_out = results[waiter][1]
    assert all(f"  {name:<14} unchanged" in waited_out for name in STAGE_NAMES), waited_out
    built_paths, _ = built
    assert processed(scratch) == processed(built_paths.out)


@needs_proc
def test_ctrl_c_while_waiting_leaves_the_running_build_alone(repo_copy):
    root = repo_copy.out
    stage = root / ".build" / "stage"
    stage.mkdir(parents=True)  # the running build's
    with buildguard.BuildLock(root / ".build"):  # this test process is the running build
        run = Run(root)
        run.wait_for(lambda: any(line.startswith("waiting for the build") for line in run.out), "the waiting message", 120)
        os.killpg(run.proc.pid, signal.SIGINT)
        code, out, err = run.finish(60)
    assert (code, err) == (130, "build interrupted; outputs unchanged\n")
    assert out.startswith(f"waiting for the build already running in {root} (pid {os.getpid()}, started ")
    assert out.count("\n") == 1 and out.endswith(") to finish\n")
    assert stage.is_dir()


# --- interruptions ---------------------------------------------------------------------------

def _start_in_stage(root: Path, stage: str) -> tuple[Run, dict[int, str]]:
    """Start a build and return once it is busy in `stage` (workers drawing, or a kernel running),
    with the processes it is running then."""
    run = Run(root)
    previous = STAGE_NAMES[STAGE_NAMES.index(stage) - 1]
    run.wait_for(lambda: run.printed(previous), f"the {stage} stage to start")
    if stage == "figures":
        drawn = root / ".build" / "stage" / "figures"
        run.wait_for(lambda: any(p.is_file() for p in drawn.rglob("*")), "the first figure in the staging area", 120)
    else:
        run.wait_for(lambda: any("ipykernel" in c for c in running(root).values()), "a notebook kernel", 120)
    during = running(root)
    # the command, the build it runs, and its figure workers or notebook kernels
    assert len(during) >= 3, during
    return run, during


def _stray(root: Path, stage: str) -> Path:
    """A file that makes `stage` (and only the stages after it that read it) run again: a stray
    output for figures, a new input for notebooks."""
    return root / ("figures" if stage == "figures" else "notebooks") / "stray.txt"


@needs_proc
@pytest.mark.parametrize("stage, signum", [("figures", signal.SIGINT), ("figures", signal.SIGTERM),
                                           ("notebooks", signal.SIGINT), ("notebooks", signal.SIGTERM)],
                         ids=["figures-ctrl-c", "figures-sigterm", "notebooks-ctrl-c", "notebooks-sigterm"])
def test_an_interrupted_build_stops_everything_and_changes_nothing(scratch, stage, signum):
    stray = _stray(scratch, stage)
    stray.write_text("not a build output\n")
    try:
        before = outputs(scratch)
        run, during = _start_in_stage(scratch, stage)
        if signum == signal.SIGINT:
            os.killpg(run.proc.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole foreground group
        else:
            run.proc.send_signal(signal.SIGTERM)
        code, out, err = run.finish(60)
        assert (code, err) == (130, "build interrupted; outputs unchanged\n"), out
        assert "Traceback" not in out
        assert running(scratch, set(during)) == {}
        assert not (scratch / ".build" / "stage").exists()
        assert outputs(scratch) == before
    finally:
        stray.unlink()
    code, out, err = Run(scratch).finish()
    assert (code, err) == (0, ""), out
    assert "note:" not in out and "waiting" not in out


@needs_proc
def test_a_killed_build_takes_its_workers_down_and_the_next_build_takes_over_its_lock(scratch):
    stray = _stray(scratch, "figures")
    stray.write_text("not a build output\n")
    try:
        before = outputs(scratch)
        run, during = _start_in_stage(scratch, "figures")
        run.proc.kill()
        code, _, err = run.finish(60)
        assert code == -signal.SIGKILL and err == ""
        deadline = time.monotonic() + 15
        while running(scratch, set(during)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert running(scratch, set(during)) == {}
        assert outputs(scratch) == before
    finally:
        stray.unlink()
    code, out, err = Run(scratch).finish()
    assert (code, err) == (0, ""), out
    assert f"note: a previous build (pid {run.proc.pid}, started " in out and "taking over its lock" in out
    assert not (scratch / ".build" / "stage").exists()
    assert not (scratch / ".build" / buildguard.OWNER_FILE).exists()


# --- the lock and the cache, in-process ------------------------------------------------------

@pytest.fixture
def quick(repo_copy, monkeypatch):
    """build() on a scratch copy with stand-in stages that write one file each."""
    ran: list[str] = []

    def stand_in(name):
        def run(paths):
            ran.append(name)
            for rel in build_module.STAGE_OUTPUTS[name]:
                target = paths.out / rel
                if target.suffix:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(name)
                else:
                    target.mkdir(parents=True, exist_ok=True)
                    (target / f"{name}.txt").write_text(name)
        return run

    monkeypatch.setattr(build_module, "STAGES", [(name, stand_in(name)) for name in STAGE_NAMES])

    def run_build(**kwargs) -> tuple[list[str], list[str]]:
        ran.clear()
        lines: list[str] = []
        build(repo_copy, log=lines.append, **kwargs)
        # stages beside another run in a forked process, where `ran` is not seen: their log line says they ran
        beside = [line.split()[0] for line in lines if line.split()[:1] and line.split()[0] in build_module.BESIDE and line.endswith(" s")]
        return [name for name in STAGE_NAMES if name in ran or name in beside], lines

    return repo_copy, run_build


@pytest.mark.parametrize("damage, problem", [
    (lambda raw: raw[: len(raw) // 2], "cannot be read: "),
    (lambda raw: b"\xff\xfe" + raw, "cannot be read: "),
    (lambda raw: b"[1, 2]\n", "has the wrong shape"),
    (lambda raw: json.dumps({name: {"key": 1} for name in STAGE_NAMES}).encode(), "has the wrong shape"),
], ids=["half-written", "not-utf8", "a-list", "wrong-entries"])
def test_a_damaged_cache_is_ignored_with_a_one_line_notice(quick, damage, problem):
    paths, run = quick
    assert run()[0] == STAGE_NAMES
    cache = paths.out / ".build" / "cache.json"
    cache.write_bytes(damage(cache.read_bytes()))
    ran, lines = run()
    assert ran == STAGE_NAMES
    notices = [line for line in lines if line.startswith("note:")]
    assert len(notices) == 1 and "\n" not in notices[0]
    assert notices[0].startswith(f"note: ignoring the build cache .build/cache.json ({problem}")
    assert notices[0].endswith("); running every stage")
    assert set(json.loads(cache.read_text())) == set(STAGE_NAMES)  # rewritten whole
    assert run() == ([], [f"  {name:<14} unchanged" for name in STAGE_NAMES])


def test_the_cache_is_replaced_whole_or_not_at_all(quick, monkeypatch):
    paths, run = quick
    run()
    cache = paths.out / ".build" / "cache.json"
    good = cache.read_bytes()
    (paths.notebooks / "new.txt").write_text("a new input: the notebooks and site stages run again\n")
    real_replace = os.replace

    def killed_before_rename(src, dst, *args, **kwargs):
        if Path(dst).name == "cache.json":
            raise KeyboardInterrupt
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", killed_before_rename)
    with pytest.raises(KeyboardInterrupt):
        run()
    assert cache.read_bytes() == good
    assert not [p.name for p in cache.parent.iterdir() if p.name.endswith(".tmp")]
    monkeypatch.setattr(os, "replace", real_replace)
    assert run()[0] == ["notebooks", "site"]  # the old cache, intact, knows they are stale
    assert run()[0] == []


def test_a_second_build_in_process_refuses_when_told_not_to_wait(quick):
    paths, run = quick
    with buildguard.BuildLock(paths.out / ".build"):
        with pytest.raises(buildguard.BuildBusy) as busy:
            run(wait=False)
    assert str(busy.value).startswith(f"another build is running in {paths.out} (pid {os.getpid()}, started ")
    assert run()[0] == STAGE_NAMES  # the lock was released


def test_an_error_in_a_stage_beside_another_reaches_the_build_whole(quick, monkeypatch):
    """Projections run in a forked worker: their DataError comes back with its problems, the
    tables stage beside them having run to the end."""
    paths, run = quick

    def failing(staged):
        raise DataError([Problem("data/public/x.csv", 3, text="bad in the worker"), Problem("data/public/y.csv", 1, text="second")])

    stages = [(n, failing if n == "projections" else f) for n, f in build_module.STAGES]
    monkeypatch.setattr(build_module, "STAGES", stages)
    with pytest.raises(DataError) as err:
        run()
    assert str(err.value) == "data/public/x.csv:3: bad in the worker"
    assert [str(p) for p in err.value.problems] == ["data/public/x.csv:3: bad in the worker", "data/public/y.csv:1: second"]


def test_bad_input_is_validated_once_and_stops_the_worker_beside(repo_copy, monkeypatch, tmp_path):
    """The projections worker starts with the tables stage and waits for its validated table: on
    bad input the tables stage's error is the build's, and the worker stops without validating
    the inputs a second time."""
    from analysis import stages

    (repo_copy.public / "ncmec" / "cybertipline_reports_per_year.csv").write_text("year,reports\n2023,4,7OO\n")
    calls = tmp_path / "validations.txt"
    real = stages.build_observations

    def recorded(paths):  # forked workers inherit this patch; they record in a file
        with open(calls, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(paths)

    monkeypatch.setattr(stages, "build_observations", recorded)
    with pytest.raises(DataError, match=r"cybertipline_reports_per_year\.csv"):
        build(repo_copy, log=lambda line: None)
    assert calls.read_text().split() == [str(os.getpid())]


# --- validation messages -----------------------------------------------------------------------

def test_several_validation_problems_print_one_line_each(repo_copy, monkeypatch, capsys):
    rel = "data/public/ncmec/cybertipline_reports_per_year.csv"
    path = repo_copy.root / rel
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1]["reports"], rows[2]["reports"] = "4,7OO", "x1"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    monkeypatch.setenv("ANALYSIS_ROOT", str(repo_copy.root))
    monkeypatch.setenv("ANALYSIS_OUT", str(repo_copy.root))
    assert cli.main(["validate"]) == 2
    err = capsys.readouterr().err
    assert err.endswith("\n")
    assert err.splitlines() == [f"{rel}:3: column 'reports': '4,7OO' is not a whole number",
                                f"{rel}:4: column 'reports': 'x1' is not a whole number"]
    # a message that arrives with a line break in it still prints as one line
    assert str(Problem("f.csv", 2, text="cannot be read:\nunexpected end")) == "f.csv:2: cannot be read: unexpected end"
