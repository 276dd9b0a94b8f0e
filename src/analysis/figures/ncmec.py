"""Figures from NCMEC CyberTipline data."""
from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.ticker import MaxNLocator

from analysis.figures.style import (BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILION, cite, frame, mark_break, millions, number, ordinal,
                                    percent, styled, texts)
from analysis.observations import preferred, select
from analysis.series import series_break, yearly


@styled
def cybertipline_reports_per_year(obs: pd.DataFrame, lang: str = "en"):
    reports = yearly(obs, "cybertipline_reports", across_break=True)  # the break is drawn below
    incidents = yearly(obs, "cybertipline_incidents")
    used = [s for series in (reports, incidents) for s in series.attrs["sources"]]
    break_year = series_break("cybertipline_reports")[0]  # declared in indicators.yaml
    inc_value = incidents.get(break_year)
    t = texts(
        "ncmec_cybertipline_reports_per_year", lang,
        first=reports.index.min(), last=reports.index.max(), break_year=break_year,
        incidents=millions(inc_value, lang) if inc_value is not None else "?",
        sources=cite(used, lang),
    )
    subtitle = t["subtitle"] if inc_value is not None else t["subtitle_before_break"]
    f = frame(t["title"], subtitle, t["source"], t["note"])
    ax = f.ax
    before, after = reports[reports.index < break_year], reports[reports.index >= break_year]
    ax.bar(before.index, before / 1e6, color=BLUE, width=0.8, label=t["reports"])
    if len(after):
        ax.bar(after.index, after / 1e6, color=SKY, width=0.8, hatch="///", edgecolor=BLUE, linewidth=0.6, label=t["reports_after"])
    inc_after = incidents[incidents.index >= break_year]
    if len(inc_after):
        ax.scatter(inc_after.index, inc_after / 1e6, marker="D", s=36, color=ORANGE, zorder=3, label=t["incidents"])
    label = {"fontsize": 7.5, "color": "#333333", "textcoords": "offset points"}
    last_before = before.index.max()
    ax.annotate(millions(reports[last_before], lang), (last_before, reports[last_before] / 1e6), xytext=(-2, 3), ha="right", va="bottom", **label)
    if len(after):
        # Values after the break go in one block in the empty early years, never on top of each other.
        colon = "\u00a0:" if lang == "fr" else ":"
        lines = [t["break"]]
        for year in after.index:
            line = f"{year}{colon} {millions(reports[year], lang)} {t['unit_reports']}"
            if year in inc_after.index:
                line += f" ({millions(incidents[year], lang)} {t['unit_incidents']})"
            lines.append(line)
        mark_break(ax, break_year, "\n".join(textwrap.fill(x, 52, subsequent_indent="  ") for x in lines), y=reports.max() / 1e6 * 0.66)
        ax.texts[-1].set_x(reports.index.min() - 0.3)
    ax.set_ylabel(t["ylabel"])
    ax.set_xlim(reports.index.min() - 0.7, reports.index.max() + (1.5 if len(inc_after) else 0.7))
    ax.set_xticks([y for y in reports.index if y % 2 == 0])
    ax.tick_params(axis="x", rotation=90)
    ax.legend(loc="upper left")
    return f.fig



