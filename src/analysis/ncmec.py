"""Derived NCMEC tables: countries (shares, ranks, rates), incident types, AI-related reports.

Everything here is computed from the observations; nothing is typed.
"""
from __future__ import annotations

import pandas as pd

from analysis.geography import EU27
from analysis.observations import preferred, select
from analysis.registry import load_sources

NOT_COUNTRIES = {"WLD", "UNK", "EUX"}  # rows of the by-country tables that are not a country
PER = 100_000


def _by_country(obs: pd.DataFrame) -> pd.DataFrame:
    rows = obs[(obs["indicator"] == "cybertipline_reports") & obs["source_id"].str.startswith("ncmec-by-country-")]
    return rows


def country_years(obs: pd.DataFrame) -> list[int]:
    return sorted(_by_country(obs)["period"].astype(int).unique())


def country_table(obs: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per country for a year: reports, share of the world total, ranks, rate per 100,000.

    Places NCMEC lists twice (e.g. 'French Guiana' and 'Guiana, French') are added together.
    The rate uses the population on 1 January of the same year (Eurostat, EU27 countries only).
    """
    rows = _by_country(obs)
    rows = rows[rows["period"] == str(year)]
    world = rows.loc[rows["geography"] == "WLD", "value"]
    if len(world) != 1:
        raise LookupError(f"no world total in NCMEC's {year} by-country table")
    countries = rows[~rows["geography"].isin(NOT_COUNTRIES)].groupby("geography")["value"].sum()
    table = pd.DataFrame({"reports": countries.astype("int64")})
    table["share_of_world_pct"] = 100 * table["reports"] / world.iloc[0]
    table["rank_world"] = table["reports"].rank(ascending=False, method="min").astype("int64")
    table["eu27"] = table.index.isin(EU27)
    pop = preferred(select(obs, "population", period=str(year))).set_index("geography")["value"]
    table["population"] = pop.reindex(table.index).where(table["eu27"]).astype("Int64")
    table["reports_per_100k"] = (table["reports"] / table["population"] * PER).astype("Float64")
    eu = table[table["eu27"]]
    table["rank_eu27"] = eu["reports"].rank(ascending=False, method="min").astype("Int64")
    table["rank_eu27_per_100k"] = eu["reports_per_100k"].rank(ascending=False, method="min").astype("Int64")
    table.index.name = "geography"
    return table.sort_values("reports", ascending=False)


def eu27_total(obs: pd.DataFrame, year: int) -> pd.Series:
    """Sum of the EU27 countries (computed here; NCMEC does not publish an EU total)."""
    table = country_table(obs, year)
    eu = table[table["eu27"]]
    missing = sorted(set(EU27) - set(eu.index))
    if missing:
        raise LookupError(f"{year}: NCMEC lists no row for {missing}")
    reports, population = eu["reports"].sum(), eu["population"].sum()
    return pd.Series({"reports": reports, "population": population, "reports_per_100k": reports / population * PER,
                      "share_of_world_pct": eu["share_of_world_pct"].sum()})


def countries_long(obs: pd.DataFrame) -> pd.DataFrame:
    """country_table for every year, stacked: the derived table written to data/processed."""
    frames = []
    for year in country_years(obs):
        t = country_table(obs, year).reset_index()
        t.insert(0, "year", year)
        frames.append(t)
    return pd.concat(frames, ignore_index=True)


def country_series(obs: pd.DataFrame, geography: str) -> pd.Series:
    """A country's reports per year from NCMEC's by-country tables."""
    rows = _by_country(obs)
    rows = rows[rows["geography"] == geography]
    series = rows.groupby(rows["period"].astype(int))["value"].sum().sort_index()
    series.name = geography
    return series


def incident_types(obs: pd.DataFrame) -> pd.DataFrame:
    """Reports per incident type (rows) and year (columns), from the reports to Congress."""
    rows = select(obs, "cybertipline_reports", geography="WLD")
    rows = preferred(rows[rows["breakdown"].str.startswith("incident_type=")])
    table = rows.assign(type=rows["breakdown"].str.removeprefix("incident_type="), year=rows["period"].astype(int))
    return table.pivot(index="type", columns="year", values="value").sort_values(table["year"].max(), ascending=False)


def ai_reports(obs: pd.DataFrame) -> pd.DataFrame:
    """Reports involving generative AI, every published figure with its period, qualifier and source."""
    rows = select(obs, "cybertipline_reports_generative_ai", geography="WLD", breakdown="")
    kind = rows["source_id"].map(load_sources()["kind"])
    return rows.assign(kind=kind)[["period", "value", "qualifier", "source_id", "kind"]].sort_values(["period", "source_id"]).reset_index(drop=True)

