"""The build: stages run into a staging directory, then outputs are swapped in at once.

A failure in any stage leaves data/processed, figures and site exactly as they were;
data/public is only ever read.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from analysis import claims, ncmec, notebooks, projections, site
from analysis.figures import FIGURES, LANGS, save
from analysis.observations import build_observations, load_observations, to_csv_frame
from analysis.paths import Paths, default_paths
from analysis.registry import load_indicators, load_sources

OUTPUTS = ("data/processed", "figures", "site")  # directories the build owns
WORKERS = max(1, min(4, os.cpu_count() or 1))


def stage_tables(paths: Paths) -> None:
    """The tidy table, its provenance, the registries, and derived tables."""
    obs, prov = build_observations(paths)
    out = paths.processed
    out.mkdir(parents=True, exist_ok=True)
    to_csv_frame(obs).to_csv(out / "observations.csv", index=False, lineterminator="\n")
    obs.to_parquet(out / "observations.parquet", index=False)
    prov.to_csv(out / "provenance.csv", index=False, lineterminator="\n")
    # Registries as flat tables, for readers who only want CSV files.
    for name, frame in (("sources", load_sources(paths)), ("indicators", load_indicators(paths))):
        frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    # Derived tables (computed, documented in analysis.ncmec): shares, ranks, rates per 100,000.
    ncmec.countries_long(obs).to_csv(out / "ncmec_countries.csv", index=False, lineterminator="\n", float_format="%.6g")
    # The claim ledger: every number of the report, its verdict computed from the observations.
    claims.claim_checks(obs, paths).to_csv(out / "claim_checks.csv", index=False, lineterminator="\n")


def _draw(args) -> dict:
    """One figure in one language (run in a worker process); returns its texts for the manifest."""
    paths, figure_id, lang = args
    fig = FIGURES[figure_id](load_observations(paths), lang)
    files = save(fig, paths.figures / lang, figure_id)
    return {"id": figure_id, "lang": lang, **getattr(fig, "house_texts", {}),
            "files": [f.relative_to(paths.figures).as_posix() for f in files]}


def stage_projections(paths: Paths) -> None:
    """Trend models, backtests and projections (see analysis.trends for the method)."""
    proj, back = projections.build(load_observations(paths))
    proj.to_csv(paths.processed / "projections.csv", index=False, lineterminator="\n", float_format="%.6g")
    back.to_csv(paths.processed / "backtests.csv", index=False, lineterminator="\n", float_format="%.6g")


def stage_figures(paths: Paths) -> None:
    jobs = [(paths, figure_id, lang) for figure_id in FIGURES for lang in LANGS]
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=multiprocessing.get_context("fork")) as pool:
        manifest = list(pool.map(_draw, jobs))
    # Titles, measures, sources and notes of every figure, for the figure book and for reviewers.
    (paths.figures / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def stage_notebooks(paths: Paths) -> None:
    notebooks.run_all(paths, workers=WORKERS)


def stage_site(paths: Paths) -> None:
    site.write(paths)


STAGES: list[tuple[str, Callable[[Paths], None]]] = [
    ("tables", stage_tables),
    ("projections", stage_projections),
    ("figures", stage_figures),
    ("notebooks", stage_notebooks),
    ("site", stage_site),
]


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


def build(paths: Paths | None = None, log: Callable[[str], None] = print) -> dict[str, float]:
    """Run every stage into a staging area, then publish; returns wall time per stage."""
    paths = paths or default_paths()
    staging_root = paths.out / ".build"
    stage_dir = staging_root / "stage"
    shutil.rmtree(stage_dir, ignore_errors=True)
    stage_dir.mkdir(parents=True)
    staged = Paths(root=paths.root, out=stage_dir)
    timings: dict[str, float] = {}
    # Notebook kernels read the staged outputs, not the published ones.
    with _env(ANALYSIS_ROOT=paths.root, ANALYSIS_OUT=stage_dir):
        for name, run in STAGES:
            start = time.perf_counter()
            run(staged)
            timings[name] = time.perf_counter() - start
            log(f"  {name:<14} {timings[name]:6.2f} s")
    start = time.perf_counter()
    publish(stage_dir, paths.out)
    timings["publish"] = time.perf_counter() - start
    shutil.rmtree(stage_dir, ignore_errors=True)
    return timings


def publish(stage_dir: Path, out: Path) -> None:
    """Swap each staged output directory into place (rename, not copy)."""
    old_root = out / ".build" / "old"
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


def timing_table(timings: dict[str, float]) -> str:
    width = max(len(k) for k in timings)
    lines = [f"{'stage':<{width}}  seconds", f"{'-' * width}  -------"]
    lines += [f"{k:<{width}}  {v:7.2f}" for k, v in timings.items()]
    lines.append(f"{'total':<{width}}  {sum(timings.values()):7.2f}")
    return "\n".join(lines)
