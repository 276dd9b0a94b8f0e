"""The build: stages run into a staging directory, then outputs are swapped in at once.

A failure in any stage leaves data/processed, figures and site exactly as they were;
data/public is only ever read.
"""
from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from analysis import buildguard
from analysis.paths import Paths, default_paths

OUTPUTS = ("data/processed", "figures", "site")  # directories the build owns

STAGE_NAMES = ("tables", "projections", "package", "figures", "notebooks", "site")


def _stage(name: str, paths: Paths) -> None:
    """Run a stage of analysis.stages, imported only when some stage has work to do."""
    _stage_function(f"stage_{name}")(paths)


def _stage_function(name: str) -> Callable:
    from analysis import stages

    return getattr(stages, name)


STAGES: list[tuple[str, Callable[[Paths], None]]] = [(name, functools.partial(_stage, name)) for name in STAGE_NAMES]
# Stages that run beside another one, in a forked process started before it: the partner leaves
# a core idle (tables and notebooks are mostly one process). Projections read only the table
# the tables stage has staged (see _OBSERVATIONS_STAGED); the site reads nothing the notebooks write.
BESIDE = {"projections": "tables", "site": "notebooks"}
# Loaded while this process would only wait for the stage beside: the next stage's libraries
# (the figures stage's take half a second, on one core), by analysis.stages.warm_<stage>.
WARM_WHILE_WAITING = {"tables": "figures"}
# The projections worker, forked before the tables stage starts, loads its model libraries while
# the tables stage validates the inputs, then waits on this pipe: True once observations.parquet
# is in the staging area (written, or carried over), False if the tables stage failed first. So
# the inputs are validated once, and bad input stops the worker at once.
_OBSERVATIONS_STAGED = None


def observations_written() -> None:
    """Called by the tables stage once observations.parquet is written (a no-op outside a build)."""
    if _OBSERVATIONS_STAGED is not None:
        _OBSERVATIONS_STAGED[1].send(True)


def wait_for_observations() -> bool | None:
    """In the stage beside the tables stage: True once the staged observations can be read,
    False if the tables stage failed; None outside a build."""
    if _OBSERVATIONS_STAGED is None:
        return None
    try:
        return _OBSERVATIONS_STAGED[0].recv()
    except EOFError:  # the build went away
        return False


@contextmanager
def _env(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update({k: str(v) for k, v in values.items()})
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# What each stage reads (besides the package's own code) and which outputs it owns.
STAGE_INPUTS = {"tables": ("data/public",), "projections": ("data/public",), "package": ("data/public",), "figures": ("data/public",),
                "notebooks": ("data/public", "notebooks"), "site": ("data/public", "notebooks")}
STAGE_OUTPUTS = {"tables": ("data/processed",), "projections": ("data/processed/projections.csv", "data/processed/backtests.csv"),
                 "package": ("data/processed/datapackage.json",),
                 "figures": ("figures",), "notebooks": ("site/notebooks",), "site": ("site",)}
CODE = Path(__file__).resolve().parent


def _files(root: Path, rel: str) -> list[Path]:
    path = root / rel
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts)


def _digest(files: list[Path], base: Path) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(base).as_posix().encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def stage_keys(paths: Paths) -> dict[str, str]:
    """A content hash per stage: the package's code plus the stage's inputs."""
    code = _digest(_files(CODE, "."), CODE)
    return {name: hashlib.sha256((code + "".join(_digest(_files(paths.root, rel), paths.root) for rel in rels)).encode()).hexdigest()
            for name, rels in STAGE_INPUTS.items()}


def output_digest(out: Path, name: str) -> str | None:
    files = [f for rel in STAGE_OUTPUTS[name] for f in _files(out, rel)]
    if name == "tables":  # projections own their two files inside data/processed
        files = [f for f in files if f.name not in ("projections.csv", "backtests.csv", "datapackage.json")]
    if name == "site":
        files = [f for f in files if "notebooks" not in f.relative_to(out / "site").parts[:1]]
    return _digest(files, out) if files else None


