"""changes.csv: which numbers a rebuild added, removed or changed, by key."""
import csv

import pandas as pd

from analysis.stages import stage_tables
from analysis.changes import changes
from analysis.paths import Paths

KEY = dict(source_id="s", indicator="i", geography="FRA", breakdown="", unit="reports", qualifier="exact", base_n=pd.NA, note="")


def frame(rows):
    return pd.DataFrame([{**KEY, **r} for r in rows])


def test_added_removed_and_changed_rows_and_nothing_else():
    old = frame([{"period": "2022", "value": 10.0}, {"period": "2023", "value": 20.0}, {"period": "2024", "value": 30.0}])
    new = frame([{"period": "2022", "value": 10.0}, {"period": "2023", "value": 21.0}, {"period": "2025", "value": 40.0}])
    found = changes(old, new).astype(object)
    found = found.where(found.notna(), None)
    assert found[["change", "period", "old_value", "new_value"]].values.tolist() == [
        ["changed", "2023", "20", "21"], ["removed", "2024", "30", None], ["added", "2025", None, "40"]]


def test_a_changed_qualifier_is_a_change():
    old = frame([{"period": "2023", "value": 4700.0}])
    new = frame([{"period": "2023", "value": 4700.0, "qualifier": "rounded"}])
    assert changes(old, new)[["change", "old_qualifier", "new_qualifier"]].values.tolist() == [["changed", "exact", "rounded"]]


def _rebuild_tables(copy: Paths) -> list[dict]:
    """The tables stage into a staging directory, against the copy's published outputs."""
    staged = Paths(root=copy.root, out=copy.root / ".build" / "stage", published=copy.out)
    stage_tables(staged)
    with open(staged.processed / "changes.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh)), staged


def test_editing_one_row_gives_exactly_that_change(built_copy):
    raw = built_copy.public / "ncmec" / "cybertipline_reports_per_year.csv"
    text = raw.read_text()
    assert "2014,1106071," in text
    raw.write_text(text.replace("2014,1106071,", "2014,1106072,"))
    rows, _ = _rebuild_tables(built_copy)
    assert rows == [{"change": "changed", "source_id": "ncmec-ojjdp-2023", "indicator": "cybertipline_reports", "geography": "WLD",
                     "period": "2014", "breakdown": "", "old_value": "1106071", "new_value": "1106072", "old_qualifier": "exact",
                     "new_qualifier": "exact", "old_unit": "reports", "new_unit": "reports", "old_note": "", "new_note": ""}]


def test_a_rebuild_that_changes_nothing_keeps_the_last_change_set(built_copy):
    _, staged = _rebuild_tables(built_copy)
    assert (staged.processed / "changes.csv").read_bytes() == (built_copy.processed / "changes.csv").read_bytes()
