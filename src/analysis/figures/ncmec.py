"""Figures from NCMEC CyberTipline data."""
from __future__ import annotations

import pandas as pd

from analysis.figures.style import BLUE, GREY, ORANGE, SKY, frame, millions, styled, texts
from analysis.registry import citations
from analysis.series import BUNDLING_YEAR, yearly


@styled
def cybertipline_reports_per_year(obs: pd.DataFrame, lang: str = "en"):
    reports = yearly(obs, "cybertipline_reports")
    incidents = yearly(obs, "cybertipline_incidents")
    used = [s for series in (reports, incidents) for s in series.attrs["sources"]]
    break_year = BUNDLING_YEAR
    inc_value = incidents.get(break_year)
    t = texts(
        "ncmec_cybertipline_reports_per_year", lang,
        first=reports.index.min(), last=reports.index.max(), break_year=break_year,
        incidents=millions(inc_value, lang) if inc_value is not None else "?",
        sources="; ".join(citations(used)),
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
        ax.axvline(break_year - 0.5, color=GREY, linestyle="--", linewidth=1)
        ax.text(break_year + 0.5, reports.max() / 1e6 * 0.3, t["break"], ha="left", va="center", fontsize=8, color="#444444")
    label = {"fontsize": 7.5, "color": "#333333", "textcoords": "offset points"}
    last_before = before.index.max()
    ax.annotate(millions(reports[last_before], lang), (last_before, reports[last_before] / 1e6), xytext=(0, 3), ha="center", va="bottom", **label)
    for year in after.index:  # labels to the right of the break, clear of the bars
        ax.annotate(millions(reports[year], lang), (year + 0.45, reports[year] / 1e6), xytext=(2, 0), ha="left", va="center", **label)
        if year in inc_after.index:
            ax.annotate(millions(incidents[year], lang), (year + 0.45, incidents[year] / 1e6), xytext=(2, 0), ha="left", va="center", **label)
    ax.set_ylabel(t["ylabel"])
    ax.set_xlim(reports.index.min() - 0.7, reports.index.max() + (3.2 if len(after) else 0.7))
    ax.set_xticks([y for y in reports.index if y % 2 == 0])
    ax.tick_params(axis="x", rotation=90)
    ax.legend(loc="upper left")
    return f.fig
