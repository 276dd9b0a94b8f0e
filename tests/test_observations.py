"""Unit tests of the tidy-table machinery on tiny inputs."""
import pandas as pd
import pytest

from analysis.errors import DataError, Problem
from analysis.ingest import TableSpec, melt
from analysis.observations import format_value, select, value_of
from analysis.readers import LINE


def test_melt_turns_a_wide_publisher_table_into_one_row_per_value():
    """year | reports | incidents  ->  one row per non-empty value, fields from templates.

    >>> 2023 | 36210368 | (empty)   -> (cybertipline_reports, 2023, 36210368)
    >>> 2024 | 20500000 | 29200000  -> two rows
    """
    raw = pd.DataFrame({"year": ["2023", "2024"], "reports": ["36210368", "20500000"], "incidents": [pd.NA, "29200000"],
                        "src": ["a", "b"], LINE: [2, 3]}, dtype=object)
    spec = TableSpec(file="x.csv", line=1, fields={"period": "{year}", "geography": "WLD", "source_id": "{src}"},
                     values={"reports": {"indicator": "r"}, "incidents": {"indicator": "i", "breakdown": "kind={src}"}})
    long = melt(raw, spec, "data/public/x.csv")
    got = long[["indicator", "period", "value", "source_id", "breakdown", "_line"]]
    got = [[None if pd.isna(v) else str(v) for v in row] for row in got.values.tolist()]
    assert got == [
        ["r", "2023", "36210368", "a", None, "2"],
        ["r", "2024", "20500000", "b", None, "3"],
        ["i", "2024", "29200000", "b", "kind=b", "3"],
    ]
    assert long["_cols"].iloc[0]["value"] == "reports" and long["_cols"].iloc[0]["period"] == "year"


@pytest.mark.parametrize("value,text", [(36210368.0, "36210368"), (4.5, "4.5"), (0.0, "0"), (1.3, "1.3"), (0.125, "0.125")])
def test_format_value_is_exact_and_short(value, text):
    assert format_value(value) == text
    assert float(text) == value


def test_select_and_value_of():
    obs = pd.DataFrame({"indicator": ["a", "a", "b"], "geography": ["WLD", "FRA", "WLD"], "period": ["2023"] * 3,
                        "breakdown": ["", "", ""], "source_id": ["s"] * 3, "value": [1.0, 2.0, 3.0]})
    assert len(select(obs, "a")) == 2
    assert value_of(obs, "a", geography="FRA") == 2.0
    with pytest.raises(LookupError, match="2 observations match a"):
        value_of(obs, "a")


def test_data_error_sorts_problems_and_shows_the_first():
    err = DataError([Problem("f.csv", 9, "v", "x", "a whole number"), Problem("f.csv", 3, "v", "y", "a whole number")])
    assert str(err) == "f.csv:3: column 'v': 'y' is not a whole number"
    assert [p.line for p in err.problems] == [3, 9]
