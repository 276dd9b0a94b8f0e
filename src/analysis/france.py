"""French figures: NCMEC's count for France beside OFMIN's, and sextortion reports."""
from __future__ import annotations

import pandas as pd

from analysis.observations import select
from analysis.registry import load_sources


def _with_kind(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(kind=rows["source_id"].map(load_sources()["kind"]))


def reports_2023(obs: pd.DataFrame, year: str = "2023") -> pd.DataFrame:
    """Reports concerning France in a year, by measure: NCMEC's table by country and OFMIN's statements."""
    ncmec = obs[(obs["indicator"] == "cybertipline_reports") & (obs["geography"] == "FRA") & (obs["period"] == year)
                & obs["source_id"].str.startswith("ncmec-by-country-")]
    ofmin = select(obs, "ofmin_reports_received", geography="FRA", period=year)
    per_day = select(obs, "ofmin_reports_per_day", geography="FRA", period=year)
    per_day = per_day.assign(value=per_day["value"] * (366 if int(year) % 4 == 0 else 365),
                             indicator="ofmin_reports_per_day_x_days")
    out = pd.concat([ncmec, ofmin, per_day], ignore_index=True)
    return _with_kind(out)[["indicator", "value", "qualifier", "source_id", "kind", "note"]]


def sextortion(obs: pd.DataFrame) -> pd.DataFrame:
    rows = select(obs, "ofmin_sextortion_reports", geography="FRA")
    return _with_kind(rows)[["period", "breakdown", "value", "qualifier", "source_id", "kind"]].sort_values(["period", "source_id"]).reset_index(drop=True)
