"""Execute the narrative notebooks headless and render them as HTML."""
from __future__ import annotations

import itertools
import re
import threading
from pathlib import Path

from analysis.errors import MACHINE_ERRNOS, DataError, MachineError, Problem
from analysis.imports import without_iri_grammar
from analysis.paths import Paths

TIMEOUT_S = 600


def notebook_files(paths: Paths) -> list[Path]:
    return sorted(paths.notebooks.glob("[0-9][0-9]_*.ipynb"))


# The kernel's own log (e.g. its warning that local TCP is unencrypted) is not something a
# reader can act on; cell errors still surface as CellExecutionError.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]
# Run between two notebooks sharing a kernel: no variable, import name or figure survives.
# (pyplot is closed only if a notebook loaded it: importing it just to close nothing cost 0.7 s.)
RESET = "%reset -f\nimport sys as _sys\nif 'matplotlib.pyplot' in _sys.modules:\n    _sys.modules['matplotlib.pyplot'].close('all')\ndel _sys"


def execute(path: Path, rel: str):
    """Run every cell in a fresh kernel, in the notebook's own directory."""
    return execute_many([(path, rel)])[0]


def execute_many(items, on_done=None):
    """Run several notebooks one after another in one kernel, reset between them.

    Starting a kernel and importing pandas and matplotlib is most of a short notebook's
    time; a reset namespace keeps notebooks independent (each imports what it uses, which
    tests/test_notebooks.py checks on the committed files). `items` ((path, rel) pairs) is
    read lazily, so kernels can share one queue; on_done(path, nb) is called after each.
    """
    without_iri_grammar()
    import nbformat  # Jupyter's tools are imported only when notebooks run
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    items = iter(items)
    first = next(items, None)
    if first is None:
        return []
    client = NotebookClient(nbformat.v4.new_notebook(), timeout=TIMEOUT_S, kernel_name="python3", extra_arguments=KERNEL_ARGS,
                            shutdown_kernel="immediate",  # its outputs are in: waiting for a graceful exit cost half a second
                            resources={"metadata": {"path": str(first[0].parent)}})
    executed = []
    with client.setup_kernel():
        info = client.wait_for_reply(client.kc.kernel_info())["content"]["language_info"]
        for n, (path, rel) in enumerate(itertools.chain([first], items)):
            nb = nbformat.read(path, as_version=4)
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
                if re.match(r"\[Errno (%s)\]" % "|".join(map(str, MACHINE_ERRNOS)), str(getattr(err, "evalue", ""))):
                    raise MachineError(f"notebook {rel}: {err.evalue}") from None  # the disk, not the notebook
                raise DataError(Problem(rel, 1, text=f"notebook failed: {last}")) from None
            except DeadKernelError:
                raise MachineError(f"the kernel running {rel} died (killed, or out of memory)") from None
            _renumber(nb)
            executed.append(nb)
            if on_done is not None:
                on_done(path, nb)
    return executed


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


# Started first, so that they do not finish last while the other kernel waits: the ledger
# notebook runs the text check on the report's whole text (about 3 s; the others take under 1 s).
LONG = ("06_claim_ledger.ipynb",)

_EXPORTER: dict = {}  # loading the HTML template takes a second: one exporter, shared
_EXPORTER_LOCK = threading.Lock()  # rendering is pure Python: the kernels' threads take turns


def render(nb, target: Path) -> Path:
    without_iri_grammar()
    from nbconvert import HTMLExporter

    from analysis.escape import csp_meta
    from analysis.site_i18n import ASSETS

    with _EXPORTER_LOCK:
        if "html" not in _EXPORTER:
            # JupyterLab's template without the scripts it loads from public CDNs (site_assets/nbconvert)
            _EXPORTER["html"] = HTMLExporter(template_name="offline", extra_template_basedirs=[str(ASSETS / "nbconvert")])
        body, _ = _EXPORTER["html"].from_notebook_node(nb, resources={"csp_meta": csp_meta()})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return target


def run_all(paths: Paths, workers: int = 1) -> list[Path]:
    """Execute every notebook and render it: `workers` kernels take the next notebook from one
    queue (a long notebook does not hold up the ones behind it), each rendered once run."""
    from concurrent.futures import ThreadPoolExecutor

    files = sorted(notebook_files(paths), key=lambda path: path.name not in LONG)  # long ones first, else in order
    queue = iter([(path, paths.rel(path)) for path in files])
    lock = threading.Lock()

    def take():
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            yield item

    def run_kernel(_) -> list[Path]:
        rendered: list[Path] = []
        execute_many(take(), on_done=lambda path, nb: rendered.append(render(nb, paths.site / "notebooks" / f"{path.stem}.html")))
        return rendered

    kernels = max(1, min(workers, len(files)))
    with ThreadPoolExecutor(max_workers=kernels) as pool:
        done = [p for result in pool.map(run_kernel, range(kernels)) for p in result]
    return sorted(done)
