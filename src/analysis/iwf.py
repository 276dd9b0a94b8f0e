"""Derived IWF tables: the annual series, year-on-year changes, shares recomputed from counts."""
from __future__ import annotations

import pandas as pd

from analysis.checks import Interval, agrees, decimals_of, printed
from analysis.observations import format_value, preferred, select
from analysis.registry import load_sources

SERIES = {
    "reports_assessed": "iwf_reports_assessed",
    "reports_confirmed": "iwf_reports_confirmed_csam",
    "urls_confirmed": "iwf_urls_confirmed_csam",
}


def annual(obs: pd.DataFrame) -> pd.DataFrame:
    """Year x measure: reports assessed, reports confirmed, URLs confirmed (IWF's terms kept apart)."""
    columns = {}
    for name, indicator in SERIES.items():
        rows = preferred(select(obs, indicator, geography="WLD", breakdown=""))
        rows = rows[rows["period"].str.fullmatch(r"\d{4}")]
        columns[name] = rows.set_index(rows["period"].astype(int))["value"]
    table = pd.DataFrame(columns).sort_index()
    table.index.name = "year"
    return table


def yoy_change_pct(series: pd.Series) -> pd.Series:
    """Year-on-year change in percent, only between consecutive years."""
    series = series.dropna().sort_index()
    change = series.pct_change() * 100
    consecutive = series.index.to_series().diff() == 1
    return change.where(consecutive).dropna()


def age_shares(obs: pd.DataFrame) -> pd.DataFrame:
    """Shares of confirmed URLs by age of the youngest child, as published (bands vary by year)."""
    rows = select(obs, "iwf_urls_confirmed_csam_share_pct", geography="WLD")
    rows = rows[rows["breakdown"].str.fullmatch(r"age=[0-9-]+")]
    kind = rows["source_id"].map(load_sources()["kind"])
    out = rows.assign(age=rows["breakdown"].str.removeprefix("age="), year=rows["period"].astype(int), kind=kind)
    return out[["year", "age", "value", "qualifier", "source_id", "kind"]].sort_values(["age", "year"]).reset_index(drop=True)


def change_7_10_2021_2022(obs: pd.DataFrame) -> dict:
    """The +60% the report quotes (7-10 year olds, 2021 to 2022), recomputed from published shares and totals.

    IWF printed the change as text; the counts are only in its charts. The shares are rounded,
    so the recomputed change is an interval.
    """
    shares = age_shares(obs)
    s21 = shares[(shares["age"] == "7-10") & (shares["year"] == 2021)].iloc[0]
    s22 = shares[(shares["age"] == "7-10") & (shares["year"] == 2022)].iloc[0]
    urls = preferred(select(obs, "iwf_urls_confirmed_csam", geography="WLD", breakdown="")).set_index("period")
    n21 = printed(urls.at["2021", "value"], urls.at["2021", "qualifier"])
    n22 = printed(urls.at["2022", "value"], urls.at["2022", "qualifier"])
    ratio = (printed(s22["value"], s22["qualifier"]) * n22) / (printed(s21["value"], s21["qualifier"]) * n21)
    change = Interval((ratio.lo - 1) * 100, (ratio.hi - 1) * 100)
    stated = select(obs, "iwf_csam_yoy_change_pct", period="2022", breakdown="age=7-10").iloc[0]
    return {"computed": change, "stated": stated["value"], "stated_qualifier": stated["qualifier"],
            "agrees": agrees(stated["value"], change, stated["qualifier"]),
            "sources": [s21["source_id"], s22["source_id"], urls.at["2021", "source_id"], urls.at["2022", "source_id"], stated["source_id"]]}


def share_checks(obs: pd.DataFrame) -> pd.DataFrame:
    """Every printed hosting share that has a printed count and total beside it, recomputed.

    Returns one row per check with both numbers and whether they agree within rounding.
    """
    totals = annual(obs)
    pct = select(obs, "iwf_urls_hosted_pct", geography="WLD")
    counts = select(obs, "iwf_urls_hosted", geography="WLD")
    rows = []
    for r in pct.itertuples():
        year = int(r.period[:4]) if r.period[:4].isdigit() and len(r.period) == 4 else None
        match = counts[(counts["period"] == r.period) & (counts["breakdown"] == r.breakdown)]
        if year is None or match.empty or pd.isna(totals["urls_confirmed"].get(year)):
            continue
        count = match.iloc[0]
        computed = printed(count["value"], count["qualifier"]).scale(100 / totals["urls_confirmed"][year])
        dec = decimals_of(format_value(r.value))
        rows.append({"period": r.period, "breakdown": r.breakdown, "printed_pct": r.value, "count": count["value"],
                     "total": totals["urls_confirmed"][year], "computed_pct": (computed.lo + computed.hi) / 2,
                     "agrees": agrees(r.value, computed, "rounded", dec), "source_id": r.source_id})
    return pd.DataFrame(rows)


def ai_forum_study(obs: pd.DataFrame) -> pd.DataFrame:
    """The October 2023 study of one dark-web forum over one month, as published."""
    ids = ["iwf_ai_forum_images_posted", "iwf_ai_forum_images_assessed", "iwf_ai_forum_images_criminal"]
    rows = obs[obs["indicator"].isin(ids) & (obs["period"] == "2023")]
    return rows[["indicator", "breakdown", "value", "source_id"]].reset_index(drop=True)
