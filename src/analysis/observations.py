"""The one tidy table: every published number as one row, validated, with provenance."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from analysis import geography
from analysis.codebook import check_breakdowns
from analysis.errors import DataError
from analysis.ingest import load_specs, read_table
from analysis.precision import plain
from analysis.paths import Paths, default_paths
from analysis.registry import load_indicators, load_sources
from analysis.validate import BREAKDOWN, PERIOD, QUALIFIER, one_of, period_in_range, run

OBSERVATION_COLUMNS = ["source_id", "indicator", "geography", "period", "breakdown", "value", "unit", "qualifier", "base_n", "note"]
KEY = ["source_id", "indicator", "geography", "period", "breakdown"]
PROVENANCE_COLUMNS = KEY + ["locator", "raw_file", "raw_line"]
# Units that measure rather than count, so an exact value may have decimals.
MEASURE_UNITS = {"percent", "hours", "years", "months", "euros", "dollars", "reports_per_day", "per_100k"}
PERCENT = "percent"  # a share, 0-100; a change in percent has unit 'percent_change' and may be negative
_never = lambda what: pa.Check.isin([], error=what)  # noqa: E731  (flags every non-missing value)

# Derived columns checked by the schema below, and the observation field each one reports on.
_DERIVED = {"negative_value": "value", "percent_value": "value", "fractional_count": "value", "unit_mismatch": "unit", "base_below_count": "base_n", "breakdown_order": "breakdown"}


def _schema(source_ids, indicator_ids) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "source_id": pa.Column(str, one_of(source_ids, "a source_id declared in data/public/sources.yaml")),
            "indicator": pa.Column(str, one_of(indicator_ids, "an indicator id declared in data/public/indicators.yaml")),
            "geography": pa.Column(str, one_of(geography.codes(), "an ISO 3166-1 alpha-3 code or a named aggregate (WLD, EU27, ...)")),
            "period": pa.Column(str, [PERIOD, period_in_range()]),
            "breakdown": pa.Column(str, BREAKDOWN, nullable=True),
            "breakdown_order": pa.Column(str, _never("in canonical form (keys in alphabetical order, each once)"), nullable=True),
            "value": pa.Column(float),
            "negative_value": pa.Column(float, _never("a number of zero or more (only units ending in '_change' may be negative)"), nullable=True),
            "percent_value": pa.Column(float, pa.Check.le(100, error="a percentage between 0 and 100"), nullable=True),
            "fractional_count": pa.Column(float, _never("a whole number (an exact count has no decimals)"), nullable=True),
            "unit": pa.Column(str),
            "unit_mismatch": pa.Column(str, _never("the unit declared for this indicator in data/public/indicators.yaml"), nullable=True),
            "qualifier": pa.Column(str, QUALIFIER),
            "base_n": pa.Column("Int64", pa.Check.ge(1, error="a number of respondents of 1 or more"), nullable=True),
            "base_below_count": pa.Column("Int64", _never("at least the count it is the base of"), nullable=True),
        },
        unique=KEY,
        name="observations",
    )


def build_observations(paths: Paths | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every raw table, validate, and return (observations, provenance).

    Raises DataError naming file, line and column for the first bad value found.
    """
    paths = paths or default_paths()
    sources, indicators = load_sources(paths), load_indicators(paths)
    source_ids, indicator_ids = frozenset(sources.index), frozenset(indicators.index)  # once, not per table
    parts = [read_table(paths, spec, source_ids, indicator_ids) for spec in load_specs(paths)]
    rows = pd.concat([p for p in parts if len(p)], ignore_index=True)
    rows = _typed(rows, indicators)

    def locate(index, column):
        field = _DERIVED.get(column, column)
        raw_col = rows.at[index, "_cols"].get(field, field) if column else ""
        return rows.at[index, "_file"], int(rows.at[index, "_line"]), raw_col

    rows = run(_schema(sources.index, indicators.index), rows, paths.rel(paths.public), locate)
    check_breakdowns(rows, paths)  # every breakdown key and value is in the codebook (analysis.codebook)
    rows = rows.sort_values(KEY, key=lambda s: s.fillna("")).reset_index(drop=True)
    rows["breakdown"] = rows["breakdown"].fillna("")
    rows["note"] = rows["note"].fillna("")
    obs = rows[OBSERVATION_COLUMNS].copy()
    prov = rows.rename(columns={"_file": "raw_file", "_line": "raw_line"})[PROVENANCE_COLUMNS].copy()
    prov["locator"] = prov["locator"].fillna("")
    return obs, prov


