"""What changed: the observations a rebuild added, removed or changed, by key.

Staff refreshing figures see exactly which numbers moved. The comparison is with the table the
build replaces (the published data/processed/observations.parquet). When a rebuild leaves the
table as it was, the previous changes.csv is kept, so the file always describes the last
rebuild that changed a number (and two builds of the same inputs give the same bytes).
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from analysis.observations import KEY, OBSERVATION_COLUMNS, format_value, read_observations_csv

COLUMNS = ["change", *KEY, "old_value", "new_value", "old_qualifier", "new_qualifier", "old_unit", "new_unit", "old_note", "new_note"]
COMPARED = ["value", "qualifier", "unit", "note", "base_n"]


def changes(old: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """One row per key added, removed or changed (in value, qualifier, unit, note or base)."""
    old = pd.DataFrame(columns=OBSERVATION_COLUMNS) if old is None else old
    merged = old[[*KEY, *COMPARED]].merge(new[[*KEY, *COMPARED]], on=KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    differs = pd.Series(False, index=merged.index)
    for column in COMPARED:
        a, b = merged[f"{column}_old"], merged[f"{column}_new"]
        differs |= ~((a == b) | (a.isna() & b.isna()))
    merged["change"] = merged["_merge"].map({"left_only": "removed", "right_only": "added", "both": "changed"}).astype(str)
    merged = merged[(merged["_merge"] != "both") | differs]
    out = pd.DataFrame({"change": merged["change"], **{k: merged[k] for k in KEY}})
    for column in ("value", "qualifier", "unit", "note"):
        for side in ("old", "new"):
            values = merged[f"{column}_{side}"]
            out[f"{side}_{column}"] = values.map(format_value, na_action="ignore") if column == "value" else values
    return out[COLUMNS].sort_values([*KEY, "change"], key=lambda s: s.fillna("")).reset_index(drop=True)


def write(previous: Path | None, new: pd.DataFrame, target: Path, note=None) -> None:
    """Write changes.csv into `target` (a staging data/processed) against the published table in
    `previous` (a data/processed directory, or None on a first build).

    The published files are earlier outputs, not inputs: one that cannot be read, or is not what
    the build writes, is ignored with a note (`note(text)`), never trusted."""
    note = note or (lambda text: None)
    old = _previous_table(previous / "observations.parquet", note) if previous else None
    try:
        found = changes(old, new)
    except (KeyError, TypeError, ValueError) as err:  # read, but not a table of observations
        note(f"ignoring the published data/processed/observations.parquet (not the table the build writes: "
             f"{type(err).__name__}); changes.csv lists the table as new")
        found = changes(None, new)
    if found.empty and previous:
        kept = _previous_changes(previous / "changes.csv", note)
        if kept is not None:
            target.joinpath("changes.csv").write_bytes(kept)  # nothing moved: keep the last change set
            return
    found.to_csv(target / "changes.csv", index=False, lineterminator="\n")


def _shown(path: Path) -> str:
    return "/".join(path.parts[-3:])  # data/processed/<file>


def _previous_table(path: Path, note) -> pd.DataFrame | None:
    """The published table; its CSV copy if the Parquet file is damaged; None if both are."""
    if not path.exists():
        return None
    try:
        return pd.read_parquet(path)[OBSERVATION_COLUMNS]
    except Exception as err:  # noqa: BLE001 (pyarrow raises its own kinds): a damaged file, whatever the damage
        problem = " ".join(str(err).replace(str(path), _shown(path)).split())[:200] or type(err).__name__
    try:
        old = read_observations_csv(path.with_suffix(".csv"))
        instead = "compared with the published observations.csv instead"
    except Exception:  # noqa: BLE001: as damaged
        old, instead = None, "changes.csv lists the table as new"
    note(f"ignoring the published {_shown(path)} (cannot be read: {problem}); {instead}")
    return old


def _previous_changes(path: Path, note) -> bytes | None:
    """The last change set's bytes, if it is one (the header this module writes, a known change per row)."""
    if not path.exists():
        return None
    try:
        raw = path.read_bytes()
        table = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8")
        ok = list(table.columns) == COLUMNS and table["change"].isin(["added", "removed", "changed"]).all()
    except (OSError, ValueError, pd.errors.ParserError):  # ValueError: not UTF-8, or empty
        ok = False
    if not ok:
        note(f"ignoring the published {_shown(path)} (not a change set as the build writes it); the new one lists this build's changes")
        return None
    return raw
