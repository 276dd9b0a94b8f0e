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
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from analysis import buildguard
from analysis.errors import MACHINE_ERRNOS, MachineError, os_error_text
from analysis.paths import Paths, default_paths

OUTPUTS = ("data/processed", "figures", "site")  # directories the build owns

STAGE_NAMES = ("tables", "projections", "package", "figures", "notebooks", "site")


def _stage(name: str, paths: Paths) -> None:
    """Run a stage of analysis.stages, imported only when some stage has work to do. The machine
    failing it (a disk full, a file-size limit) is a MachineError naming the stage and the file."""
    try:
        _stage_function(f"stage_{name}")(paths)
    except OSError as err:
        if err.filename and err.errno not in MACHINE_ERRNOS:
            raise  # an input the data names is missing or not a file: the command reports it as bad input
        where = f"{paths.rel(Path(os.fsdecode(err.filename)))}: " if err.filename else ""
        raise MachineError(f"{name} stage: {where}{os_error_text(err)}") from None


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
    recover(paths.out)  # a publish cut short by a kill: put the previous outputs back whole
    _remove(stage_dir)  # left by a killed build; we hold the lock, so it is no one's
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
    global _LOG
    _LOG = log
    try:
        # Notebook kernels read the staged outputs, not the published ones.
        with _env(ANALYSIS_ROOT=paths.root, ANALYSIS_OUT=stage_dir):
            _run_stages(paths, staged, fresh, timings, log)
    finally:
        _LOG = None
    start = time.perf_counter()
    buildguard.publishing()  # from here an interruption lets the build finish
    publish(stage_dir, paths.out)
    timings["publish"] = time.perf_counter() - start
    _remove(stage_dir)
    cache = {name: {"key": keys[name], "outputs": output_digest(paths.out, name)} for name, _ in STAGES}
    try:
        if cache_file.is_dir() and not cache_file.is_symlink():
            shutil.rmtree(cache_file)  # .build is the build's own: a folder in the cache's place goes
        buildguard.atomic_write(cache_file, json.dumps(cache, indent=1) + "\n")
    except OSError as err:  # the outputs are published whole; an old cache only makes stages run again
        log(f"note: could not write the build cache {paths.rel(cache_file)} ({err.strerror or err}); the next build runs the stages again")
    return timings


_LOG: Callable[[str], None] | None = None  # the running build's log, for stages' notes


def note(text: str) -> None:
    """A stage's one-line note to whoever runs the build (e.g. a damaged earlier output ignored)."""
    (_LOG or print)(f"note: {text}")


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
                    try:
                        timings[other] = jobs[other].result()  # the stage's own error, if it failed
                    except BrokenProcessPool:
                        raise MachineError(f"the {other} stage's process was killed (by a signal, or for lack of memory)") from None
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
    except IsADirectoryError:
        problem = "is a folder"
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
    try:
        for rel in STAGE_OUTPUTS[name]:
            source, target = out / rel, stage_dir / rel
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("notebooks") if name == "site" else None)
            elif source.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
    except shutil.Error as err:  # copytree gathers every file's error: the first one says it
        _, target, why = err.args[0][0]
        why = re.sub(r"^\[Errno \d+\] ([^:]*).*$", r"\1", str(why))
        raise MachineError(f"cannot copy the {name} stage's outputs: "
                           f"{Path(target).relative_to(out).as_posix()}: {why[:1].lower() + why[1:]}") from None
    except OSError as err:
        where = f"{Path(os.fsdecode(err.filename)).relative_to(out).as_posix()}: " if err.filename else ""
        raise MachineError(f"cannot copy the {name} stage's outputs: {where}{os_error_text(err)}") from None