@styled
def france_reports(obs: pd.DataFrame, lang: str = "en"):
    from analysis import ncmec

    series = ncmec.country_series(obs, "FRA", across_break=True)  # the break is drawn below
    break_year = series.attrs["break"]
    last = int(series.index.max())
    table = ncmec.country_table(obs, last)
    row = table.loc["FRA"]
    missing = [y for y in range(last + 1, yearly(obs, "cybertipline_reports", across_break=True).index.max() + 1)]
    t = texts("ncmec_france_reports", lang, first=int(series.index.min()), last=last, break_year=break_year,
              last_value=number(series[last], lang), share=percent(row["share_of_world_pct"], lang, 1),
              rank_eu=ordinal(int(row["rank_eu27"]), lang), rank_rate=ordinal(int(row["rank_eu27_per_100k"]), lang),
              sources=cite(ncmec.country_sources(obs, series.index), lang))
    t["subtitle"] = t["subtitle"].format(last_measure=t["measure_split"] if row["measure"] != "reports" else t["measure_reports"])
    note = t["note"].format(missing=t["missing"].format(year=missing[0]) if missing else "")
    f = frame(t["title"], t["subtitle"], t["source"], note, left=0.13)
    ax = f.ax
    before = series[series.index < break_year] if break_year else series
    ax.bar(before.index, before, color=BLUE, width=0.7, label=t["reports"])
    if break_year:
        split = pd.DataFrame({y: ncmec.country_table(obs, y).loc["FRA", ["referrals", "informational"]] for y in series.index if y >= break_year}).T
        ax.bar(split.index, split["referrals"].astype(float), color=SKY, edgecolor=BLUE, hatch="///", linewidth=0.6, width=0.7, label=t["referrals"])
        ax.bar(split.index, split["informational"].astype(float), bottom=split["referrals"].astype(float), color="#D9ECF7",
               edgecolor=BLUE, linewidth=0.6, width=0.7, label=t["informational"])
        mark_break(ax, break_year, t["break"], y=series.max() * 0.97)
    for year, value in series.items():
        ax.annotate(number(value, lang), (year, value), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(series.index)
    ax.set_xlim(series.index.min() - 0.6, series.index.max() + (1.2 if break_year else 0.6))
    ax.set_ylim(0, series.max() * 1.12)
    ax.set_ylabel(t["ylabel"])
    ax.yaxis.set_major_formatter(lambda v, _: number(v, lang))
    ax.legend(loc="upper left", fontsize=7.5)
    return f.fig


@styled
def eu27_ranking(obs: pd.DataFrame, lang: str = "en"):
    """The latest year's EU27 ranking beside the year before (counts and per 100,000)."""
    from analysis import geography, ncmec

    years = ncmec.country_years(obs)
    year, previous = int(years[-1]), int(years[-2])
    now, before = (ncmec.country_table(obs, y) for y in (year, previous))
    eu_now, eu_before = now[now["eu27"]], before[before["eu27"]]
    total, total_before = ncmec.eu27_total(obs, year), ncmec.eu27_total(obs, previous)
    pop_sources = preferred(select(obs, "population"))
    pop_sources = pop_sources[pop_sources["period"].isin([str(year), str(previous)]) & pop_sources["geography"].isin(eu_now.index)]
    split = (eu_now["measure"] != "reports").any()
    t = texts("ncmec_eu27_ranking", lang, year=year, previous=previous, france=geography.label("FRA", lang),
              eu_total=number(total["reports"], lang), eu_rate=number(total["reports_per_100k"], lang, 1),
              eu_previous=number(total_before["reports"], lang), eu_rate_previous=number(total_before["reports_per_100k"], lang, 1),
              sources=cite([*ncmec.country_sources(obs, [previous, year]), *pop_sources["source_id"].unique()], lang))
    measure = (t["measure_split"] if split else t["measure_reports"]).format(previous=previous)
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], size=(8, 8.2), ncols=2, wspace=0.2, panel_titles=True)
    h = 0.38
    for ax, column, label, decimals in ((f.axes[0], "reports", t["left"], 0), (f.axes[1], "reports_per_100k", t["right"], 1)):
        ordered = eu_now.sort_values(column)
        positions = range(len(ordered))
        names = [geography.label(code, lang) for code in ordered.index]
        old = eu_before[column].reindex(ordered.index).astype(float)
        new = ordered[column].astype(float)
        fra = [code == "FRA" for code in ordered.index]
        ax.barh([p + h / 2 for p in positions], old, height=h, color=["#F5D08A" if x else "#A6C8E0" for x in fra], label=t["legend_previous"].format(previous=previous))
        ax.barh([p - h / 2 for p in positions], new, height=h, color=[ORANGE if x else BLUE for x in fra],
                hatch="///" if split else None, edgecolor="white", linewidth=0.3, label=t["legend_year"].format(year=year, measure=measure))
        ax.set_yticks(list(positions), names)
        ax.set_title(label, fontsize=9.5, loc="left")
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", labelsize=7.5)
        ax.xaxis.set_major_formatter(lambda v, _: number(v, lang))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3))
        ax.tick_params(axis="x", labelsize=7.5)
        for i, value in enumerate(new):
            ax.text(value, i - h / 2, " " + number(value, lang, decimals), va="center", fontsize=6, color="#333333")
        ax.set_xlim(0, max(new.max(), old.max()) * 1.25)
        ax.set_ylim(-0.7, len(ordered) - 0.3)
    f.axes[0].set_position((0.16, *f.axes[0].get_position().bounds[1:2], 0.33, f.axes[0].get_position().height))
    f.axes[1].set_position((0.64, *f.axes[1].get_position().bounds[1:2], 0.33, f.axes[1].get_position().height))
    handles, labels = f.axes[0].get_legend_handles_labels()
    # Bottom right of the counts panel: the smallest countries leave it empty.
    f.axes[0].legend(handles[::-1], [textwrap.fill(x, 34) for x in labels[::-1]], loc="lower right", fontsize=7, frameon=True)
    return f.fig


