"""Sentences for notebooks, with every number computed from the observations."""
from __future__ import annotations

import pandas as pd

from analysis.escape import md, md_link
from analysis.figures.numbers import millions, number
from analysis.observations import select
from analysis.series import BUNDLING_YEAR, yearly


def cybertipline_summary(obs: pd.DataFrame, lang: str = "en") -> str:
    reports = yearly(obs, "cybertipline_reports", across_break=True)  # the text names the break
    incidents = yearly(obs, "cybertipline_incidents")
    first, last_comparable = reports.index.min(), max(y for y in reports.index if y < BUNDLING_YEAR)
    ratio = reports[last_comparable] / reports[first]
    text = (
        f"NCMEC's CyberTipline received **{number(reports[first], lang)}** reports in {first} and "
        f"**{number(reports[last_comparable], lang)}** in {last_comparable}, about {number(ratio, lang)} times as many. "
    )
    peak = int(reports.loc[:last_comparable].idxmax())
    text += f"Before the {BUNDLING_YEAR} break in the series, the yearly count peaked in {peak}. "
    if BUNDLING_YEAR in reports.index:
        text += (
            f"In {BUNDLING_YEAR} NCMEC received **{millions(reports[BUNDLING_YEAR], lang)}** reports, which after bundling "
            f"stand for **{millions(incidents[BUNDLING_YEAR], lang)}** incidents; neither number is comparable with "
            f"the reports of earlier years."
            if BUNDLING_YEAR in incidents.index
            else f"In {BUNDLING_YEAR} NCMEC received **{millions(reports[BUNDLING_YEAR], lang)}** reports (bundled)."
        )
    for year in reports.index[reports.index > BUNDLING_YEAR]:
        text += f" In {year}: **{millions(reports[year], lang)}** reports, counted the same way as {BUNDLING_YEAR}."
    return text


def france_summary(obs: pd.DataFrame, lang: str = "en") -> str:
    from analysis import ncmec

    series = ncmec.country_series(obs, "FRA", across_break=True)  # the text keeps the two sides apart
    cut = series.attrs["break"]
    comparable = series[series.index < cut] if cut else series
    first, last = int(comparable.index.min()), int(comparable.index.max())
    row = ncmec.country_table(obs, last).loc["FRA"]
    eu = ncmec.eu27_total(obs, last)
    text = (
        f"NCMEC's tables by country place **{number(series[last], lang)}** reports in France in {last}, against "
        f"{number(series[first], lang)} in {first} ({number(series[last] / series[first], lang, 1)} times as many). "
        f"That is {number(row['share_of_world_pct'], lang, 1)}% of all reports worldwide, the highest count of the EU27 "
        f"(rank {int(row['rank_eu27'])}) and rank {int(row['rank_eu27_per_100k'])} per inhabitant, with "
        f"{number(row['reports_per_100k'], lang, 1)} reports per 100,000 inhabitants against "
        f"{number(eu['reports_per_100k'], lang, 1)} for the EU27 as a whole."
        if int(row["rank_eu27"]) == 1 else
        f"NCMEC's tables by country place **{number(series[last], lang)}** reports in France in {last}, rank "
        f"{int(row['rank_eu27'])} of the EU27 by count and {int(row['rank_eu27_per_100k'])} per inhabitant."
    )
    for year in series.index[series.index >= cut] if cut else []:
        new = ncmec.country_table(obs, int(year)).loc["FRA"]
        text += (
            f" From {cut} NCMEC bundles reports and splits them into referrals and informational reports, so "
            f"{int(year)} is not comparable with earlier years: its table places **{number(new['referrals'], lang)}** referrals "
            f"and {number(new['informational'], lang)} informational reports in France ({number(new['reports'], lang)} in all), "
            f"rank {int(new['rank_eu27'])} of the EU27 by count and {int(new['rank_eu27_per_100k'])} per inhabitant."
            if year == cut else
            f" In {int(year)}: **{number(new['referrals'], lang)}** referrals and {number(new['informational'], lang)} "
            f"informational reports, rank {int(new['rank_eu27'])} of the EU27 by count."
        )
    return text


