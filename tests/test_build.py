"""The whole build: outputs exist, are deterministic, and match what is committed."""
from pathlib import Path

import pandas as pd

from analysis.build import publish
from analysis.figures import FIGURES, FORMATS, LANGS
from analysis.observations import OBSERVATION_COLUMNS, read_observations_csv
from analysis.paths import REPO_ROOT

COMPARED = ("data/processed", "figures")  # must be byte-identical between builds


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for rel in COMPARED for p in sorted((root / rel).rglob("*")) if p.is_file()}


def test_observations_have_exactly_the_public_columns(built):
    paths, _ = built
    header = (paths.processed / "observations.csv").read_text().splitlines()[0]
    assert header == ",".join(OBSERVATION_COLUMNS)
    assert list(pd.read_parquet(paths.processed / "observations.parquet").columns) == OBSERVATION_COLUMNS


def test_csv_and_parquet_hold_the_same_table(built):
    paths, _ = built
    from_csv = read_observations_csv(paths.processed / "observations.csv")
    from_parquet = pd.read_parquet(paths.processed / "observations.parquet")
    pd.testing.assert_frame_equal(from_csv, from_parquet)


def test_every_figure_exists_in_both_languages_and_every_format(built):
    paths, _ = built
    for figure_id in FIGURES:
        for lang in LANGS:
            for fmt in FORMATS:
                path = paths.figures / lang / f"{figure_id}.{fmt}"
                assert path.is_file() and path.stat().st_size > 1000, path


def test_notebooks_execute_and_render(built):
    paths, _ = built
    for nb in sorted(paths.notebooks.glob("[0-9][0-9]_*.ipynb")):
        html = paths.site / "notebooks" / f"{nb.stem}.html"
        assert html.is_file(), html
        assert "Traceback" not in html.read_text()
    assert (paths.site / "index.html").is_file()


def test_build_reports_each_stage_time(built):
    _, timings = built
    assert {"tables", "figures", "notebooks", "site"} <= set(timings)
    assert all(t >= 0 for t in timings.values())


def test_committed_outputs_are_what_the_build_produces(built):
    """The shared build is a clean build of a clean clone (no cache): it must give, byte for byte,
    the committed data/processed and figures, which an earlier clean build (`make all`, in
    another process, on another day; in CI on another machine) wrote. So two clean builds are
    identical, and a change of inputs without `make all` and a commit is caught."""
    paths, _ = built
    fresh, committed = files(paths.out), files(REPO_ROOT)
    stale = sorted(k for k in fresh.keys() | committed.keys() if fresh.get(k) != committed.get(k))
    assert not stale, f"run `make all` and commit: {stale[:10]}"


def test_publish_replaces_whole_output_directories(tmp_path):
    stage, out = tmp_path / "stage", tmp_path / "out"
    (stage / "figures").mkdir(parents=True)
    (stage / "figures" / "new.svg").write_text("new")
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "old.svg").write_text("old")
    publish(stage, out)
    assert [p.name for p in (out / "figures").iterdir()] == ["new.svg"]
    assert not (out / ".build" / "old").exists()