@styled
def incident_types(obs: pd.DataFrame, lang: str = "en"):
    from analysis import ncmec

    table = ncmec.incident_types(obs)
    years = list(table.columns)
    sources = preferred(select(obs, "cybertipline_reports", geography="WLD"))
    sources = sources[sources["breakdown"].str.startswith("incident_type=")]["source_id"].unique().tolist()
    break_year = series_break("cybertipline_reports")[0]
    spans = min(years) < break_year <= max(years)
    t = texts("ncmec_incident_types", lang, first=min(years), last=max(years), break_year=break_year,
              sources=cite(sorted(sources), lang))
    t["note"] = t["note"].format(break_note=t["break_note"] if spans else "")
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], size=(8, 5.6), ncols=2, wspace=0.1, panel_titles=True)
    left, right = f.axes
    big = "child_pornography"
    after = [y >= break_year for y in years]
    bars = left.bar(years, table.loc[big] / 1e6, color=[SKY if a else BLUE for a in after], edgecolor=BLUE, width=0.6)
    for bar, a in zip(bars, after):
        bar.set_hatch("///" if a else None)
    left.set_title(t["types"][big], fontsize=9, loc="left")
    left.set_ylabel(t["left"])
    left.set_xticks(years, [str(y) for y in years], rotation=90)
    if spans:
        for ax in (left, right):
            ax.axvline(break_year - 0.5, color=GREY, linestyle="--", linewidth=1)
    others = table.drop(index=big)
    colors = [ORANGE, VERMILION, GREEN, PURPLE, SKY, GREY, "#000000"]
    for (kind, values), color in zip(others.iterrows(), colors):
        right.plot(years, values, marker="o", markersize=3.5, color=color, linewidth=1.6, label=t["types"][kind])
    right.set_xticks(years)
    right.set_ylabel(t["right"])
    right.yaxis.set_major_formatter(lambda v, _: number(v, lang))
    right.legend(fontsize=7, loc="upper left")
    left.set_position((0.09, *left.get_position().bounds[1:2], 0.2, left.get_position().height))
    right.set_position((0.40, *right.get_position().bounds[1:2], 0.57, right.get_position().height))
    return f.fig


@styled
def generative_ai_reports(obs: pd.DataFrame, lang: str = "en"):
    from analysis import ncmec

    table = ncmec.ai_reports(obs)
    best = preferred(select(obs, "cybertipline_reports_generative_ai", geography="WLD", breakdown=""))
    best = best.set_index("period")
    kind = table.drop_duplicates("source_id").set_index("source_id")["kind"]
    years = sorted(p for p in best.index if len(p) == 4)
    halves = sorted(p for p in best.index if p.endswith("-H1"))
    used = [best.at[p, "source_id"] for p in years + halves]
    t = texts("ncmec_generative_ai_reports", lang, sources=cite(used, lang))
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], ncols=2, wspace=0.12, left=0.13, panel_titles=True)
    for ax, periods, label in ((f.axes[0], years, t["left"]), (f.axes[1], halves, t["right"])):
        values = [best.at[p, "value"] for p in periods]
        secondary = [kind[best.at[p, "source_id"]] == "secondary" for p in periods]
        labels = [p.replace("-H1", "") for p in periods]
        bars = ax.bar(labels, values, color=[SKY if s else BLUE for s in secondary], edgecolor=BLUE, width=0.6)
        for bar, s in zip(bars, secondary):
            if s:
                bar.set_hatch("///")
        for p, lab, value in zip(periods, labels, values):
            q = best.at[p, "qualifier"]
            prefix = {"exact": "", "at_least": t["at_least"] + " ", "rounded": "≈ ", "approx": "≈ "}.get(q, "≈ ")
            ax.annotate(prefix + number(value, lang), (lab, value), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=8)
        ax.set_title(label, fontsize=9.5, loc="left")
        ax.yaxis.set_major_formatter(lambda v, _: number(v, lang))
        ax.set_ylim(0, max(values) * 1.15)
    return f.fig
