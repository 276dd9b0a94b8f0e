"""Nothing lost on failure, nothing written to data/public, deterministic and offline builds."""
import hashlib
import shutil
import socket

import pytest

from analysis import build as build_module
from analysis.build import OUTPUTS, build
from analysis.paths import REPO_ROOT, Paths


def snapshot(root) -> dict[str, str]:
    out = {}
    for rel in (*OUTPUTS, "data/public"):
        for p in sorted((root / rel).rglob("*")):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def fresh_copy(tmp_path) -> Paths:
    for rel in ("data/public", "notebooks"):
        shutil.copytree(REPO_ROOT / rel, tmp_path / rel)
    return Paths(root=tmp_path, out=tmp_path)


def test_a_build_that_fails_half_way_leaves_every_output_byte_identical(built, tmp_path, monkeypatch):
    paths, _ = built
    before = snapshot(paths.out)
    original = build_module.stage_figures

    def figures_then_crash(staged):
        original(staged)  # the staging area now holds new figures...
        raise RuntimeError("injected failure after the figures stage")

    monkeypatch.setattr(build_module, "STAGES", [(n, figures_then_crash if n == "figures" else f) for n, f in build_module.STAGES])
    with pytest.raises(RuntimeError, match="injected failure"):
        build(paths, log=lambda s: None, force=True)
    assert snapshot(paths.out) == before


def test_data_public_is_never_written(built):
    paths, _ = built
    public = {p: p.stat().st_mtime_ns for p in paths.public.rglob("*") if p.is_file()}
    original = {p.relative_to(paths.public): p.read_bytes() for p in paths.public.rglob("*") if p.is_file()}
    build(paths, log=lambda s: None, force=True)
    assert {p: p.stat().st_mtime_ns for p in paths.public.rglob("*") if p.is_file()} == public
    assert {p.relative_to(paths.public): p.read_bytes() for p in paths.public.rglob("*") if p.is_file()} == original


def test_two_clean_builds_are_byte_identical(built, tmp_path):
    paths, _ = built
    other = fresh_copy(tmp_path)
    build(other, log=lambda s: None)
    compared = ("data/processed", "figures")
    first = {k: v for k, v in snapshot(paths.out).items() if k.startswith(compared)}
    second = {k: v for k, v in snapshot(other.out).items() if k.startswith(compared)}
    assert first == second


def test_a_no_op_rebuild_skips_every_stage_and_a_changed_notebook_reruns_only_its_stages(built):
    paths, _ = built
    build(paths, log=lambda s: None)  # bring the cache up to date
    timings = build(paths, log=lambda s: None)
    assert set(timings.values()) == {0.0}
    nb = sorted(paths.notebooks.glob("*.ipynb"))[0]
    nb.write_text(nb.read_text().replace("# NCMEC CyberTipline", "# NCMEC's CyberTipline", 1))
    lines = []
    build(paths, log=lines.append)
    ran = {line.split()[0] for line in lines if "unchanged" not in line}
    assert ran == {"notebooks", "site"}


def test_the_network_is_blocked_in_tests():
    with pytest.raises(OSError, match="network access blocked"):
        socket.create_connection(("93.184.216.34", 80), timeout=1)
