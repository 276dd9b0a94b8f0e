"""Every command failure is one line on standard error and exit 2 (bad input) or 1 (the machine),
never a traceback; the outputs are left byte for byte as they were, the lock and the build cache
released; damaged earlier outputs never stop a build (issue 25, items 3 and 6).

The build cases run `python -m analysis build` in this process (the `command` fixture: its build
runs in a forked child, as on the command line) on a private copy of the session's build, and make
only the stages they need run; where the stage's own work does not matter, stand-in stages carry
the published outputs over, so that no case costs a full build.
"""
import errno
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from filelock import FileLock

from analysis import build as build_module
from analysis.build import OUTPUTS, build, publish, recover

STAGE_NAMES = [name for name, _ in build_module.STAGES]
YEARLY = Path("data/public/ncmec/cybertipline_reports_per_year.csv")


def outputs(root: Path) -> dict[str, str]:
    """Hash of every published output file."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for rel in OUTPUTS for p in sorted((root / rel).rglob("*")) if p.is_file()}


def env(paths) -> dict[str, str]:
    return {"ANALYSIS_ROOT": str(paths.root), "ANALYSIS_OUT": str(paths.out)}


def assert_released(root: Path, cache: bytes | None = None) -> None:
    """No lock held, no owner named, no staging area or parked outputs left; the cache as it was."""
    build_dir = root / ".build"
    FileLock(str(build_dir / "build.lock")).acquire(timeout=0).lock.release()
    leftovers = {"build.owner.json", "stage", "old", "tmp", build_module.JOURNAL} & {p.name for p in build_dir.iterdir()}
    assert not leftovers
    if cache is not None:
        assert (build_dir / "cache.json").read_bytes() == cache


def build_fails_cleanly(copy, command, status: int, message: str) -> None:
    """The build fails with one line and `status`; every output unchanged; lock, staging and cache released."""
    before, cache = outputs(copy.root), (copy.root / ".build" / "cache.json").read_bytes()
    done = command("build", env=env(copy))
    one_line(done, status, message)
    assert outputs(copy.root) == before
    assert_released(copy.root, cache)


def one_line(done, code: int, message: str) -> None:
    assert (done.returncode, done.stderr) == (code, message + "\n"), done.stdout + done.stderr
    assert "Traceback" not in done.stdout


def change_a_value(paths) -> None:
    path = paths.root / YEARLY
    text = path.read_text()
    assert "2014,1106071," in text
    path.write_text(text.replace("2014,1106071,", "2014,1106072,"))


@pytest.fixture
def carried(monkeypatch):
    """Stand-in stages: each copies its published outputs into the staging area (as a skipped stage
    does), tables also a file saying which inputs it saw, so a changed input changes data/processed.
    `carried(name=function)` puts a stand-in of the test's own in a stage's place."""
    def carry(name):
        def run(staged):
            build_module._carry_over(staged.published, staged.out, name)
            if name == "tables":
                digest = build_module._digest(build_module._files(staged.root, "data/public"), staged.root)
                (staged.processed / "inputs.txt").write_text(digest + "\n")
        return run

    def install(**own):
        monkeypatch.setattr(build_module, "STAGES", [(n, own.get(n) or carry(n)) for n in STAGE_NAMES])

    return install


@contextmanager
def unwritable(path: Path):
    """The folder made unwritable for real: chmod for a user, the immutable flag for root (whom
    permissions do not stop)."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("running as root where `chattr +i` is not available: no way to make a folder unwritable")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


# --- inputs missing or not files: exit 2 ------------------------------------------------------

def _missing(path: Path) -> None:
    path.unlink()


def _loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.name)  # a link to itself


INPUTS = {"sources-missing": ("data/public/sources.yaml", _missing, "is missing (no such file)"),
          "sources-symlink-loop": ("data/public/sources.yaml", _loop, "cannot be read: too many levels of symbolic links"),
          "claims-missing": ("data/public/report/claims.csv", _missing, "is missing (no such file)")}
# validate and status read no claims (the ledger is the build's)
INPUT_CASES = [(case, cmd) for case in INPUTS for cmd in ("build", "validate", "status") if cmd == "build" or "claims" not in case]