def incident_type_summary(obs: pd.DataFrame, lang: str = "en") -> str:
    from analysis import ncmec

    table = ncmec.incident_types(obs)
    first, last = table.columns.min(), table.columns.max()
    comparable = max(y for y in table.columns if y < BUNDLING_YEAR) if first < BUNDLING_YEAR else last
    share = table.loc["child_pornography", last] / table[last].sum() * 100
    enticement = table.loc["online_enticement"]
    text = (
        f"In {last}, {number(share, lang, 1)}% of reports were categorised as child sexual abuse material. "
        f"Online enticement reports went from {number(enticement[first], lang)} in {first} to "
        f"**{number(enticement[comparable], lang)}** in {comparable}, {number(enticement[comparable] / enticement[first], lang, 1)} times as many."
    )
    if last >= BUNDLING_YEAR > first:
        text += (
            f" In {last}, counted after bundling (not comparable with earlier years), NCMEC categorised "
            f"**{number(enticement[last], lang)}** reports as online enticement, "
            f"{number(enticement[last] / enticement[comparable], lang, 1)} times the {comparable} count."
        )
    return text


def ai_summary(obs: pd.DataFrame, lang: str = "en") -> str:
    from analysis import ncmec

    rows = ncmec.ai_reports(obs)
    h1 = rows[(rows["period"].str.endswith("-H1")) & (rows["kind"] == "primary")].set_index("period")["value"]
    years = sorted(h1.index)
    text = (
        f"NCMEC's own half-year comparison counts {number(h1[years[0]], lang)} reports involving generative AI in "
        f"January–June {years[0][:4]} and **{number(h1[years[-1]], lang)}** in January–June {years[-1][:4]}. "
        f"The full-year figures are known only through press coverage and are rounded."
    )
    company = select(obs, "cybertipline_reports_generative_ai", geography="WLD", period=years[-1])
    company = company[company["breakdown"].str.startswith("esp=")]
    if len(company):
        part = company.iloc[0]
        whole = select(obs, "cybertipline_reports_generative_ai", geography="WLD", period=years[-1], breakdown="", source_id=part["source_id"])
        text += (
            f" Press coverage attributes about {number(part['value'], lang)} of the first-half {years[-1][:4]} reports "
            f"(of {number(whole['value'].iloc[0], lang)} in the same article) to one company, "
            f"{md(part['breakdown'].split('=', 1)[1].title())}, reporting known material found in AI training data rather "
            f"than newly generated images: the {years[-1][:4]} count is not a measure of AI-generated material."
            if len(whole) else ""
        )
    return text


def iwf_change_7_10(check: dict, lang: str = "en") -> str:
    lo, hi = check["computed"].lo, check["computed"].hi
    verdict = "which agrees with" if check["agrees"] else "which does not agree with"
    return (
        f"Recomputed from the published shares and totals, the change lies between **{number(lo, lang, 1)}%** and "
        f"**{number(hi, lang, 1)}%**, {verdict} the **{number(check['stated'], lang)}%** IWF printed."
    )


def survey_bases(table: pd.DataFrame, lang: str = "en") -> str:
    with_base = (table["base"] != "not published").sum()
    return (
        f"Of {len(table)} published percentages, **{with_base}** have a published base and an interval; "
        f"**{len(table) - with_base}** do not."
    )


def claims_summary(ledger: pd.DataFrame, lang: str = "en") -> str:
    counts = ledger["verdict"].value_counts()
    parts = ", ".join(f"{n} *{md(v)}*" for v, n in counts.items())
    return f"The ledger holds **{len(ledger)}** numbers printed in the report: {parts}."


def claims_not_matching(ledger: pd.DataFrame) -> str:
    """One paragraph per claim whose number differs, names another measure, or fails arithmetic."""
    rows = ledger[ledger["verdict"].isin(["differs", "different measure", "internal arithmetic fails"])]
    out = []
    for r in rows.itertuples():
        source = f" Source: {md_link(r.source_id, r.source_url)}." if r.source_url else ""
        out.append(f"- **{md(r.claim_id)}** ({md(r.section)}) — *{md(r.claim)}* — printed **{md(r.value_printed)}**; "
                   f"verdict **{md(r.verdict)}**. {md(r.explanation)}{source}")
    return "\n".join(out)


def trends_summary(summary: pd.DataFrame, lang: str = "en") -> str:
    """One line per projected series: model, backtest error against naive, coverage, 2030 projection."""
    year = [c for c in summary.columns if c.startswith("point_")][0].removeprefix("point_")
    lines = []
    for r in summary.itertuples():
        point = getattr(r, f"point_{year}")
        lines.append(
            f"- **{md(r.series)}**: {md(r.model)} (backtest error {number(r.mape, lang, 1)}% against {number(r.mape_naive, lang, 1)}% "
            f"for naive; the 80% interval held {number(r.coverage80 * 100, lang)}% of held-out years). "
            f"{year}: **{number(point, lang)}** (80%: {number(r.lo80, lang)}–{number(r.hi80, lang)}; 95%: {number(r.lo95, lang)}–{number(r.hi95, lang)})."
        )
    return "\n".join(lines)
