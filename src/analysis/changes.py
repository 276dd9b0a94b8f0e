"""What changed: the observations a rebuild added, removed or changed, by key.

Staff refreshing figures see exactly which numbers moved. The comparison is with the table the
build replaces (the published data/processed/observations.parquet). When a rebuild leaves the
table as it was, the previous changes.csv is kept, so the file always describes the last
rebuild that changed a number (and two builds of the same inputs give the same bytes).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.observations import KEY, OBSERVATION_COLUMNS, format_value

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


def write(previous: Path | None, new: pd.DataFrame, target: Path) -> None:
    """Write changes.csv into `target` (a staging data/processed) against the published table in
    `previous` (a data/processed directory, or None on a first build)."""
    old_table = previous / "observations.parquet" if previous else None
    old = pd.read_parquet(old_table)[OBSERVATION_COLUMNS] if old_table and old_table.exists() else None
    found = changes(old, new)
    old_changes = previous / "changes.csv" if previous else None
    if found.empty and old_changes and old_changes.exists():
        target.joinpath("changes.csv").write_bytes(old_changes.read_bytes())  # nothing moved: keep the last change set
        return
    found.to_csv(target / "changes.csv", index=False, lineterminator="\n")
