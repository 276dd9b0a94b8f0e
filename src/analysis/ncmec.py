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
# Declared precision of ncmec_countries.csv (analysis.precision).
COUNTRY_PRECISION = {"year": "count", "reports": "count", "referrals": "count", "informational": "count",
                     "share_of_world_pct": "percent", "rank_world": "count",
                     "population": "count", "reports_per_100k": "rate", "rank_eu27": "count", "rank_eu27_per_100k": "count"}


# NCMEC's tables by country: one count per country up to 2023; from 2024 two columns,
# referrals and informational reports (the split and the bundling of reports are a break).
BY_COUNTRY_SOURCE = r"(.+-)?ncmec-by-country-[0-9]{4}"  # NCMEC's PDFs, or a transcription of one
BY_COUNTRY_INDICATORS = ("cybertipline_reports", "cybertipline_referrals", "cybertipline_informational_reports")


def _by_country(obs: pd.DataFrame) -> pd.DataFrame:
    return obs[obs["indicator"].isin(BY_COUNTRY_INDICATORS) & obs["source_id"].str.fullmatch(BY_COUNTRY_SOURCE)]


def country_years(obs: pd.DataFrame) -> list[int]:
    return sorted(_by_country(obs)["period"].astype(int).unique())


def country_counts(obs: pd.DataFrame, year: int) -> tuple[pd.DataFrame, float, str]:
    """(rows per place with reports[, referrals, informational], world total, measure) for a year.

    Up to 2023 'reports' is NCMEC's count and the world total is the table's printed total.
    From 2024 'reports' is referrals + informational reports; NCMEC prints no total for that
    table, so the world total is the sum of its rows (places NCMEC lists twice included).
    """
    rows = _by_country(obs)
    rows = rows[rows["period"] == str(year)]
    if rows.empty:
        raise LookupError(f"no NCMEC table by country for {year}")
    if (rows["indicator"] == "cybertipline_reports").any():
        rows = rows[rows["indicator"] == "cybertipline_reports"]
        world = rows.loc[rows["geography"] == "WLD", "value"]
        if len(world) != 1:
            raise LookupError(f"no world total in NCMEC's {year} by-country table")
        counts = rows[rows["geography"] != "WLD"].groupby("geography")["value"].sum().to_frame("reports")
        return counts, float(world.iloc[0]), "reports"
    wide = rows.pivot_table(index="geography", columns="indicator", values="value", aggfunc="sum")
    wide = wide.reindex(columns=["cybertipline_referrals", "cybertipline_informational_reports"])
    counts = pd.DataFrame({"reports": wide.sum(axis=1, min_count=1), "referrals": wide.iloc[:, 0], "informational": wide.iloc[:, 1]})
    counts = counts[counts["reports"].notna()]
    return counts, float(counts["reports"].sum()), "referrals+informational"


def country_sources(obs: pd.DataFrame, years) -> list[str]:
    """The publications (or transcriptions) the tables by country of these years come from."""
    rows = _by_country(obs)
    rows = rows[rows["period"].astype(int).isin([int(y) for y in years])].sort_values("period")
    return list(dict.fromkeys(rows["source_id"]))


def country_table(obs: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per country for a year: reports, share of the world total, ranks, rate per 100,000.

    Places NCMEC lists twice (e.g. 'French Guiana' and 'Guiana, French') are added together.
    The rate uses the population on 1 January of the same year (Eurostat, EU27 countries only).
    From 2024 'reports' is referrals + informational reports (see country_counts), kept in
    their own columns too; `measure` says which.
    """
    counts, world, measure = country_counts(obs, year)
    counts = counts[~counts.index.isin(NOT_COUNTRIES)]
    table = pd.DataFrame({"reports": counts["reports"].astype("int64")})
    for part in ("referrals", "informational"):
        table[part] = counts[part].astype("Int64") if part in counts else pd.array([pd.NA] * len(table), dtype="Int64")
    table["measure"] = measure
    table["share_of_world_pct"] = 100 * table["reports"] / world
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


def country_series(obs: pd.DataFrame, geography: str, across_break: bool = False) -> pd.Series:
    """A country's reports per year from NCMEC's tables by country (from 2024: referrals +
    informational reports, a break declared for cybertipline_reports; see series.check_break)."""
    from analysis.series import check_break

    values = {year: country_counts(obs, year)[0]["reports"].get(geography) for year in country_years(obs)}
    series = pd.Series({y: v for y, v in values.items() if v is not None and pd.notna(v)}, dtype="float64").sort_index()
    series.name = geography
    return check_break(series, "cybertipline_reports", across_break)


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



PLATFORM_SOURCE = "gpcep-cybertipline-data-2024"  # the Global Platform's data files (referrals only)


def platform_referrals(obs: pd.DataFrame, geography: str = "FRA") -> pd.DataFrame:
    """The Global Platform's referrals for a country per period (full year and halves), each as
    the interval NCMEC's rounding allows, beside the referrals of NCMEC's table by country."""
    from analysis.checks import printed

    rows = select(obs, "cybertipline_referrals", geography=geography, breakdown="")
    platform = rows[rows["source_id"].str.startswith("gpcep-")].sort_values("period")
    table = _by_country(obs)
    table = table[(table["geography"] == geography) & (table["indicator"] == "cybertipline_referrals")].set_index("period")
    out = []
    for r in platform.itertuples():
        interval = printed(r.value, r.qualifier)
        by_country = table["value"].get(r.period)
        out.append({"period": r.period, "platform": r.value, "qualifier": r.qualifier, "interval_lo": interval.lo,
                    "interval_hi": interval.hi, "table_by_country": by_country,
                    "within_rounding": None if by_country is None else bool(interval.lo <= by_country < interval.hi),
                    "source_id": r.source_id})
    return pd.DataFrame(out)


def platform_breakdown(obs: pd.DataFrame, geography: str = "FRA", period: str = "2024") -> pd.DataFrame:
    """The Platform's breakdowns of one country's referrals and files, as printed: a '<50' cell
    stays '<50' (qualifier less_than), never 0."""
    rows = obs[(obs["geography"] == geography) & (obs["period"] == period) & obs["source_id"].str.startswith("gpcep-")
               & ~((obs["indicator"] == "cybertipline_referrals") & (obs["breakdown"] == ""))]
    shown = rows["value"].map(lambda v: f"{v:,.0f}")
    shown = shown.where(rows["qualifier"] != "less_than", "<" + shown)
    return rows.assign(printed=shown)[["indicator", "breakdown", "printed", "qualifier"]].sort_values(["indicator", "breakdown"]).reset_index(drop=True)
