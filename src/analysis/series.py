"""Time series and small derived tables read from the observations."""
from __future__ import annotations

import pandas as pd

from analysis.observations import preferred, select

BUNDLING_YEAR = 2024  # NCMEC began bundling CyberTipline reports in 2024: a break in the series


def yearly(obs: pd.DataFrame, indicator: str, geography: str = "WLD", breakdown: str = "") -> pd.Series:
    """One yearly series (index: year as int), one value per year (see observations.preferred)."""
    rows = preferred(select(obs, indicator, geography=geography, breakdown=breakdown))
    rows = rows[rows["period"].str.fullmatch(r"[0-9]{4}")]
    series = rows.set_index(rows["period"].astype(int))["value"].sort_index()
    if series.index.has_duplicates:
        years = sorted(set(series.index[series.index.duplicated()]))
        raise ValueError(f"{indicator} ({geography}) has several values for {years}; pass source_id to choose")
    series.name = indicator
    series.attrs["sources"] = list(dict.fromkeys(rows.sort_values("period")["source_id"]))
    return series


def cybertipline_table(obs: pd.DataFrame) -> pd.DataFrame:
    """Reports (and, from 2024, incidents) per year, with the source of each row."""
    reports = preferred(select(obs, "cybertipline_reports", geography="WLD", breakdown="")).set_index("period")
    incidents = preferred(select(obs, "cybertipline_incidents", geography="WLD", breakdown="")).set_index("period")
    reports = reports[reports.index.str.fullmatch(r"[0-9]{4}")]
    table = pd.DataFrame({"reports": reports["value"], "incidents": incidents["value"],
                          "reports_source": reports["source_id"], "incidents_source": incidents["source_id"]})
    table.index.name = "year"
    table["reports"] = table["reports"].astype("Int64")
    table["incidents"] = table["incidents"].astype("Int64")
    return table.sort_index()
