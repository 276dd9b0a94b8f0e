"""README's "Extend an analysis" section, followed literally on a scratch copy.

The code blocks marked <!-- walkthrough --> are the cells of the notebook the section tells a
reader to add. They run as a script (the figure file must appear where the section says), and
as that notebook, executed the way the build executes notebooks (analysis.notebooks.execute).
The scratch copy has the committed data/processed and figures, so no build is needed.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis import notebooks
from analysis.figures.style import FORMATS
from analysis.paths import REPO_ROOT, Paths

MARK = "<!-- walkthrough -->"


def _section() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Extend an analysis\n")
    end = readme.find("\n## ", start + 1)
    return readme[start:end if end > 0 else None]


SECTION = _section()
BLOCKS = re.findall(re.escape(MARK) + r"\s*```python\n(.*?)```", SECTION, re.S)
NOTEBOOK = re.search(r"\b([0-9]{2}_[a-z0-9_]+\.ipynb)\b", SECTION).group(1)  # the name the section suggests
FIGURE = re.search(r"\bfigures/([a-z0-9_/]+)\.svg\b", SECTION).group(1)  # where the section says the figure lands


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """Inputs and built outputs of the repository, without running a build."""
    root = tmp_path_factory.mktemp("extend")
    for rel in ("data/public", "data/processed", "figures"):
        shutil.copytree(REPO_ROOT / rel, root / rel, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    (root / "notebooks").mkdir()
    return root


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "ANALYSIS_ROOT": str(root), "ANALYSIS_OUT": str(root), "MPLBACKEND": "Agg"}


def _figure_files(root: Path) -> list[Path]:
    return [root / "figures" / f"{FIGURE}.{fmt}" for fmt in FORMATS]


def test_the_section_has_the_walkthrough_and_its_cells_follow_the_notebook_rules():
    assert len(BLOCKS) >= 4, f"expected the marked code blocks of the walkthrough, found {len(BLOCKS)}"
    assert "import analysis" in BLOCKS[0] and "obs = analysis.load_observations()" in BLOCKS[0]
    assert "make lab" in SECTION and "frame(" in SECTION and "save(" in SECTION
    for block in BLOCKS:  # the rules tests/test_notebooks.py applies to every committed notebook
        assert not re.search(r"^\s*(def|class) ", block, re.M) and "sys.path" not in block, block
        assert len([line for line in block.splitlines() if line.strip()]) <= 8, f"cell longer than eight lines:\n{block}"
    # The suggested name is one the build picks up.
    assert re.fullmatch(r"[0-9][0-9]_.*\.ipynb", NOTEBOOK)


def test_the_code_runs_and_writes_the_figure_where_the_section_says(scratch):
    for path in _figure_files(scratch):
        path.unlink(missing_ok=True)
    # As a script: IPython magics (%matplotlib inline) only act in a notebook, so they are left out.
    script = "\n\n".join("\n".join(line for line in block.splitlines() if not line.startswith("%")) for block in BLOCKS)
    run = subprocess.run([sys.executable, "-c", script], cwd=scratch / "notebooks", env=_env(scratch),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    for path in _figure_files(scratch):
        assert path.is_file() and path.stat().st_size > 1000, path


def test_the_notebook_the_section_describes_is_executed_as_the_build_does(scratch, monkeypatch):
    path = scratch / "notebooks" / NOTEBOOK
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Reports assessed by the IWF")] + [nbformat.v4.new_code_cell(b.rstrip("\n")) for b in BLOCKS]
    nb.metadata["kernelspec"] = {"name": "cse-stats", "display_name": "Python (cse-stats)", "language": "python"}
    nbformat.write(nb, path)
    paths = Paths(root=scratch, out=scratch)
    assert path in notebooks.notebook_files(paths), "the build would not execute this notebook"

    for figure in _figure_files(scratch):
        figure.unlink(missing_ok=True)
    monkeypatch.setenv("ANALYSIS_ROOT", str(scratch))
    monkeypatch.setenv("ANALYSIS_OUT", str(scratch))
    executed = notebooks.execute(path, paths.rel(path))
    for figure in _figure_files(scratch):
        assert figure.is_file() and figure.stat().st_size > 1000, figure
    outputs = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the figure is not shown in the notebook"