@pytest.mark.parametrize("case, cmd", INPUT_CASES, ids=[f"{cmd}-{case}" for case, cmd in INPUT_CASES])
def test_an_input_missing_or_a_symlink_loop_is_one_line_and_exit_2(built_copy, command, case, cmd):
    rel, damage, what = INPUTS[case]
    damage(built_copy.root / rel)
    before, cache = outputs(built_copy.root), (built_copy.root / ".build" / "cache.json").read_bytes()
    done = command(cmd, env=env(built_copy))
    one_line(done, 2, f"{rel}: {what}")
    assert outputs(built_copy.root) == before
    assert_released(built_copy.root, cache)


def test_a_claim_id_a_figure_shows_renamed_is_one_line_and_exit_2(built_copy, command):
    """Renamed everywhere the data says it (claims, rules, French wording): the figure still names it."""
    report = built_copy.public / "report"
    for name, old, new in (("claims.csv", "\nF12,", "\nF12x,"), ("claims_fr.csv", "\nF12,", "\nF12x,"),
                           ("claim_rules.yaml", '- claim: "F12"', '- claim: "F12x"')):
        text = (report / name).read_text(encoding="utf-8")
        assert text.count(old) == 1, name
        (report / name).write_text(text.replace(old, new), encoding="utf-8")
    build_fails_cleanly(built_copy, command, 2,
                        "data/public/report/claims.csv: no claim 'F12', which the 'In figures' figure shows "
                        "(analysis.claims.FIGURE_CARDS); keep its id or change the figure")


# --- publish: all or nothing ------------------------------------------------------------------

@pytest.mark.parametrize("rel", ["data/processed", "figures"])
def test_an_output_folder_not_writable_leaves_all_three_as_they_were(built_copy, command, carried, rel):
    carried()
    change_a_value(built_copy)  # every stage has work, and data/processed would change
    before, cache = outputs(built_copy.root), (built_copy.root / ".build" / "cache.json").read_bytes()
    with unwritable(built_copy.root / rel):
        done = command("build", env=env(built_copy))
    one_line(done, 1, f"build failed: cannot replace {rel}: it is not writable (permission denied); outputs unchanged")
    assert outputs(built_copy.root) == before
    assert_released(built_copy.root, cache)
    done = command("build", env=env(built_copy))  # writable again: the same build publishes
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    assert (built_copy.processed / "inputs.txt").exists()


def test_a_swap_that_fails_half_way_puts_back_what_it_had_replaced(built_copy, command, carried, monkeypatch):
    """Checked replaceable, then refused while swapping (another process took the permission away):
    data/processed, already swapped, is put back."""
    carried()
    change_a_value(built_copy)
    before, cache = outputs(built_copy.root), (built_copy.root / ".build" / "cache.json").read_bytes()
    real_rename = Path.rename

    def rename(self, target):
        if self == built_copy.root / "figures":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    done = command("build", env=env(built_copy))
    one_line(done, 1, "build failed: cannot replace figures: permission denied; outputs unchanged")
    assert outputs(built_copy.root) == before
    assert_released(built_copy.root, cache)


def test_a_build_killed_while_swapping_is_undone_by_the_next(tmp_path):
    """The journal names the outputs being swapped: a publish killed after its first swap is put
    back whole (by the supervising command at once, or by the next build)."""
    out, stage = tmp_path / "out", tmp_path / "stage"
    for rel in OUTPUTS:
        for root, text in ((out, "old"), (stage, "new")):
            (root / rel).mkdir(parents=True)
            (root / rel / "file.txt").write_text(f"{text} {rel}\n")
    before = outputs(out)
    pid = os.fork()
    if pid == 0:  # the build: killed at its second swap
        renames = []
        real_rename = Path.rename

        def rename(self, target):
            renames.append(self)
            if len(renames) == 3:  # data/processed parked and replaced; figures next
                os.kill(os.getpid(), signal.SIGKILL)
            return real_rename(self, target)

        Path.rename = rename
        publish(stage, out)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status)
    assert (out / "data/processed/file.txt").read_text() == "new data/processed\n"  # half published
    assert recover(out) is True
    assert outputs(out) == before
    assert sorted(p.name for p in (out / ".build").iterdir()) == []
    assert recover(out) is False