def build(paths: Paths | None = None, log: Callable[[str], None] = print, force: bool = False,
          wait: bool = True, lock: bool = True) -> dict[str, float]:
    """Run the stages whose inputs changed into a staging area, then publish.

    A stage whose content hash (code + inputs) and published outputs are unchanged since
    the last build is skipped (its outputs are carried over). Returns wall time per stage;
    a skipped stage reports 0.

    One build at a time per output root (analysis.buildguard): a second one waits, or raises
    BuildBusy with wait=False. lock=False when the caller already holds the lock.
    """
    paths = paths or default_paths()
    staging_root = paths.out / ".build"
    if lock:
        with buildguard.BuildLock(staging_root, wait=wait, log=log):
            return build(paths, log, force, lock=False)
    cache_file = staging_root / "cache.json"
    stage_dir = staging_root / "stage"
    shutil.rmtree(stage_dir, ignore_errors=True)  # left by a killed build; we hold the lock, so it is no one's
    _unpark(paths.out)
    cache = {} if force else _read_cache(cache_file, paths, log)
    keys = stage_keys(paths)
    fresh = {name: cache.get(name, {}).get("key") == keys[name] and cache[name].get("outputs") == output_digest(paths.out, name)
             for name, _ in STAGES}
    timings: dict[str, float] = {}
    if all(fresh.values()):
        for name, _ in STAGES:
            timings[name] = 0.0
            log(f"  {name:<14} unchanged")
        return timings
    stage_dir.mkdir(parents=True)
    staged = Paths(root=paths.root, out=stage_dir, published=paths.out)
    # Notebook kernels read the staged outputs, not the published ones.
    with _env(ANALYSIS_ROOT=paths.root, ANALYSIS_OUT=stage_dir):
        _run_stages(paths, staged, fresh, timings, log)
    start = time.perf_counter()
    buildguard.publishing()  # from here an interruption lets the build finish
    publish(stage_dir, paths.out)
    timings["publish"] = time.perf_counter() - start
    shutil.rmtree(stage_dir, ignore_errors=True)
    cache = {name: {"key": keys[name], "outputs": output_digest(paths.out, name)} for name, _ in STAGES}
    buildguard.atomic_write(cache_file, json.dumps(cache, indent=1) + "\n")
    return timings


def _run_stages(paths: Paths, staged: Paths, fresh: dict[str, bool], timings: dict[str, float],
                log: Callable[[str], None]) -> None:
    """Each stage in order (a fresh one's outputs carried over); a BESIDE stage runs in a
    forked process while its partner runs here. Errors are raised in stage order."""
    def skip(name: str) -> None:
        _carry_over(paths.out, staged.out, name)
        log(f"  {name:<14} unchanged")
        timings[name] = 0.0

    global _OBSERVATIONS_STAGED
    fork = multiprocessing.get_context("fork")
    _OBSERVATIONS_STAGED = fork.Pipe(duplex=False)  # before the worker forks (at its first job)
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=fork) as beside:
            for name, run in STAGES:
                if name in BESIDE:
                    continue  # started with its partner
                others = [b for b, partner in BESIDE.items() if partner == name]
                start = time.perf_counter()
                jobs = {b: beside.submit(_timed_stage, b, staged) for b in others if not fresh[b]}
                try:
                    if fresh[name]:
                        skip(name)
                    else:
                        run(staged)
                        timings[name] = time.perf_counter() - start
                        log(f"  {name:<14} {timings[name]:6.2f} s")
                finally:
                    if name == "tables" and (fresh[name] or name not in timings):  # carried over, or failed;
                        _OBSERVATIONS_STAGED[1].send(name in timings)  # a stage that ran said so itself
                warm = WARM_WHILE_WAITING.get(name)
                if jobs and warm and not fresh[warm]:
                    _stage_function(f"warm_{warm}")()
                for other in others:
                    if other not in jobs:
                        skip(other)
                        continue
                    timings[other] = jobs[other].result()  # the stage's own error, if it failed
                    log(f"  {other:<14} {timings[other]:6.2f} s")
    finally:
        for end in _OBSERVATIONS_STAGED:
            end.close()
        _OBSERVATIONS_STAGED = None


def _timed_stage(name: str, paths: Paths) -> float:
    """In the forked worker: the stage by name (the function itself need not be picklable)."""
    start = time.perf_counter()
    dict(STAGES)[name](paths)
    return time.perf_counter() - start


