"""What each build stage makes (analysis.build runs them, caches them and publishes their outputs).

Kept apart from analysis.build so that a build with nothing to do never imports pandas,
matplotlib or Jupyter: checking the cache takes a fraction of a second.
"""
from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from analysis import changes, claims, datapackage, ncmec, notebooks, platforms, projections, site
from analysis.build import note, observations_written, wait_for_observations
from analysis.codebook import codebook_table, load_topics
from analysis.errors import MachineError
from analysis.observations import OBSERVATION_COLUMNS, build_observations, load_observations, to_csv_frame
from analysis.paths import Paths
from analysis.precision import write_csv
from analysis.registry import load_indicators, load_sources

WORKERS = max(1, min(4, os.cpu_count() or 1))


def stage_tables(paths: Paths) -> None:
    """The tidy table, its provenance, the registries, and derived tables."""
    obs, prov = build_observations(paths)
    out = paths.processed
    out.mkdir(parents=True, exist_ok=True)
    to_csv_frame(obs).to_csv(out / "observations.csv", index=False, lineterminator="\n")
    obs.to_parquet(out / "observations.parquet", index=False)
    observations_written()  # the projections stage beside can start fitting
    prov.to_csv(out / "provenance.csv", index=False, lineterminator="\n")
    # Registries as flat tables, for readers who only want CSV files.
    for name, frame in (("sources", load_sources(paths)), ("indicators", load_indicators(paths)), ("topics", load_topics(paths))):
        frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    # The codebook of the breakdown column: every key and value in use, with their meanings.
    codebook_table(obs, paths).to_csv(out / "breakdowns.csv", index=False, lineterminator="\n")
    # Derived tables (computed, documented in analysis.ncmec): shares, ranks, rates per 100,000.
    write_csv(ncmec.countries_long(obs), out / "ncmec_countries.csv", ncmec.COUNTRY_PRECISION)
    # Each company's own count of reports sent to NCMEC beside NCMEC's count from it, with the reasons they differ.
    write_csv(platforms.platform_vs_ncmec(obs, paths), out / "platform_vs_ncmec.csv", platforms.COMPARISON_PRECISION)
    # Which numbers moved since the table this build replaces (analysis.changes).
    changes.write(paths.published / "data" / "processed" if paths.published else None, obs, out, note=note)
    # The claim ledger: every number of the report, its verdict computed from the observations.
    claims.claim_checks(obs, paths).to_csv(out / "claim_checks.csv", index=False, lineterminator="\n")


_OBSERVATIONS = None  # loaded once by stage_figures, inherited by the forked workers


def _draw(args) -> dict:
    """One figure in one language (run in a worker process); returns its texts for the manifest."""
    from analysis.figures import FIGURES, save

    paths, figure_id, lang = args
    fig = FIGURES[figure_id](_OBSERVATIONS if _OBSERVATIONS is not None else load_observations(paths), lang)
    files = save(fig, paths.figures / lang, figure_id, texts=getattr(fig, "house_texts", {}))
    return {"id": figure_id, "lang": lang, **getattr(fig, "house_texts", {}),
            "files": [f.relative_to(paths.figures).as_posix() for f in files]}


def stage_projections(paths: Paths) -> None:
    """Trend models, backtests and projections (see analysis.trends for the method).

    Runs beside the tables stage: it loads the model libraries (a second and a half) while that
    stage validates the inputs, then reads the table it staged (analysis.build.wait_for_observations)."""
    import statsmodels.tsa.exponential_smoothing.ets  # noqa: F401

    staged = wait_for_observations()
    if staged is False:
        raise RuntimeError("the tables stage beside failed; its error is the build's")
    obs = load_observations(paths) if staged else build_observations(paths)[0]
    proj, back = projections.build(obs[OBSERVATION_COLUMNS])
    paths.processed.mkdir(parents=True, exist_ok=True)
    write_csv(proj, paths.processed / "projections.csv", projections.PROJECTION_PRECISION)
    write_csv(back, paths.processed / "backtests.csv", projections.BACKTEST_PRECISION)


def stage_package(paths: Paths) -> None:
    """datapackage.json: describes every table in data/processed, so it comes after both stages that write them."""
    datapackage.write(paths.processed, paths)


def warm_figures() -> None:
    """The drawing modules and matplotlib, loaded before the figure workers fork."""
    from analysis.figures import FIGURES  # noqa: F401


def stage_figures(paths: Paths) -> None:
    from analysis.figures import FIGURES, LANGS

    global _OBSERVATIONS
    _OBSERVATIONS = load_observations(paths)
    jobs = [(paths, figure_id, lang) for figure_id in FIGURES for lang in LANGS]
    try:
        with ProcessPoolExecutor(max_workers=WORKERS, mp_context=multiprocessing.get_context("fork")) as pool:
            drawn = list(pool.map(_draw, _heaviest_first(jobs, paths.published)))
    except BrokenProcessPool:
        raise MachineError("a figure worker process was killed (by a signal, or for lack of memory)") from None
    position = {(figure_id, lang): n for n, (_, figure_id, lang) in enumerate(jobs)}
    manifest = sorted(drawn, key=lambda entry: position[entry["id"], entry["lang"]])  # the figures' own order
    # Titles, measures, sources and notes of every figure, for the figure book and for reviewers.
    (paths.figures / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _heaviest_first(jobs: list[tuple], published) -> list[tuple]:
    """The figures whose last published SVG is largest first (a proxy for drawing time), so that
    a long figure is not the last one drawn while the other worker waits."""
    def size(job) -> int:
        svg = published / "figures" / job[2] / f"{job[1]}.svg" if published else None
        return svg.stat().st_size if svg is not None and svg.is_file() else 0

    return sorted(jobs, key=size, reverse=True)


def stage_notebooks(paths: Paths) -> None:
    notebooks.run_all(paths, workers=WORKERS)


def stage_site(paths: Paths) -> None:
    site.write(paths)