# --- the machine: exit 1 ----------------------------------------------------------------------

def test_a_file_size_limit_is_one_line_and_exit_1(built_copy):
    """RLIMIT_FSIZE, as a full disk would: the first staged copy beyond 100 kB fails."""
    (built_copy.processed / "datapackage.json").unlink()  # the package stage has work
    before, cache = outputs(built_copy.root), (built_copy.root / ".build" / "cache.json").read_bytes()

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    done = subprocess.run([sys.executable, "-m", "analysis", "build"], capture_output=True, text=True, preexec_fn=limit,
                          env={**os.environ, **env(built_copy)}, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stdout
    assert done.stderr.startswith("build failed: cannot copy the tables stage's outputs: .build/stage/data/processed/")
    assert done.stderr.endswith(": file too large; outputs unchanged\n")
    assert outputs(built_copy.root) == before
    assert_released(built_copy.root, cache)


def test_a_full_disk_in_a_stage_is_one_line_and_exit_1(built_copy, command, carried, monkeypatch):
    from analysis import stages

    def full(staged):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(staged.processed / "observations.csv"))

    monkeypatch.setattr(stages, "stage_tables", full)
    carried(tables=dict(build_module.STAGES)["tables"])  # the build's own call of the stage
    change_a_value(built_copy)
    build_fails_cleanly(built_copy, command, 1,
                        "build failed: tables stage: .build/stage/data/processed/observations.csv: no space left on device; "
                        "outputs unchanged")


def test_a_killed_worker_is_one_line_and_exit_1(built_copy, command, carried):
    def killed(staged):  # the projections stage runs in a forked worker beside the tables stage
        os.kill(os.getpid(), signal.SIGKILL)

    carried(projections=killed)
    change_a_value(built_copy)
    build_fails_cleanly(built_copy, command, 1,
                        "build failed: the projections stage's process was killed (by a signal, or for lack of memory); "
                        "outputs unchanged")


def test_a_killed_figure_worker_is_one_line_and_exit_1(built_copy, command, monkeypatch):
    """The figures stage's own pool (BrokenProcessPool): a stray file makes only that stage run."""
    import analysis.figures

    def killed(obs, lang):
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(analysis.figures, "FIGURES", {"in_figures": killed})
    (built_copy.figures / "stray.txt").write_text("not a build output\n")
    build_fails_cleanly(built_copy, command, 1,
                        "build failed: a figure worker process was killed (by a signal, or for lack of memory); outputs unchanged")


# --- damaged earlier outputs never stop a build ---------------------------------------------------

