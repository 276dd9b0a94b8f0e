"""Execute the narrative notebooks headless and render them as HTML."""
from __future__ import annotations

import threading
from pathlib import Path

from analysis.errors import DataError, Problem
from analysis.paths import Paths

TIMEOUT_S = 600


def notebook_files(paths: Paths) -> list[Path]:
    return sorted(paths.notebooks.glob("[0-9][0-9]_*.ipynb"))


def execute(path: Path, rel: str):
    """Run every cell in a fresh kernel, in the notebook's own directory."""
    import nbformat  # Jupyter's tools are imported only when notebooks run
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as err:
        # The notebook raised: name the notebook and the error's last line, not a traceback.
        last = str(err).strip().splitlines()[-1] if str(err).strip() else "error"
        raise DataError(Problem(rel, 1, text=f"notebook failed: {last}")) from None
    return nb


_EXPORTER = threading.local()  # loading the HTML template is slow: one exporter per thread


def render(nb, target: Path) -> Path:
    from nbconvert import HTMLExporter

    if not hasattr(_EXPORTER, "html"):
        _EXPORTER.html = HTMLExporter(template_name="lab")
    body, _ = _EXPORTER.html.from_notebook_node(nb)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return target


def run_all(paths: Paths, workers: int = 1) -> list[Path]:
    """Execute every notebook (each in its own kernel, `workers` at a time) and render it."""
    from concurrent.futures import ThreadPoolExecutor

    def one(path: Path) -> Path:
        return render(execute(path, paths.rel(path)), paths.site / "notebooks" / f"{path.stem}.html")

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, notebook_files(paths)))
