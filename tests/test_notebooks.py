"""Notebooks stay reviewable: outputs stripped in git, no typed numbers in prose, no logic."""
import re

import nbformat
import pytest

from analysis.paths import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
YEAR = r"(?<![\d.,])(19[89]\d|20[0-4]\d)(?!\d|[.,]\d)"


def test_the_first_notebook_exists():
    assert REPO_ROOT / "notebooks" / "01_ncmec_cybertipline.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_stripped(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip outputs before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_prose_has_no_typed_numbers(path):
    """Numbers in text must be computed (Markdown(...) from the package); only years may be typed."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = re.sub(YEAR, "", cell.source)
            text = re.sub(r"`[^`]*`", "", text)  # code spans: file names such as figures/en/
            text = re.sub(r"\bEU27\b|\b1 January\b|\bH[12]\b", "", text)  # names, not statistics
            assert not re.search(r"\d", text), f"{path.name}: typed number in prose: {cell.source[:80]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_are_thin(path):
    """No function or class definitions, no sys.path hacks: logic belongs in src/analysis."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*(def|class) ", cell.source, re.M), path.name
            assert "sys.path" not in cell.source, path.name
            lines = [line for line in cell.source.splitlines() if line.strip()]
            assert len(lines) <= 8, f"{path.name}: long code cell; move it to the package"
