"""What is stale: per tracked series (data/public/series.yaml), the latest period held, the
kind of its source, and the publication that would update it."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pandera.pandas as pa

from analysis.errors import DataError, Problem
from analysis.observations import preferred, select
from analysis.paths import Paths, default_paths
from analysis.registry import load_indicators, load_sources, load_yaml_table
from analysis.validate import check_pattern, one_of

SERIES_FILE = "series.yaml"
PERIOD_OF = {"year": r"[0-9]{4}", "half": r"[0-9]{4}-H[12]"}
QUALIFIER_MARK = {"at_least": "≥ ", "rounded": "≈ ", "approx": "≈ ", "estimate": "~ ", "less_than": "< "}
COLUMNS = ["series", "latest", "value", "source_id", "kind", "expected", "state", "flags", "update"]
# What a 'current' series may still need (issue 24): each flag is a task for the person refreshing.
FLAGS = {
    "not_over": "the period is not over yet: the value may be partial",
    "ahead": "later than the publisher usually releases: check the source",
    "secondary": "from a secondary source: replace with the publisher's own figure when readable",
    "bound": "a bound or rounded value: replace with the exact figure when published",
}


def _schema(indicator_ids) -> pa.DataFrameSchema:
    text = pa.Check.str_length(min_value=1, error="a non-empty text")
    return pa.DataFrameSchema({
        "id": pa.Column(str, check_pattern(r"^[a-z][a-z0-9_]*$", "a snake_case id")),
        "label": pa.Column(str, text),
        "indicator": pa.Column(str, one_of(indicator_ids, "an indicator id declared in data/public/indicators.yaml")),
        "geography": pa.Column(str, text),
        "breakdown": pa.Column(str, nullable=True),
        "frequency": pa.Column(str, one_of(PERIOD_OF, "'year' or 'half'")),
        "update": pa.Column(str, text),
        "release_month": pa.Column(str, check_pattern(r"^([1-9]|1[0-2])$", "a month number 1-12")),
        "lag_years": pa.Column(str, check_pattern(r"^[0-9]$", "a number of years (0-9)")),
    }, unique=["id"], strict=True, name="series")


def load_series(paths: Paths | None = None) -> pd.DataFrame:
    paths = paths or default_paths()
    series = load_yaml_table(paths, SERIES_FILE, _schema(load_indicators(paths).index))
    if series.empty:
        raise DataError(Problem(paths.rel(paths.public / SERIES_FILE), 1, text="declares no series"))
    return series


def expected_period(release_month: int, lag_years: int, today: date) -> int:
    """The latest year a yearly series should have reached by `today`."""
    year = today.year - lag_years
    return year if today.month >= release_month else year - 1


def status(obs: pd.DataFrame, paths: Paths | None = None, today: date | None = None) -> pd.DataFrame:
    today = today or date.today()
    sources = load_sources(paths)
    rows = []
    for s in load_series(paths).itertuples():
        held = preferred(select(obs, s.indicator, geography=s.geography, breakdown=s.breakdown if isinstance(s.breakdown, str) else ""))
        held = held[held["period"].str.fullmatch(PERIOD_OF[s.frequency])].sort_values("period")
        expected = expected_period(int(s.release_month), int(s.lag_years), today)
        if held.empty:
            rows.append({"series": s.id, "latest": "", "value": "", "source_id": "", "kind": "", "expected": str(expected),
                         "state": "missing", "flags": "", "update": s.update})
            continue
        last = held.iloc[-1]
        state = "current" if int(last["period"][:4]) >= expected else "stale"
        value = f"{last['value']:,.0f}" if float(last["value"]).is_integer() else str(last["value"])
        kind = sources.at[last["source_id"], "kind"]
        flags = [f for f, on in (("not_over", not _over(last["period"], today)), ("ahead", int(last["period"][:4]) > expected),
                                 ("secondary", kind != "primary"), ("bound", last["qualifier"] != "exact")) if on]
        rows.append({"series": s.id, "latest": last["period"], "value": QUALIFIER_MARK.get(last["qualifier"], "") + value,
                     "source_id": last["source_id"], "kind": kind, "expected": str(expected),
                     "state": state, "flags": ",".join(flags), "update": s.update})
    return pd.DataFrame(rows, columns=COLUMNS)


def _over(period: str, today: date) -> bool:
    """Has the period ended by `today`? (2026 is not over in December 2026; 2026-H1 is over in July.)"""
    year = int(period[:4])
    last_month = 6 if period.endswith("-H1") else 12
    return (today.year, today.month) > (year, last_month)


def as_json(table: pd.DataFrame) -> str:
    import json

    records = table.to_dict("records")
    for r in records:
        r["flags"] = [{"flag": f, "means": FLAGS[f]} for f in r["flags"].split(",") if f]
    return json.dumps(records, ensure_ascii=False, indent=1)


def render(table: pd.DataFrame) -> str:
    """A plain-text table for the terminal (the update column last, unwrapped)."""
    shown = table.drop(columns=["update", "flags"])
    widths = {c: max(len(c), *(len(str(v)) for v in shown[c])) for c in shown.columns}
    head = "  ".join(f"{c:<{widths[c]}}" for c in shown.columns)
    lines = [head, "  ".join("-" * widths[c] for c in shown.columns)]
    for (key, row), update in zip(shown.iterrows(), table["update"]):
        lines.append("  ".join(f"{str(row[c]):<{widths[c]}}" for c in shown.columns))
        lines.append(f"    update: {update}")
        flags = table.loc[key, "flags"]
        for flag in filter(None, flags.split(",")):
            lines.append(f"    check: {FLAGS[flag]}")
    stale = (table["state"] != "current").sum()
    lines.append(f"{len(table)} series; {stale} stale or missing (expected: the latest period a publisher has usually released by today)")
    return "\n".join(lines)
