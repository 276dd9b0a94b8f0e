"""Execute the narrative notebooks headless and render them as HTML."""
from __future__ import annotations

import threading
from pathlib import Path

from analysis.errors import DataError, Problem
from analysis.imports import without_iri_grammar
from analysis.paths import Paths

TIMEOUT_S = 600


def notebook_files(paths: Paths) -> list[Path]:
    return sorted(paths.notebooks.glob("[0-9][0-9]_*.ipynb"))


# The kernel's own log (e.g. its warning that local TCP is unencrypted) is not something a
# reader can act on; cell errors still surface as CellExecutionError.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]
# Run between two notebooks sharing a kernel: no variable, import name or figure survives.
RESET = "%reset -f\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt"


def execute(path: Path, rel: str):
    """Run every cell in a fresh kernel, in the notebook's own directory."""
    return execute_many([(path, rel)])[0]


def execute_many(items: list[tuple[Path, str]]):
    """Run several notebooks one after another in one kernel, reset between them.

    Starting a kernel and importing pandas and matplotlib is most of a short notebook's
    time; a reset namespace keeps notebooks independent (each imports what it uses, which
    tests/test_notebooks.py checks on the committed files).
    """
    without_iri_grammar()
    import nbformat  # Jupyter's tools are imported only when notebooks run
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebooks = [nbformat.read(path, as_version=4) for path, _ in items]
    client = NotebookClient(notebooks[0], timeout=TIMEOUT_S, kernel_name="python3", extra_arguments=KERNEL_ARGS,
                            resources={"metadata": {"path": str(items[0][0].parent)}})
    with client.setup_kernel():
        info = client.wait_for_reply(client.kc.kernel_info())["content"]["language_info"]
        for n, ((path, rel), nb) in enumerate(zip(items, notebooks)):
            if n:
                chdir = f"\nimport os as _os\n_os.chdir({str(path.parent)!r})\ndel _os"
                reset = nbformat.v4.new_code_cell(RESET + chdir)
                client.nb = nbformat.v4.new_notebook(cells=[reset])  # nbclient writes into client.nb
                client.execute_cell(reset, 0, store_history=False)
            client.nb = nb
            client.reset_execution_trackers()
            nb.metadata["language_info"] = info
            try:
                for index, cell in enumerate(nb.cells):
                    client.execute_cell(cell, index)
            except CellExecutionError as err:
                # The notebook raised: name the notebook and the error's last line, not a traceback.
                last = str(err).strip().splitlines()[-1] if str(err).strip() else "error"
                raise DataError(Problem(rel, 1, text=f"notebook failed: {last}")) from None
            _renumber(nb)
    return notebooks


def _renumber(nb) -> None:
    """Execution counts from 1 in each notebook, as if it had its own kernel."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = count


_EXPORTER: dict = {}  # loading the HTML template takes a second: one exporter, shared
_EXPORTER_LOCK = threading.Lock()  # rendering is pure Python: the kernels' threads take turns


def render(nb, target: Path) -> Path:
    without_iri_grammar()
    from nbconvert import HTMLExporter

    with _EXPORTER_LOCK:
        if "html" not in _EXPORTER:
            _EXPORTER["html"] = HTMLExporter(template_name="lab")
        body, _ = _EXPORTER["html"].from_notebook_node(nb)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return target


def run_all(paths: Paths, workers: int = 1) -> list[Path]:
    """Execute every notebook (`workers` kernels, each running its share in turn) and render it."""
    from concurrent.futures import ThreadPoolExecutor

    files = notebook_files(paths)
    shares = [files[i::workers] for i in range(workers) if files[i::workers]]

    def run_share(share: list[Path]) -> list[Path]:
        executed = execute_many([(path, paths.rel(path)) for path in share])
        return [render(nb, paths.site / "notebooks" / f"{path.stem}.html") for path, nb in zip(share, executed)]

    with ThreadPoolExecutor(max_workers=max(1, len(shares))) as pool:
        done = [p for result in pool.map(run_share, shares) for p in result]
    return sorted(done)
