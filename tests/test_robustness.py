"""Nothing lost on failure, nothing written to data/public, deterministic and offline builds."""
import hashlib
import shutil
import socket

import pytest

from analysis import build as build_module
from analysis.build import OUTPUTS, build



def snapshot(root) -> dict[str, str]:
    out = {}
    for rel in (*OUTPUTS, "data/public"):
        for p in sorted((root / rel).rglob("*")):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def test_a_build_that_fails_half_way_leaves_every_output_byte_identical(built_copy, monkeypatch):
    paths = built_copy
    before = snapshot(paths.out)
    def figures_then_crash(staged):
        # The staging area now holds a new figure (drawn for real, one of them: the outcome
        # does not depend on how many)...
        from analysis.figures import FIGURES, save
        from analysis.observations import load_observations

        save(FIGURES["claims_verdicts"](load_observations(staged), "en"), staged.figures / "en", "claims_verdicts")
        raise RuntimeError("injected failure after the figures stage")

    monkeypatch.setattr(build_module, "STAGES", [(n, figures_then_crash if n == "figures" else f) for n, f in build_module.STAGES])
    with pytest.raises(RuntimeError, match="injected failure"):
        build(paths, log=lambda s: None, force=True)
    assert snapshot(paths.out) == before


def test_data_public_is_never_written(build_record):
    """Bytes and modification times of every file under data/public, before and after the
    shared clean build (recorded by the build_record fixture)."""
    assert build_record["public_written"] == []


def test_a_no_op_rebuild_skips_every_stage_and_a_changed_notebook_reruns_only_its_stages(built_copy, monkeypatch):
    paths = built_copy
    timings = build(paths, log=lambda s: None)
    assert set(timings.values()) == {0.0}

    # Which stages run is the question here; the shared build executes the notebooks for real.
    def notebooks_stand_in(staged):
        shutil.copytree(paths.site / "notebooks", staged.site / "notebooks")

    monkeypatch.setattr(build_module, "STAGES", [(n, notebooks_stand_in if n == "notebooks" else f) for n, f in build_module.STAGES])
    nb = sorted(paths.notebooks.glob("*.ipynb"))[0]
    nb.write_text(nb.read_text().replace("# NCMEC CyberTipline", "# NCMEC's CyberTipline", 1))
    lines = []
    build(paths, log=lines.append)
    ran = {line.split()[0] for line in lines if "unchanged" not in line}
    assert ran == {"notebooks", "site"}


def test_the_network_is_blocked_in_tests():
    with pytest.raises(OSError, match="network access blocked"):
        socket.create_connection(("93.184.216.34", 80), timeout=1)
