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


def test_show_gives_the_built_png_or_draws_the_same_figure(tmp_path, monkeypatch):
    """Notebooks show the file the build wrote; before any build, the figure drawn there and then
    (as an image, so it shows without the inline backend), at the same size."""
    import io
    import shutil

    from PIL import Image as PILImage

    from analysis.figures import show

    built = REPO_ROOT / "figures" / "en" / "iwf_age_shares.png"
    monkeypatch.setenv("ANALYSIS_OUT", str(REPO_ROOT))
    assert show("iwf_age_shares").data == built.read_bytes()

    shutil.copytree(REPO_ROOT / "data" / "processed", tmp_path / "data" / "processed")  # tables, no figures
    monkeypatch.setenv("ANALYSIS_OUT", str(tmp_path))
    drawn = show("iwf_age_shares").data
    assert drawn.startswith(b"\x89PNG")
    assert PILImage.open(io.BytesIO(drawn)).size == PILImage.open(built).size
