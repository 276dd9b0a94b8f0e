import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.imports import without_iri_grammar
from analysis.paths import REPO_ROOT, Paths, default_paths

without_iri_grammar()  # before any test module imports nbformat or frictionless (see analysis.imports)

SHARED_SOURCES = default_paths().shared_sources  # ../shared/sources, or $ANALYSIS_SOURCES_DIR


@pytest.fixture
def repo_copy(tmp_path) -> Paths:
    """A scratch copy of the inputs (data/public, notebooks) to break or extend."""
    for rel in ("data/public", "notebooks"):
        shutil.copytree(REPO_ROOT / rel, tmp_path / rel)
    return Paths(root=tmp_path, out=tmp_path)


def shared_pdf(rel: str) -> Path:
    path = SHARED_SOURCES / rel
    if not path.exists():
        pytest.skip(f"{path} is absent (the publishers' PDFs sit in ../shared/sources beside the clone)")
    return path


CLONE = ("data/public", "notebooks", "data/processed", "figures")  # what a clean clone holds


def _copy_clone(root: Path) -> None:
    """What a fresh clone holds: inputs and the committed outputs (changes.csv is computed
    against the committed table, as on a user's machine or in CI)."""
    for rel in CLONE:
        shutil.copytree(REPO_ROOT / rel, root / rel)


def once_per_run(tmp_path_factory, name: str, make) -> dict:
    """make(directory) -> a JSON-able record, computed by the first pytest-xdist worker to ask
    (under a file lock; the others wait) and read back by every worker. `directory` is a
    scratch directory common to the run's workers."""
    from filelock import FileLock

    # Under xdist each worker's basetemp sits in the run's own directory, common to all workers;
    # without xdist the parent would be shared with earlier runs, so use the run's basetemp.
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    done = shared / f"{name}.json"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            done.write_text(json.dumps(make(shared)))
    return json.loads(done.read_text())


@pytest.fixture(scope="session")
def build_record(tmp_path_factory) -> dict:
    """A scratch copy of the repository, built once for the whole run and shared by every
    pytest-xdist worker. Read-only: tests that change it take `built_copy` instead."""
    from analysis.build import build

    def make(shared: Path) -> dict:
        root = shared / "built-repo"
        shutil.rmtree(root, ignore_errors=True)
        _copy_clone(root)
        before = _public_state(root)
        timings = build(Paths(root=root, out=root), log=lambda s: None)
        after = _public_state(root)
        # The build only ever reads data/public: recorded on the one full build of the run
        # (tests/test_robustness.py asserts it).
        written = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        return {"root": str(root), "timings": timings, "public_written": written}

    record = once_per_run(tmp_path_factory, "built-repo", make)
    root = Path(record.pop("root"))
    return {"paths": Paths(root=root, out=root), **record}


@pytest.fixture(scope="session")
def built(build_record):
    """(paths, timings) of the shared build."""
    return build_record["paths"], build_record["timings"]


def _public_state(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted((root / "data" / "public").rglob("*")) if p.is_file()}


@pytest.fixture
def built_copy(built, tmp_path) -> Paths:
    """A private copy of the shared build (outputs and build cache) for a test to change."""
    source, _ = built
    root = tmp_path / "repo"
    shutil.copytree(source.root, root, symlinks=True)
    return Paths(root=root, out=root)


@pytest.fixture
def command(capfd, monkeypatch):
    """`python -m analysis ARGS` run in this test's process (analysis.cli.main), with its output
    captured at the file descriptors, so what a build's forked process prints is caught too.
    For the many cases of one command: the interpreter start and the imports are paid once per
    worker. Each command keeps at least one test that runs it as a real subprocess."""
    from analysis import cli

    def run(*args, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, str(value))
        capfd.readouterr()
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exit_:  # argparse's own exits
            code = exit_.code
        out, err = capfd.readouterr()
        return subprocess.CompletedProcess(["python", "-m", "analysis", *map(str, args)], code, out, err)

    return run


@pytest.fixture(scope="session", autouse=True)
def no_network():
    """Tests, and the builds they run, are offline: any connection to a non-local address fails
    loudly. Session-wide and set up first, so the shared build fixture runs under it too."""
    import socket

    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0") and not host.startswith("/"):
            raise OSError(f"network access blocked in tests: {address!r}")
        return real_connect(self, address)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", guarded)
        yield


# Heavy tests that need no shared build first, tests that
# use the shared build last: with --dist worksteal one worker starts the shared build while the
# other works through the independent tests, instead of both waiting for it.
FIRST = ("test_selection_rule_picks",)
SHARED = {"built", "build_record", "built_copy"}


def pytest_collection_modifyitems(items):
    def rank(item):
        name = item.name
        if any(name.startswith(f) for f in FIRST):
            return 0
        return 2 if SHARED & set(getattr(item, "fixturenames", ())) else 1

    items.sort(key=rank)  # stable: files keep their order within each group