def _remove(path: Path) -> None:
    """Remove a file or a folder of the build's own (.build/stage, .build/old), whichever it is."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()


JOURNAL = "publish.json"  # in .build while outputs are being swapped in: which ones, and whether each existed


def recover(out: Path) -> bool:
    """Undo a publish cut short (the build killed while swapping outputs in): every output as it
    was before it. True if there was one to undo. Without a journal, a parked output whose place is
    empty is put back (as builds before the journal did), and the rest of .build/old removed."""
    build_dir = out / ".build"
    journal, old_root = build_dir / JOURNAL, build_dir / "old"
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))["outputs"]
        undo = {rel: bool(existed) for rel, existed in entries if rel in OUTPUTS}
    except FileNotFoundError:
        undo = None
    except (OSError, ValueError, KeyError, TypeError):  # a journal cut short: it was written before any swap
        undo = {}
    for rel in OUTPUTS:
        parked, target = old_root / rel, out / rel
        if undo is not None and rel in undo and (parked.exists() or not undo[rel]):
            _remove(target)  # the new output (or a part of it), never the old: that one is parked
        if parked.exists() and not (target.exists() or target.is_symlink()):
            target.parent.mkdir(parents=True, exist_ok=True)
            parked.rename(target)
    _remove(old_root)
    if undo is not None:
        journal.unlink()
    return bool(undo)


def _check_replaceable(stage_dir: Path, out: Path, rels: list[str]) -> None:
    """Before any output is replaced: each can be moved aside and the new one moved in (write
    permission on its folder, and on itself, whose '..' changes; one file system), else MachineError."""
    for rel in rels:
        target = out / rel
        parent = target.parent
        while not parent.exists():  # created by the publish: the first folder that exists must be writable
            parent = parent.parent
        checks = [parent]
        if target.is_dir() and not target.is_symlink():
            checks.append(target)
        for folder in checks:
            if not os.access(folder, os.W_OK):
                where = "it" if folder == target else f"its folder {folder.relative_to(out).as_posix() or '.'}"
                raise MachineError(f"cannot replace {rel}: {where} is not writable (permission denied)")
        if os.stat(parent).st_dev != os.stat(stage_dir).st_dev:
            raise MachineError(f"cannot replace {rel}: it is on another file system than .build/stage")


def publish(stage_dir: Path, out: Path) -> None:
    """Swap each staged output directory into place (rename, not copy): all of them or none.

    Each is checked first; then the old ones are parked in .build/old and the new ones moved in, a
    journal recording the swap. If one fails, those already swapped are put back (and the error
    raised); if the build is killed, the next one (or the supervising command) puts them back."""
    build_dir = out / ".build"
    old_root = build_dir / "old"
    recover(out)
    rels = [rel for rel in OUTPUTS if (stage_dir / rel).exists()]
    _check_replaceable(stage_dir, out, rels)
    journal = build_dir / JOURNAL
    build_dir.mkdir(parents=True, exist_ok=True)
    buildguard.atomic_write(journal, json.dumps({"outputs": [[rel, (out / rel).exists()] for rel in rels]}) + "\n")
    done: list[str] = []
    try:
        for rel in rels:
            new, target, parked = stage_dir / rel, out / rel, old_root / rel
            done.append(rel)
            if target.exists() or target.is_symlink():
                parked.parent.mkdir(parents=True, exist_ok=True)
                target.rename(parked)
            target.parent.mkdir(parents=True, exist_ok=True)
            new.rename(target)
    except BaseException as err:
        for rel in reversed(done):  # newest first: each output back as it was
            new, target, parked = stage_dir / rel, out / rel, old_root / rel
            if not new.exists() and (target.exists() or target.is_symlink()):
                target.rename(new)
            if parked.exists():
                parked.rename(target)
        journal.unlink()
        _remove(old_root)
        if isinstance(err, OSError):
            raise MachineError(f"cannot replace {done[-1]}: {os_error_text(err)}") from None
        raise
    journal.unlink()  # the commit: from here the new outputs are the published ones
    buildguard.published()
    _remove(old_root)


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
