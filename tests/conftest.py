import json
import os
import shutil
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


@pytest.fixture(scope="session")
def build_record(tmp_path_factory) -> dict:
    """A scratch copy of the repository, built once for the whole run and shared by every
    pytest-xdist worker (the first worker to arrive builds it under a file lock; the others
    wait and reuse it). Read-only: tests that change it take `built_copy` instead."""
    from filelock import FileLock

    from analysis.build import build

    # Under xdist each worker's basetemp sits in the run's own directory, common to all workers;
    # without xdist the parent would be shared with earlier runs, so use the run's basetemp.
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root = shared / "built-repo"
    done = shared / "built-repo.timings.json"
    with FileLock(str(shared / "built-repo.lock")):
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)
            _copy_clone(root)
            before = _public_state(root)
            timings = build(Paths(root=root, out=root), log=lambda s: None)
            after = _public_state(root)
            # The build only ever reads data/public: recorded on the one full build of the run
            # (tests/test_robustness.py asserts it).
            written = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
            done.write_text(json.dumps({"timings": timings, "public_written": written}))
    return {"paths": Paths(root=root, out=root), **json.loads(done.read_text())}


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
