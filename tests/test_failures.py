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
from analysis.build import OUTPUTS

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
    leftovers = {"build.owner.json", "stage", "old", "tmp"} & {p.name for p in build_dir.iterdir()}
    assert not leftovers
    if cache is not None:
        assert (build_dir / "cache.json").read_bytes() == cache


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
    before, cache = outputs(built_copy.root), (built_copy.root / ".build" / "cache.json").read_bytes()
    done = command("build", env=env(built_copy))
    one_line(done, 2, "data/public/report/claims.csv: no claim 'F12', which the 'In figures' figure shows "
                      "(analysis.claims.FIGURE_CARDS); keep its id or change the figure")
    assert outputs(built_copy.root) == before
    assert_released(built_copy.root, cache)
