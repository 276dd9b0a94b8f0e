import shutil
from pathlib import Path

import pytest

from analysis.paths import REPO_ROOT, Paths, default_paths

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


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A scratch copy of the repository, built once for the whole session."""
    from analysis.build import build

    root = tmp_path_factory.mktemp("repo")
    for rel in ("data/public", "notebooks"):
        shutil.copytree(REPO_ROOT / rel, root / rel)
    paths = Paths(root=root, out=root)
    timings = build(paths, log=lambda s: None)
    return paths, timings


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