def _typed(rows: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Text cells -> typed columns, plus the derived columns the schema checks."""
    rows = rows.copy()
    declared = rows["indicator"].map(indicators["unit"])
    rows["unit"] = rows["unit"].fillna(declared)
    rows["qualifier"] = rows["qualifier"].fillna("exact")
    rows["value"] = pd.to_numeric(rows["value"]).astype("float64")
    rows["base_n"] = pd.to_numeric(rows["base_n"]).astype("Int64")
    is_pct = rows["unit"] == PERCENT
    is_change = rows["unit"].str.endswith("_change")
    rows["negative_value"] = rows["value"].where(~is_change & (rows["value"] < 0))
    rows["percent_value"] = rows["value"].where(is_pct)
    exact_count = ~rows["unit"].isin(MEASURE_UNITS) & ~is_change & (rows["qualifier"] == "exact")
    rows["fractional_count"] = rows["value"].where(exact_count & (rows["value"] % 1 != 0))
    rows["unit_mismatch"] = rows["unit"].where(declared.notna() & (rows["unit"] != declared))
    below = ~is_pct & rows["base_n"].notna() & (rows["base_n"] < rows["value"])
    rows["base_below_count"] = rows["base_n"].where(below.fillna(False))
    rows["breakdown_order"] = rows["breakdown"].where(rows["breakdown"].map(_not_canonical, na_action="ignore").fillna(False).astype(bool))
    for column in ("source_id", "indicator", "geography", "period", "breakdown", "unit", "qualifier", "note", "locator", "unit_mismatch", "breakdown_order"):
        rows[column] = rows[column].astype("str")
    return rows


def _not_canonical(breakdown: str) -> bool:
    keys = [pair.split("=", 1)[0] for pair in breakdown.split(";")]
    return keys != sorted(set(keys))


# --- writing and reading the processed table ---------------------------------------------

def format_value(value: float) -> str:
    """Shortest exact text for a value: 36210368 not 36210368.0; 4.5 stays 4.5; never 1e-05."""
    return plain(value)


def to_csv_frame(obs: pd.DataFrame) -> pd.DataFrame:
    out = obs.copy()
    out["value"] = out["value"].map(format_value)
    out["base_n"] = out["base_n"].map(lambda v: "" if pd.isna(v) else str(int(v)))
    return out


def read_observations_csv(path) -> pd.DataFrame:
    text = {c: "str" for c in OBSERVATION_COLUMNS if c not in ("value", "base_n")}
    obs = pd.read_csv(path, dtype={**text, "value": "float64", "base_n": "Int64"}, keep_default_na=False, na_values={"value": [""], "base_n": [""]})
    return obs[OBSERVATION_COLUMNS]


def load_observations(paths: Paths | None = None) -> pd.DataFrame:
    """The processed tidy table, as written by the last build (data/processed)."""
    paths = paths or default_paths()
    parquet = paths.processed / "observations.parquet"
    if not parquet.exists():
        raise FileNotFoundError(f"{parquet} does not exist yet; run `make all` (or `python -m analysis build`) first")
    obs = pd.read_parquet(parquet)
    return obs[OBSERVATION_COLUMNS]


def select(obs: pd.DataFrame, indicator: str, geography: str | None = None, period: str | None = None,
           breakdown: str | None = None, source_id: str | None = None) -> pd.DataFrame:
    """Rows of one indicator, optionally narrowed; an empty breakdown means 'no breakdown'."""
    mask = obs["indicator"] == indicator
    for column, wanted in (("geography", geography), ("period", period), ("breakdown", breakdown), ("source_id", source_id)):
        if wanted is not None:
            mask &= obs[column] == wanted
    return obs[mask]


QUALIFIER_RANK = {"exact": 0, "rounded": 1, "approx": 2, "estimate": 3, "at_least": 4}


def preferred(rows: pd.DataFrame, paths: Paths | None = None, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (indicator, geography, period, breakdown) when several sources give it.

    The rule, in order: the most precise qualifier (exact, rounded, approx, estimate,
    at_least), then a primary source over a secondary one, then the most recent
    publication (latest revision), then source_id order.
    """
    if rows.empty:
        return rows
    sources = load_sources(paths) if sources is None else sources  # a caller asking many times passes it
    kind = rows["source_id"].map(sources["kind"])
    published = rows["source_id"].map(sources["date_published"])
    ranked = rows.assign(_q=rows["qualifier"].map(QUALIFIER_RANK), _k=(kind != "primary").astype(int), _d=published)
    ranked = ranked.sort_values(["_q", "_k", "_d", "source_id"], ascending=[True, True, False, True], kind="stable")
    best = ranked.drop_duplicates(["indicator", "geography", "period", "breakdown"])
    return best.drop(columns=["_q", "_k", "_d"]).sort_index()


def value_of(obs: pd.DataFrame, indicator: str, **query) -> float:
    """The single value matching a query; raises if none or several match."""
    rows = select(obs, indicator, **query)
    if len(rows) != 1:
        raise LookupError(f"{len(rows)} observations match {indicator} {query}; expected exactly one")
    return float(rows["value"].iloc[0])


__all__ = ["OBSERVATION_COLUMNS", "build_observations", "load_observations", "select", "value_of", "DataError"]