def test_a_truncated_observations_parquet_is_ignored_and_rebuilt(built_copy, built, command):
    parquet = built_copy.processed / "observations.parquet"
    parquet.write_bytes(parquet.read_bytes()[:1000])
    done = command("build", env=env(built_copy))
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    notes = [line for line in done.stdout.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and notes[0].startswith("note: ignoring the published data/processed/observations.parquet (cannot be "
                                                  "read: ") and notes[0].endswith("; compared with the published observations.csv instead")
    shared, _ = built
    assert outputs(built_copy.root) == outputs(shared.root)  # rebuilt, changes.csv as it was


def test_a_truncated_observations_parquet_does_not_stop_force(built_copy, carried):
    from analysis.stages import stage_tables

    carried(tables=stage_tables)
    parquet = built_copy.processed / "observations.parquet"
    good = parquet.read_bytes()
    parquet.write_bytes(good[:1000])
    lines = []
    build(built_copy, log=lines.append, force=True)
    assert [line.split(" (")[0] for line in lines if line.startswith("note:")] == [
        "note: ignoring the published data/processed/observations.parquet"]
    assert parquet.read_bytes() == good
    assert_released(built_copy.root)


@pytest.mark.parametrize("garbage", [b"garbage\x00\xff,,\n\"unterminated\n", b"a,b\n1,2\n"], ids=["binary", "other-csv"])
def test_a_garbage_changes_csv_is_never_carried_forward_even_under_force(built_copy, carried, garbage):
    """The tables, package and site stages for real (site reads changes.csv), the others carried over."""
    from analysis.stages import stage_package, stage_site, stage_tables

    carried(tables=stage_tables, package=stage_package, site=stage_site)
    (built_copy.processed / "changes.csv").write_bytes(garbage)
    lines = []
    build(built_copy, log=lines.append, force=True)
    notes = [line for line in lines if line.startswith("note:")]
    assert notes == ["note: ignoring the published data/processed/changes.csv (not a change set as the build writes it); "
                     "the new one lists this build's changes"]
    header = "change,source_id,indicator,geography,period,breakdown,old_value,new_value,old_qualifier,new_qualifier,old_unit," \
             "new_unit,old_note,new_note\n"
    assert (built_copy.processed / "changes.csv").read_text() == header  # nothing changed since
    assert_released(built_copy.root)


def test_a_folder_as_the_build_cache_is_ignored_with_a_note_and_replaced(built_copy, command, carried):
    carried()
    cache = built_copy.root / ".build" / "cache.json"
    cache.unlink()
    (cache / "inner").mkdir(parents=True)
    done = command("build", env=env(built_copy))
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    assert "note: ignoring the build cache .build/cache.json (is a folder); running every stage\n" in done.stdout
    assert set(json.loads(cache.read_text())) == set(STAGE_NAMES)
    done = command("build", env=env(built_copy))
    assert all(f"  {name:<14} unchanged" in done.stdout for name in STAGE_NAMES), done.stdout
    assert_released(built_copy.root)


# --- check --------------------------------------------------------------------------------------

@pytest.fixture
def note(tmp_path) -> Path:
    path = tmp_path / "note.txt"
    path.write_text("In 2023, NCMEC received 36.2 million reports.\n")
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_check_out_dev_full_is_one_line_and_exit_1(note, command):
    before = _files(note.parent)
    done = command("check", note, "--out", "/dev/full", "--html", note.parent / "page.html")
    one_line(done, 1, "check failed: cannot write /dev/full: no space left on device")
    assert done.stdout == ""
    assert _files(note.parent) == before  # the page after it not written, no temporary file left
    assert Path("/dev/full").is_char_device()


@pytest.mark.parametrize("flag", ["--out", "--html"])
def test_check_a_folder_as_output_is_one_line_and_exit_2(note, command, flag):
    folder = note.parent / "results"
    folder.mkdir()
    before = _files(note.parent)
    done = command("check", note, flag, folder, "--out" if flag == "--html" else "--html", note.parent / "other")
    one_line(done, 2, f"{folder}: is a folder; {flag} names the file to write")
    assert _files(note.parent) == before and not (note.parent / "other").exists()


def test_check_out_in_a_missing_folder_is_one_line_and_exit_2(note, command):
    target = note.parent / "missing" / "rows.csv"
    before = _files(note.parent)
    done = command("check", note, "--out", target)
    one_line(done, 2, f"{target}: cannot be written (--out): the folder {target.parent} does not exist")
    assert _files(note.parent) == before and not target.parent.exists()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux) to see the workers start")
def test_ctrl_c_in_check_is_one_line_and_exit_130_and_writes_nothing(tmp_path):
    """A text long enough for check's forked workers; Ctrl-C (the whole group) once they run."""
    from analysis.textcheck import BENCH_SENTENCES, PARALLEL_FROM

    text = tmp_path / "long.txt"
    text.write_text("\n\n".join(BENCH_SENTENCES[i % 4].format(year=2015 + i % 9, n=1000 + 37 * i)
                                for i in range(PARALLEL_FROM + 500)))
    before = _files(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "check", text, "--out", tmp_path / "rows.csv"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def children() -> list[str]:
        found = []
        for name in os.listdir("/proc"):
            try:
                if name.isdigit() and Path("/proc", name, "stat").read_text().rsplit(")", 1)[1].split()[1] == str(proc.pid):
                    found.append(name)
            except OSError:
                continue
        return found

    deadline = time.monotonic() + 120
    while not children():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "check's workers never started"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, err, out) == (130, "check interrupted; nothing written\n", "")
    assert _files(tmp_path) == before