def _read_cache(cache_file: Path, paths: Paths, log: Callable[[str], None]) -> dict:
    """The last build's stage keys and output digests; {} (every stage runs) if absent or unusable."""
    if not cache_file.exists():
        return {}
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:  # ValueError: not JSON, or not UTF-8
        problem = "cannot be read: " + " ".join(str(err).split())
    else:
        if isinstance(cache, dict) and all(isinstance(entry, dict) and isinstance(entry.get("key"), str)
                                           and isinstance(entry.get("outputs"), (str, type(None))) for entry in cache.values()):
            return cache
        problem = "has the wrong shape"
    log(f"note: ignoring the build cache {paths.rel(cache_file)} ({problem}); running every stage")
    return {}


def _carry_over(out: Path, stage_dir: Path, name: str) -> None:
    """Copy a skipped stage's published outputs into the staging area."""
    for rel in STAGE_OUTPUTS[name]:
        source, target = out / rel, stage_dir / rel
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("notebooks") if name == "site" else None)
        elif source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _unpark(out: Path) -> None:
    """A build killed while swapping outputs in left some parked in .build/old: put back what is missing."""
    for rel in OUTPUTS:
        parked, target = out / ".build" / "old" / rel, out / rel
        if parked.exists() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            parked.rename(target)


def publish(stage_dir: Path, out: Path) -> None:
    """Swap each staged output directory into place (rename, not copy)."""
    old_root = out / ".build" / "old"
    _unpark(out)
    shutil.rmtree(old_root, ignore_errors=True)
    for rel in OUTPUTS:
        new, target = stage_dir / rel, out / rel
        if not new.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            parked = old_root / rel
            parked.parent.mkdir(parents=True, exist_ok=True)
            target.rename(parked)
        new.rename(target)
    shutil.rmtree(old_root, ignore_errors=True)


def bench() -> str:
    """Wall time per stage of a clean build and of a no-op rebuild of a scratch copy.

    Both run as the command users run (`python -m analysis build`), so the times include
    starting Python and importing the package.
    """
    import re
    import resource
    import subprocess
    import sys
    import tempfile

    repo = default_paths().root
    runs = {}
    with tempfile.TemporaryDirectory(prefix="analysis-bench-") as tmp:
        root = Path(tmp)
        for rel in ("data/public", "notebooks"):
            shutil.copytree(repo / rel, root / rel)
        env = {**os.environ, "ANALYSIS_ROOT": str(root), "ANALYSIS_OUT": str(root)}
        for run in ("clean build", "no-op rebuild"):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "analysis", "build"], env=env, capture_output=True, text=True, check=True)
            total = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            stages = dict(re.findall(r"^(\w+)\s+([\d.]+)$", done.stdout, re.M))
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)  # every process of the build
            runs[run] = ({k: float(v) for k, v in stages.items() if k != "total"}, total, cpu)
    names = [n for n in runs["clean build"][0]]
    lines = [f"{'stage':<12}  {'clean build (s)':>15}  {'no-op rebuild (s)':>17}", f"{'-' * 12}  {'-' * 15}  {'-' * 17}"]
    lines += [f"{n:<12}  {runs['clean build'][0].get(n, 0):15.2f}  {runs['no-op rebuild'][0].get(n, 0):17.2f}" for n in names]
    lines.append(f"{'command':<12}  {runs['clean build'][1]:15.2f}  {runs['no-op rebuild'][1]:17.2f}")
    lines.append(f"{'CPU':<12}  {runs['clean build'][2]:15.2f}  {runs['no-op rebuild'][2]:17.2f}")
    lines.append(f"(wall time of `python -m analysis build` on {os.cpu_count()} cores; 'command' includes starting Python and imports;")
    lines.append(" " + ", ".join(f"{b} runs beside {a}" for b, a in BESIDE.items()) + ", so stages add up to more than 'command';")
    lines.append(" 'CPU' is the CPU time of all its processes: CPU / command is how many cores were kept busy)")
    return "\n".join(lines)


def timing_table(timings: dict[str, float], wall: float | None = None) -> str:
    """Seconds per stage; the total is the wall time when given (stages beside others overlap it)."""
    width = max(len(k) for k in timings)
    lines = [f"{'stage':<{width}}  seconds", f"{'-' * width}  -------"]
    lines += [f"{k:<{width}}  {v:7.2f}" for k, v in timings.items()]
    lines.append(f"{'total':<{width}}  {sum(timings.values()) if wall is None else wall:7.2f}")
    return "\n".join(lines)
