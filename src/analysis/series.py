"""Time series and small derived tables read from the observations.

Breaks in a series are data: an indicator's `series_break` (indicators.yaml) names the first
year its publisher counted differently. `yearly` refuses to return values from both sides of
a break unless the caller says how to treat it, so no chart or model joins them by accident.
"""
from __future__ import annotations

import pandas as pd

from analysis.observations import preferred, select
from analysis.registry import load_indicators

BUNDLING_YEAR = 2024  # NCMEC began bundling CyberTipline reports in 2024: a break in the series


class SeriesBreakError(ValueError):
    """A series was asked for across a declared break in how it is counted."""


def series_break(indicator: str) -> tuple[int, str] | None:
    """(first year counted the new way, the registry's note) or None."""
    row = load_indicators().loc[indicator]
    if pd.isna(row.get("series_break")):
        return None
    return int(row["series_break"]), str(row.get("series_break_note") or "")


def yearly(obs: pd.DataFrame, indicator: str, geography: str = "WLD", breakdown: str = "",
           across_break: bool = False) -> pd.Series:
    """One yearly series (index: year as int), one value per year (see observations.preferred).

    If the indicator declares a break and the series has years on both sides of it, this
    raises SeriesBreakError unless `across_break=True`; the break year is then in
    `series.attrs["break"]` for the caller to mark.
    """
    rows = preferred(select(obs, indicator, geography=geography, breakdown=breakdown))
    rows = rows[rows["period"].str.fullmatch(r"[0-9]{4}")]
    series = rows.set_index(rows["period"].astype(int))["value"].sort_index()
    if series.index.has_duplicates:
        years = sorted(set(series.index[series.index.duplicated()]))
        raise ValueError(f"{indicator} ({geography}) has several values for {years}; pass source_id to choose")
    series.name = indicator
    series.attrs["sources"] = list(dict.fromkeys(rows.sort_values("period")["source_id"]))
    return check_break(series, indicator, across_break)


def check_break(series: pd.Series, indicator: str, across_break: bool) -> pd.Series:
    """Refuse (or, when allowed, record in attrs) a series that spans its indicator's break."""
    declared = series_break(indicator)
    series.attrs["break"] = None
    if declared is None or series.empty:
        return series
    year, note = declared
    spans = series.index.min() < year <= series.index.max()
    if spans and not across_break:
        raise SeriesBreakError(
            f"{indicator}: values before and from {year} are not comparable ({note}); "
            f"pass across_break=True and mark the break, or select the years on one side")
    if spans:
        series.attrs["break"] = year
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
